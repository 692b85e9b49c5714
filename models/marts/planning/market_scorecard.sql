{#-
    Per market and month, the metrics that matter for the market's stage in
    that month (stage_framework seed: north star, guardrail, diagnostic),
    each with its actual, its target (the market's, else the global one),
    a status, and the market's weighted score: green 1, amber 0.5, red 0,
    weighted over the north-star and guardrail metrics that have a status
    (immature cohorts and metrics without a target are left out and the
    weights renormalised). judged_weight_share is the share of the stage's
    north-star and guardrail weight that had a status; below var
    scorecard_min_judged_weight_share there is no score. A month that has not ended in the market as of
    the data (int_period_completeness) is not scored: its statuses are
    in_progress and its score null. The stage is the one in force on the month's
    first day, or on the first day the market had one that month.
-#}
with

metric_values as (
    select * from {{ ref('metric_values') }}
),

targets as (
    select * from {{ ref('int_targets_resolved') }}
),

framework as (
    select * from {{ ref('stage_framework') }}
),

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

stage_days as (
    select * from {{ ref('dim_market_days') }}
),

completeness as (
    select * from {{ ref('int_period_completeness') }}
    where geography_level = 'market'
),

market_months as (
    select
        market_code,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start,
        min(date_day) as first_staged_day
    from stage_days
    group by
        market_code,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date)
),

month_stages as (
    select
        market_months.market_code,
        market_months.month_start,
        stage_days.development_stage
    from market_months
    inner join stage_days
        on
            market_months.market_code = stage_days.market_code
            and market_months.first_staged_day = stage_days.date_day
),

actuals as (
    select
        metric_id,
        geo_code as market_code,
        period_start as month_start,
        value as actual,
        is_mature
    from metric_values
    where time_grain = 'month' and geo_level = 'market'
),

scored as (
    select
        actuals.market_code,
        actuals.month_start,
        month_stages.development_stage,
        actuals.metric_id,
        framework.metric_role,
        framework.weight,
        catalogue.direction,
        actuals.actual,
        actuals.is_mature,
        coalesce(
            actuals.month_start = completeness.last_complete_month_start
            and completeness.is_latest_month_provisional,
            false
        ) as is_provisional,
        coalesce(market_targets.current_target, global_targets.current_target)
            as target_value,
        case
            when market_targets.current_target is not null then 'market'
            when global_targets.current_target is not null then 'global'
        end as target_scope,
        {{ target_status(
            'actuals.actual',
            'coalesce(market_targets.current_target, global_targets.current_target)',
            'catalogue.direction',
            'catalogue.rag_tolerance',
            'catalogue.is_order_cohort',
            'actuals.is_mature',
            'actuals.month_start <= completeness.last_complete_month_start'
        ) }} as status
    from actuals
    inner join month_stages
        on
            actuals.market_code = month_stages.market_code
            and actuals.month_start = month_stages.month_start
    inner join framework
        on
            month_stages.development_stage = framework.development_stage
            and actuals.metric_id = framework.metric_id
    inner join catalogue
        on actuals.metric_id = catalogue.metric_id
    left join completeness
        on actuals.market_code = completeness.geography
    left join targets as market_targets
        on
            actuals.metric_id = market_targets.metric_id
            and market_targets.scope_type = 'market'
            and actuals.market_code = market_targets.scope_code
            and actuals.month_start = market_targets.target_month
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

{#- Weights are summed as decimals: sums of doubles in another order can
    put a share that covers all of the weight at 1.0000000000000002. #}

stage_weights as (
    select
        development_stage,
        sum({{ exact_weight('weight') }}) as scoring_weight
    from framework
    where metric_role <> 'diagnostic'
    group by development_stage
),

weighed as (
    select
        pointed.*,
        stage_weights.scoring_weight,
        sum(
            case
                when
                    pointed.metric_role <> 'diagnostic'
                    and pointed.status_points is not null
                    then {{ exact_weight('pointed.weight') }}
            end
        ) over (
            partition by pointed.market_code, pointed.month_start
        ) as judged_weight,
        sum(
            case
                when pointed.metric_role <> 'diagnostic'
                    then
                        {{ exact_weight('pointed.weight') }}
                        * {{ exact_weight('pointed.status_points') }}
            end
        ) over (
            partition by pointed.market_code, pointed.month_start
        ) as weighted_points
    from pointed
    left join stage_weights
        on pointed.development_stage = stage_weights.development_stage
),

covered as (
    select
        weighed.*,
        coalesce({{ safe_divide(
            'weighed.judged_weight', 'weighed.scoring_weight'
        ) }}, 0) as judged_weight_share
    from weighed
),

final as (
    select
        market_code,
        month_start,
        development_stage,
        metric_id,
        metric_role,
        weight,
        direction,
        actual,
        target_value,
        target_scope,
        is_provisional,
        status,
        status_points,
        judged_weight_share,
        case
            when
                judged_weight_share
                >= {{ var('scorecard_min_judged_weight_share') }}
                then {{ safe_divide('weighted_points', 'judged_weight') }}
        end as market_weighted_score
    from covered
)

select * from final
