{#-
    The long metric store for BI: every value with its parts and maturity
    (int_metric_values) and whether it can be trusted (metric_health). A
    value without a health row is 'warn' / 'not_assessed'.
-#}
with

metric_values as (
    select * from {{ ref('int_metric_values') }}
),

health as (
    select * from {{ ref('metric_health') }}
),

final as (
    select
        metric_values.metric_id,
        metric_values.time_grain,
        metric_values.period_start,
        metric_values.geo_level,
        metric_values.geo_code,
        metric_values.numerator,
        metric_values.denominator,
        metric_values.value,
        metric_values.is_mature,
        coalesce(health.health_status, 'warn') as health_status,
        case
            when health.metric_id is null then 'not_assessed'
            else health.health_reasons
        end as health_reasons
    from metric_values
    left join health
        on
            metric_values.metric_id = health.metric_id
            and metric_values.time_grain = health.time_grain
            and metric_values.period_start = health.period_start
            and metric_values.geo_level = health.geo_level
            and metric_values.geo_code = health.geo_code
)

select * from final
