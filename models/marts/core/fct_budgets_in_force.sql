{#-
    The budget in force per market (or GLOBAL), cost center and month: of
    the versions in the budgets seed (annual plan, later reforecasts), the
    latest approved on or before the month's last day. The annual plan and
    the latest reforecast also travel along for planning views.
-#}
with

budgets as (
    select * from {{ ref('budgets') }}
),

ranked as (
    select
        market_code,
        cost_center,
        budget_month,
        budget_version,
        version_approved_on,
        budget_usd,
        row_number() over (
            partition by market_code, cost_center, budget_month
            order by version_approved_on desc, budget_version desc
        ) as version_rank
    from budgets
    where
        version_approved_on
        < {{ dbt.dateadd('month', 1, 'budget_month') }}
),

final as (
    select
        {{ dbt.concat([
            'market_code', "'|'", 'cost_center', "'|'",
            'cast(budget_month as ' ~ dbt.type_string() ~ ')'
        ]) }} as budget_line_id,
        market_code,
        cost_center,
        budget_month,
        budget_version,
        version_approved_on,
        budget_usd
    from ranked
    where version_rank = 1
)

select * from final
