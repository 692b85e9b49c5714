{#-
    Each metric's month beside the month before, for every market and the
    globe: both months' values, numerators and denominators, both months'
    daily statistics (int_metric_month_daily_stats), for the monthly cost
    ratios (no daily values) the mean and spread of up to var
    insight_history_months months before, and what decides whether the
    comparison may be judged: has the month ended in its geography
    (int_period_completeness), is it the provisional latest month, are both
    order cohorts mature, and does the prior month start after the metric's
    warm-up (int_metric_test_design). The variances are the shared rules of
    macros/statistics.sql: the prior month's day-to-day variance floored at
    its mean for counts, and for means and percentiles the variance constant
    c pooled over both months. int_metric_months_compared tests the move.
-#}
{%- set history_months = var('insight_history_months') -%}

with

metric_values as (
    select * from {{ ref('int_metric_values') }}
),

design as (
    select * from {{ ref('int_metric_test_design') }}
),

daily_stats as (
    select * from {{ ref('int_metric_month_daily_stats') }}
),

completeness as (
    select * from {{ ref('int_period_completeness') }}
),

data_start as (
    select min(period_start) as first_data_date
    from metric_values
    where time_grain = 'day'
),

monthly as (
    select
        metric_id,
        geo_level,
        geo_code,
        period_start as month_start,
        cast({{ dbt.dateadd('month', 1, 'period_start') }} as date)
            as next_month_start,
        numerator,
        denominator,
        value,
        is_mature
    from metric_values
    where
        time_grain = 'month'
        and geo_level in ('market', 'global')
),

monthly_history as (
    select
        this_month.metric_id,
        this_month.geo_level,
        this_month.geo_code,
        this_month.month_start,
        count(earlier.value) as history_months,
        avg(earlier.value) as history_mean,
        stddev_samp(earlier.value) as history_sd
    from monthly as this_month
    inner join monthly as earlier
        on
            this_month.metric_id = earlier.metric_id
            and this_month.geo_level = earlier.geo_level
            and this_month.geo_code = earlier.geo_code
            and this_month.month_start > earlier.month_start
            and earlier.month_start
            >= cast({{ dbt.dateadd(
                'month', -history_months, 'this_month.month_start'
            ) }} as date)
    group by
        this_month.metric_id,
        this_month.geo_level,
        this_month.geo_code,
        this_month.month_start
),

final as (
    select
        monthly.metric_id,
        monthly.geo_level,
        monthly.geo_code,
        monthly.month_start,
        design.monthly_test_kind as significance_test,
        design.is_log_scale,
        monthly.numerator,
        monthly.denominator,
        monthly.value,
        prior_month.numerator as prior_numerator,
        prior_month.denominator as prior_denominator,
        prior_month.value as prior_value,
        monthly.is_mature and coalesce(prior_month.is_mature, true)
            as is_mature,
        coalesce(
            monthly.month_start <= completeness.last_complete_month_start,
            false
        ) as is_month_complete,
        coalesce(
            monthly.month_start = completeness.last_complete_month_start
            and completeness.is_latest_month_provisional,
            false
        ) as is_provisional,
        prior_month.month_start
        >= {{ dbt.dateadd(
            'day', 'design.warm_up_days', 'data_start.first_data_date'
        ) }} as is_prior_month_warmed_up,
        coalesce(this_days.days_with_data, 0) as days_with_data,
        coalesce(prior_days.days_with_data, 0) as prior_days_with_data,
        this_days.daily_mean,
        this_days.daily_variance,
        prior_days.daily_mean as prior_daily_mean,
        {{ floored_variance(
            'prior_days.daily_variance',
            'prior_days.daily_mean',
            'design.has_count_floor'
        ) }} as prior_daily_variance,
        {{ pooled_variance(
            'greatest(this_days.weighted_sum_of_squares, 0)'
            ~ ' + greatest(prior_days.weighted_sum_of_squares, 0)',
            'this_days.days_with_data + prior_days.days_with_data',
            '2'
        ) }} as sample_variance_constant,
        coalesce(monthly_history.history_months, 0) as history_months,
        monthly_history.history_mean,
        monthly_history.history_sd
    from monthly
    inner join design
        on monthly.metric_id = design.metric_id
    cross join data_start
    left join completeness
        on
            monthly.geo_level = completeness.geography_level
            and monthly.geo_code = completeness.geography
    left join monthly as prior_month
        on
            monthly.metric_id = prior_month.metric_id
            and monthly.geo_level = prior_month.geo_level
            and monthly.geo_code = prior_month.geo_code
            and monthly.month_start = prior_month.next_month_start
    left join daily_stats as this_days
        on
            monthly.metric_id = this_days.metric_id
            and monthly.geo_level = this_days.geo_level
            and monthly.geo_code = this_days.geo_code
            and monthly.month_start = this_days.month_start
    left join daily_stats as prior_days
        on
            prior_month.metric_id = prior_days.metric_id
            and prior_month.geo_level = prior_days.geo_level
            and prior_month.geo_code = prior_days.geo_code
            and prior_month.month_start = prior_days.month_start
    left join monthly_history
        on
            monthly.metric_id = monthly_history.metric_id
            and monthly.geo_level = monthly_history.geo_level
            and monthly.geo_code = monthly_history.geo_code
            and monthly.month_start = monthly_history.month_start
)

select * from final
