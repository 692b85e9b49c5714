-- Every metric's monthly global value, with its numerator, denominator,
-- maturity and health.
-- keys: metric_id, period_start
select
    metric_id,
    period_start,
    numerator,
    denominator,
    value,
    is_mature,
    health_status,
    health_reasons
from marts.metric_values
where time_grain = 'month' and geo_level = 'global'
