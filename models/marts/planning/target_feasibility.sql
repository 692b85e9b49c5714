{#-
    Ambitious but feasible? Every current target (metric x scope x month)
    against the months of history before its month (summarized in
    int_targets_with_history) and the strictest industry benchmark. See the
    YAML for the definitions of each figure and of the classes.
-#}
with

targets as (
    select * from {{ ref('int_targets_with_history') }}
),

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

benchmarks as (
    select * from {{ ref('industry_benchmarks') }}
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
        targets.metric_id,
        targets.scope_type,
        targets.scope_code,
        targets.target_month,
        targets.current_target,
        targets.direction,
        targets.history_months,
        targets.latest_history_month,
        targets.latest_actual,
        targets.trailing_3m_actual,
        targets.trailing_6m_actual,
        case
            when targets.direction = 'lower'
                then targets.lowest_month_value
            else targets.highest_month_value
        end as best_month_value,
        {{ dbt.datediff(
            'targets.latest_history_month',
            'targets.target_month',
            'month'
        ) }} as months_to_target,
        -- Improvement is a move in the good direction; for neutral metrics,
        -- a move towards the target.
        case
            when targets.direction = 'higher' then 1
            when targets.direction = 'lower' then -1
            when targets.current_target >= targets.latest_actual
                then 1
            else -1
        end as improvement_sign,
        strictest_benchmarks.threshold_value as benchmark_value,
        strictest_benchmarks.benchmark_id,
        targets.largest_monthly_fall,
        targets.largest_monthly_rise,
        targets.rag_tolerance
    from targets
    left join strictest_benchmarks
        on targets.metric_id = strictest_benchmarks.metric_id
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
