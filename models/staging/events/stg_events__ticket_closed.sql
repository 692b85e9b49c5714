{#-
    Customer-service tickets closed. One row per event, deduplicated and
    valid.
-#}
with

events as (
    select * from {{ ref('base_events__deduplicated') }}
    where event_type = 'ticket_closed'
),

final as (
    select
        event_id,
        market_code,
        ticket_id,
        order_id,
        buyer_id,
        csat,
        occurred_at as closed_at,
        occurred_local_date as closed_local_date,
        ingested_at,
        ingest_date,
        loaded_at
    from events
)

select * from final
