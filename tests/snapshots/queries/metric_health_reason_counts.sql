-- Metric health: how often each reason is given, by time grain and
-- geography level (a row with two reasons counts once for each).
-- keys: time_grain, geo_level, reason
with

reasons as (
    select
        time_grain,
        geo_level,
        unnest(string_split(health_reasons, ', ')) as reason
    from marts.metric_health
    where health_reasons is not null
)

select
    time_grain,
    geo_level,
    reason,
    count(*) as metric_periods
from reasons
group by all
