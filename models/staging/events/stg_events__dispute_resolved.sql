{#- Dispute resolutions. One row per event, deduplicated and valid. -#}
with

events as (
    select * from {{ ref('base_events__deduplicated') }}
    where event_type = 'dispute_resolved'
),

final as (
    select
        event_id,
        market_code,
        dispute_id,
        outcome as dispute_outcome,
        occurred_at as resolved_at,
        occurred_local_date as resolved_local_date,
        ingested_at,
        ingest_date,
        loaded_at
    from events
)

select * from final
