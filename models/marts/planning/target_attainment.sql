{#-
    Are we on target? One row per target (metric x scope x month): the
    actual, the original and current target, gap and attainment, a
    green / amber / red status that respects the metric's direction and the
    catalogue's tolerance band, and for counts and sums the month-to-date
    pacing and an end-of-month projection.

    Actuals: global scope = the global value; market scope = the market's;
    team scope = the global value of a metric the team owns. Order-cohort
    metrics are judged on mature cohorts only: while a month's cohort is
    open the status is 'immature' (the actual is shown, marked).

    A month that has not ended as of the data in the scope's geography
    (int_period_completeness) is not judged: status 'in_progress', with the
    pacing only. Pacing counts the complete local days of the month and the
    actual of those days. The latest ended month is judged and flagged
    is_provisional while late data may still change it.
-#}
with

targets as (
    select * from {{ ref('int_targets_resolved') }}
),

metric_values as (
    select * from {{ ref('metric_values') }}
),

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

completeness as (
    select * from {{ ref('int_period_completeness') }}
),

monthly_actuals as (
    select
        metric_id,
        period_start as target_month,
        geo_level,
        geo_code,
        value as actual,
        is_mature
    from metric_values
    where time_grain = 'month'
),

month_to_date as (
    select
        metric_values.metric_id,
        cast(
            {{ dbt.date_trunc('month', 'metric_values.period_start') }} as date
        ) as target_month,
        metric_values.geo_level,
        metric_values.geo_code,
        sum(metric_values.numerator) as month_to_date_actual,
        count(distinct metric_values.period_start) as days_with_data,
        max(metric_values.period_start) as last_day_with_data
    from metric_values
    inner join completeness
        on
            metric_values.geo_level = completeness.geography_level
            and metric_values.geo_code = completeness.geography
    where
        metric_values.time_grain = 'day'
        and metric_values.period_start
        <= completeness.last_complete_local_date
    group by
        metric_values.metric_id,
        cast(
            {{ dbt.date_trunc('month', 'metric_values.period_start') }} as date
        ),
        metric_values.geo_level,
        metric_values.geo_code
),

scoped as (
    select
        targets.*,
        case
            when targets.scope_type = 'market' then 'market'
            else 'global'
        end as actual_geo_level,
        case
            when targets.scope_type = 'market' then targets.scope_code
            else 'GLOBAL'
        end as actual_geo_code
    from targets
),

joined as (
    select
        scoped.metric_id,
        scoped.scope_type,
        scoped.scope_code,
        scoped.target_month,
        catalogue.metric_type,
        catalogue.direction,
        catalogue.is_order_cohort,
        catalogue.rag_tolerance,
        scoped.original_target,
        scoped.current_target,
        scoped.current_revision,
        scoped.revision_count,
        scoped.is_original_approved_in_time,
        monthly_actuals.actual,
        coalesce(monthly_actuals.is_mature, false) as is_actual_mature,
        month_to_date.month_to_date_actual,
        month_to_date.last_day_with_data,
        completeness.last_complete_local_date,
        coalesce(
            scoped.target_month <= completeness.last_complete_month_start,
            false
        ) as is_month_ended,
        coalesce(
            scoped.target_month = completeness.last_complete_month_start
            and completeness.is_latest_month_provisional,
            false
        ) as is_provisional,
        {{ dbt.datediff(
            'scoped.target_month',
            dbt.dateadd('month', 1, 'scoped.target_month'),
            'day'
        ) }} as days_in_month
    from scoped
    inner join catalogue
        on scoped.metric_id = catalogue.metric_id
    left join completeness
        on
            scoped.actual_geo_level = completeness.geography_level
            and scoped.actual_geo_code = completeness.geography
    left join monthly_actuals
        on
            scoped.metric_id = monthly_actuals.metric_id
            and scoped.target_month = monthly_actuals.target_month
            and scoped.actual_geo_level = monthly_actuals.geo_level
            and scoped.actual_geo_code = monthly_actuals.geo_code
    left join month_to_date
        on
            scoped.metric_id = month_to_date.metric_id
            and scoped.target_month = month_to_date.target_month
            and scoped.actual_geo_level = month_to_date.geo_level
            and scoped.actual_geo_code = month_to_date.geo_code
),

paced as (
    select
        joined.*,
        case
            when joined.metric_type not in ('count', 'sum') then null
            when joined.last_complete_local_date < joined.target_month then 0
            else least(
                {{ dbt.datediff(
                    'joined.target_month',
                    'joined.last_complete_local_date',
                    'day'
                ) }} + 1,
                joined.days_in_month
            )
        end as days_elapsed
    from joined
),

final as (
    select
        metric_id,
        scope_type,
        scope_code,
        target_month,
        direction,
        actual,
        is_actual_mature,
        original_target,
        current_target,
        current_revision,
        revision_count,
        is_original_approved_in_time,
        is_month_ended,
        is_provisional,
        actual - current_target as gap_to_current_target,
        {{ safe_divide('actual', 'current_target') }} as attainment_ratio,
        {{ target_status(
            'actual',
            'current_target',
            'direction',
            'rag_tolerance',
            'is_order_cohort',
            'is_actual_mature',
            'is_month_ended'
        ) }} as status,
        {{ target_status(
            'actual',
            'original_target',
            'direction',
            'rag_tolerance',
            'is_order_cohort',
            'is_actual_mature',
            'is_month_ended'
        ) }} as status_vs_original_target,
        case
            when metric_type in ('count', 'sum') then month_to_date_actual
        end as month_to_date_actual,
        days_elapsed,
        days_in_month,
        case
            when days_elapsed > 0
                then month_to_date_actual * days_in_month / days_elapsed
        end as projected_month_end,
        case
            when days_elapsed > 0
                then {{ safe_divide(
                    'month_to_date_actual * days_in_month / days_elapsed',
                    'current_target'
                ) }}
        end as projected_attainment_ratio
    from paced
)

select * from final
