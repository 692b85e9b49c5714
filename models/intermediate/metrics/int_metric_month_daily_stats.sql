{#-
    Each metric's daily values summarised by month, for every market and the
    globe: the days with a value, their mean and sample variance (on the
    metric's own scale), and the sample-size weighted sum of squares of the
    daily values around their weighted mean on the test scale (percentiles
    on the log scale, int_metric_test_design), from which
    int_metric_months_paired pools the variance constant c of the
    weighted_mean test. The monthly comparisons read these for both months.
-#}
with

metric_values as (
    select * from {{ ref('int_metric_values') }}
),

design as (
    select * from {{ ref('int_metric_test_design') }}
),

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
        {{ on_test_scale('metric_values.value', 'design.is_log_scale') }}
            as tested_value
    from metric_values
    inner join design
        on metric_values.metric_id = design.metric_id
    where
        metric_values.time_grain = 'day'
        and metric_values.geo_level in ('market', 'global')
),

final as (
    select
        metric_id,
        geo_level,
        geo_code,
        month_start,
        count(value) as days_with_data,
        avg(value) as daily_mean,
        var_samp(value) as daily_variance,
        {{ weighted_sum_of_squares('denominator', 'tested_value') }}
            as weighted_sum_of_squares
    from daily_values
    group by
        metric_id,
        geo_level,
        geo_code,
        month_start
)

select * from final
