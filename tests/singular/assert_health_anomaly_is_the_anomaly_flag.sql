{#-
    One anomaly definition: a market-day's health carries the reason
    'anomaly' exactly when marts.metric_anomalies_daily flags the day.
    Returns the market-days where the two disagree.
-#}
with

health as (
    select * from {{ ref('metric_health') }}
    where time_grain = 'day' and geo_level = 'market'
),

anomalies as (
    select * from {{ ref('metric_anomalies_daily') }}
    where geo_level = 'market'
),

final as (
    select
        health.metric_id,
        health.geo_code,
        health.period_start,
        health.anomaly_level,
        anomalies.anomaly_flag
    from health
    left join anomalies
        on
            health.metric_id = anomalies.metric_id
            and health.geo_code = anomalies.geo_code
            and health.period_start = anomalies.metric_date
    where (health.anomaly_level > 0) <> coalesce(anomalies.is_anomaly, false)
)

select * from final
