{#-
    Enforcement actions taken against sellers and their content. One row per
    event, deduplicated and valid.
-#}
with

events as (
    select * from {{ ref('base_events__deduplicated') }}
    where event_type = 'enforcement_actioned'
),

final as (
    select
        event_id,
        market_code,
        action_id,
        target_type,
        target_id,
        seller_id,
        policy_id,
        action_type,
        detection_source,
        is_automated,
        detected_at,
        report_id,
        occurred_at as actioned_at,
        occurred_local_date as actioned_local_date,
        ingested_at,
        ingest_date,
        loaded_at
    from events
)

select * from final
