{#-
    The monthly history that planning judges against: market and global
    month rows of metric_values for months that have ended as of the data
    in their geography (int_period_completeness), with the change from the metric's previous such month and
    whether the month may be used as history (mature cohort, or not an
    order-cohort metric).
-#}
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

ended_months as (
    select
        metric_values.metric_id,
        metric_values.geo_level,
        metric_values.geo_code,
        metric_values.period_start as month_start,
        metric_values.numerator,
        metric_values.denominator,
        metric_values.value,
        metric_values.is_mature,
        catalogue.metric_type,
        catalogue.direction,
        catalogue.value_multiplier,
        metric_values.is_mature or not catalogue.is_order_cohort
            as is_usable_history
    from metric_values
    inner join catalogue
        on metric_values.metric_id = catalogue.metric_id
    inner join completeness
        on
            metric_values.geo_level = completeness.geography_level
            and metric_values.geo_code = completeness.geography
    where
        metric_values.time_grain = 'month'
        and metric_values.geo_level in ('market', 'global')
        and metric_values.period_start
        <= completeness.last_complete_month_start
),

final as (
    select
        *,
        value - lag(value) over (
            partition by metric_id, geo_level, geo_code, is_usable_history
            order by month_start
        ) as change_from_prior_month
    from ended_months
)

select * from final
