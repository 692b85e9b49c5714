-- Global targets by metric and month: actual, original and current target,
-- attainment, whether the month has ended (and is provisional), status, and
-- pacing.
-- keys: metric_id, target_month
select
    metric_id,
    target_month,
    direction,
    actual,
    is_actual_mature,
    original_target,
    current_target,
    current_revision,
    attainment_ratio,
    is_month_ended,
    is_provisional,
    status,
    status_vs_original_target,
    month_to_date_actual,
    days_elapsed,
    projected_month_end
from marts.target_attainment
where scope_type = 'global'
