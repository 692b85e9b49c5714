{#-
    Order cancellations with the party at fault. One row per event,
    deduplicated and valid.
-#}
with

events as (
    select * from {{ ref('base_events__deduplicated') }}
    where event_type = 'order_cancelled'
),

final as (
    select
        event_id,
        market_code,
        order_id,
        reason as cancel_reason,
        fault_party,
        occurred_at as cancelled_at,
        occurred_local_date as cancelled_local_date,
        ingested_at,
        ingest_date,
        loaded_at
    from events
)

select * from final
