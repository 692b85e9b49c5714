{#-
    Each metric's month against the month before, for every market and the
    globe: the size of the move (absolute and relative), its significance
    and whether it is a highlight, a lowlight, a (neutral) movement or
    nothing notable.

    Significance, by kind of metric (significance_test):
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
      z = (m1 - m0) / sqrt(v0 (1/n1 + 1/n0)). Needs 14 days in each month.
    - weighted_mean: means and percentiles. Their daily values are
      statistics of small daily samples (denominator = sample size) with
      variance c / n; c is estimated from both months' daily values,
      c = (sum n (x - month mean)^2 over both months) / (days - 2), and
      z = (v1 - v0) / sqrt(c (1/N1 + 1/N0)) with N the months' sample
      sizes. Percentiles (skewed times to action) are compared on the log
      scale. Needs 14 days in each month.
    - monthly_history: the monthly cost ratios, which have no daily values:
      the month against the mean and standard deviation of up to the 6
      months before it; needs 3 of them.

    A move is notable when |z| >= var insight_z_threshold (3) and its
    relative size reaches the catalogue's tolerance band (rag_tolerance).
    Order cohorts not yet mature (in either month) only grow as they fill
    up (defects, refunds, late shipments still to come), and the younger
    month is the less mature: a rise is real (if anything understated), a
    fall may be immaturity. So an immature comparison is assessed only when
    the metric rose (z > 0) and is otherwise 'cohort_immature'.

    Not assessed: months that have not ended as of the data in their
    geography (int_period_completeness),
    immature order cohorts that fell (above), comparisons with too little
    data, and prior months that start inside the metric's warm-up after
    the first day of data. Metrics
    attributed to a later event (a close, a resolution, an action) miss
    the events that follow activity from before the data began: their
    warm-up is var insight_warm_up_days (14) days, and the lookback of
    repeat_offender_rate (var repeat_offender_lookback_days); order-cohort
    metrics, attributed to the placement, need none.
-#}
{%- set z_threshold = var('insight_z_threshold') -%}
{%- set min_expected = var('insight_min_expected_count') -%}
{%- set min_days = var('insight_min_days') -%}
{%- set history_months = var('insight_history_months') -%}
{%- set min_history_months = var('insight_min_history_months') -%}
{%- set warm_up_days = var('insight_warm_up_days') -%}
{%- set lookback_days = var('repeat_offender_lookback_days') -%}

with

metric_values as (
    select * from {{ ref('int_metric_values') }}
),

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

completeness as (
    select * from {{ ref('int_period_completeness') }}
),

data_start as (
    select min(period_start) as first_data_date
    from metric_values
    where time_grain = 'day'
),

warm_ups as (
    select
        metric_id,
        case
            when is_order_cohort then 0
            when metric_id = 'repeat_offender_rate' then {{ lookback_days }}
            else {{ warm_up_days }}
        end as warm_up_days
    from catalogue
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

{#- Percentiles are tested on the log scale (see above). #}

daily_values as (
    select
        metric_values.metric_id,
        metric_values.geo_level,
        metric_values.geo_code,
        cast(
            {{ dbt.date_trunc('month', 'metric_values.period_start') }}
            as date
        ) as month_start,
        metric_values.value,
        metric_values.denominator,
        case
            when catalogue.metric_type <> 'percentile'
                then metric_values.value
            when metric_values.value > 0 then ln(metric_values.value)
        end as tested_value
    from metric_values
    inner join catalogue
        on metric_values.metric_id = catalogue.metric_id
    where
        metric_values.time_grain = 'day'
        and metric_values.geo_level in ('market', 'global')
),

daily_stats as (
    select
        metric_id,
        geo_level,
        geo_code,
        month_start,
        count(value) as days_with_data,
        avg(value) as daily_mean,
        var_samp(value) as daily_variance,
        sum(denominator * tested_value * tested_value)
        - sum(denominator * tested_value) * sum(denominator * tested_value)
        / nullif(
            sum(case when tested_value is not null then denominator end), 0
        ) as weighted_sum_of_squares
    from daily_values
    group by
        metric_id,
        geo_level,
        geo_code,
        month_start
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

joined as (
    select
        monthly.metric_id,
        monthly.geo_level,
        monthly.geo_code,
        monthly.month_start,
        catalogue.metric_type,
        catalogue.direction,
        catalogue.value_multiplier,
        catalogue.rag_tolerance,
        catalogue.is_order_cohort,
        case
            when catalogue.attribution_date = 'posting_month'
                then 'monthly_history'
            when catalogue.metric_type = 'ratio' and catalogue.unit = 'ratio'
                then 'two_proportion'
            when catalogue.metric_type = 'ratio' then 'poisson_rate'
            when catalogue.metric_type in ('count', 'sum')
                then 'daily_history'
            else 'weighted_mean'
        end as significance_test,
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
            'day', 'warm_ups.warm_up_days', 'data_start.first_data_date'
        ) }} as is_prior_month_warmed_up,
        coalesce(this_days.days_with_data, 0) as days_with_data,
        coalesce(prior_days.days_with_data, 0) as prior_days_with_data,
        this_days.daily_mean,
        this_days.daily_variance,
        prior_days.daily_mean as prior_daily_mean,
        case
            when catalogue.metric_type = 'count'
                then greatest(
                    prior_days.daily_variance, prior_days.daily_mean
                )
            else prior_days.daily_variance
        end as prior_daily_variance,
        (
            greatest(this_days.weighted_sum_of_squares, 0)
            + greatest(prior_days.weighted_sum_of_squares, 0)
        )
        / nullif(this_days.days_with_data + prior_days.days_with_data - 2, 0)
            as sample_variance_constant,
        coalesce(monthly_history.history_months, 0) as history_months,
        monthly_history.history_mean,
        monthly_history.history_sd
    from monthly
    inner join catalogue
        on monthly.metric_id = catalogue.metric_id
    inner join warm_ups
        on monthly.metric_id = warm_ups.metric_id
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
),

proportions as (
    select
        joined.*,
        case
            when joined.metric_type <> 'percentile' then joined.value
            when joined.value > 0 then ln(joined.value)
        end as tested_value,
        case
            when joined.metric_type <> 'percentile' then joined.prior_value
            when joined.prior_value > 0 then ln(joined.prior_value)
        end as prior_tested_value,
        {{ safe_divide('numerator', 'denominator') }} as proportion,
        {{ safe_divide('prior_numerator', 'prior_denominator') }}
            as prior_proportion,
        {{ safe_divide(
            '(numerator + prior_numerator)',
            '(denominator + prior_denominator)'
        ) }} as pooled_proportion,
        least(joined.denominator, joined.prior_denominator)
            as smaller_denominator
    from joined
),

tested as (
    select
        proportions.*,
        case proportions.significance_test
            when 'two_proportion'
                then
                    proportions.pooled_proportion
                    * (1 - proportions.pooled_proportion)
            when 'poisson_rate' then proportions.pooled_proportion
        end as pooled_variance,
        case proportions.significance_test
            when 'two_proportion'
                then
                    proportions.smaller_denominator
                    * least(
                        proportions.pooled_proportion,
                        1 - proportions.pooled_proportion
                    )
                    >= {{ min_expected }}
            when 'poisson_rate'
                then
                    proportions.smaller_denominator
                    * proportions.pooled_proportion
                    >= {{ min_expected }}
            when 'daily_history'
                then
                    proportions.days_with_data >= {{ min_days }}
                    and proportions.prior_days_with_data >= {{ min_days }}
                    and proportions.prior_daily_variance > 0
            when 'weighted_mean'
                then
                    proportions.days_with_data >= {{ min_days }}
                    and proportions.prior_days_with_data >= {{ min_days }}
                    and proportions.sample_variance_constant > 0
                    and proportions.tested_value is not null
                    and proportions.prior_tested_value is not null
                    and proportions.denominator > 0
                    and proportions.prior_denominator > 0
            when 'monthly_history'
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
                then (tested.proportion - tested.prior_proportion) / sqrt(
                    tested.pooled_variance
                    * (
                        {{ float_literal('1.0') }} / tested.denominator
                        + {{ float_literal('1.0') }} / tested.prior_denominator
                    )
                )
            when tested.significance_test = 'daily_history'
                then (tested.daily_mean - tested.prior_daily_mean) / sqrt(
                    tested.prior_daily_variance
                    * (
                        {{ float_literal('1.0') }} / tested.days_with_data
                        + {{ float_literal('1.0') }}
                        / tested.prior_days_with_data
                    )
                )
            when tested.significance_test = 'weighted_mean'
                then (tested.tested_value - tested.prior_tested_value) / sqrt(
                    tested.sample_variance_constant
                    * (
                        {{ float_literal('1.0') }} / tested.denominator
                        + {{ float_literal('1.0') }} / tested.prior_denominator
                    )
                )
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
