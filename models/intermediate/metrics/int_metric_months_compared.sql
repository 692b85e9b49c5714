{#-
    Each metric's month against the month before, for every market and the
    globe: the size of the move (absolute and relative), its significance
    and whether it is a highlight, a lowlight, a (neutral) movement or
    nothing notable. The two months side by side, with their daily
    statistics, are int_metric_months_paired's.

    Significance, by the metric's monthly_test_kind (int_metric_test_design),
    with the shared formulas of macros/statistics.sql:
    - two_proportion: ratios of counts whose numerator is a subset of the
      denominator. z = (p1 - p0) / sqrt(p (1 - p) (1/d0 + 1/d1)), p pooled
      over both months. Valid when the smaller month's denominator times
      min(p, 1 - p) is at least var insight_min_expected_count (5).
    - poisson_rate: contact_rate (tickets per order: the numerator is not a
      subset of the denominator), the same with variance p instead of
      p (1 - p).
    - daily_history: counts and sums. The month's mean daily value against
      the prior month's, scaled by the prior month's day-to-day variance
      (floored at its mean for counts, as for a Poisson count):
      z = (m1 - m0) / sqrt(v0 (1/n1 + 1/n0)). Needs var insight_min_days
      (14) days in each month.
    - weighted_mean: means and percentiles. Their daily values are
      statistics of small daily samples (denominator = sample size) with
      variance c / n; c is pooled from both months' daily values,
      c = (sum n (x - month mean)^2 over both months) / (days - 2), and
      z = (v1 - v0) / sqrt(c (1/N1 + 1/N0)) with N the months' sample
      sizes. Percentiles (skewed times to action) are compared on the log
      scale. Needs var insight_min_days days in each month.
    - monthly_history: the monthly cost ratios, which have no daily values:
      the month against the mean and standard deviation of up to the 6
      months before it; needs var insight_min_history_months (3) of them.

    A move is notable when |z| >= var insight_z_threshold (3) and its
    relative size reaches the catalogue's tolerance band (rag_tolerance).
    Order cohorts not yet mature (in either month) only grow as they fill
    up (defects, refunds, late shipments still to come), and the younger
    month is the less mature: a rise is real (if anything understated), a
    fall may be immaturity. So an immature comparison is assessed only when
    the metric rose (z > 0) and is otherwise 'cohort_immature'.

    Not assessed: months that have not ended as of the data in their
    geography (int_period_completeness), immature order cohorts that fell
    (above), comparisons with too little data, and prior months that start
    inside the metric's warm-up after the first day of data.
-#}
{%- set z_threshold = var('insight_z_threshold') -%}
{%- set min_expected = var('insight_min_expected_count') -%}
{%- set min_days = var('insight_min_days') -%}
{%- set min_history_months = var('insight_min_history_months') -%}

with

paired as (
    select * from {{ ref('int_metric_months_paired') }}
),

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

proportions as (
    select
        paired.*,
        catalogue.metric_type,
        catalogue.direction,
        catalogue.rag_tolerance,
        {{ on_test_scale('paired.value', 'paired.is_log_scale') }}
            as tested_value,
        {{ on_test_scale('paired.prior_value', 'paired.is_log_scale') }}
            as prior_tested_value,
        {{ safe_divide('paired.numerator', 'paired.denominator') }}
            as proportion,
        {{ safe_divide('paired.prior_numerator', 'paired.prior_denominator') }}
            as prior_proportion,
        {{ safe_divide(
            '(paired.numerator + paired.prior_numerator)',
            '(paired.denominator + paired.prior_denominator)'
        ) }} as pooled_proportion,
        least(paired.denominator, paired.prior_denominator)
            as smaller_denominator
    from paired
    inner join catalogue
        on paired.metric_id = catalogue.metric_id
),

tested as (
    select
        proportions.*,
        {{ proportion_variance(
            'proportions.significance_test', 'proportions.pooled_proportion'
        ) }} as pooled_variance,
        case
            when
                proportions.significance_test
                in ('two_proportion', 'poisson_rate')
                then
                    {{ expected_count(
                        'proportions.smaller_denominator',
                        'proportions.significance_test',
                        'proportions.pooled_proportion'
                    ) }} >= {{ min_expected }}
            when proportions.significance_test = 'daily_history'
                then
                    proportions.days_with_data >= {{ min_days }}
                    and proportions.prior_days_with_data >= {{ min_days }}
                    and proportions.prior_daily_variance > 0
            when proportions.significance_test = 'weighted_mean'
                then
                    proportions.days_with_data >= {{ min_days }}
                    and proportions.prior_days_with_data >= {{ min_days }}
                    and proportions.sample_variance_constant > 0
                    and proportions.tested_value is not null
                    and proportions.prior_tested_value is not null
                    and proportions.denominator > 0
                    and proportions.prior_denominator > 0
            when proportions.significance_test = 'monthly_history'
                then
                    proportions.history_months >= {{ min_history_months }}
                    and proportions.history_sd > 0
        end as has_enough_data
    from proportions
),

scored as (
    select
        tested.*,
        tested.value - tested.prior_value as absolute_change,
        case
            when tested.prior_value <> 0
                then
                    (tested.value - tested.prior_value)
                    / abs(tested.prior_value)
        end as relative_change,
        case
            when not tested.has_enough_data then null
            when tested.significance_test in ('two_proportion', 'poisson_rate')
                then {{ two_sample_z(
                    'tested.proportion - tested.prior_proportion',
                    'tested.pooled_variance',
                    'tested.denominator',
                    'tested.prior_denominator'
                ) }}
            when tested.significance_test = 'daily_history'
                then {{ two_sample_z(
                    'tested.daily_mean - tested.prior_daily_mean',
                    'tested.prior_daily_variance',
                    'tested.days_with_data',
                    'tested.prior_days_with_data'
                ) }}
            when tested.significance_test = 'weighted_mean'
                then {{ two_sample_z(
                    'tested.tested_value - tested.prior_tested_value',
                    'tested.sample_variance_constant',
                    'tested.denominator',
                    'tested.prior_denominator'
                ) }}
            when tested.significance_test = 'monthly_history'
                then (tested.value - tested.history_mean) / tested.history_sd
        end as z_score
    from tested
),

assessed as (
    select
        scored.*,
        case
            when scored.prior_value is null then 'no_prior_month'
            when not scored.is_month_complete then 'month_incomplete'
            when not scored.is_prior_month_warmed_up then 'warming_up'
            when
                not scored.is_mature and not coalesce(scored.z_score > 0, false)
                then 'cohort_immature'
            when scored.z_score is null then 'too_little_data'
            else 'assessed'
        end as assessment,
        abs(scored.z_score) >= {{ z_threshold }} as is_significant,
        coalesce(
            abs(scored.relative_change) >= scored.rag_tolerance,
            scored.absolute_change <> 0
        ) as is_material,
        case
            when scored.z_score > 0 and scored.absolute_change > 0 then 'up'
            when scored.z_score < 0 and scored.absolute_change < 0 then 'down'
        end as agreed_direction
    from scored
),

final as (
    select
        metric_id,
        geo_level,
        geo_code,
        month_start,
        metric_type,
        direction,
        significance_test,
        numerator,
        denominator,
        value,
        prior_numerator,
        prior_denominator,
        prior_value,
        absolute_change,
        relative_change,
        z_score,
        days_with_data,
        prior_days_with_data,
        daily_mean,
        daily_variance,
        sample_variance_constant,
        history_months,
        history_mean,
        history_sd,
        is_month_complete,
        is_provisional,
        is_mature,
        assessment,
        coalesce(is_significant, false) as is_significant,
        coalesce(is_material, false) as is_material,
        case
            when assessment <> 'assessed' then 'not_assessed'
            when
                not is_significant
                or not is_material
                or agreed_direction is null
                then 'none'
            when direction = 'neutral' then 'movement'
            when
                (direction = 'higher' and agreed_direction = 'down')
                or (direction = 'lower' and agreed_direction = 'up')
                then 'lowlight'
            else 'highlight'
        end as insight_type
    from assessed
)

select * from final
