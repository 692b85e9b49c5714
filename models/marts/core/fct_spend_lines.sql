{#-
    One row per valid posted cost line, in USD at the FX rate of its posting
    month (null, flagged is_fx_rate_missing, when the seed has no rate for
    the currency and month). Lines with market GLOBAL are costs not tied to
    one market.
-#}
with

spend as (
    select * from {{ ref('stg_finance__spend_actuals') }}
),

fx_rates as (
    select * from {{ ref('fx_rates_monthly') }}
),

markets as (
    select * from {{ ref('dim_markets') }}
),

cost_centers as (
    select * from {{ ref('cost_centers') }}
),

final as (
    select
        spend.spend_line_id,
        spend.posting_month,
        spend.market_code,
        coalesce(markets.region, 'GLOBAL') as region,
        spend.cost_center,
        spend.vendor_id,
        spend.currency_code,
        spend.amount_local,
        spend.amount_local * fx_rates.usd_per_unit as amount_usd,
        fx_rates.usd_per_unit is null as is_fx_rate_missing,
        cost_centers.is_review_spend as is_review_cost
    from spend
    left join fx_rates
        on
            spend.currency_code = fx_rates.currency_code
            and spend.posting_month = fx_rates.rate_month
    left join markets
        on spend.market_code = markets.market_code
    left join cost_centers
        on spend.cost_center = cost_centers.cost_center
)

select * from final
