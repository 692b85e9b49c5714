{#-
    Every current target (metric x scope x month) with a summary of the
    usable history before its month (int_metric_months_complete: ended
    months, mature cohorts only for order-cohort metrics): how many months,
    the latest, the trailing three- and six-month actuals recomputed from
    their parts (macros/value_from_parts.sql), the lowest and highest
    months, and the largest month-over-month fall and rise. Team targets
    are judged on the global figure of the metric the team owns.
    target_feasibility judges the target from it.
-#}
{%- set windows = [3, 6] -%}

with

targets as (
    select * from {{ ref('int_targets_resolved') }}
),

history as (
    select * from {{ ref('int_metric_months_complete') }}
    where is_usable_history and value is not null
),

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

scoped_targets as (
    select
        targets.metric_id,
        targets.scope_type,
        targets.scope_code,
        targets.target_month,
        targets.current_target,
        catalogue.metric_type,
        catalogue.direction,
        catalogue.value_multiplier,
        catalogue.rag_tolerance,
        case
            when targets.scope_type = 'market' then 'market' else 'global'
        end as geo_level,
        case
            when targets.scope_type = 'market' then targets.scope_code
            else 'GLOBAL'
        end as geo_code
    from targets
    inner join catalogue
        on targets.metric_id = catalogue.metric_id
),

target_history as (
    select
        scoped_targets.metric_id,
        scoped_targets.scope_type,
        scoped_targets.scope_code,
        scoped_targets.target_month,
        history.month_start,
        history.numerator,
        history.denominator,
        history.value,
        history.change_from_prior_month,
        row_number() over (
            partition by
                scoped_targets.metric_id,
                scoped_targets.scope_type,
                scoped_targets.scope_code,
                scoped_targets.target_month
            order by history.month_start desc
        ) as recency_rank
    from scoped_targets
    inner join history
        on
            scoped_targets.metric_id = history.metric_id
            and scoped_targets.geo_level = history.geo_level
            and scoped_targets.geo_code = history.geo_code
            and scoped_targets.target_month > history.month_start
),

history_summary as (
    select
        metric_id,
        scope_type,
        scope_code,
        target_month,
        count(*) as history_months,
        max(month_start) as latest_history_month,
        max(case when recency_rank = 1 then value end) as latest_actual,
        {%- for window_months in windows %}
            sum(
                case when recency_rank <= {{ window_months }} then numerator end
            )
                as numerator_{{ window_months }}m,
            sum(
                case
                    when recency_rank <= {{ window_months }} then denominator
                end
            )
                as denominator_{{ window_months }}m,
            avg(
                case when recency_rank <= {{ window_months }} then numerator end
            )
                as mean_numerator_{{ window_months }}m,
            avg(case when recency_rank <= {{ window_months }} then value end)
                as mean_value_{{ window_months }}m,
        {%- endfor %}
        min(value) as lowest_month_value,
        max(value) as highest_month_value,
        min(change_from_prior_month) as largest_monthly_fall,
        max(change_from_prior_month) as largest_monthly_rise
    from target_history
    group by metric_id, scope_type, scope_code, target_month
),

final as (
    select
        scoped_targets.metric_id,
        scoped_targets.scope_type,
        scoped_targets.scope_code,
        scoped_targets.target_month,
        scoped_targets.current_target,
        scoped_targets.direction,
        scoped_targets.rag_tolerance,
        coalesce(history_summary.history_months, 0) as history_months,
        history_summary.latest_history_month,
        history_summary.latest_actual,
        {%- for window_months in windows %}
            {#- Over several months: counts as the monthly mean, percentiles as
                the mean monthly value, ratios from the summed parts. #}
            {{ value_from_parts(
                'scoped_targets.metric_type',
                'scoped_targets.value_multiplier',
                'history_summary.mean_numerator_' ~ window_months ~ 'm',
                'history_summary.mean_value_' ~ window_months ~ 'm',
                'history_summary.numerator_' ~ window_months ~ 'm',
                'history_summary.denominator_' ~ window_months ~ 'm'
            ) }} as trailing_{{ window_months }}m_actual,
        {%- endfor %}
        history_summary.lowest_month_value,
        history_summary.highest_month_value,
        history_summary.largest_monthly_fall,
        history_summary.largest_monthly_rise
    from scoped_targets
    left join history_summary
        on
            scoped_targets.metric_id = history_summary.metric_id
            and scoped_targets.scope_type = history_summary.scope_type
            and scoped_targets.scope_code = history_summary.scope_code
            and scoped_targets.target_month = history_summary.target_month
)

select * from final
