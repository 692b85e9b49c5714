-- Buyer experience by market and placed month (market-local dates): the
-- daily mart's counts summed, its rates recomputed from the summed counts.
-- keys: market_code, month_start
select
    market_code,
    cast(date_trunc('month', placed_local_date) as date) as month_start,
    count(*) as data_days,
    count_if(is_mature) as mature_days,
    sum(orders) as orders,
    sum(gmv_usd) as gmv_usd,
    sum(defective_orders) as defective_orders,
    sum(defective_orders) / nullif(sum(orders), 0) as order_defect_rate,
    sum(seller_fault_cancelled_orders) as seller_fault_cancelled_orders,
    sum(shipped_orders) as shipped_orders,
    sum(late_dispatched_orders) as late_dispatched_orders,
    sum(late_dispatched_orders)
    / nullif(sum(shipped_orders), 0) as late_dispatch_rate,
    sum(refunded_orders) as refunded_orders,
    sum(disputed_orders) as disputed_orders,
    sum(reviews) as reviews,
    sum(negative_reviews) as negative_reviews,
    sum(open_cohort_orders) as open_cohort_orders
from marts.buyer_experience_daily
group by all
