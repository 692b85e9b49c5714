{#-
    metric_health's levels at every geography: one row per catalogue metric
    x time grain x period x geography (market, region, global) with a level
    per check (0 ok, 1 warn, 2 fail). A region or the globe is as healthy
    as its least healthy market (int_metric_health_periods).

    Values with a part that cannot be known (missing_part_reason of
    int_metric_values, at every grain and geography) add two checks:
    not_posted_level (warn: spend finance has not posted for the market and
    month; the value is null, not 0) and fx_missing_level (fail: a part's
    currency has no FX rate for its month; the value is null and the build
    warns naming the currency and month, macros/warn_missing_fx_rates.sql).
    A value gap without any source check still gets its row.
-#}
with

market_levels as (
    select * from {{ ref('int_metric_health_periods') }}
),

metric_values as (
    select * from {{ ref('int_metric_values') }}
),

markets as (
    select * from {{ ref('dim_markets') }}
),

all_levels as (
    select
        metric_id,
        time_grain,
        period_start,
        'market' as geo_level,
        market_code as geo_code,
        incomplete_level,
        stale_level,
        quarantine_level,
        immature_level,
        anomaly_level
    from market_levels
    {%- for geo_level, geo_code in [
        ('region', 'markets.region'), ('global', "'GLOBAL'")] %}
        union all
        select
            market_levels.metric_id,
            market_levels.time_grain,
            market_levels.period_start,
            '{{ geo_level }}' as geo_level,
            {{ geo_code }} as geo_code,
            max(market_levels.incomplete_level) as incomplete_level,
            max(market_levels.stale_level) as stale_level,
            max(market_levels.quarantine_level) as quarantine_level,
            max(market_levels.immature_level) as immature_level,
            max(market_levels.anomaly_level) as anomaly_level
        from market_levels
        inner join markets
            on market_levels.market_code = markets.market_code
        group by
            market_levels.metric_id,
            market_levels.time_grain,
            market_levels.period_start,
            {{ geo_code }}
    {%- endfor %}
),

value_gaps as (
    select
        metric_id,
        time_grain,
        period_start,
        geo_level,
        geo_code,
        case
            when missing_part_reason like '%spend_not_posted%' then 1 else 0
        end as not_posted_level,
        case
            when missing_part_reason like '%fx_rate_missing%' then 2 else 0
        end as fx_missing_level
    from metric_values
    where missing_part_reason is not null
),

final as (
    select
        coalesce(all_levels.metric_id, value_gaps.metric_id) as metric_id,
        coalesce(all_levels.time_grain, value_gaps.time_grain) as time_grain,
        coalesce(all_levels.period_start, value_gaps.period_start)
            as period_start,
        coalesce(all_levels.geo_level, value_gaps.geo_level) as geo_level,
        coalesce(all_levels.geo_code, value_gaps.geo_code) as geo_code,
        coalesce(all_levels.incomplete_level, 0) as incomplete_level,
        coalesce(all_levels.stale_level, 0) as stale_level,
        coalesce(all_levels.quarantine_level, 0) as quarantine_level,
        coalesce(all_levels.immature_level, 0) as immature_level,
        coalesce(all_levels.anomaly_level, 0) as anomaly_level,
        coalesce(value_gaps.not_posted_level, 0) as not_posted_level,
        coalesce(value_gaps.fx_missing_level, 0) as fx_missing_level
    from all_levels
    full outer join value_gaps
        on
            all_levels.metric_id = value_gaps.metric_id
            and all_levels.time_grain = value_gaps.time_grain
            and all_levels.period_start = value_gaps.period_start
            and all_levels.geo_level = value_gaps.geo_level
            and all_levels.geo_code = value_gaps.geo_code
)

select * from final
