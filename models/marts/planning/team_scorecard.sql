{#-
    Per owner team and month, the catalogue metrics the team owns with their
    global actual, the team's target (else the global one), a status, and
    the team's score: the share of its scored metrics that are green
    (amber counts half), each metric weighing the same. judged_weight_share
    is the share of the team's metrics that had a status; below var
    scorecard_min_judged_weight_share there is no score. Order-cohort metrics are scored on mature months
    only; a month that has not ended globally as of the data
    (int_period_completeness) is not scored (status in_progress).
-#}
with

metric_values as (
    select * from {{ ref('metric_values') }}
),

targets as (
    select * from {{ ref('int_targets_resolved') }}
),

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

completeness as (
    select * from {{ ref('int_period_completeness') }}
    where geography_level = 'global'
),

actuals as (
    select
        metric_id,
        period_start as month_start,
        value as actual,
        is_mature
    from metric_values
    where time_grain = 'month' and geo_level = 'global'
),

scored as (
    select
        catalogue.owner_team,
        actuals.month_start,
        actuals.metric_id,
        catalogue.direction,
        actuals.actual,
        coalesce(
            actuals.month_start = completeness.last_complete_month_start
            and completeness.is_latest_month_provisional,
            false
        ) as is_provisional,
        coalesce(team_targets.current_target, global_targets.current_target)
            as target_value,
        case
            when team_targets.current_target is not null then 'team'
            when global_targets.current_target is not null then 'global'
        end as target_scope,
        {{ target_status(
            'actuals.actual',
            'coalesce(team_targets.current_target, global_targets.current_target)',
            'catalogue.direction',
            'catalogue.rag_tolerance',
            'catalogue.is_order_cohort',
            'actuals.is_mature',
            'actuals.month_start <= completeness.last_complete_month_start'
        ) }} as status
    from actuals
    inner join catalogue
        on actuals.metric_id = catalogue.metric_id
    cross join completeness
    left join targets as team_targets
        on
            actuals.metric_id = team_targets.metric_id
            and team_targets.scope_type = 'team'
            and catalogue.owner_team = team_targets.scope_code
            and actuals.month_start = team_targets.target_month
    left join targets as global_targets
        on
            actuals.metric_id = global_targets.metric_id
            and global_targets.scope_type = 'global'
            and actuals.month_start = global_targets.target_month
),

pointed as (
    select
        scored.*,
        {{ status_points('scored.status') }} as status_points
    from scored
),

covered as (
    select
        pointed.*,
        avg(pointed.status_points) over (
            partition by pointed.owner_team, pointed.month_start
        ) as mean_points,
        count(pointed.status_points) over (
            partition by pointed.owner_team, pointed.month_start
        ) * {{ float_literal('1.0') }}
        / count(*) over (
            partition by pointed.owner_team, pointed.month_start
        ) as judged_weight_share
    from pointed
),

final as (
    select
        owner_team,
        month_start,
        metric_id,
        direction,
        actual,
        is_provisional,
        target_value,
        target_scope,
        status,
        judged_weight_share,
        case
            when
                judged_weight_share
                >= {{ var('scorecard_min_judged_weight_share') }}
                then mean_points
        end as team_score
    from covered
)

select * from final
