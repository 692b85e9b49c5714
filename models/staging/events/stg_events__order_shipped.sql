{#-
    Shipment events; an order may have more than one, the first counts for
    late dispatch. One row per event, deduplicated and valid.
-#}
with

events as (
    select * from {{ ref('base_events__deduplicated') }}
    where event_type = 'order_shipped'
),

final as (
    select
        event_id,
        market_code,
        order_id,
        occurred_at as shipped_at,
        occurred_local_date as shipped_local_date,
        ingested_at,
        ingest_date,
        loaded_at
    from events
)

select * from final
