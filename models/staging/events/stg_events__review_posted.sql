{#- Buyer reviews of orders. One row per event, deduplicated and valid. -#}
with

events as (
    select * from {{ ref('base_events__deduplicated') }}
    where event_type = 'review_posted'
),

final as (
    select
        event_id,
        market_code,
        review_id,
        order_id,
        rating,
        occurred_at as reviewed_at,
        occurred_local_date as reviewed_local_date,
        ingested_at,
        ingest_date,
        loaded_at
    from events
)

select * from final
