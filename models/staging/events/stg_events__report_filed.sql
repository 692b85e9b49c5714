{#-
    Reports filed by users or regulators against a target. One row per
    event, deduplicated and valid.
-#}
with

events as (
    select * from {{ ref('base_events__deduplicated') }}
    where event_type = 'report_filed'
),

final as (
    select
        event_id,
        market_code,
        report_id,
        reporter_id,
        target_type,
        target_id,
        policy_id,
        occurred_at as filed_at,
        occurred_local_date as filed_local_date,
        ingested_at,
        ingest_date,
        loaded_at
    from events
)

select * from final
