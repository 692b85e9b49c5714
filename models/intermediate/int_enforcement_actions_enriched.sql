{#-
    One row per enforcement action with what governance metrics need: time
    from detection to action, whether it was appealed, and whether its seller
    had another action in the 90 days before (a repeat offender).

    Incremental (macros/engine/incremental_state.sql): a run rebuilds every
    action of the sellers with an action, or an appeal of one of their
    actions, loaded since its last run (a late action can make a later one
    of the same seller a repeat), from all of those sellers' actions.
-#}
{{ config(**keyed_incremental_config('action_id')) }}
{%- set lookback_days = var('repeat_offender_lookback_days') -%}

with
{% if is_incremental() %}
touched_sellers as (
    select seller_id
    from {{ ref('stg_events__enforcement_actioned') }}
    where
        {{ loaded_since_last_run() }}
        or action_id in (
            {{ keys_loaded_since_last_run('action_id', [
                ref('stg_events__appeal_filed')
            ]) }}
        )
),
{% endif %}
actions as (
    select * from {{ ref('stg_events__enforcement_actioned') }}
    {{- only_touched('seller_id', 'touched_sellers') }}
),

appeals as (
    select * from {{ ref('stg_events__appeal_filed') }}
    {%- if is_incremental() %}
    where action_id in (select actions.action_id from actions)
    {%- endif %}
),

appealed_actions as (
    select
        action_id,
        min(filed_at) as first_appeal_filed_at,
        count(*) as appeal_count
    from appeals
    group by action_id
),

actions_in_seller_order as (
    select
        actions.*,
        lag(actions.actioned_at) over (
            partition by actions.seller_id
            order by actions.actioned_at, actions.action_id
        ) as previous_seller_action_at
    from actions
),

final as (
    select
        actions_in_seller_order.action_id,
        actions_in_seller_order.event_id,
        actions_in_seller_order.market_code,
        actions_in_seller_order.seller_id,
        actions_in_seller_order.target_type,
        actions_in_seller_order.target_id,
        actions_in_seller_order.policy_id,
        actions_in_seller_order.action_type,
        actions_in_seller_order.detection_source,
        actions_in_seller_order.is_automated,
        actions_in_seller_order.report_id,
        actions_in_seller_order.detected_at,
        actions_in_seller_order.actioned_at,
        actions_in_seller_order.actioned_local_date,
        actions_in_seller_order.previous_seller_action_at,
        appealed_actions.first_appeal_filed_at,
        coalesce(appealed_actions.appeal_count, 0) as appeal_count,
        actions_in_seller_order.detection_source in (
            'proactive_model', 'proactive_manual'
        ) as is_proactive,
        appealed_actions.action_id is not null as has_appeal,
        coalesce(
            actions_in_seller_order.previous_seller_action_at
            >= {{ dbt.dateadd(
                'day', -lookback_days,
                'actions_in_seller_order.actioned_at'
            ) }},
            false
        ) as is_repeat_offender,
        {{ dbt.datediff(
            'actions_in_seller_order.detected_at',
            'actions_in_seller_order.actioned_at',
            'microsecond'
        ) }} / {{ float_literal('3600000000.0') }} as time_to_action_hours,
        {{ run_loaded_at() }} as loaded_at
    from actions_in_seller_order
    left join appealed_actions
        on actions_in_seller_order.action_id = appealed_actions.action_id
)

select * from final
