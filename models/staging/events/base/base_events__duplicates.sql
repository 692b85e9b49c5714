{#-
    The duplicate record: every valid raw row that is an identical repeated
    delivery of an event (base_events__repeats, kind duplicate). Counted,
    never used in a metric.
-#}
with

repeats as (
    select * from {{ ref('base_events__repeats') }}
    where repeat_kind = 'duplicate'
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
    from repeats
)

select * from final
