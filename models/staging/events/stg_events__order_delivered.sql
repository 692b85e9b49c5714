{#- Delivery events. One row per event, deduplicated and valid. -#}
with

events as (
    select * from {{ ref('base_events__deduplicated') }}
    where event_type = 'order_delivered'
),

final as (
    select
        event_id,
        market_code,
        order_id,
        occurred_at as delivered_at,
        occurred_local_date as delivered_local_date,
        ingested_at,
        ingest_date,
        loaded_at
    from events
)

select * from final
