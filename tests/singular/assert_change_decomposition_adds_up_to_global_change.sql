{#-
    The mix and rate effects of all markets add up to the change of the
    global value in marts.metric_values (computed there independently, from
    all events together), to floating-point precision, for every ratio metric
    and month that the decomposition covers; and every month with a global
    value in it and the month before is covered. Returns each disagreement.
-#}
with

decomposition as (
    select * from {{ ref('monthly_change_decomposition') }}
),

metric_values as (
    select * from {{ ref('metric_values') }}
),

effects as (
    select
        metric_id,
        month_start,
        sum(mix_effect + rate_effect) as summed_effects
    from decomposition
    group by metric_id, month_start
),

global_months as (
    select
        metric_id,
        period_start as month_start,
        cast({{ dbt.dateadd('month', 1, 'period_start') }} as date)
            as next_month_start,
        value
    from metric_values
    where
        time_grain = 'month'
        and geo_level = 'global'
        and metric_id in (
            select distinct decomposition.metric_id from decomposition
        )
),

global_changes as (
    select
        this_month.metric_id,
        this_month.month_start,
        this_month.value - prior_month.value as global_change
    from global_months as this_month
    inner join global_months as prior_month
        on
            this_month.metric_id = prior_month.metric_id
            and this_month.month_start = prior_month.next_month_start
    where
        this_month.value is not null
        and prior_month.value is not null
),

compared as (
    select
        coalesce(global_changes.metric_id, effects.metric_id) as metric_id,
        coalesce(global_changes.month_start, effects.month_start)
            as month_start,
        global_changes.global_change,
        effects.summed_effects
    from global_changes
    full outer join effects
        on
            global_changes.metric_id = effects.metric_id
            and global_changes.month_start = effects.month_start
)

select * from compared
where
    global_change is null
    or summed_effects is null
    or abs(global_change - summed_effects)
    > 1e-9 * greatest(1, abs(global_change))
