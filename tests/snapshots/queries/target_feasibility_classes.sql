-- Feasibility classes by scope type and target month, with the mean required
-- and best monthly improvement of the targets that have history.
-- keys: scope_type, target_month
select
    scope_type,
    target_month,
    count(*) as targets,
    count_if(feasibility_class = 'no_history') as no_history,
    count_if(feasibility_class = 'already_met') as already_met,
    count_if(feasibility_class = 'hold') as hold_level,
    count_if(feasibility_class = 'feasible') as feasible,
    count_if(feasibility_class = 'stretch') as stretch,
    count_if(feasibility_class = 'unrealistic') as unrealistic,
    count_if(is_target_at_or_beyond_benchmark) as at_or_beyond_benchmark,
    avg(required_monthly_improvement) as mean_required_improvement,
    avg(best_monthly_improvement) as mean_best_improvement
from marts.target_feasibility
group by all
