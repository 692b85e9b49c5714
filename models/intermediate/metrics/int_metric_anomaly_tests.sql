{#-
    The daily anomaly tests: one row per daily catalogue metric x geography
    (each market and GLOBAL) x local day, the day (day_z) and the last seven
    days (week_z) against the baseline of int_metric_anomaly_baselines. The
    test kind is the metric's daily_test_kind (int_metric_test_design); the
    formulas are the shared ones of macros/statistics.sql:

    - two_proportion, poisson_rate: the day's or week's pooled numerator /
      denominator against the baseline's, two-sample z with the pooled
      proportion's variance. Needs an expected count of var
      anomaly_min_expected_count in the smaller sample.
    - weekday_baseline (counts, sums): the day against the mean of its own
      weekday in the baseline, scaled by the baseline's pooled
      within-weekday variance s2: z = (x - mean_wd) / sqrt(s2 (1 + 1/n_wd));
      the week's mean daily value against the baseline's,
      z = (m_w - m_b) / sqrt(s2 (1/n_w + 1/n_b)). Counts floor s2 at the
      expected value (Poisson). Needs three days of the weekday.
    - weighted_mean (means, percentiles): values of small samples, variance
      c / n, c the pooled within-weekday variance of the weighted values:
      z = (x - mean_wd) / sqrt(c (1/n + 1/n_wd)), and the week likewise.
    The week is tested when it has five days with a value.

    Not tested (assessment): days after the geography's last complete
    local day (int_period_completeness: not over yet); baselines with fewer
    than 21 days, or that start inside the metric's warm-up after the first
    day of data.
-#}
{%- set min_expected = var('anomaly_min_expected_count') -%}

with

baselines as (
    select * from {{ ref('int_metric_anomaly_baselines') }}
),

design as (
    select * from {{ ref('int_metric_test_design') }}
),

completeness as (
    select * from {{ ref('int_period_completeness') }}
),

data_start as (
    select min(metric_date) as first_data_date
    from baselines
),

joined as (
    select
        baselines.*,
        design.daily_test_kind as test_kind,
        design.is_log_scale,
        design.has_count_floor,
        coalesce(
            baselines.metric_date > completeness.last_complete_local_date, true
        ) as is_day_incomplete,
        coalesce(
            baselines.baseline_start_date
            >= {{ dbt.dateadd(
                'day', 'design.warm_up_days', 'data_start.first_data_date'
            ) }},
            false
        ) as is_baseline_warmed_up,
        {{ safe_divide('baselines.numerator', 'baselines.denominator') }}
            as day_proportion,
        {{ safe_divide(
            'baselines.week_numerator', 'baselines.week_denominator'
        ) }} as week_proportion,
        {{ safe_divide(
            'baselines.baseline_numerator', 'baselines.baseline_denominator'
        ) }} as baseline_proportion,
        {{ safe_divide(
            '(baselines.numerator + baselines.baseline_numerator)',
            '(baselines.denominator + baselines.baseline_denominator)'
        ) }} as day_pooled_proportion,
        {{ safe_divide(
            '(baselines.week_numerator + baselines.baseline_numerator)',
            '(baselines.week_denominator + baselines.baseline_denominator)'
        ) }} as week_pooled_proportion
    from baselines
    inner join design
        on baselines.metric_id = design.metric_id
    cross join data_start
    left join completeness
        on
            baselines.geo_level = completeness.geography_level
            and baselines.geo_code = completeness.geography
),

assessed as (
    select
        joined.*,
        {{ floored_variance(
            'joined.within_weekday_variance',
            'joined.same_weekday_mean',
            'joined.has_count_floor'
        ) }} as day_variance,
        {{ floored_variance(
            'joined.within_weekday_variance',
            'joined.baseline_mean',
            'joined.has_count_floor'
        ) }} as week_variance,
        {{ proportion_variance(
            'joined.test_kind', 'joined.day_pooled_proportion'
        ) }} as day_pooled_variance,
        {{ proportion_variance(
            'joined.test_kind', 'joined.week_pooled_proportion'
        ) }} as week_pooled_variance,
        case
            when joined.tested_value is null then 'no_value'
            when joined.is_day_incomplete then 'day_incomplete'
            when joined.baseline_days < 21 then 'no_baseline'
            when not joined.is_baseline_warmed_up then 'warming_up'
            else 'tested'
        end as assessment
    from joined
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
                        then {{ two_sample_z(
                            'assessed.tested_value - assessed.same_weekday_mean',
                            'assessed.day_variance',
                            '1',
                            'assessed.same_weekday_days'
                        ) }}
                end
            when assessed.test_kind = 'weighted_mean'
                then case
                    when
                        assessed.same_weekday_days >= 3
                        and assessed.day_variance > 0
                        and assessed.weight > 0
                        then {{ two_sample_z(
                            'assessed.tested_value - assessed.same_weekday_mean',
                            'assessed.day_variance',
                            'assessed.weight',
                            'assessed.same_weekday_weight'
                        ) }}
                end
            when
                {{ expected_count(
                    'least(assessed.denominator, assessed.baseline_denominator)',
                    'assessed.test_kind',
                    'assessed.day_pooled_proportion'
                ) }} >= {{ min_expected }}
                and assessed.day_pooled_variance > 0
                then {{ two_sample_z(
                    'assessed.day_proportion - assessed.baseline_proportion',
                    'assessed.day_pooled_variance',
                    'assessed.denominator',
                    'assessed.baseline_denominator'
                ) }}
        end as day_z,
        case
            when
                assessed.assessment <> 'tested' or assessed.week_days < 5
                then null
            when assessed.test_kind in ('weekday_baseline', 'weighted_mean')
                then case
                    when assessed.week_variance > 0 and assessed.week_weight > 0
                        then {{ two_sample_z(
                            'assessed.week_mean - assessed.baseline_mean',
                            'assessed.week_variance',
                            'assessed.week_weight',
                            'assessed.baseline_weight'
                        ) }}
                end
            when
                {{ expected_count(
                    'least(assessed.week_denominator, '
                    ~ 'assessed.baseline_denominator)',
                    'assessed.test_kind',
                    'assessed.week_pooled_proportion'
                ) }} >= {{ min_expected }}
                and assessed.week_pooled_variance > 0
                then {{ two_sample_z(
                    'assessed.week_proportion - assessed.baseline_proportion',
                    'assessed.week_pooled_variance',
                    'assessed.week_denominator',
                    'assessed.baseline_denominator'
                ) }}
        end as week_z
    from assessed
),

final as (
    select
        metric_id,
        geo_level,
        geo_code,
        metric_date,
        test_kind,
        is_log_scale,
        assessment,
        value,
        numerator,
        denominator,
        is_mature,
        baseline_days,
        same_weekday_mean,
        baseline_mean,
        week_mean,
        baseline_proportion,
        week_proportion,
        day_z,
        week_z
    from tested
)

select * from final
