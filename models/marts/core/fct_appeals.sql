{#-
    One row per appeal: when it was filed and, once resolved, its outcome,
    attributed to the appeal's local resolution date (appeal_overturn_rate),
    and every resolved appeal whose filing has not arrived (has_filing
    false). appeal_overturn_rate needs nothing from the filing: it is
    attributed to the resolution's own local date and market.
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
    select * from {{ ref('dim_markets') }}
),

stage_days as (
    select * from {{ ref('dim_market_days') }}
),

first_resolutions as (
    select * from appeals_resolved
    where resolution_rank = 1
),

appeal_ids as (
    select appeal_id from appeals_filed
    union
    select appeal_id from first_resolutions
),

appeals as (
    select
        appeal_ids.appeal_id,
        coalesce(first_resolutions.market_code, appeals_filed.market_code)
            as market_code,
        appeals_filed.appeal_id is not null as has_filing
    from appeal_ids
    left join appeals_filed
        on appeal_ids.appeal_id = appeals_filed.appeal_id
    left join first_resolutions
        on appeal_ids.appeal_id = first_resolutions.appeal_id
),

final as (
    select
        appeals.appeal_id,
        appeals_filed.action_id,
        appeals.market_code,
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
        appeals.has_filing,
        first_resolutions.appeal_id is not null as is_resolved,
        coalesce(first_resolutions.appeal_outcome = 'overturned', false)
            as is_overturned
    from appeals
    inner join markets
        on appeals.market_code = markets.market_code
    left join appeals_filed
        on appeals.appeal_id = appeals_filed.appeal_id
    left join first_resolutions
        on appeals.appeal_id = first_resolutions.appeal_id
    left join actions
        on appeals_filed.action_id = actions.action_id
    left join stage_days
        on
            appeals.market_code = stage_days.market_code
            and coalesce(
                first_resolutions.resolved_local_date,
                appeals_filed.filed_local_date
            ) = stage_days.date_day
)

select * from final
