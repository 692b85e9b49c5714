{#-
    The record of duplicate deliveries: every valid raw row that is not the
    kept copy of its event_id, so that duplicates are counted, not lost.

    Incremental by landing day, like stg_events__validated. Assumes, as the
    contract's partitioning implies, that a later partition never holds an
    earlier ingested_at than the copy already kept.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='ingest_date',
        on_schema_change='fail',
    )
}}

{%- set newest_ingest_date = newest_loaded('ingest_date') -%}

with

new_valid_events as (
    select
        event_id,
        event_type,
        market_code,
        occurred_at,
        occurred_local_date,
        ingested_at,
        ingest_date,
        source_file,
        source_row_number
    from {{ ref('stg_events__validated') }}
    where
        quarantine_reason_code is null
    {%- if newest_ingest_date is not none %}
        and ingest_date >= cast({{ newest_ingest_date }} as date)
        {%- endif %}
),

kept_copies as (
    select
        event_id,
        ingested_at as kept_ingested_at,
        source_file,
        source_row_number
    from {{ ref('stg_events__deduplicated') }}
),

final as (
    select
        new_valid_events.event_id,
        new_valid_events.event_type,
        new_valid_events.market_code,
        new_valid_events.occurred_at,
        new_valid_events.occurred_local_date,
        new_valid_events.ingested_at,
        new_valid_events.ingest_date,
        new_valid_events.source_file,
        new_valid_events.source_row_number,
        kept_copies.kept_ingested_at
    from new_valid_events
    inner join kept_copies
        on
            new_valid_events.event_id = kept_copies.event_id
            and (
                new_valid_events.source_file <> kept_copies.source_file
                or new_valid_events.source_row_number
                <> kept_copies.source_row_number
            )
)

select * from final
