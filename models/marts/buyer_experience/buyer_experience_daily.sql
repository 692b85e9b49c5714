{#-
    Buyer experience by market and local placed date, wide for dashboards:
    every order-cohort metric with its numerator and denominator, the
    market's stage on the day, and whether the cohort is mature (all its
    orders' 60-day defect windows closed).
-#}
with

components as (
    select * from {{ ref('fct_metric_components_daily') }}
),

markets as (
    select * from {{ ref('dim_markets') }}
),

stage_days as (
    select * from {{ ref('dim_market_days') }}
),

daily as (
    select
        market_code,
        metric_date as placed_local_date,
        {{ pivot_metric_components([
            ('orders', 'numerator', 'orders'),
            ('gmv_usd', 'numerator', 'gmv_usd', dbt.type_float()),
            ('order_defect_rate', 'numerator', 'defective_orders'),
            ('seller_fault_cancellation_rate', 'numerator',
                'seller_fault_cancelled_orders'),
            ('late_dispatch_rate', 'denominator', 'shipped_orders'),
            ('late_dispatch_rate', 'numerator', 'late_dispatched_orders'),
            ('refund_rate', 'numerator', 'refunded_orders'),
            ('dispute_rate', 'numerator', 'disputed_orders'),
            ('negative_review_rate', 'denominator', 'reviews'),
            ('negative_review_rate', 'numerator', 'negative_reviews'),
            ('orders', 'open_cohort_orders', 'open_cohort_orders'),
        ]) }}
    from components
    where
        metric_id in (
            'orders', 'gmv_usd', 'order_defect_rate',
            'seller_fault_cancellation_rate', 'late_dispatch_rate',
            'refund_rate', 'dispute_rate', 'negative_review_rate'
        )
    group by market_code, metric_date
),

final as (
    select
        daily.market_code,
        markets.region,
        stage_days.development_stage,
        daily.placed_local_date,
        daily.orders,
        daily.gmv_usd,
        daily.defective_orders,
        {{ safe_divide('daily.defective_orders', 'daily.orders') }}
            as order_defect_rate,
        daily.seller_fault_cancelled_orders,
        {{ safe_divide(
            'daily.seller_fault_cancelled_orders', 'daily.orders'
        ) }} as seller_fault_cancellation_rate,
        daily.shipped_orders,
        daily.late_dispatched_orders,
        {{ safe_divide(
            'daily.late_dispatched_orders', 'daily.shipped_orders'
        ) }} as late_dispatch_rate,
        daily.refunded_orders,
        {{ safe_divide('daily.refunded_orders', 'daily.orders') }}
            as refund_rate,
        daily.disputed_orders,
        {{ safe_divide('daily.disputed_orders', 'daily.orders') }}
            as dispute_rate,
        daily.reviews,
        daily.negative_reviews,
        {{ safe_divide('daily.negative_reviews', 'daily.reviews') }}
            as negative_review_rate,
        daily.open_cohort_orders,
        daily.open_cohort_orders = 0 as is_mature
    from daily
    inner join markets
        on daily.market_code = markets.market_code
    left join stage_days
        on
            daily.market_code = stage_days.market_code
            and daily.placed_local_date = stage_days.date_day
)

select * from final
