{#- Orders placed. One row per event, deduplicated and valid. -#}
with

events as (
    select * from {{ ref('base_events__deduplicated') }}
    where event_type = 'order_placed'
),

final as (
    select
        event_id,
        market_code,
        order_id,
        buyer_id,
        seller_id,
        listing_id,
        category,
        channel,
        amount_local as gmv_local,
        currency_code,
        promised_ship_by_at,
        occurred_at as placed_at,
        schema_version,
        occurred_local_date as placed_local_date,
        ingested_at,
        ingest_date,
        loaded_at
    from events
)

select * from final
