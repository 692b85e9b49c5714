-- Feed freshness by event type, judged at the data's as-of time (derived
-- from the data, not the wall clock): latest landing and lag over markets.
-- keys: event_type
select
    event_type,
    count(distinct market_code) as markets,
    max(as_of_at) as as_of_at,
    max(feed_latest_ingested_at) as feed_latest_ingested_at,
    min(feed_freshness_lag_hours) as min_feed_freshness_lag_hours,
    max(feed_freshness_lag_hours) as max_feed_freshness_lag_hours
from marts.data_availability
group by all
