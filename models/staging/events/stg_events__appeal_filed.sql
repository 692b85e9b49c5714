{#-
    Appeals filed against enforcement actions. One row per event,
    deduplicated and valid.
-#}
with

events as (
    select * from {{ ref('base_events__deduplicated') }}
    where event_type = 'appeal_filed'
),

final as (
    select
        event_id,
        market_code,
        appeal_id,
        action_id,
        occurred_at as filed_at,
        occurred_local_date as filed_local_date,
        ingested_at,
        ingest_date,
        loaded_at
    from events
)

select * from final
