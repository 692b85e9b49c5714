{#-
    Listings submitted by sellers. One row per event, deduplicated and
    valid.
-#}
with

events as (
    select * from {{ ref('base_events__deduplicated') }}
    where event_type = 'listing_submitted'
),

final as (
    select
        event_id,
        market_code,
        listing_id,
        seller_id,
        category,
        occurred_at as submitted_at,
        occurred_local_date as submitted_local_date,
        ingested_at,
        ingest_date,
        loaded_at
    from events
)

select * from final
