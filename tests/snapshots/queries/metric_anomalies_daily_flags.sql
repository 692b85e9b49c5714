-- Daily anomaly flags by metric, geography and month.
-- keys: metric_id, geo_code, month_start
select
    metric_id,
    geo_code,
    date_trunc('month', metric_date) as month_start,
    count(*) as tested_days,
    count_if(anomaly_flag = 'worse') as worse_days,
    count_if(anomaly_flag = 'better') as better_days,
    count_if(anomaly_flag = 'unusual') as unusual_days
from marts.metric_anomalies_daily
group by all
having count_if(is_anomaly) > 0
