-- Governance cost by market (or GLOBAL) and posting month: the whole mart.
-- keys: market_code, posting_month
select
    market_code,
    posting_month,
    region,
    is_spend_posted,
    spend_usd,
    budget_usd,
    budget_utilization,
    review_spend_usd,
    moderation_cases,
    cost_per_case_usd
from marts.cost_monthly
