{#-
    metric_health's checks per market for every period: one row per
    catalogue metric x market x time grain (day, week, month) x period with
    a level per check (0 ok, 1 warn, 2 fail), from the daily checks of
    int_metric_health_days:

    - day: the day's levels as they are;
    - week: the worst day of the week, for every check;
    - month: completeness and quarantine judged again on the month's sums
      (events < 0.5 x expected fail, < 0.8 x expected warn; quarantined
      rows > 20% fail, > 5% warn of the month's rows), staleness and
      maturity the worst day's; a month is never flagged as an anomaly (the
      anomaly definition is daily and weekly).
-#}
with

health_days as (
    select * from {{ ref('int_metric_health_days') }}
),

monthly_sums as (
    select
        metric_id,
        market_code,
        cast({{ dbt.date_trunc('month', 'local_date') }} as date)
            as period_start,
        sum(events) as events,
        sum(expected_events) as expected_events,
        sum(quarantined_rows) as quarantined_rows,
        max(stale_level) as stale_level,
        max(immature_level) as immature_level
    from health_days
    group by
        metric_id,
        market_code,
        cast({{ dbt.date_trunc('month', 'local_date') }} as date)
),

monthly_levels as (
    select
        metric_id,
        market_code,
        period_start,
        case
            when events < 0.5 * expected_events then 2
            when events < 0.8 * expected_events then 1
            else 0
        end as incomplete_level,
        stale_level,
        case
            when quarantined_rows > 0.2 * (events + quarantined_rows) then 2
            when quarantined_rows > 0.05 * (events + quarantined_rows) then 1
            else 0
        end as quarantine_level,
        immature_level,
        0 as anomaly_level
    from monthly_sums
),

final as (
    select
        metric_id,
        market_code,
        'day' as time_grain,
        local_date as period_start,
        incomplete_level,
        stale_level,
        quarantine_level,
        immature_level,
        anomaly_level
    from health_days
    union all
    select
        metric_id,
        market_code,
        'week' as time_grain,
        cast({{ dbt.date_trunc('week', 'local_date') }} as date)
            as period_start,
        max(incomplete_level) as incomplete_level,
        max(stale_level) as stale_level,
        max(quarantine_level) as quarantine_level,
        max(immature_level) as immature_level,
        max(anomaly_level) as anomaly_level
    from health_days
    group by
        metric_id,
        market_code,
        cast({{ dbt.date_trunc('week', 'local_date') }} as date)
    union all
    select
        metric_id,
        market_code,
        'month' as time_grain,
        period_start,
        incomplete_level,
        stale_level,
        quarantine_level,
        immature_level,
        anomaly_level
    from monthly_levels
)

select * from final
