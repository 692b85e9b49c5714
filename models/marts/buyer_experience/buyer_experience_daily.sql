{#-
    Buyer experience by market and local placed date, wide for dashboards:
    every order-cohort metric with its numerator and denominator, the
    market's stage on the day, and whether the cohort is mature (all its
    orders' 60-day defect windows closed). Pivoted from the long metric
    store by the shared skeleton (macros/domain_daily_mart.sql): rates are
    the store's values, never recomputed here.
-#}
{{ domain_daily_mart('placed_local_date', [
    ('orders', 'orders', 'numerator'),
    ('gmv_usd', 'gmv_usd', 'value'),
    ('defective_orders', 'order_defect_rate', 'numerator'),
    ('order_defect_rate', 'order_defect_rate', 'value'),
    ('seller_fault_cancelled_orders', 'seller_fault_cancellation_rate',
        'numerator'),
    ('seller_fault_cancellation_rate', 'seller_fault_cancellation_rate',
        'value'),
    ('shipped_orders', 'late_dispatch_rate', 'denominator'),
    ('late_dispatched_orders', 'late_dispatch_rate', 'numerator'),
    ('late_dispatch_rate', 'late_dispatch_rate', 'value'),
    ('refunded_orders', 'refund_rate', 'numerator'),
    ('refund_rate', 'refund_rate', 'value'),
    ('disputed_orders', 'dispute_rate', 'numerator'),
    ('dispute_rate', 'dispute_rate', 'value'),
    ('reviews', 'negative_review_rate', 'denominator'),
    ('negative_reviews', 'negative_review_rate', 'numerator'),
    ('negative_review_rate', 'negative_review_rate', 'value'),
    ('open_cohort_orders', 'orders', 'open_cohort_orders'),
    ('is_mature', 'orders', 'is_mature'),
]) }}
