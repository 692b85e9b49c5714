{#-
    The record of duplicate deliveries: every valid raw row that is not the
    kept copy of its event_id (the kept copy is the first to land: earliest
    ingested_at, then file and row), so that duplicates are counted, not
    lost. stg_events__deduplicated is the valid rows minus these.

    Only the narrow identity columns are ranked, and only for event_ids with
    more than one valid copy: the wide typed rows are never sorted.

    Incremental by landing day, like stg_events__validated: a run ranks the
    copies of the event_ids that have a copy in the partitions it loads,
    against their copies in every partition, and records the duplicates that
    landed in those partitions. Assumes, as the contract's partitioning
    implies, that a later partition never holds an earlier ingested_at than
    the copy already kept.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy=by_partition_strategy(),
        unique_key='ingest_date',
        partition_by=partition_column('ingest_date'),
        on_schema_change='fail',
    )
}}

{%- set newest_ingest_date = newest_loaded('ingest_date') -%}

with

valid_copies as (
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
        and event_id in (
            select loaded.event_id
            from {{ ref('stg_events__validated') }} as loaded
            where
                loaded.quarantine_reason_code is null
                and loaded.ingest_date >= cast({{ newest_ingest_date }} as date)
        )
    {%- endif %}
),

repeated_event_ids as (
    select event_id
    from valid_copies
    group by event_id
    having count(*) > 1
),

ranked as (
    select
        valid_copies.*,
        row_number() over (
            partition by valid_copies.event_id
            order by
                valid_copies.ingested_at,
                valid_copies.source_file,
                valid_copies.source_row_number
        ) as copy_rank,
        min(valid_copies.ingested_at) over (
            partition by valid_copies.event_id
        ) as kept_ingested_at
    from valid_copies
    inner join repeated_event_ids
        on valid_copies.event_id = repeated_event_ids.event_id
),

final as (
    select
        event_id,
        event_type,
        market_code,
        occurred_at,
        occurred_local_date,
        ingested_at,
        ingest_date,
        source_file,
        source_row_number,
        kept_ingested_at
    from ranked
    where
        copy_rank > 1
    {%- if newest_ingest_date is not none %}
        and ingest_date >= cast({{ newest_ingest_date }} as date)
    {%- endif %}
)

select * from final
