{#-
    The windows behind the daily anomaly tests: one row per daily catalogue
    metric x geography (each market and GLOBAL) x local day, with the day's
    own value and, from the 34 days before it:

    - the baseline, the four full weeks that end a week before the day
      (days t-34 .. t-7: every weekday exactly four times, and none of the
      last seven days): its pooled numerator and denominator, its mean
      daily value, and by weekday the mean of the day's own weekday and the
      pooled within-weekday variance (macros/statistics.sql);
    - the week, the last seven days t-6 .. t (the day included): its pooled
      numerator and denominator and its mean daily value.

    Values are on the test scale (percentiles on the log scale) and weighted
    by their sample size for weighted_mean metrics (a day of three tickets
    weighs three tickets); the other kinds weigh each day 1.
    int_metric_anomaly_tests tests the day and the week against the baseline.
-#}
with

metric_values as (
    select * from {{ ref('int_metric_values') }}
),

design as (
    select * from {{ ref('int_metric_test_design') }}
),

series as (
    select
        metric_values.metric_id,
        metric_values.geo_level,
        metric_values.geo_code,
        metric_values.period_start as metric_date,
        {{ dbt.datediff(
            dbt.date_trunc('week', 'metric_values.period_start'),
            'metric_values.period_start',
            'day'
        ) }} as day_of_week,
        metric_values.numerator,
        metric_values.denominator,
        metric_values.value,
        {{ on_test_scale('metric_values.value', 'design.is_log_scale') }}
            as tested_value,
        metric_values.is_mature,
        case
            when
                {{ on_test_scale(
                    'metric_values.value', 'design.is_log_scale'
                ) }} is null
                then null
            when design.daily_test_kind = 'weighted_mean'
                then metric_values.denominator
            else 1
        end as weight
    from metric_values
    inner join design
        on metric_values.metric_id = design.metric_id
    where
        metric_values.time_grain = 'day'
        and metric_values.geo_level in ('market', 'global')
        and design.daily_test_kind is not null
),

{# Each day paired with the 34 days before it. #}

history as (
    select
        today.metric_id,
        today.geo_level,
        today.geo_code,
        today.metric_date,
        earlier.metric_date as earlier_date,
        earlier.day_of_week as earlier_day_of_week,
        earlier.numerator as earlier_numerator,
        earlier.denominator as earlier_denominator,
        earlier.tested_value as earlier_value,
        earlier.weight as earlier_weight,
        earlier.metric_date
        <= {{ dbt.dateadd('day', -7, 'today.metric_date') }} as is_baseline,
        earlier.day_of_week = today.day_of_week as is_same_weekday
    from series as today
    inner join series as earlier
        on
            today.metric_id = earlier.metric_id
            and today.geo_level = earlier.geo_level
            and today.geo_code = earlier.geo_code
            and earlier.metric_date
            >= {{ dbt.dateadd('day', -34, 'today.metric_date') }}
            and today.metric_date > earlier.metric_date
),

baseline_weekdays as (
    select
        metric_id,
        geo_level,
        geo_code,
        metric_date,
        earlier_day_of_week,
        {{ dbt.bool_or('is_same_weekday') }} as is_same_weekday,
        count(earlier_value) as weekday_days,
        sum(earlier_weight) as weekday_weight,
        sum(earlier_weight * earlier_value) / sum(earlier_weight)
            as weekday_mean,
        {{ weighted_sum_of_squares('earlier_weight', 'earlier_value') }}
            as weekday_sum_of_squares
    from history
    where
        is_baseline
        and earlier_weight > 0
    group by
        metric_id,
        geo_level,
        geo_code,
        metric_date,
        earlier_day_of_week
),

baseline_spread as (
    select
        metric_id,
        geo_level,
        geo_code,
        metric_date,
        {{ pooled_variance(
            'sum(weekday_sum_of_squares)', 'sum(weekday_days)', 'count(*)'
        ) }} as within_weekday_variance,
        max(case when is_same_weekday then weekday_days end)
            as same_weekday_days,
        max(case when is_same_weekday then weekday_weight end)
            as same_weekday_weight,
        max(case when is_same_weekday then weekday_mean end)
            as same_weekday_mean
    from baseline_weekdays
    group by metric_id, geo_level, geo_code, metric_date
),

windows as (
    select
        metric_id,
        geo_level,
        geo_code,
        metric_date,
        min(case when is_baseline then earlier_date end)
            as baseline_start_date,
        count(case when is_baseline then earlier_value end) as baseline_days,
        sum(case when is_baseline then earlier_weight end) as baseline_weight,
        sum(case when is_baseline then earlier_weight * earlier_value end)
            as baseline_weighted_sum,
        sum(case when is_baseline then earlier_numerator end)
            as baseline_numerator,
        sum(case when is_baseline then earlier_denominator end)
            as baseline_denominator,
        count(case when not is_baseline then earlier_value end)
            as prior_week_days,
        sum(case when not is_baseline then earlier_weight end)
            as prior_week_weight,
        sum(
            case when not is_baseline then earlier_weight * earlier_value end
        ) as prior_week_weighted_sum,
        sum(case when not is_baseline then earlier_numerator end)
            as prior_week_numerator,
        sum(case when not is_baseline then earlier_denominator end)
            as prior_week_denominator
    from history
    group by metric_id, geo_level, geo_code, metric_date
),

weeks as (
    select
        series.*,
        windows.baseline_start_date,
        coalesce(windows.baseline_days, 0) as baseline_days,
        windows.baseline_weight,
        windows.baseline_weighted_sum / windows.baseline_weight
            as baseline_mean,
        windows.baseline_numerator,
        windows.baseline_denominator,
        coalesce(baseline_spread.same_weekday_days, 0) as same_weekday_days,
        baseline_spread.same_weekday_weight,
        baseline_spread.same_weekday_mean,
        baseline_spread.within_weekday_variance,
        coalesce(windows.prior_week_days, 0)
        + case when series.tested_value is null then 0 else 1 end
            as week_days,
        coalesce(windows.prior_week_weight, 0) + coalesce(series.weight, 0)
            as week_weight,
        coalesce(windows.prior_week_weighted_sum, 0)
        + coalesce(series.weight * series.tested_value, 0)
            as week_weighted_sum,
        coalesce(windows.prior_week_numerator, 0)
        + coalesce(series.numerator, 0) as week_numerator,
        coalesce(windows.prior_week_denominator, 0)
        + coalesce(series.denominator, 0) as week_denominator
    from series
    left join windows
        on
            series.metric_id = windows.metric_id
            and series.geo_level = windows.geo_level
            and series.geo_code = windows.geo_code
            and series.metric_date = windows.metric_date
    left join baseline_spread
        on
            series.metric_id = baseline_spread.metric_id
            and series.geo_level = baseline_spread.geo_level
            and series.geo_code = baseline_spread.geo_code
            and series.metric_date = baseline_spread.metric_date
),

final as (
    select
        metric_id,
        geo_level,
        geo_code,
        metric_date,
        numerator,
        denominator,
        value,
        tested_value,
        weight,
        is_mature,
        baseline_start_date,
        baseline_days,
        baseline_weight,
        baseline_mean,
        baseline_numerator,
        baseline_denominator,
        same_weekday_days,
        same_weekday_weight,
        same_weekday_mean,
        within_weekday_variance,
        week_days,
        week_weight,
        {{ safe_divide('week_weighted_sum', 'week_weight') }} as week_mean,
        week_numerator,
        week_denominator
    from weeks
)

select * from final
