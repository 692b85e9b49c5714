-- Metric health: how many metric x period x geography rows are ok, warn or
-- fail, by time grain and geography level.
-- keys: time_grain, geo_level, health_status
select
    time_grain,
    geo_level,
    health_status,
    count(*) as metric_periods,
    count(distinct metric_id) as metrics
from marts.metric_health
group by all
