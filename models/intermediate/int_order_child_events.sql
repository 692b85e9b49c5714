{#-
    Every child event of an order in one relation: shipments, deliveries,
    cancellations, refunds, disputes and reviews, one row per event with
    when it happened, when it landed and the few attributes the order's
    outcomes need. int_order_outcomes_windowed joins the orders to it once
    (not once per event type) and counts it as the incremental state.

    A view: it holds no data of its own, so an incremental run of
    int_order_outcomes_windowed reads only the touched orders' events.
-#}
{{ config(materialized='view') }}

with

shipments as (
    select * from {{ ref('stg_events__order_shipped') }}
),

deliveries as (
    select * from {{ ref('stg_events__order_delivered') }}
),

cancellations as (
    select * from {{ ref('stg_events__order_cancelled') }}
),

refunds as (
    select * from {{ ref('stg_events__refund_issued') }}
),

disputes as (
    select * from {{ ref('stg_events__dispute_opened') }}
),

reviews as (
    select * from {{ ref('stg_events__review_posted') }}
),

final as (
    select
        order_id,
        event_id,
        'shipment' as child_kind,
        shipped_at as happened_at,
        ingest_date,
        loaded_at,
        cast(null as {{ dbt.type_string() }}) as fault_party,
        cast(null as {{ dbt.type_numeric() }}) as refund_amount_local,
        cast(null as integer) as rating
    from shipments
    union all
    select
        order_id,
        event_id,
        'delivery' as child_kind,
        delivered_at as happened_at,
        ingest_date,
        loaded_at,
        null as fault_party,
        null as refund_amount_local,
        null as rating
    from deliveries
    union all
    select
        order_id,
        event_id,
        'cancellation' as child_kind,
        cancelled_at as happened_at,
        ingest_date,
        loaded_at,
        fault_party,
        null as refund_amount_local,
        null as rating
    from cancellations
    union all
    select
        order_id,
        event_id,
        'refund' as child_kind,
        refunded_at as happened_at,
        ingest_date,
        loaded_at,
        fault_party,
        refund_amount_local,
        null as rating
    from refunds
    union all
    select
        order_id,
        event_id,
        'dispute' as child_kind,
        dispute_opened_at as happened_at,
        ingest_date,
        loaded_at,
        null as fault_party,
        null as refund_amount_local,
        null as rating
    from disputes
    union all
    select
        order_id,
        event_id,
        'review' as child_kind,
        reviewed_at as happened_at,
        ingest_date,
        loaded_at,
        null as fault_party,
        null as refund_amount_local,
        rating
    from reviews
)

select * from final
