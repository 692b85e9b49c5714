{#-
    The additive parts of every daily catalogue metric, long: one row per
    metric x market x local date with its numerator and denominator (null
    for counts and sums). Rolled-up values are recomputed from these parts,
    never averaged. Percentiles are not additive and are computed from the
    facts where needed; the monthly cost metrics live in fct_cost_components_monthly.

    open_cohort_orders counts orders whose 60-day defect window is still
    open, so an order-cohort value can say whether it is mature.

    A part that cannot be known is null, never 0, with missing_part_reason:
    fx_rate_missing for USD sums on a day with an order whose currency has
    no rate for its month.
-#}
{%- set order_metrics = [
    ('orders', 'count(*)', 'null'),
    ('gmv_usd', 'sum(gmv_usd)', 'null'),
    ('order_defect_rate', count_if('is_defect'), 'count(*)'),
    ('seller_fault_cancellation_rate',
        count_if('has_seller_fault_cancellation'), 'count(*)'),
    ('late_dispatch_rate', count_if('is_late_dispatch'),
        count_if('is_shipped')),
    ('refund_rate', count_if('has_refund'), 'count(*)'),
    ('dispute_rate', count_if('has_dispute'), 'count(*)'),
    ('negative_review_rate', 'sum(negative_review_count)',
        'sum(review_count)'),
] -%}
{#- Order metrics whose numerator is converted to USD. #}
{%- set usd_metrics = ['gmv_usd'] -%}
{%- set action_metrics = [
    ('enforcement_actions', 'count(*)', 'null'),
    ('proactive_detection_rate', count_if('is_proactive'), 'count(*)'),
    ('automation_rate', count_if('is_automated'), 'count(*)'),
    ('appeal_rate', count_if('has_appeal'), 'count(*)'),
    ('repeat_offender_rate', count_if('is_repeat_offender'), 'count(*)'),
] -%}
{%- set case_metrics = [
    ('moderation_cases', 'count(*)', 'null'),
    ('sla_adherence_rate', count_if('is_within_sla'), 'count(*)'),
    ('qa_accuracy', count_if('is_qa_passed'), count_if('is_qa_sampled')),
    ('avg_handling_seconds', 'sum(handling_seconds)',
        'count(handling_seconds)'),
] -%}

with

orders as (
    select * from {{ ref('fct_orders') }}
),

actions as (
    select * from {{ ref('fct_enforcement_actions') }}
),

appeals as (
    select * from {{ ref('fct_appeals') }}
),

listing_reviews as (
    select * from {{ ref('fct_listing_reviews') }}
),

reports as (
    select * from {{ ref('fct_reports') }}
),

cases as (
    select * from {{ ref('fct_moderation_cases') }}
),

tickets as (
    select * from {{ ref('fct_cs_tickets') }}
),

order_metrics as (
    {%- for metric_id, numerator, denominator in order_metrics %}
        {%- set fx_missing = count_if('is_fx_rate_missing') ~ ' > 0' %}
        {%- if metric_id in usd_metrics %}
            {%- set known_numerator = 'case when not ' ~ fx_missing
                ~ ' then ' ~ numerator ~ ' end' %}
            {%- set reason = 'case when ' ~ fx_missing
                ~ " then 'fx_rate_missing' end" %}
        {%- else %}
            {%- set known_numerator = numerator %}
            {%- set reason = 'cast(null as ' ~ dbt.type_string() ~ ')' %}
        {%- endif %}
        select
            '{{ metric_id }}' as metric_id,
            market_code,
            placed_local_date as metric_date,
            {{ known_numerator }} as numerator,
            {{ denominator }} as denominator,
            {{ count_if('not is_window_closed') }} as open_cohort_orders,
            {{ reason }} as missing_part_reason
        from orders
        group by market_code, placed_local_date
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

action_metrics as (
    {%- for metric_id, numerator, denominator in action_metrics %}
        select
            '{{ metric_id }}' as metric_id,
            market_code,
            actioned_local_date as metric_date,
            {{ numerator }} as numerator,
            {{ denominator }} as denominator,
            0 as open_cohort_orders,
            cast(null as {{ dbt.type_string() }}) as missing_part_reason
        from actions
        group by market_code, actioned_local_date
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

case_metrics as (
    {%- for metric_id, numerator, denominator in case_metrics %}
        select
            '{{ metric_id }}' as metric_id,
            market_code,
            closed_local_date as metric_date,
            {{ numerator }} as numerator,
            {{ denominator }} as denominator,
            0 as open_cohort_orders,
            cast(null as {{ dbt.type_string() }}) as missing_part_reason
        from cases
        group by market_code, closed_local_date
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

resolution_metrics as (
    select
        'appeal_overturn_rate' as metric_id,
        market_code,
        resolved_local_date as metric_date,
        {{ count_if('is_overturned') }} as numerator,
        count(*) as denominator,
        0 as open_cohort_orders,
        cast(null as {{ dbt.type_string() }}) as missing_part_reason
    from appeals
    where is_resolved
    group by market_code, resolved_local_date
    union all
    select
        'report_validity_rate' as metric_id,
        market_code,
        resolved_local_date as metric_date,
        {{ count_if('is_valid_report') }} as numerator,
        count(*) as denominator,
        0 as open_cohort_orders,
        cast(null as {{ dbt.type_string() }}) as missing_part_reason
    from reports
    where is_resolved
    group by market_code, resolved_local_date
    union all
    select
        'listing_rejection_rate' as metric_id,
        market_code,
        reviewed_local_date as metric_date,
        {{ count_if('is_rejected') }} as numerator,
        count(*) as denominator,
        0 as open_cohort_orders,
        cast(null as {{ dbt.type_string() }}) as missing_part_reason
    from listing_reviews
    group by market_code, reviewed_local_date
),

ticket_counts as (
    select
        market_code,
        closed_local_date as metric_date,
        count(*) as tickets_closed,
        sum(csat) as csat_sum,
        count(csat) as csat_responses
    from tickets
    group by market_code, closed_local_date
),

order_counts as (
    select
        market_code,
        placed_local_date as metric_date,
        count(*) as orders_placed
    from orders
    group by market_code, placed_local_date
),

{#- Tickets per 1,000 orders of the same market and day: a day with
    tickets but no orders keeps its numerator and has no denominator. #}

contact_metrics as (
    select
        'contact_rate' as metric_id,
        coalesce(ticket_counts.market_code, order_counts.market_code)
            as market_code,
        coalesce(ticket_counts.metric_date, order_counts.metric_date)
            as metric_date,
        coalesce(ticket_counts.tickets_closed, 0) as numerator,
        order_counts.orders_placed as denominator,
        0 as open_cohort_orders,
        cast(null as {{ dbt.type_string() }}) as missing_part_reason
    from ticket_counts
    full outer join order_counts
        on
            ticket_counts.market_code = order_counts.market_code
            and ticket_counts.metric_date = order_counts.metric_date
    union all
    select
        'csat' as metric_id,
        market_code,
        metric_date,
        csat_sum as numerator,
        csat_responses as denominator,
        0 as open_cohort_orders,
        cast(null as {{ dbt.type_string() }}) as missing_part_reason
    from ticket_counts
),

all_metrics as (
    select * from order_metrics
    union all
    select * from action_metrics
    union all
    select * from case_metrics
    union all
    select * from resolution_metrics
    union all
    select * from contact_metrics
),

final as (
    select
        metric_id,
        market_code,
        metric_date,
        cast(numerator as {{ dbt.type_float() }}) as numerator,
        cast(denominator as {{ dbt.type_float() }}) as denominator,
        cast(open_cohort_orders as {{ dbt.type_bigint() }})
            as open_cohort_orders,
        missing_part_reason
    from all_metrics
)

select * from final
