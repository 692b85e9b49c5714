{#-
    Ambitious but feasible? Every current target (metric x scope x month)
    against the months of history before its month. See the YAML for the
    definitions of each figure and of the classes.
-#}
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

benchmarks as (
    select * from {{ ref('industry_benchmarks') }}
),

-- Team targets are judged on the global figure of the metric the team owns.
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
        {%- for window_months in [3, 6] %}
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

ranked_benchmarks as (
    select
        benchmarks.metric_id,
        benchmarks.benchmark_id,
        benchmarks.threshold_value,
        row_number() over (
            partition by benchmarks.metric_id
            order by
                case
                    when catalogue.direction = 'lower'
                        then benchmarks.threshold_value
                    else -benchmarks.threshold_value
                end,
                benchmarks.benchmark_id
        ) as strictness_rank
    from benchmarks
    inner join catalogue
        on benchmarks.metric_id = catalogue.metric_id
    where
        benchmarks.threshold_value is not null
        and benchmarks.threshold_kind = 'standard'
        and catalogue.direction in ('higher', 'lower')
),

strictest_benchmarks as (
    select
        metric_id,
        benchmark_id,
        threshold_value
    from ranked_benchmarks
    where strictness_rank = 1
),

assessed as (
    select
        scoped_targets.metric_id,
        scoped_targets.scope_type,
        scoped_targets.scope_code,
        scoped_targets.target_month,
        scoped_targets.current_target,
        scoped_targets.direction,
        coalesce(history_summary.history_months, 0) as history_months,
        history_summary.latest_history_month,
        history_summary.latest_actual,
        {%- for window_months in [3, 6] %}
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
        case
            when scoped_targets.direction = 'lower'
                then history_summary.lowest_month_value
            else history_summary.highest_month_value
        end as best_month_value,
        {{ dbt.datediff(
            'history_summary.latest_history_month',
            'scoped_targets.target_month',
            'month'
        ) }} as months_to_target,
        -- Improvement is a move in the good direction; for neutral metrics,
        -- a move towards the target.
        case
            when scoped_targets.direction = 'higher' then 1
            when scoped_targets.direction = 'lower' then -1
            when scoped_targets.current_target >= history_summary.latest_actual
                then 1
            else -1
        end as improvement_sign,
        strictest_benchmarks.threshold_value as benchmark_value,
        strictest_benchmarks.benchmark_id,
        history_summary.largest_monthly_fall,
        history_summary.largest_monthly_rise,
        scoped_targets.rag_tolerance
    from scoped_targets
    left join history_summary
        on
            scoped_targets.metric_id = history_summary.metric_id
            and scoped_targets.scope_type = history_summary.scope_type
            and scoped_targets.scope_code = history_summary.scope_code
            and scoped_targets.target_month = history_summary.target_month
    left join strictest_benchmarks
        on scoped_targets.metric_id = strictest_benchmarks.metric_id
),

measured as (
    select
        metric_id,
        scope_type,
        scope_code,
        target_month,
        current_target,
        direction,
        history_months,
        latest_history_month,
        latest_actual,
        trailing_3m_actual,
        trailing_6m_actual,
        best_month_value,
        months_to_target,
        improvement_sign
        * (current_target - latest_actual)
        / months_to_target as required_monthly_improvement,
        case
            when improvement_sign = 1 then largest_monthly_rise
            else -largest_monthly_fall
        end as best_monthly_improvement,
        case
            when direction = 'higher'
                then trailing_3m_actual >= current_target
            when direction = 'lower'
                then trailing_3m_actual <= current_target
            else
                abs(trailing_3m_actual - current_target)
                <= abs(current_target) * rag_tolerance
        end as is_met_by_trailing_3m,
        benchmark_id,
        benchmark_value,
        case
            when direction = 'higher' then current_target >= benchmark_value
            when direction = 'lower' then current_target <= benchmark_value
        end as is_target_at_or_beyond_benchmark
    from assessed
),

classified as (
    select
        *,
        {{ feasibility_class(
            'latest_actual',
            'is_met_by_trailing_3m',
            'required_monthly_improvement',
            'best_monthly_improvement'
        ) }} as feasibility_class
    from measured
),

final as (
    select
        metric_id,
        scope_type,
        scope_code,
        target_month,
        current_target,
        direction,
        history_months,
        latest_history_month,
        latest_actual,
        trailing_3m_actual,
        trailing_6m_actual,
        best_month_value,
        months_to_target,
        required_monthly_improvement,
        best_monthly_improvement,
        benchmark_id,
        benchmark_value,
        is_target_at_or_beyond_benchmark,
        feasibility_class,
        case
            when feasibility_class = 'no_history'
                then 'No usable month of history before the target month.'
            when feasibility_class = 'already_met'
                then 'The trailing three months already meet the target.'
            when feasibility_class = 'hold'
                then
                    'The latest month meets the target; holding that level'
                    || ' is enough.'
            when coalesce(best_monthly_improvement, 0) <= 0
                then
                    'Needs an improvement of '
                    || {{ format_number('required_monthly_improvement', 4) }}
                    || ' a month; the metric has not improved from one month'
                    || ' to the next so far.'
            else
                'Needs an improvement of '
                || {{ format_number('required_monthly_improvement', 4) }}
                || ' a month, '
                || case feasibility_class
                    when 'feasible' then 'at most half'
                    when 'stretch' then 'more than half'
                    else 'more than'
                end
                || ' the best monthly improvement seen ('
                || {{ format_number('best_monthly_improvement', 4) }} || ').'
        end as feasibility_reason
    from classified
)

select * from final
