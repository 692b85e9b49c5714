{#-
    One row per appeal: when it was filed and, once resolved, its outcome,
    attributed to the appeal's local resolution date (appeal_overturn_rate),
    and every resolved appeal whose filing has not arrived (has_filing
    false; macros/filed_or_resolved.sql). appeal_overturn_rate needs
    nothing from the filing: it is attributed to the resolution's own local
    date and market.
-#}
with

appeals as (
    {{ filed_or_resolved(
        'appeal_id',
        ref('stg_events__appeal_filed'),
        ref('stg_events__appeal_resolved'),
        filing_columns=['action_id'],
        resolution_columns=['appeal_outcome'],
    ) }}
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

final as (
    select
        appeals.appeal_id,
        appeals.action_id,
        appeals.market_code,
        markets.region,
        stage_days.development_stage,
        actions.policy_id,
        actions.policy_area,
        actions.detection_source,
        appeals.filed_at,
        appeals.filed_local_date,
        appeals.resolved_at,
        appeals.resolved_local_date,
        appeals.appeal_outcome,
        appeals.has_filing,
        appeals.is_resolved,
        coalesce(appeals.appeal_outcome = 'overturned', false)
            as is_overturned
    from appeals
    inner join markets
        on appeals.market_code = markets.market_code
    left join actions
        on appeals.action_id = actions.action_id
    left join stage_days
        on
            appeals.market_code = stage_days.market_code
            and coalesce(appeals.resolved_local_date, appeals.filed_local_date)
            = stage_days.date_day
)

select * from final
