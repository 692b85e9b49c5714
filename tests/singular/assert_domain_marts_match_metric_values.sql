{#-
    A metric shows the same number everywhere: every rate and count in the
    daily domain marts equals marts.metric_values at day x market. Returns
    the mismatches (metric, market, day, both values).
-#}
{%- set mart_metrics = {
    'buyer_experience_daily': ('placed_local_date', [
        'orders', 'gmv_usd', 'order_defect_rate',
        'seller_fault_cancellation_rate', 'late_dispatch_rate',
        'refund_rate', 'dispute_rate', 'negative_review_rate']),
    'governance_daily': ('local_date', [
        'enforcement_actions', 'proactive_detection_rate', 'automation_rate',
        'median_time_to_action_hours', 'p90_time_to_action_hours',
        'appeal_rate', 'repeat_offender_rate', 'appeal_overturn_rate',
        'listing_rejection_rate', 'report_validity_rate']),
    'operations_daily': ('local_date', [
        'moderation_cases', 'sla_adherence_rate', 'qa_accuracy',
        'avg_handling_seconds', 'contact_rate', 'csat']),
} -%}

with

metric_values as (
    select * from {{ ref('metric_values') }}
    where time_grain = 'day' and geo_level = 'market'
),

mart_values as (
    {%- for mart, (date_column, metrics) in mart_metrics.items() %}
        {%- set outer_loop = loop %}
        {%- for metric_id in metrics %}
            select
                '{{ metric_id }}' as metric_id,
                market_code,
                {{ date_column }} as period_start,
                cast({{ metric_id }} as {{ dbt.type_float() }}) as value
            from {{ ref(mart) }}
            {% if not (loop.last and outer_loop.last) %}union all{% endif %}
        {%- endfor %}
    {%- endfor %}
),

final as (
    select
        mart_values.metric_id,
        mart_values.market_code,
        mart_values.period_start,
        mart_values.value as mart_value,
        metric_values.value as metric_value
    from mart_values
    left join metric_values
        on
            mart_values.metric_id = metric_values.metric_id
            and mart_values.market_code = metric_values.geo_code
            and mart_values.period_start = metric_values.period_start
    where
        metric_values.metric_id is null
        or (mart_values.value is null) <> (metric_values.value is null)
        or abs(mart_values.value - metric_values.value)
        > 1e-9 * greatest(1, abs(metric_values.value))
)

select * from final
