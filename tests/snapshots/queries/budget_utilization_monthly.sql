-- Budget against actual by cost center and month over all markets, with the
-- number of over- and under-spending lines.
-- keys: cost_center, budget_month
select
    cost_center,
    budget_month,
    sum(plan_budget_usd) as plan_budget_usd,
    sum(budget_in_force_usd) as budget_in_force_usd,
    sum(actual_usd) as actual_usd,
    sum(actual_usd) / nullif(
        sum(case when actual_usd is not null then budget_in_force_usd end), 0
    ) as utilization,
    count_if(is_over_spend) as lines_over_spend,
    count_if(is_under_spend) as lines_under_spend
from marts.budget_utilization
group by all
