-- Global ratio changes and their mix and rate effects summed over markets
-- (they add up to the global change).
-- keys: metric_id, month_start
select
    metric_id,
    month_start,
    max(global_change) as global_change,
    sum(mix_effect) as mix_effect,
    sum(rate_effect) as rate_effect,
    sum(total_effect) as total_effect,
    count(*) as markets
from marts.monthly_change_decomposition
group by all
