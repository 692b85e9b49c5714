{#- Disputes opened by buyers. One row per event, deduplicated and valid. -#}
with

events as (
    select * from {{ ref('base_events__deduplicated') }}
    where event_type = 'dispute_opened'
),

final as (
    select
        event_id,
        market_code,
        dispute_id,
        order_id,
        reason as dispute_reason,
        occurred_at as dispute_opened_at,
        occurred_local_date as dispute_opened_local_date,
        ingested_at,
        ingest_date,
        loaded_at
    from events
)

select * from final
