{#-
    Every daily catalogue metric has a row in marts.metric_values for every
    market-day that has any data (counts 0, rates null when undefined), so
    a dashboard never shows a silent gap. Monthly cost metrics are checked
    at month grain: every market-month with a cost row has both. Returns
    the missing metric x market x period.
-#}
with

metric_values as (
    select * from {{ ref('metric_values') }}
    where geo_level = 'market'
),

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

expected_grains as (
    select
        metric_id,
        case
            when attribution_date = 'posting_month' then 'month' else 'day'
        end as checked_grain
    from catalogue
),

periods_with_data as (
    select distinct
        metric_values.time_grain,
        metric_values.geo_code,
        metric_values.period_start
    from metric_values
    inner join expected_grains
        on
            metric_values.metric_id = expected_grains.metric_id
            and metric_values.time_grain = expected_grains.checked_grain
),

expected as (
    select
        expected_grains.metric_id,
        periods_with_data.time_grain,
        periods_with_data.geo_code,
        periods_with_data.period_start
    from periods_with_data
    inner join expected_grains
        on periods_with_data.time_grain = expected_grains.checked_grain
),

final as (
    select expected.*
    from expected
    left join metric_values
        on
            expected.metric_id = metric_values.metric_id
            and expected.time_grain = metric_values.time_grain
            and expected.geo_code = metric_values.geo_code
            and expected.period_start = metric_values.period_start
    where metric_values.metric_id is null
)

select * from final
