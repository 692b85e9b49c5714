{#-
    Seller and listing governance by market and local date, wide for
    dashboards: enforcement actions and their rates (by action date), time to
    action percentiles, appeal overturns (by resolution date), listing
    rejections (by review date) and report validity (by resolution date).
-#}
with

components as (
    select * from {{ ref('fct_metric_components_daily') }}
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

daily as (
    select
        market_code,
        metric_date as local_date,
        {{ pivot_metric_components([
            ('enforcement_actions', 'numerator', 'enforcement_actions'),
            ('proactive_detection_rate', 'numerator', 'proactive_actions'),
            ('automation_rate', 'numerator', 'automated_actions'),
            ('appeal_rate', 'numerator', 'appealed_actions'),
            ('repeat_offender_rate', 'numerator', 'repeat_offender_actions'),
            ('appeal_overturn_rate', 'denominator', 'appeals_resolved'),
            ('appeal_overturn_rate', 'numerator', 'appeals_overturned'),
            ('listing_rejection_rate', 'denominator', 'listings_reviewed'),
            ('listing_rejection_rate', 'numerator', 'listings_rejected'),
            ('report_validity_rate', 'denominator', 'reports_resolved'),
            ('report_validity_rate', 'numerator', 'reports_valid'),
        ]) }}
    from components
    where
        metric_id in (
            'enforcement_actions',
            'proactive_detection_rate',
            'automation_rate',
            'appeal_rate', 'repeat_offender_rate', 'appeal_overturn_rate',
            'listing_rejection_rate', 'report_validity_rate'
        )
    group by market_code, metric_date
),

time_to_action as (
    select
        market_code,
        actioned_local_date as local_date,
        percentile_cont(0.5) within group (
            order by time_to_action_hours
        ) as median_time_to_action_hours,
        percentile_cont(0.9) within group (
            order by time_to_action_hours
        ) as p90_time_to_action_hours
    from actions
    group by market_code, actioned_local_date
),

final as (
    select
        daily.market_code,
        markets.region,
        stage_days.development_stage,
        daily.local_date,
        daily.enforcement_actions,
        daily.proactive_actions,
        {{ safe_divide(
            'daily.proactive_actions', 'daily.enforcement_actions'
        ) }} as proactive_detection_rate,
        daily.automated_actions,
        {{ safe_divide(
            'daily.automated_actions', 'daily.enforcement_actions'
        ) }} as automation_rate,
        time_to_action.median_time_to_action_hours,
        time_to_action.p90_time_to_action_hours,
        daily.appealed_actions,
        {{ safe_divide(
            'daily.appealed_actions', 'daily.enforcement_actions'
        ) }} as appeal_rate,
        daily.repeat_offender_actions,
        {{ safe_divide(
            'daily.repeat_offender_actions', 'daily.enforcement_actions'
        ) }} as repeat_offender_rate,
        daily.appeals_resolved,
        daily.appeals_overturned,
        {{ safe_divide('daily.appeals_overturned', 'daily.appeals_resolved') }}
            as appeal_overturn_rate,
        daily.listings_reviewed,
        daily.listings_rejected,
        {{ safe_divide('daily.listings_rejected', 'daily.listings_reviewed') }}
            as listing_rejection_rate,
        daily.reports_resolved,
        daily.reports_valid,
        {{ safe_divide('daily.reports_valid', 'daily.reports_resolved') }}
            as report_validity_rate
    from daily
    inner join markets
        on daily.market_code = markets.market_code
    left join time_to_action
        on
            daily.market_code = time_to_action.market_code
            and daily.local_date = time_to_action.local_date
    left join stage_days
        on
            daily.market_code = stage_days.market_code
            and daily.local_date = stage_days.date_day
)

select * from final
