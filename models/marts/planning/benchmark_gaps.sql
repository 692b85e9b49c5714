{#-
    How far is each market (and the whole marketplace) from the public
    industry benchmarks? One row per metric x geography x benchmark with a
    numeric threshold: the latest usable month and the trailing three
    usable months (recomputed from numerators and denominators), the gap to
    the threshold and whether the benchmark's comparison holds.
-#}
with

history as (
    select * from {{ ref('int_metric_months_complete') }}
    where is_usable_history and value is not null
),

benchmarks as (
    select * from {{ ref('industry_benchmarks') }}
),

ranked_history as (
    select
        *,
        row_number() over (
            partition by metric_id, geo_level, geo_code
            order by month_start desc
        ) as recency_rank
    from history
),

trailing_window as (
    select
        metric_id,
        geo_level,
        geo_code,
        max(metric_type) as metric_type,
        max(value_multiplier) as value_multiplier,
        max(month_start) as latest_month,
        min(month_start) as trailing_window_start,
        max(case when recency_rank = 1 then value end) as latest_actual,
        sum(numerator) as trailing_numerator,
        sum(denominator) as trailing_denominator,
        avg(numerator) as mean_monthly_numerator,
        avg(value) as mean_monthly_value
    from ranked_history
    where recency_rank <= 3
    group by metric_id, geo_level, geo_code
),

actuals as (
    select
        metric_id,
        geo_level,
        geo_code,
        latest_month,
        trailing_window_start,
        latest_actual,
        {#- Over several months: counts as the monthly mean, percentiles as
            the mean monthly value, ratios from the summed parts. #}
        {{ value_from_parts(
            'metric_type',
            'value_multiplier',
            'mean_monthly_numerator',
            'mean_monthly_value',
            'trailing_numerator',
            'trailing_denominator'
        ) }} as trailing_3m_actual
    from trailing_window
),

final as (
    select
        actuals.metric_id,
        actuals.geo_level,
        actuals.geo_code,
        benchmarks.benchmark_id,
        benchmarks.organisation,
        benchmarks.tier,
        benchmarks.threshold_kind,
        benchmarks.comparator,
        benchmarks.threshold_value,
        actuals.latest_month,
        actuals.trailing_window_start,
        actuals.latest_actual,
        actuals.trailing_3m_actual,
        actuals.trailing_3m_actual - benchmarks.threshold_value
            as gap_to_threshold,
        case benchmarks.comparator
            when
                'lt'
                then actuals.trailing_3m_actual < benchmarks.threshold_value
            when
                'lte'
                then actuals.trailing_3m_actual <= benchmarks.threshold_value
            when
                'gt'
                then actuals.trailing_3m_actual > benchmarks.threshold_value
            when
                'gte'
                then actuals.trailing_3m_actual >= benchmarks.threshold_value
        end as is_comparison_true,
        benchmarks.comparability_note
    from actuals
    inner join benchmarks
        on actuals.metric_id = benchmarks.metric_id
    where benchmarks.threshold_value is not null
)

select * from final
