{#-
    Moderation cases closed, with queue, team, handling and QA. One row per
    event, deduplicated and valid.
-#}
with

events as (
    select * from {{ ref('base_events__deduplicated') }}
    where event_type = 'moderation_case_closed'
),

final as (
    select
        event_id,
        market_code,
        case_id,
        queue,
        team,
        opened_at,
        handling_seconds,
        is_qa_sampled,
        is_qa_passed,
        occurred_at as closed_at,
        occurred_local_date as closed_local_date,
        ingested_at,
        ingest_date,
        loaded_at
    from events
)

select * from final
