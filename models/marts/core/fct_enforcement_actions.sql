{#-
    One row per enforcement action, attributed to its local action date,
    with the market's stage on that date and the policy's area.

    Incremental (macros/engine/incremental_state.sql): a run rebuilds the
    actions whose enriched row was rebuilt since its last run; loaded_at
    says when each row was rebuilt, for fct_appeals.
-#}
{%- set reference_models = ['dim_markets', 'policies', 'dim_market_days'] -%}
{{ config(**keyed_incremental_config('action_id', reference_models)) }}

with

actions as (
    select * from {{ ref('int_enforcement_actions_enriched') }}
    {%- if is_incremental() %}
    where {{ loaded_since_last_run() }}
    {%- endif %}
),

markets as (
    select * from {{ ref('dim_markets') }}
),

policies as (
    select * from {{ ref('policies') }}
),

stage_days as (
    select * from {{ ref('dim_market_days') }}
),

final as (
    select
        actions.action_id,
        actions.market_code,
        markets.region,
        stage_days.development_stage,
        actions.seller_id,
        actions.target_type,
        actions.target_id,
        actions.policy_id,
        policies.policy_area,
        actions.action_type,
        actions.detection_source,
        actions.report_id,
        actions.detected_at,
        actions.actioned_at,
        actions.actioned_local_date,
        actions.first_appeal_filed_at,
        actions.appeal_count,
        actions.time_to_action_hours,
        actions.is_automated,
        actions.is_proactive,
        actions.has_appeal,
        actions.is_repeat_offender,
        {{ run_loaded_at() }} as loaded_at
    from actions
    inner join markets
        on actions.market_code = markets.market_code
    left join policies
        on actions.policy_id = policies.policy_id
    left join stage_days
        on
            actions.market_code = stage_days.market_code
            and actions.actioned_local_date = stage_days.date_day
)

select * from final
