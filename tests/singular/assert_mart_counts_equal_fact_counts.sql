{#-
    Nothing is lost between facts and marts: the daily domain marts and
    marts.metric_values count exactly the orders, actions, cases and tickets
    of the facts. Returns the counts that differ.
-#}
with

fact_counts as (
    select
        'orders' as measure,
        count(*) as fact_count
    from {{ ref('fct_orders') }}
    union all
    select
        'enforcement_actions' as measure,
        count(*) as fact_count
    from {{ ref('fct_enforcement_actions') }}
    union all
    select
        'moderation_cases' as measure,
        count(*) as fact_count
    from {{ ref('fct_moderation_cases') }}
    union all
    select
        'tickets_closed' as measure,
        count(*) as fact_count
    from {{ ref('fct_cs_tickets') }}
),

mart_counts as (
    select
        'orders' as measure,
        sum(orders) as mart_count
    from {{ ref('buyer_experience_daily') }}
    union all
    select
        'enforcement_actions' as measure,
        sum(enforcement_actions) as mart_count
    from {{ ref('governance_daily') }}
    union all
    select
        'moderation_cases' as measure,
        sum(moderation_cases) as mart_count
    from {{ ref('operations_daily') }}
    union all
    select
        'tickets_closed' as measure,
        sum(tickets_closed) as mart_count
    from {{ ref('operations_daily') }}
),

metric_store_counts as (
    select
        metric_id as measure,
        sum(numerator) as metric_store_count
    from {{ ref('metric_values') }}
    where
        time_grain = 'month'
        and geo_level = 'global'
        and metric_id in ('orders', 'enforcement_actions', 'moderation_cases')
    group by metric_id
),

final as (
    select
        fact_counts.measure,
        fact_counts.fact_count,
        mart_counts.mart_count,
        metric_store_counts.metric_store_count
    from fact_counts
    left join mart_counts
        on fact_counts.measure = mart_counts.measure
    left join metric_store_counts
        on fact_counts.measure = metric_store_counts.measure
    where
        fact_counts.fact_count <> coalesce(mart_counts.mart_count, 0)
        or fact_counts.fact_count
        <> coalesce(
            metric_store_counts.metric_store_count, fact_counts.fact_count
        )
)

select * from final
