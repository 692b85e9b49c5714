{#-
    One row per order with what happened to it within the defect window
    (60 days) of placement: first shipment and delivery, cancellations,
    refunds, disputes and reviews. Children whose order has not arrived yet
    wait in staging until it does; outcomes after the window do not count.

    Incremental: a run recomputes, from all their events, only the orders
    touched by an event that landed since the last run (a late shipment, a
    review weeks later, the order itself arriving after its children).
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='order_id',
        on_schema_change='fail',
    )
}}

{%- set window_days = var('defect_window_days') -%}
{%- set order_inputs = [
    'stg_events__order_placed', 'stg_events__order_shipped',
    'stg_events__order_delivered', 'stg_events__order_cancelled',
    'stg_events__refund_issued', 'stg_events__dispute_opened',
    'stg_events__review_posted',
] -%}
{%- set watermark = newest_loaded('max_source_ingest_date') -%}

{%- set touched_only -%}
    {%- if watermark is not none %}
    where order_id in (select touched_orders.order_id from touched_orders)
    {%- endif -%}
{%- endset -%}

with
{% if watermark is not none %}
touched_orders as (
    {%- for input in order_inputs %}
    select order_id from {{ ref(input) }}
    where ingest_date >= cast({{ watermark }} as date)
    {{ 'union' if not loop.last }}
    {%- endfor %}
),
{% endif %}

order_events as (
    select
        order_id,
        event_id,
        market_code,
        buyer_id,
        seller_id,
        listing_id,
        category,
        channel,
        gmv_local,
        currency_code,
        promised_ship_by_at,
        placed_at,
        placed_local_date,
        ingest_date,
        row_number() over (
            partition by order_id order by placed_at, event_id
        ) as placement_rank
    from {{ ref('stg_events__order_placed') }}
    {{- touched_only }}
),

shipments as (
    select * from {{ ref('stg_events__order_shipped') }}
    {{- touched_only }}
),

deliveries as (
    select * from {{ ref('stg_events__order_delivered') }}
    {{- touched_only }}
),

cancellations as (
    select * from {{ ref('stg_events__order_cancelled') }}
    {{- touched_only }}
),

refunds as (
    select * from {{ ref('stg_events__refund_issued') }}
    {{- touched_only }}
),

disputes as (
    select * from {{ ref('stg_events__dispute_opened') }}
    {{- touched_only }}
),

reviews as (
    select * from {{ ref('stg_events__review_posted') }}
    {{- touched_only }}
),

{#- A second order_placed for the same order would be a contract breach
    upstream; the first placement wins so the order is never counted twice. #}

orders as (
    select
        order_events.*,
        {{ dbt.dateadd('day', window_days, 'order_events.placed_at') }}
            as defect_window_ends_at
    from order_events
    where order_events.placement_rank = 1
),

shipment_outcomes as (
    select
        shipments.order_id,
        min(shipments.shipped_at) as first_shipped_at,
        max(shipments.ingest_date) as max_ingest_date
    from shipments
    inner join orders
        on shipments.order_id = orders.order_id
    where shipments.shipped_at <= orders.defect_window_ends_at
    group by shipments.order_id
),

delivery_outcomes as (
    select
        deliveries.order_id,
        min(deliveries.delivered_at) as first_delivered_at,
        max(deliveries.ingest_date) as max_ingest_date
    from deliveries
    inner join orders
        on deliveries.order_id = orders.order_id
    where deliveries.delivered_at <= orders.defect_window_ends_at
    group by deliveries.order_id
),

cancellation_outcomes as (
    select
        cancellations.order_id,
        min(cancellations.cancelled_at) as first_cancelled_at,
        max(
            case when cancellations.fault_party = 'seller' then 1 else 0 end
        ) = 1 as has_seller_fault_cancellation,
        max(cancellations.ingest_date) as max_ingest_date
    from cancellations
    inner join orders
        on cancellations.order_id = orders.order_id
    where cancellations.cancelled_at <= orders.defect_window_ends_at
    group by cancellations.order_id
),

refund_outcomes as (
    select
        refunds.order_id,
        count(*) as refund_count,
        sum(refunds.refund_amount_local) as refund_amount_local,
        max(
            case when refunds.fault_party = 'seller' then 1 else 0 end
        ) = 1 as has_seller_fault_refund,
        max(refunds.ingest_date) as max_ingest_date
    from refunds
    inner join orders
        on refunds.order_id = orders.order_id
    where refunds.refunded_at <= orders.defect_window_ends_at
    group by refunds.order_id
),

dispute_outcomes as (
    select
        disputes.order_id,
        count(*) as dispute_count,
        max(disputes.ingest_date) as max_ingest_date
    from disputes
    inner join orders
        on disputes.order_id = orders.order_id
    where disputes.dispute_opened_at <= orders.defect_window_ends_at
    group by disputes.order_id
),

review_outcomes as (
    select
        reviews.order_id,
        count(*) as review_count,
        {{ count_if('reviews.rating <= 2') }} as negative_review_count,
        max(reviews.ingest_date) as max_ingest_date
    from reviews
    inner join orders
        on reviews.order_id = orders.order_id
    where reviews.reviewed_at <= orders.defect_window_ends_at
    group by reviews.order_id
),

final as (
    select
        orders.order_id,
        orders.event_id as order_placed_event_id,
        orders.market_code,
        orders.buyer_id,
        orders.seller_id,
        orders.listing_id,
        orders.category,
        orders.channel,
        orders.placed_at,
        orders.placed_local_date,
        orders.currency_code,
        orders.gmv_local,
        orders.promised_ship_by_at,
        orders.defect_window_ends_at,
        shipment_outcomes.first_shipped_at,
        delivery_outcomes.first_delivered_at,
        cancellation_outcomes.first_cancelled_at,
        coalesce(
            cancellation_outcomes.has_seller_fault_cancellation, false
        ) as has_seller_fault_cancellation,
        coalesce(refund_outcomes.refund_count, 0) as refund_count,
        coalesce(refund_outcomes.refund_amount_local, 0)
            as refund_amount_local,
        coalesce(refund_outcomes.has_seller_fault_refund, false)
            as has_seller_fault_refund,
        coalesce(dispute_outcomes.dispute_count, 0) as dispute_count,
        coalesce(review_outcomes.review_count, 0) as review_count,
        coalesce(review_outcomes.negative_review_count, 0)
            as negative_review_count,
        greatest(
            orders.ingest_date,
            shipment_outcomes.max_ingest_date,
            delivery_outcomes.max_ingest_date,
            cancellation_outcomes.max_ingest_date,
            refund_outcomes.max_ingest_date,
            dispute_outcomes.max_ingest_date,
            review_outcomes.max_ingest_date
        ) as max_source_ingest_date
    from orders
    left join shipment_outcomes
        on orders.order_id = shipment_outcomes.order_id
    left join delivery_outcomes
        on orders.order_id = delivery_outcomes.order_id
    left join cancellation_outcomes
        on orders.order_id = cancellation_outcomes.order_id
    left join refund_outcomes
        on orders.order_id = refund_outcomes.order_id
    left join dispute_outcomes
        on orders.order_id = dispute_outcomes.order_id
    left join review_outcomes
        on orders.order_id = review_outcomes.order_id
)

select * from final
