{#-
    The parts of the two monthly cost metrics per market (and GLOBAL, for
    costs not tied to a market) and month:
    cost_per_case_usd = review spend (in_house_review + vendor_review, USD)
    / moderation cases closed in the month (by local close date);
    budget_utilization = actual spend USD / budget USD of the version in
    force (fct_budgets_in_force).

    Market-months are those with spend or cases, plus those with a budget
    inside the months the spend file covers (a budget nobody spent against
    lowers company-wide utilization); a budget for a future month has no
    actuals to measure and is left out.

    Not posted is not "not spent": a market-month is posted when the spend
    file has at least one line for it (is_spend_posted). Where it has none
    the spend parts are null, never 0 (missing_part_reason
    spend_not_posted); where a posted line has no FX rate for its currency
    and month they are null too (fx_rate_missing).
-#}
with

spend as (
    select * from {{ ref('fct_spend_lines') }}
),

cases as (
    select * from {{ ref('fct_moderation_cases') }}
),

budgets as (
    select * from {{ ref('fct_budgets_in_force') }}
),

markets as (
    select * from {{ ref('dim_markets') }}
),

monthly_budget as (
    select
        market_code,
        budget_month as posting_month,
        sum(budget_usd) as budget_usd
    from budgets
    group by market_code, budget_month
),

monthly_spend as (
    select
        market_code,
        posting_month,
        sum(amount_usd) as spend_usd,
        sum(case when is_review_cost then amount_usd else 0 end)
            as review_spend_usd,
        {{ count_if('is_fx_rate_missing') }} as lines_without_fx_rate
    from spend
    group by market_code, posting_month
),

monthly_cases as (
    select
        market_code,
        cast({{ dbt.date_trunc('month', 'closed_local_date') }} as date)
            as posting_month,
        count(*) as cases_closed
    from cases
    group by
        market_code,
        cast({{ dbt.date_trunc('month', 'closed_local_date') }} as date)
),

spend_span as (
    select
        min(posting_month) as first_month,
        max(posting_month) as last_month
    from monthly_spend
),

-- A budget with nothing spent against it still counts (company-wide
-- utilization), for the months the spend file covers.
market_months as (
    select
        market_code,
        posting_month
    from monthly_spend
    union
    select
        market_code,
        posting_month
    from monthly_cases
    union
    select
        monthly_budget.market_code,
        monthly_budget.posting_month
    from monthly_budget
    inner join spend_span
        on
            monthly_budget.posting_month
            between spend_span.first_month and spend_span.last_month
),

posting_status as (
    select
        market_months.market_code,
        market_months.posting_month,
        monthly_spend.market_code is not null as is_spend_posted,
        case
            when monthly_spend.market_code is null then 'spend_not_posted'
            when monthly_spend.lines_without_fx_rate > 0
                then 'fx_rate_missing'
        end as missing_part_reason
    from market_months
    left join monthly_spend
        on
            market_months.market_code = monthly_spend.market_code
            and market_months.posting_month = monthly_spend.posting_month
),

final as (
    select
        'cost_per_case_usd' as metric_id,
        market_months.market_code,
        coalesce(markets.region, 'GLOBAL') as region,
        market_months.posting_month,
        cast(
            case
                when posting_status.missing_part_reason is null
                    then coalesce(monthly_spend.review_spend_usd, 0)
            end as {{ dbt.type_float() }}
        ) as numerator,
        cast(
            coalesce(monthly_cases.cases_closed, 0) as {{ dbt.type_float() }}
        ) as denominator,
        posting_status.is_spend_posted,
        posting_status.missing_part_reason
    from market_months
    inner join posting_status
        on
            market_months.market_code = posting_status.market_code
            and market_months.posting_month = posting_status.posting_month
    left join monthly_spend
        on
            market_months.market_code = monthly_spend.market_code
            and market_months.posting_month = monthly_spend.posting_month
    left join monthly_cases
        on
            market_months.market_code = monthly_cases.market_code
            and market_months.posting_month = monthly_cases.posting_month
    left join markets
        on market_months.market_code = markets.market_code
    union all
    select
        'budget_utilization' as metric_id,
        market_months.market_code,
        coalesce(markets.region, 'GLOBAL') as region,
        market_months.posting_month,
        cast(
            case
                when posting_status.missing_part_reason is null
                    then coalesce(monthly_spend.spend_usd, 0)
            end as {{ dbt.type_float() }}
        ) as numerator,
        cast(
            coalesce(monthly_budget.budget_usd, 0) as {{ dbt.type_float() }}
        ) as denominator,
        posting_status.is_spend_posted,
        posting_status.missing_part_reason
    from market_months
    inner join posting_status
        on
            market_months.market_code = posting_status.market_code
            and market_months.posting_month = posting_status.posting_month
    left join monthly_spend
        on
            market_months.market_code = monthly_spend.market_code
            and market_months.posting_month = monthly_spend.posting_month
    left join monthly_budget
        on
            market_months.market_code = monthly_budget.market_code
            and market_months.posting_month = monthly_budget.posting_month
    left join markets
        on market_months.market_code = markets.market_code
)

select * from final
