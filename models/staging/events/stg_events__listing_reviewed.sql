{#- Listing review decisions. One row per event, deduplicated and valid. -#}
with

events as (
    select * from {{ ref('base_events__deduplicated') }}
    where event_type = 'listing_reviewed'
),

final as (
    select
        event_id,
        market_code,
        listing_id,
        decision as review_decision,
        policy_id,
        review_mode,
        occurred_at as reviewed_at,
        occurred_local_date as reviewed_local_date,
        ingested_at,
        ingest_date,
        loaded_at
    from events
)

select * from final
