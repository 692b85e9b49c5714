{#-
    Global targets cascaded to markets and to owner teams. One row per
    global target (metric x month) x market, plus one row per global target
    for the metric's owner team.

    Market weights: each market's share of the metric's volume (the
    denominator of ratios and means, the sample size of percentiles, the
    value of counts and sums) over the latest three ended months at or
    before the target month (the earliest three ended months when the
    target month precedes the data).
    Allocation: counts and sums split the global target by weight; rates
    scale each market's baseline by the global target / the global baseline
    (the weighted mean of the market baselines), so that the weighted mean
    of the allocated targets equals the global target.
    The effective market target is the market's own approved target when
    the targets seed has one, else the allocation; a singular test warns
    when the effective market targets do not reconcile to the global one.
-#}
with

targets as (
    select * from {{ ref('int_targets_resolved') }}
),

months as (
    select * from {{ ref('int_metric_months_complete') }}
),

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

global_targets as (
    select
        targets.metric_id,
        targets.target_month,
        targets.current_target as global_target,
        catalogue.metric_type,
        catalogue.owner_team
    from targets
    inner join catalogue
        on targets.metric_id = catalogue.metric_id
    where targets.scope_type = 'global'
),

market_months as (
    select
        metric_id,
        geo_code as market_code,
        month_start,
        numerator,
        denominator,
        value_multiplier,
        case
            when metric_type in ('count', 'sum') then numerator
            else denominator
        end as volume
    from months
    where geo_level = 'market'
),

candidate_months as (
    select distinct
        global_targets.metric_id,
        global_targets.target_month,
        market_months.month_start
    from global_targets
    inner join market_months
        on global_targets.metric_id = market_months.metric_id
),

weight_months as (
    select
        metric_id,
        target_month,
        month_start
    from (
        select
            *,
            row_number() over (
                partition by metric_id, target_month
                order by
                    case when month_start <= target_month then 0 else 1 end,
                    abs({{ dbt.datediff(
                        'month_start', 'target_month', 'day'
                    ) }})
            ) as closeness_rank
        from candidate_months
    ) as ranked
    where closeness_rank <= 3
),

market_baselines as (
    select
        weight_months.metric_id,
        weight_months.target_month,
        market_months.market_code,
        min(weight_months.month_start) as weight_window_start,
        max(weight_months.month_start) as weight_window_end,
        sum(market_months.volume) as market_volume,
        max(market_months.value_multiplier) * {{ safe_divide(
            'sum(market_months.numerator)', 'sum(market_months.denominator)'
        ) }} as market_baseline
    from weight_months
    inner join market_months
        on
            weight_months.metric_id = market_months.metric_id
            and weight_months.month_start = market_months.month_start
    group by
        weight_months.metric_id,
        weight_months.target_month,
        market_months.market_code
),

weighted as (
    select
        market_baselines.*,
        {{ safe_divide(
            'market_baselines.market_volume',
            'sum(market_baselines.market_volume) over (partition by '
            ~ 'market_baselines.metric_id, market_baselines.target_month)'
        ) }} as volume_weight
    from market_baselines
),

global_baselines as (
    select
        metric_id,
        target_month,
        sum(volume_weight * market_baseline) as global_baseline
    from weighted
    group by metric_id, target_month
),

market_allocations as (
    select
        global_targets.metric_id,
        global_targets.target_month,
        'market' as scope_type,
        weighted.market_code as scope_code,
        global_targets.global_target,
        weighted.weight_window_start,
        weighted.weight_window_end,
        weighted.market_volume,
        weighted.volume_weight,
        weighted.market_baseline,
        case
            when global_targets.metric_type in ('count', 'sum')
                then global_targets.global_target * weighted.volume_weight
            else weighted.market_baseline * {{ safe_divide(
                'global_targets.global_target', 'global_baselines.global_baseline'
            ) }}
        end as allocated_target
    from global_targets
    inner join weighted
        on
            global_targets.metric_id = weighted.metric_id
            and global_targets.target_month = weighted.target_month
    inner join global_baselines
        on
            global_targets.metric_id = global_baselines.metric_id
            and global_targets.target_month = global_baselines.target_month
),

team_allocations as (
    select
        metric_id,
        target_month,
        'team' as scope_type,
        owner_team as scope_code,
        global_target,
        cast(null as date) as weight_window_start,
        cast(null as date) as weight_window_end,
        cast(null as {{ dbt.type_float() }}) as market_volume,
        cast(1 as {{ dbt.type_float() }}) as volume_weight,
        cast(null as {{ dbt.type_float() }}) as market_baseline,
        global_target as allocated_target
    from global_targets
),

allocations as (
    select * from market_allocations
    union all
    select * from team_allocations
),

final as (
    select
        allocations.metric_id,
        allocations.target_month,
        allocations.scope_type,
        allocations.scope_code,
        allocations.global_target,
        allocations.weight_window_start,
        allocations.weight_window_end,
        allocations.market_volume,
        allocations.volume_weight,
        allocations.market_baseline,
        allocations.allocated_target,
        approved.current_target as approved_target,
        coalesce(approved.current_target, allocations.allocated_target)
            as effective_target,
        approved.current_target is not null as has_approved_target,
        approved.current_target - allocations.allocated_target
            as approved_minus_allocated
    from allocations
    left join targets as approved
        on
            allocations.metric_id = approved.metric_id
            and allocations.target_month = approved.target_month
            and allocations.scope_type = approved.scope_type
            and allocations.scope_code = approved.scope_code
)

select * from final
