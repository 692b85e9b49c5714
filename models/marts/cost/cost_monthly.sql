{#-
    Governance cost by market and posting month: review spend per moderation
    case and spend against the budget version in force. Market GLOBAL holds
    costs not tied to one market (tooling). Spend not posted by finance (or
    without an FX rate) is null, never 0, and so are the ratios built on it.
-#}
with

cost_parts as (
    select * from {{ ref('fct_cost_components_monthly') }}
),

monthly as (
    select
        market_code,
        region,
        posting_month,
        sum(
            case when metric_id = 'cost_per_case_usd' then numerator end
        ) as review_spend_usd,
        sum(
            case when metric_id = 'cost_per_case_usd' then denominator end
        ) as moderation_cases,
        sum(
            case when metric_id = 'budget_utilization' then numerator end
        ) as spend_usd,
        sum(
            case when metric_id = 'budget_utilization' then denominator end
        ) as budget_usd,
        bool_or(is_spend_posted) as is_spend_posted
    from cost_parts
    group by market_code, region, posting_month
),

final as (
    select
        market_code,
        region,
        posting_month,
        is_spend_posted,
        spend_usd,
        budget_usd,
        {{ safe_divide('spend_usd', 'budget_usd') }} as budget_utilization,
        review_spend_usd,
        moderation_cases,
        {{ safe_divide('review_spend_usd', 'moderation_cases') }}
            as cost_per_case_usd
    from monthly
)

select * from final
