{#-
    One row per order with what happened to it within the defect window
    (60 days) of placement: first shipment and delivery, cancellations,
    refunds, disputes and reviews. Children whose order has not arrived yet
    wait in staging until it does; outcomes after the window do not count.

    Incremental (macros/engine/incremental_state.sql): a run recomputes,
    from all their events (stg_events__order_placed and
    int_order_child_events), only the orders with an event loaded since the
    model's last run (a late shipment, a review weeks later, the order
    itself arriving after its children, a backfilled old partition).
-#}
{{ config(**keyed_incremental_config('order_id')) }}

{%- set window_days = var('defect_window_days') -%}
{%- set incremental_run = is_incremental() -%}

{%- set touched_only -%}
    {%- if incremental_run %}
    where order_id in (select touched_orders.order_id from touched_orders)
    {%- endif -%}
{%- endset -%}

with
{% if incremental_run %}
touched_orders as (
    select order_id
    from {{ ref('stg_events__order_placed') }}
    where {{ loaded_since_last_run() }}
    union
    select order_id
    from {{ ref('int_order_child_events') }}
    where {{ loaded_since_last_run() }}
),
{% endif %}

placements as (
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
        ingest_date
    from {{ ref('stg_events__order_placed') }}
    {{- touched_only }}
),

{#- A second order_placed for the same order would be a contract breach
    upstream; the first placement wins so the order is never counted twice.
    Only the orders placed more than once are ranked. #}

repeated_placements as (
    select order_id
    from placements
    group by order_id
    having count(*) > 1
),

ranked_placements as (
    select
        placements.order_id,
        placements.event_id,
        row_number() over (
            partition by placements.order_id
            order by placements.placed_at, placements.event_id
        ) as placement_rank
    from placements
    inner join repeated_placements
        on placements.order_id = repeated_placements.order_id
),

orders as (
    select
        placements.*,
        {{ dbt.dateadd('day', window_days, 'placements.placed_at') }}
            as defect_window_ends_at
    from placements
    left join ranked_placements
        on
            placements.order_id = ranked_placements.order_id
            and placements.event_id = ranked_placements.event_id
    where coalesce(ranked_placements.placement_rank, 1) = 1
),

{#- Every child event of an order (int_order_child_events), so the orders
    are joined once to keep what happened within the window. #}

child_events as (
    select
        order_id,
        child_kind,
        happened_at,
        ingest_date,
        fault_party,
        refund_amount_local,
        rating
    from {{ ref('int_order_child_events') }}
    {{- touched_only }}
),

outcomes as (
    select
        child_events.order_id,
        min(case
            when child_events.child_kind = 'shipment'
                then child_events.happened_at
        end) as first_shipped_at,
        min(case
            when child_events.child_kind = 'delivery'
                then child_events.happened_at
        end) as first_delivered_at,
        min(case
            when child_events.child_kind = 'cancellation'
                then child_events.happened_at
        end) as first_cancelled_at,
        {{ count_if(
            "child_events.child_kind = 'cancellation'"
            ~ " and child_events.fault_party = 'seller'"
        ) }} > 0 as has_seller_fault_cancellation,
        {{ count_if("child_events.child_kind = 'refund'") }} as refund_count,
        sum(case
            when child_events.child_kind = 'refund'
                then child_events.refund_amount_local
        end) as refund_amount_local,
        {{ count_if(
            "child_events.child_kind = 'refund'"
            ~ " and child_events.fault_party = 'seller'"
        ) }} > 0 as has_seller_fault_refund,
        {{ count_if("child_events.child_kind = 'dispute'") }}
            as dispute_count,
        {{ count_if("child_events.child_kind = 'review'") }} as review_count,
        {{ count_if(
            "child_events.child_kind = 'review' and child_events.rating <= 2"
        ) }} as negative_review_count,
        max(child_events.ingest_date) as max_ingest_date
    from child_events
    inner join orders
        on child_events.order_id = orders.order_id
    where child_events.happened_at <= orders.defect_window_ends_at
    group by child_events.order_id
),

{#- The staging events an order was built from (its placements, and its
    child events of any time). #}

placement_counts as (
    select
        order_id,
        count(*) as placements
    from placements
    group by order_id
),

child_event_counts as (
    select
        order_id,
        count(*) as child_events
    from child_events
    group by order_id
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
        outcomes.first_shipped_at,
        outcomes.first_delivered_at,
        outcomes.first_cancelled_at,
        coalesce(outcomes.has_seller_fault_cancellation, false)
            as has_seller_fault_cancellation,
        coalesce(outcomes.refund_count, 0) as refund_count,
        coalesce(outcomes.refund_amount_local, 0) as refund_amount_local,
        coalesce(outcomes.has_seller_fault_refund, false)
            as has_seller_fault_refund,
        coalesce(outcomes.dispute_count, 0) as dispute_count,
        coalesce(outcomes.review_count, 0) as review_count,
        coalesce(outcomes.negative_review_count, 0) as negative_review_count,
        greatest(orders.ingest_date, outcomes.max_ingest_date)
            as max_source_ingest_date,
        placement_counts.placements
        + coalesce(child_event_counts.child_events, 0) as source_event_count,
        {{ run_loaded_at() }} as loaded_at
    from orders
    left join outcomes
        on orders.order_id = outcomes.order_id
    inner join placement_counts
        on orders.order_id = placement_counts.order_id
    left join child_event_counts
        on orders.order_id = child_event_counts.order_id
)

select * from final
