{#-
    Refunds issued against orders. One row per event, deduplicated and
    valid.
-#}
with

events as (
    select * from {{ ref('base_events__deduplicated') }}
    where event_type = 'refund_issued'
),

final as (
    select
        event_id,
        market_code,
        refund_id,
        order_id,
        amount_local as refund_amount_local,
        currency_code,
        reason as refund_reason,
        fault_party,
        occurred_at as refunded_at,
        schema_version,
        occurred_local_date as refunded_local_date,
        ingested_at,
        ingest_date,
        loaded_at
    from events
)

select * from final
