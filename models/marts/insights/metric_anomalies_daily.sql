{#-
    Daily anomaly flags for BI: the one anomaly definition, computed in
    int_metric_anomalies_daily (which metric_health also reads).
-#}
with

anomalies as (
    select * from {{ ref('int_metric_anomalies_daily') }}
),

final as (
    select
        metric_id,
        geo_level,
        geo_code,
        metric_date,
        direction,
        test_kind,
        assessment,
        value,
        numerator,
        denominator,
        expected_value,
        day_z,
        week_value,
        baseline_value,
        week_z,
        baseline_days,
        is_mature,
        is_anomaly,
        anomaly_basis,
        anomaly_flag,
        anomaly_z,
        sale_name
    from anomalies
)

select * from final
