{#-
    Daily anomaly flags: one row per daily catalogue metric x geography
    (each market and GLOBAL) x local day. Two tests share one baseline, the
    four full weeks that end a week before the day (days t-34 .. t-7:
    every weekday exactly four times, and none of the last seven days):

    - day_z, the day itself;
    - week_z, the last seven days t-6 .. t (one of each weekday), so that a
      shift sustained over a few days, too small to show on any one day,
      shows too.

    By kind of metric (test_kind):
    - two_proportion (ratios of counts): the day's or week's pooled
      numerator / denominator against the baseline's, two-proportion z
      with the pooled rate; poisson_rate (contact_rate) the same with
      variance p. Needs an expected count of var anomaly_min_expected_count
      (5) in the smaller sample.
    - weekday_baseline (counts, sums): the day against the mean of the same
      weekday in the baseline (t-7, t-14, t-21, t-28), scaled by the
      baseline's pooled within-weekday variance s2:
      day_z = (x - mean_wd) / sqrt(s2 (1 + 1/n_wd)); the week's mean daily
      value against the baseline's, week_z = (m_w - m_b) /
      sqrt(s2 (1/n_w + 1/n_b)). Counts floor s2 at the expected value
      (Poisson), so a flat baseline does not turn every wobble into an
      anomaly. Weekday seasonality is out of both expectation and spread.
    - weighted_mean (means and percentiles): each daily value is a
      statistic of its day's sample (denominator = sample size), with
      variance c / n. Percentiles (times to action, skewed: the p90 of ten
      actions is nearly their maximum) are tested on the log scale, so z
      compares ratios of times, not differences. c is estimated from the baseline's within-weekday
      spread, c = sum n (x - mean_wd)^2 / (days - weekdays), means are
      sample-size weighted, and day_z = (x - mean_wd) /
      sqrt(c (1/n + 1/n_wd)), week_z = (m_w - m_b) / sqrt(c (1/n_w + 1/n_b)):
      a day with three tickets is not an anomaly for having a low CSAT.

    Not tested (assessment): days after the geography's last complete
    local day (int_period_completeness: not over yet); baselines with fewer than 21 days, or that start inside the
    metric's warm-up after the first day of data (see
    int_metric_months_compared). Order-cohort days that are not yet mature
    are still filling up and can only look lower than they will be: on
    them only a rise (z > 0) can be an anomaly (as in
    int_metric_months_compared).

    A tested day is an anomaly when |day_z| or |week_z| >= var
    anomaly_z_threshold (4): 'worse' or 'better' by the catalogue's
    direction, 'unusual' for neutral metrics.
-#}
{%- set z_threshold = var('anomaly_z_threshold') -%}
{%- set min_expected = var('anomaly_min_expected_count') -%}
{%- set warm_up_days = var('insight_warm_up_days') -%}
{%- set lookback_days = var('repeat_offender_lookback_days') -%}

with

metric_values as (
    select * from {{ ref('int_metric_values') }}
),

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

sale_calendar as (
    select * from {{ ref('sale_calendar') }}
),

completeness as (
    select * from {{ ref('int_period_completeness') }}
),

daily_metrics as (
    select
        metric_id,
        metric_type,
        direction,
        value_multiplier,
        case
            when metric_type = 'ratio' and unit = 'ratio'
                then 'two_proportion'
            when metric_type = 'ratio' then 'poisson_rate'
            when metric_type in ('count', 'sum') then 'weekday_baseline'
            else 'weighted_mean'
        end as test_kind,
        case
            when is_order_cohort then 0
            when metric_id = 'repeat_offender_rate' then {{ lookback_days }}
            else {{ warm_up_days }}
        end as warm_up_days
    from catalogue
    where attribution_date <> 'posting_month'
),

-- weight: the sample size behind a weighted_mean value (1 for the other
-- kinds, whose values are totals or whose test uses the counts).
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
        case
            when daily_metrics.metric_type <> 'percentile'
                then metric_values.value
            when metric_values.value > 0 then ln(metric_values.value)
        end as tested_value,
        metric_values.is_mature,
        case
            when metric_values.value is null then null
            when daily_metrics.test_kind = 'weighted_mean'
                then metric_values.denominator
            else 1
        end as weight
    from metric_values
    inner join daily_metrics
        on metric_values.metric_id = daily_metrics.metric_id
    where
        metric_values.time_grain = 'day'
        and metric_values.geo_level in ('market', 'global')
),

data_start as (
    select min(metric_date) as first_data_date
    from series
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

-- Per weekday of the baseline: days, weight, weighted mean, and the
-- weighted sum of squares around that mean (sum w x^2 - (sum w x)^2 /
-- sum w).
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
        sum(earlier_weight * earlier_value * earlier_value)
        - sum(earlier_weight * earlier_value)
        * sum(earlier_weight * earlier_value)
        / sum(earlier_weight) as weekday_sum_of_squares
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
        greatest(sum(weekday_sum_of_squares), 0)
        / nullif(sum(weekday_days) - count(*), 0) as within_weekday_variance,
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

joined as (
    select
        series.metric_id,
        series.geo_level,
        series.geo_code,
        series.metric_date,
        daily_metrics.metric_type,
        daily_metrics.direction,
        daily_metrics.test_kind,
        daily_metrics.value_multiplier,
        series.numerator,
        series.denominator,
        series.value,
        series.tested_value,
        series.weight,
        series.is_mature,
        coalesce(
            series.metric_date > completeness.last_complete_local_date, true
        ) as is_day_incomplete,
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
        + coalesce(series.denominator, 0) as week_denominator,
        coalesce(
            windows.baseline_start_date
            >= {{ dbt.dateadd(
                'day', 'daily_metrics.warm_up_days',
                'data_start.first_data_date'
            ) }},
            false
        ) as is_baseline_warmed_up
    from series
    inner join daily_metrics
        on series.metric_id = daily_metrics.metric_id
    cross join data_start
    left join completeness
        on
            series.geo_level = completeness.geography_level
            and series.geo_code = completeness.geography
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

rates as (
    select
        joined.*,
        {{ safe_divide('week_weighted_sum', 'week_weight') }} as week_mean,
        {{ safe_divide('baseline_numerator', 'baseline_denominator') }}
            as baseline_proportion,
        {{ safe_divide('numerator', 'denominator') }} as day_proportion,
        {{ safe_divide('week_numerator', 'week_denominator') }}
            as week_proportion,
        {{ safe_divide(
            '(numerator + baseline_numerator)',
            '(denominator + baseline_denominator)'
        ) }} as day_pooled_proportion,
        {{ safe_divide(
            '(week_numerator + baseline_numerator)',
            '(week_denominator + baseline_denominator)'
        ) }} as week_pooled_proportion
    from joined
),

variances as (
    select
        rates.*,
        case
            when rates.metric_type = 'count'
                then
                    greatest(
                        rates.within_weekday_variance, rates.same_weekday_mean
                    )
            else rates.within_weekday_variance
        end as day_variance,
        case
            when rates.metric_type = 'count'
                then
                    greatest(rates.within_weekday_variance, rates.baseline_mean)
            else rates.within_weekday_variance
        end as week_variance,
        case rates.test_kind
            when 'two_proportion'
                then
                    rates.day_pooled_proportion
                    * (1 - rates.day_pooled_proportion)
            else rates.day_pooled_proportion
        end as day_pooled_variance,
        case rates.test_kind
            when 'two_proportion'
                then
                    rates.week_pooled_proportion
                    * (1 - rates.week_pooled_proportion)
            else rates.week_pooled_proportion
        end as week_pooled_variance,
        case rates.test_kind
            when 'two_proportion'
                then
                    least(
                        rates.day_pooled_proportion,
                        1 - rates.day_pooled_proportion
                    )
            else rates.day_pooled_proportion
        end as day_rarer_share,
        case rates.test_kind
            when 'two_proportion'
                then
                    least(
                        rates.week_pooled_proportion,
                        1 - rates.week_pooled_proportion
                    )
            else rates.week_pooled_proportion
        end as week_rarer_share
    from rates
),

assessed as (
    select
        variances.*,
        case
            when variances.tested_value is null then 'no_value'
            when variances.is_day_incomplete then 'day_incomplete'
            when variances.baseline_days < 21 then 'no_baseline'
            when not variances.is_baseline_warmed_up then 'warming_up'
            else 'tested'
        end as assessment
    from variances
),

tested as (
    select
        assessed.*,
        case
            when assessed.assessment <> 'tested' then null
            when assessed.test_kind = 'weekday_baseline'
                then case
                    when
                        assessed.same_weekday_days >= 3
                        and assessed.day_variance > 0
                        then
                            (assessed.tested_value - assessed.same_weekday_mean)
                            / sqrt(
                                assessed.day_variance
                                * (
                                    1 + {{ float_literal('1.0') }}
                                    / assessed.same_weekday_days
                                )
                            )
                end
            when assessed.test_kind = 'weighted_mean'
                then case
                    when
                        assessed.same_weekday_days >= 3
                        and assessed.day_variance > 0
                        and assessed.weight > 0
                        then
                            (assessed.tested_value - assessed.same_weekday_mean)
                            / sqrt(
                                assessed.day_variance
                                * (
                                    {{ float_literal('1.0') }} / assessed.weight
                                    + {{ float_literal('1.0') }}
                                    / assessed.same_weekday_weight
                                )
                            )
                end
            when
                least(assessed.denominator, assessed.baseline_denominator)
                * assessed.day_rarer_share
                >= {{ min_expected }}
                and assessed.day_pooled_variance > 0
                then
                    (assessed.day_proportion - assessed.baseline_proportion)
                    / sqrt(
                        assessed.day_pooled_variance
                        * (
                            {{ float_literal('1.0') }} / assessed.denominator
                            + {{ float_literal('1.0') }}
                            / assessed.baseline_denominator
                        )
                    )
        end as day_z,
        case
            when
                assessed.assessment <> 'tested' or assessed.week_days < 5
                then null
            when assessed.test_kind in ('weekday_baseline', 'weighted_mean')
                then case
                    when assessed.week_variance > 0 and assessed.week_weight > 0
                        then
                            (assessed.week_mean - assessed.baseline_mean)
                            / sqrt(
                                assessed.week_variance
                                * (
                                    {{ float_literal('1.0') }}
                                    / assessed.week_weight
                                    + {{ float_literal('1.0') }}
                                    / assessed.baseline_weight
                                )
                            )
                end
            when
                least(assessed.week_denominator, assessed.baseline_denominator)
                * assessed.week_rarer_share
                >= {{ min_expected }}
                and assessed.week_pooled_variance > 0
                then
                    (assessed.week_proportion - assessed.baseline_proportion)
                    / sqrt(
                        assessed.week_pooled_variance
                        * (
                            {{ float_literal('1.0') }}
                            / assessed.week_denominator
                            + {{ float_literal('1.0') }}
                            / assessed.baseline_denominator
                        )
                    )
        end as week_z
    from assessed
),

flagged as (
    select
        tested.*,
        coalesce(
            case
                when tested.is_mature then abs(tested.day_z) else tested.day_z
            end
            >= {{ z_threshold }},
            false
        ) as is_day_anomaly,
        coalesce(
            case
                when tested.is_mature then abs(tested.week_z) else tested.week_z
            end
            >= {{ z_threshold }},
            false
        ) as is_week_anomaly
    from tested
),

{# The z behind the flag: the larger of the flagged tests (else of both). #}

strongest as (
    select
        flagged.*,
        case
            when
                flagged.is_day_anomaly
                and (
                    not flagged.is_week_anomaly
                    or abs(flagged.day_z) >= abs(flagged.week_z)
                )
                then flagged.day_z
            when flagged.is_week_anomaly then flagged.week_z
            when
                coalesce(abs(flagged.day_z), 0)
                >= coalesce(abs(flagged.week_z), 0)
                then flagged.day_z
            else flagged.week_z
        end as anomaly_z
    from flagged
),

final as (
    select
        strongest.metric_id,
        strongest.geo_level,
        strongest.geo_code,
        strongest.metric_date,
        strongest.direction,
        strongest.test_kind,
        strongest.assessment,
        strongest.value,
        strongest.numerator,
        strongest.denominator,
        case
            when strongest.metric_type = 'percentile'
                then exp(strongest.same_weekday_mean)
            when strongest.test_kind in ('weekday_baseline', 'weighted_mean')
                then strongest.same_weekday_mean
            else strongest.value_multiplier * strongest.baseline_proportion
        end as expected_value,
        strongest.day_z,
        case
            when strongest.metric_type = 'percentile'
                then exp(strongest.week_mean)
            when strongest.test_kind in ('weekday_baseline', 'weighted_mean')
                then strongest.week_mean
            else strongest.value_multiplier * strongest.week_proportion
        end as week_value,
        case
            when strongest.metric_type = 'percentile'
                then exp(strongest.baseline_mean)
            when strongest.test_kind in ('weekday_baseline', 'weighted_mean')
                then strongest.baseline_mean
            else strongest.value_multiplier * strongest.baseline_proportion
        end as baseline_value,
        strongest.week_z,
        strongest.baseline_days,
        strongest.is_mature,
        strongest.is_day_anomaly or strongest.is_week_anomaly as is_anomaly,
        case
            when strongest.is_day_anomaly and strongest.is_week_anomaly
                then 'day_and_week'
            when strongest.is_day_anomaly then 'day'
            when strongest.is_week_anomaly then 'week'
        end as anomaly_basis,
        case
            when
                not (strongest.is_day_anomaly or strongest.is_week_anomaly)
                then 'none'
            when strongest.direction = 'neutral' then 'unusual'
            when
                (strongest.direction = 'higher') = (strongest.anomaly_z > 0)
                then 'better'
            else 'worse'
        end as anomaly_flag,
        strongest.anomaly_z,
        sale_calendar.sale_name
    from strongest
    left join sale_calendar
        on
            strongest.geo_code = sale_calendar.market_code
            and strongest.metric_date = sale_calendar.sale_date
)

select * from final
