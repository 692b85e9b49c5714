-- What the long metric store holds at each grain: rows, metrics, periods,
-- geographies, null values, immature rows and health statuses.
-- keys: time_grain, geo_level
select
    time_grain,
    geo_level,
    count(*) as metric_rows,
    count(distinct metric_id) as metrics,
    count(distinct period_start) as periods,
    min(period_start) as first_period,
    max(period_start) as last_period,
    count(distinct geo_code) as geographies,
    count_if(value is null) as null_values,
    count_if(not is_mature) as immature_rows,
    count_if(health_status = 'ok') as ok_rows,
    count_if(health_status = 'warn') as warn_rows,
    count_if(health_status = 'fail') as fail_rows
from marts.metric_values
group by all
