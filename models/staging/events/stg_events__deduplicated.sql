{#-
    One row per logical event: of the valid copies of an event_id, the one
    that landed first (earliest ingested_at; file and row break ties).

    Incremental: a run takes the valid rows of the partitions it has not
    seen, adds the copies already kept for the same event_ids, and keeps the
    earliest of them, so a copy arriving weeks later never adds a row.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='event_id',
        on_schema_change='fail',
    )
}}

{%- set columns = event_columns() -%}
{%- set newest_ingest_date = newest_loaded('ingest_date') -%}

with

new_valid_events as (
    select {{ columns | join(', ') }}
    from {{ ref('stg_events__validated') }}
    where
        quarantine_reason_code is null
    {%- if newest_ingest_date is not none %}
        and ingest_date >= cast({{ newest_ingest_date }} as date)
        {%- endif %}
),

{% if newest_ingest_date is not none -%}
kept_copies as (
    select {{ columns | join(', ') }}
    from {{ this }}
    where event_id in (select new_valid_events.event_id from new_valid_events)
),

candidates as (
    select * from new_valid_events
    union all
    select * from kept_copies
),
{%- else -%}
    candidates as (
        select * from new_valid_events
    ),
{%- endif %}

ranked as (
    select
        candidates.*,
        row_number() over (
            partition by candidates.event_id
            order by
                candidates.ingested_at,
                candidates.source_file,
                candidates.source_row_number
        ) as copy_rank
    from candidates
),

final as (
    select {{ columns | join(', ') }}
    from ranked
    where copy_rank = 1
)

select * from final
