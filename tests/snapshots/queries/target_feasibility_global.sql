-- Global targets: trailing actuals and the feasibility verdict.
-- keys: metric_id, target_month
select
    metric_id,
    target_month,
    current_target,
    latest_history_month,
    trailing_3m_actual,
    trailing_6m_actual,
    best_month_value,
    required_monthly_improvement,
    best_monthly_improvement,
    feasibility_class
from marts.target_feasibility
where scope_type = 'global'
