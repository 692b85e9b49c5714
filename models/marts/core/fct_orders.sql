{#-
    One row per order with its whole lifecycle and the defect flags of
    docs/metric_catalogue.md, placed in its market's local calendar: local
    placed date and month, the market's development stage on that date, GMV
    in USD at the FX rate of the order's (local) month (null, flagged
    is_fx_rate_missing, when the seed has no rate for the currency and
    month), and whether its defect window has closed as of the data's time
    (a mature order).

    Incremental (macros/engine/incremental_state.sql): a run rebuilds the
    orders whose lifecycle row was rebuilt since this model's last run, and
    the orders whose window has closed (or, data removed, reopened) at the
    new as-of time; a change of the reference data it reads rebuilds all.
-#}
{%- set reference_models = [
    'dim_markets', 'fx_rates_monthly', 'dim_market_days'
] -%}
{{ config(**keyed_incremental_config('order_id', reference_models)) }}

with

as_of as (
    select as_of_at
    from {{ ref('int_period_completeness') }}
    where geography_level = 'global'
),
{% if is_incremental() %}
touched_orders as (
    select order_id
    from {{ ref('int_order_outcomes_windowed') }}
    where {{ loaded_since_last_run() }}
    union
    select built.order_id
    from {{ this }} as built
    cross join as_of
    where
        built.is_window_closed
        <> (built.defect_window_ends_at <= as_of.as_of_at)
),
{% endif %}
orders as (
    select * from {{ ref('int_order_outcomes_windowed') }}
    {%- if is_incremental() %}
    where order_id in (select touched_orders.order_id from touched_orders)
    {%- endif %}
),

markets as (
    select * from {{ ref('dim_markets') }}
),

fx_rates as (
    select * from {{ ref('fx_rates_monthly') }}
),

stage_days as (
    select * from {{ ref('dim_market_days') }}
),

orders_local as (
    select
        orders.*,
        markets.region
    from orders
    inner join markets
        on orders.market_code = markets.market_code
),

final as (
    select
        orders_local.order_id,
        orders_local.order_placed_event_id,
        orders_local.market_code,
        orders_local.region,
        stage_days.development_stage,
        orders_local.buyer_id,
        orders_local.seller_id,
        orders_local.listing_id,
        orders_local.category,
        orders_local.channel,
        orders_local.placed_at,
        orders_local.placed_local_date,
        cast(
            {{ dbt.date_trunc('month', 'orders_local.placed_local_date') }}
            as date
        ) as placed_local_month,
        orders_local.currency_code,
        orders_local.gmv_local,
        orders_local.gmv_local * fx_rates.usd_per_unit as gmv_usd,
        fx_rates.usd_per_unit is null as is_fx_rate_missing,
        orders_local.promised_ship_by_at,
        orders_local.defect_window_ends_at,
        orders_local.first_shipped_at,
        orders_local.first_delivered_at,
        orders_local.first_cancelled_at,
        orders_local.refund_count,
        orders_local.refund_amount_local,
        orders_local.dispute_count,
        orders_local.review_count,
        orders_local.negative_review_count,
        orders_local.first_shipped_at is not null as is_shipped,
        coalesce(
            orders_local.first_shipped_at > orders_local.promised_ship_by_at,
            false
        ) as is_late_dispatch,
        orders_local.first_cancelled_at is not null as is_cancelled,
        orders_local.has_seller_fault_cancellation,
        orders_local.refund_count > 0 as has_refund,
        orders_local.has_seller_fault_refund,
        orders_local.dispute_count > 0 as has_dispute,
        orders_local.negative_review_count > 0 as has_negative_review,
        (
            orders_local.negative_review_count > 0
            or orders_local.dispute_count > 0
            or orders_local.has_seller_fault_cancellation
            or orders_local.has_seller_fault_refund
        ) as is_defect,
        orders_local.defect_window_ends_at <= as_of.as_of_at
            as is_window_closed
    from orders_local
    cross join as_of
    left join stage_days
        on
            orders_local.market_code = stage_days.market_code
            and orders_local.placed_local_date = stage_days.date_day
    left join fx_rates
        on
            orders_local.currency_code = fx_rates.currency_code
            and cast(
                {{ dbt.date_trunc('month', 'orders_local.placed_local_date') }}
                as date
            ) = fx_rates.rate_month
)

select * from final
