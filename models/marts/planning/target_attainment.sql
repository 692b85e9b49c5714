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

as_of as (
    select cast({{ data_as_of() }} as date) as as_of_date
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
    where metric_values.time_grain = 'day'
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
        as_of.as_of_date,
        {{ dbt.datediff(
            'scoped.target_month',
            dbt.dateadd('month', 1, 'scoped.target_month'),
            'day'
        ) }} as days_in_month
    from scoped
    inner join catalogue
        on scoped.metric_id = catalogue.metric_id
    cross join as_of
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
            when joined.as_of_date < joined.target_month then 0
            else least(
                {{ dbt.datediff(
                    'joined.target_month', 'joined.as_of_date', 'day'
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
        actual - current_target as gap_to_current_target,
        {{ safe_divide('actual', 'current_target') }} as attainment_ratio,
        {{ target_status(
            'actual',
            'current_target',
            'direction',
            'rag_tolerance',
            'is_order_cohort',
            'is_actual_mature'
        ) }} as status,
        {{ rag_status(
            'actual', 'original_target', 'direction', 'rag_tolerance'
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
