{#-
    Budget against actual spend, by market (GLOBAL for costs not tied to a
    market), cost center and month: the annual plan, the latest reforecast
    and the version in force; month and year-to-date utilization; a
    full-year run-rate forecast (year-to-date actual / months with actuals x
    12); the variance and over/under-spend flags against the catalogue's
    on-plan band (95-105%); and cost per moderation case and per 1,000
    orders of the market's month. A month that has not ended as of the data
    in the market (the globe for GLOBAL; int_period_completeness) gets no
    over/under-spend flag; the latest ended month is flagged provisional.
-#}
with

budgets as (
    select * from {{ ref('budgets') }}
),

budgets_in_force as (
    select * from {{ ref('fct_budgets_in_force') }}
),

spend as (
    select * from {{ ref('fct_spend_lines') }}
),

metric_values as (
    select * from {{ ref('metric_values') }}
),

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

completeness as (
    select * from {{ ref('int_period_completeness') }}
),

plan_band as (
    select
        on_plan_lower,
        on_plan_upper
    from catalogue
    where metric_id = 'budget_utilization'
),

versions as (
    select
        market_code,
        cost_center,
        budget_month,
        max(case when budget_version = 'annual_plan' then budget_usd end)
            as plan_budget_usd,
        max(
            case
                when budget_version <> 'annual_plan' then version_approved_on
            end
        )
            as latest_reforecast_approved_on
    from budgets
    group by market_code, cost_center, budget_month
),

latest_reforecast as (
    select
        versions.market_code,
        versions.cost_center,
        versions.budget_month,
        versions.plan_budget_usd,
        budgets.budget_version as latest_reforecast_version,
        budgets.budget_usd as latest_reforecast_usd
    from versions
    left join budgets
        on
            versions.market_code = budgets.market_code
            and versions.cost_center = budgets.cost_center
            and versions.budget_month = budgets.budget_month
            and versions.latest_reforecast_approved_on
            = budgets.version_approved_on
            and budgets.budget_version <> 'annual_plan'
),

actuals as (
    select
        market_code,
        cost_center,
        posting_month,
        case
            when {{ count_if('is_fx_rate_missing') }} = 0 then sum(amount_usd)
        end as actual_usd
    from spend
    group by market_code, cost_center, posting_month
),

volumes as (
    select
        geo_code as market_code,
        period_start as posting_month,
        max(case when metric_id = 'moderation_cases' then numerator end)
            as moderation_cases,
        max(case when metric_id = 'orders' then numerator end) as orders
    from metric_values
    where
        time_grain = 'month'
        and geo_level = 'market'
        and metric_id in ('moderation_cases', 'orders')
    group by geo_code, period_start
),

lines as (
    select
        coalesce(latest_reforecast.market_code, actuals.market_code)
            as market_code,
        coalesce(latest_reforecast.cost_center, actuals.cost_center)
            as cost_center,
        coalesce(latest_reforecast.budget_month, actuals.posting_month)
            as budget_month,
        latest_reforecast.plan_budget_usd,
        latest_reforecast.latest_reforecast_version,
        latest_reforecast.latest_reforecast_usd,
        budgets_in_force.budget_version as version_in_force,
        budgets_in_force.budget_usd as budget_in_force_usd,
        actuals.actual_usd
    from latest_reforecast
    full outer join actuals
        on
            latest_reforecast.market_code = actuals.market_code
            and latest_reforecast.cost_center = actuals.cost_center
            and latest_reforecast.budget_month = actuals.posting_month
    left join budgets_in_force
        on
            coalesce(latest_reforecast.market_code, actuals.market_code)
            = budgets_in_force.market_code
            and coalesce(latest_reforecast.cost_center, actuals.cost_center)
            = budgets_in_force.cost_center
            and coalesce(latest_reforecast.budget_month, actuals.posting_month)
            = budgets_in_force.budget_month
),

year_to_date as (
    select
        lines.*,
        sum(lines.actual_usd) over (
            partition by
                lines.market_code,
                lines.cost_center,
                extract(year from lines.budget_month)
            order by lines.budget_month
            rows between unbounded preceding and current row
        ) as ytd_actual_usd,
        sum(
            case
                when lines.actual_usd is not null then lines.budget_in_force_usd
            end
        ) over (
            partition by
                lines.market_code,
                lines.cost_center,
                extract(year from lines.budget_month)
            order by lines.budget_month
            rows between unbounded preceding and current row
        ) as ytd_budget_usd,
        count(lines.actual_usd) over (
            partition by
                lines.market_code,
                lines.cost_center,
                extract(year from lines.budget_month)
            order by lines.budget_month
            rows between unbounded preceding and current row
        ) as months_with_actuals,
        {{ safe_divide('lines.actual_usd', 'lines.budget_in_force_usd') }}
            as utilization
    from lines
),

final as (
    select
        year_to_date.market_code,
        year_to_date.cost_center,
        year_to_date.budget_month,
        year_to_date.plan_budget_usd,
        year_to_date.latest_reforecast_version,
        year_to_date.latest_reforecast_usd,
        year_to_date.version_in_force,
        year_to_date.budget_in_force_usd,
        year_to_date.actual_usd,
        year_to_date.actual_usd - year_to_date.budget_in_force_usd
            as variance_usd,
        year_to_date.utilization,
        year_to_date.ytd_actual_usd,
        year_to_date.ytd_budget_usd,
        {{ safe_divide(
            'year_to_date.ytd_actual_usd', 'year_to_date.ytd_budget_usd'
        ) }} as ytd_utilization,
        case
            when year_to_date.months_with_actuals > 0
                then
                    year_to_date.ytd_actual_usd
                    / year_to_date.months_with_actuals * 12
        end as full_year_run_rate_usd,
        coalesce(
            year_to_date.budget_month <= completeness.last_complete_month_start,
            false
        ) as is_month_ended,
        coalesce(
            year_to_date.budget_month = completeness.last_complete_month_start
            and completeness.is_latest_month_provisional,
            false
        ) as is_provisional,
        case
            when
                year_to_date.budget_month
                <= completeness.last_complete_month_start
                then year_to_date.utilization > plan_band.on_plan_upper
        end as is_over_spend,
        case
            when
                year_to_date.budget_month
                <= completeness.last_complete_month_start
                then year_to_date.utilization < plan_band.on_plan_lower
        end as is_under_spend,
        {{ safe_divide('year_to_date.actual_usd', 'volumes.moderation_cases') }}
            as cost_per_moderation_case_usd,
        1000 * {{ safe_divide('year_to_date.actual_usd', 'volumes.orders') }}
            as cost_per_1000_orders_usd
    from year_to_date
    cross join plan_band
    left join completeness
        on
            year_to_date.market_code = completeness.geography
            and completeness.geography_level
            = case
                when year_to_date.market_code = 'GLOBAL' then 'global'
                else 'market'
            end
    left join volumes
        on
            year_to_date.market_code = volumes.market_code
            and year_to_date.budget_month = volumes.posting_month
)

select * from final
