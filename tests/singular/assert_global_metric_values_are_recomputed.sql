{#-
    Region and global rows of marts.metric_values are recomputed, never
    averaged: for additive metrics their numerator and denominator equal the
    sums over their markets (global also takes costs booked to GLOBAL), a
    part that cannot be known (null numerator) makes the roll-up null, and
    the global time-to-action percentiles equal the percentile over all
    actions of the period. Returns every row that disagrees.
-#}
with

metric_values as (
    select * from {{ ref('metric_values') }}
),

actions as (
    select * from {{ ref('fct_enforcement_actions') }}
),

markets as (
    select * from {{ ref('dim_markets') }}
),

global_cost_parts as (
    select
        metric_id,
        posting_month as period_start,
        case when count(*) = count(numerator) then sum(numerator) end
            as numerator,
        sum(denominator) as denominator
    from {{ ref('fct_cost_components_monthly') }}
    where market_code = 'GLOBAL'
    group by metric_id, posting_month
),

market_sums as (
    select
        metric_values.metric_id,
        metric_values.time_grain,
        metric_values.period_start,
        'region' as geo_level,
        markets.region as geo_code,
        case
            when count(*) = count(metric_values.numerator)
                then sum(metric_values.numerator)
        end as numerator,
        sum(metric_values.denominator) as denominator
    from metric_values
    inner join markets
        on metric_values.geo_code = markets.market_code
    where metric_values.geo_level = 'market'
    group by
        metric_values.metric_id,
        metric_values.time_grain,
        metric_values.period_start,
        markets.region
    union all
    select
        metric_id,
        time_grain,
        period_start,
        'global' as geo_level,
        'GLOBAL' as geo_code,
        case when count(*) = count(numerator) then sum(numerator) end
            as numerator,
        sum(denominator) as denominator
    from metric_values
    where geo_level = 'market'
    group by metric_id, time_grain, period_start
),

expected as (
    select
        market_sums.metric_id,
        market_sums.time_grain,
        market_sums.period_start,
        market_sums.geo_level,
        market_sums.geo_code,
        market_sums.numerator + case
            when
                market_sums.geo_level = 'global'
                and global_cost_parts.metric_id is not null
                then global_cost_parts.numerator
            else 0
        end as numerator,
        market_sums.denominator + case
            when market_sums.geo_level = 'global'
                then coalesce(global_cost_parts.denominator, 0)
            else 0
        end as denominator
    from market_sums
    left join global_cost_parts
        on
            market_sums.metric_id = global_cost_parts.metric_id
            and market_sums.time_grain = 'month'
            and market_sums.period_start = global_cost_parts.period_start
),

global_percentiles as (
    select
        'median_time_to_action_hours' as metric_id,
        cast({{ dbt.date_trunc('month', 'actioned_local_date') }} as date)
            as period_start,
        percentile_cont(0.5) within group (
            order by time_to_action_hours
        ) as value
    from actions
    group by cast({{ dbt.date_trunc('month', 'actioned_local_date') }} as date)
    union all
    select
        'p90_time_to_action_hours' as metric_id,
        cast({{ dbt.date_trunc('month', 'actioned_local_date') }} as date)
            as period_start,
        percentile_cont(0.9) within group (
            order by time_to_action_hours
        ) as value
    from actions
    group by cast({{ dbt.date_trunc('month', 'actioned_local_date') }} as date)
),

additive_mismatches as (
    select
        metric_values.metric_id,
        metric_values.time_grain,
        metric_values.period_start,
        metric_values.geo_code,
        metric_values.numerator as actual,
        expected.numerator as expected,
        'numerator or denominator' as compared
    from metric_values
    left join expected
        on
            metric_values.metric_id = expected.metric_id
            and metric_values.time_grain = expected.time_grain
            and metric_values.period_start = expected.period_start
            and metric_values.geo_level = expected.geo_level
            and metric_values.geo_code = expected.geo_code
    where
        metric_values.geo_level in ('region', 'global')
        and (
            abs(
                coalesce(metric_values.numerator, 0)
                - coalesce(expected.numerator, 0)
            ) > 1e-6 * greatest(1, abs(coalesce(expected.numerator, 0)))
            or abs(
                coalesce(metric_values.denominator, 0)
                - coalesce(expected.denominator, 0)
            ) > 1e-6 * greatest(1, abs(coalesce(expected.denominator, 0)))
            or (metric_values.numerator is null)
            <> (expected.numerator is null)
        )
),

percentile_mismatches as (
    select
        metric_values.metric_id,
        metric_values.time_grain,
        metric_values.period_start,
        metric_values.geo_code,
        metric_values.value as actual,
        global_percentiles.value as expected,
        'global percentile' as compared
    from metric_values
    inner join global_percentiles
        on
            metric_values.metric_id = global_percentiles.metric_id
            and metric_values.period_start = global_percentiles.period_start
    where
        metric_values.geo_level = 'global'
        and metric_values.time_grain = 'month'
        and abs(metric_values.value - global_percentiles.value) > 1e-9
)

select * from additive_mismatches
union all
select * from percentile_mismatches
