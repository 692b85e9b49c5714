{#-
    Nothing is judged before its period ended: a month after the
    geography's last complete month (marts.reporting_periods) has no RAG
    status (target attainment, scorecards), no highlight, lowlight or
    movement, no score and no over/under-spend flag. Returns every verdict
    on a month that had not ended.
-#}
with

periods as (
    select * from {{ ref('reporting_periods') }}
),

targets as (
    select
        'target_attainment' as mart,
        target_attainment.metric_id,
        target_attainment.scope_code as geography,
        target_attainment.target_month as month_start,
        target_attainment.status || ' / '
        || coalesce(target_attainment.status_vs_original_target, '')
            as verdict
    from {{ ref('target_attainment') }} as target_attainment
    inner join periods
        on
            periods.geography_level
            = case
                when target_attainment.scope_type = 'market' then 'market'
                else 'global'
            end
            and periods.geography
            = case
                when target_attainment.scope_type = 'market'
                    then target_attainment.scope_code
                else 'GLOBAL'
            end
    where
        target_attainment.target_month > periods.last_complete_month_start
        and (
            target_attainment.status in ('green', 'amber', 'red')
            or target_attainment.status_vs_original_target in (
                'green', 'amber', 'red'
            )
        )
),

insights as (
    select
        'monthly_insights' as mart,
        monthly_insights.metric_id,
        monthly_insights.geo_code as geography,
        monthly_insights.month_start,
        monthly_insights.insight_type as verdict
    from {{ ref('monthly_insights') }} as monthly_insights
    inner join periods
        on
            monthly_insights.geo_level = periods.geography_level
            and monthly_insights.geo_code = periods.geography
    where
        monthly_insights.month_start > periods.last_complete_month_start
        and (
            monthly_insights.insight_type in (
                'highlight', 'lowlight', 'movement'
            )
            or monthly_insights.target_status in ('green', 'amber', 'red')
        )
),

market_scores as (
    select
        'market_scorecard' as mart,
        market_scorecard.metric_id,
        market_scorecard.market_code as geography,
        market_scorecard.month_start,
        market_scorecard.status as verdict
    from {{ ref('market_scorecard') }} as market_scorecard
    inner join periods
        on
            periods.geography_level = 'market'
            and market_scorecard.market_code = periods.geography
    where
        market_scorecard.month_start > periods.last_complete_month_start
        and (
            market_scorecard.status in ('green', 'amber', 'red')
            or market_scorecard.market_weighted_score is not null
        )
),

team_scores as (
    select
        'team_scorecard' as mart,
        team_scorecard.metric_id,
        team_scorecard.owner_team as geography,
        team_scorecard.month_start,
        team_scorecard.status as verdict
    from {{ ref('team_scorecard') }} as team_scorecard
    inner join periods
        on periods.geography_level = 'global'
    where
        team_scorecard.month_start > periods.last_complete_month_start
        and (
            team_scorecard.status in ('green', 'amber', 'red')
            or team_scorecard.team_score is not null
        )
),

spend_flags as (
    select
        'budget_utilization' as mart,
        budget_utilization.cost_center as metric_id,
        budget_utilization.market_code as geography,
        budget_utilization.budget_month as month_start,
        'spend flag' as verdict
    from {{ ref('budget_utilization') }} as budget_utilization
    inner join periods
        on
            periods.geography_level
            = case
                when budget_utilization.market_code = 'GLOBAL' then 'global'
                else 'market'
            end
            and budget_utilization.market_code = periods.geography
    where
        budget_utilization.budget_month > periods.last_complete_month_start
        and (
            budget_utilization.is_over_spend is not null
            or budget_utilization.is_under_spend is not null
        )
),

final as (
    select * from targets
    union all
    select * from insights
    union all
    select * from market_scores
    union all
    select * from team_scores
    union all
    select * from spend_flags
)

select * from final
