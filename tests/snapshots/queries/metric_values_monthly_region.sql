-- Every metric's monthly value by region (recomputed from events or
-- numerators and denominators, never averaged from markets).
-- keys: metric_id, geo_code, period_start
select
    metric_id,
    geo_code,
    period_start,
    numerator,
    denominator,
    value,
    is_mature
from marts.metric_values
where time_grain = 'month' and geo_level = 'region'
