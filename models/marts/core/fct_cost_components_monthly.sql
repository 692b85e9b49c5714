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
    actuals to measure and is left out. When the finance spend file is
    unavailable (stg_finance__files rejected it) spend is unknown, not zero:
    both numerators are null.
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
    select * from {{ ref('markets') }}
),

finance_file as (
    select {{ count_if("file_status = 'rejected'") }} = 0 as is_available
    from {{ ref('stg_finance__files') }}
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
            as review_spend_usd
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

final as (
    select
        'cost_per_case_usd' as metric_id,
        market_months.market_code,
        coalesce(markets.region, 'GLOBAL') as region,
        market_months.posting_month,
        case
            when finance_file.is_available
                then cast(
                    coalesce(monthly_spend.review_spend_usd, 0)
                    as {{ dbt.type_float() }}
                )
        end as numerator,
        cast(
            coalesce(monthly_cases.cases_closed, 0) as {{ dbt.type_float() }}
        ) as denominator
    from market_months
    cross join finance_file
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
        case
            when finance_file.is_available
                then cast(
                    coalesce(monthly_spend.spend_usd, 0)
                    as {{ dbt.type_float() }}
                )
        end as numerator,
        cast(
            coalesce(monthly_budget.budget_usd, 0) as {{ dbt.type_float() }}
        ) as denominator
    from market_months
    cross join finance_file
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
