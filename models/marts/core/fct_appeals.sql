{#-
    One row per appeal: when it was filed and, once resolved, its outcome,
    attributed to the appeal's local resolution date (appeal_overturn_rate).
-#}
with

appeals_filed as (
    select * from {{ ref('stg_events__appeal_filed') }}
),

appeals_resolved as (
    select
        appeal_id,
        market_code,
        appeal_outcome,
        resolved_at,
        resolved_local_date,
        row_number() over (
            partition by appeal_id order by resolved_at, event_id
        ) as resolution_rank
    from {{ ref('stg_events__appeal_resolved') }}
),

actions as (
    select * from {{ ref('fct_enforcement_actions') }}
),

markets as (
    select * from {{ ref('markets') }}
),

stage_days as (
    select * from {{ ref('int_market_stage_days') }}
),

first_resolutions as (
    select * from appeals_resolved
    where resolution_rank = 1
),

final as (
    select
        appeals_filed.appeal_id,
        appeals_filed.action_id,
        appeals_filed.market_code,
        markets.region,
        stage_days.development_stage,
        actions.policy_id,
        actions.policy_area,
        actions.detection_source,
        appeals_filed.filed_at,
        appeals_filed.filed_local_date,
        first_resolutions.resolved_at,
        first_resolutions.resolved_local_date,
        first_resolutions.appeal_outcome,
        first_resolutions.appeal_id is not null as is_resolved,
        coalesce(first_resolutions.appeal_outcome = 'overturned', false)
            as is_overturned
    from appeals_filed
    inner join markets
        on appeals_filed.market_code = markets.market_code
    left join first_resolutions
        on appeals_filed.appeal_id = first_resolutions.appeal_id
    left join actions
        on appeals_filed.action_id = actions.action_id
    left join stage_days
        on
            appeals_filed.market_code = stage_days.market_code
            and coalesce(
                first_resolutions.resolved_local_date,
                appeals_filed.filed_local_date
            ) = stage_days.date_day
)

select * from final
