{#-
    One row per appeal: when it was filed and, once resolved, its outcome,
    attributed to the appeal's local resolution date (appeal_overturn_rate),
    and every resolved appeal whose filing has not arrived (has_filing
    false; macros/filed_or_resolved.sql). appeal_overturn_rate needs
    nothing from the filing: it is attributed to the resolution's own local
    date and market.

    Incremental (macros/engine/incremental_state.sql): a run rebuilds the
    appeals with a filing or a resolution loaded since its last run, and the
    appeals of the actions fct_enforcement_actions rebuilt since then (an
    action that arrived after its appeal gives it its policy and detection
    source).
-#}
{%- set reference_models = ['dim_markets', 'dim_market_days'] -%}
{{ config(**keyed_incremental_config('appeal_id', reference_models)) }}

with
{% if is_incremental() %}
touched_appeals as (
    {{ keys_loaded_since_last_run('appeal_id', [
        ref('stg_events__appeal_filed'), ref('stg_events__appeal_resolved')
    ]) }}
    union
    select filings.appeal_id
    from {{ ref('stg_events__appeal_filed') }} as filings
    where filings.action_id in (
        {{ keys_loaded_since_last_run('action_id', [
            ref('fct_enforcement_actions')
        ]) }}
    )
),
{% endif %}
appeals as (
    {{ filed_or_resolved(
        'appeal_id',
        ref('stg_events__appeal_filed'),
        ref('stg_events__appeal_resolved'),
        filing_columns=['action_id'],
        resolution_columns=['appeal_outcome'],
        keys_cte='touched_appeals',
    ) }}
),

actions as (
    select * from {{ ref('fct_enforcement_actions') }}
),

markets as (
    select * from {{ ref('dim_markets') }}
),

stage_days as (
    select * from {{ ref('dim_market_days') }}
),

final as (
    select
        appeals.appeal_id,
        appeals.action_id,
        appeals.market_code,
        markets.region,
        stage_days.development_stage,
        actions.policy_id,
        actions.policy_area,
        actions.detection_source,
        appeals.filed_at,
        appeals.filed_local_date,
        appeals.resolved_at,
        appeals.resolved_local_date,
        appeals.appeal_outcome,
        appeals.has_filing,
        appeals.is_resolved,
        coalesce(appeals.appeal_outcome = 'overturned', false)
            as is_overturned
    from appeals
    inner join markets
        on appeals.market_code = markets.market_code
    left join actions
        on appeals.action_id = actions.action_id
    left join stage_days
        on
            appeals.market_code = stage_days.market_code
            and coalesce(appeals.resolved_local_date, appeals.filed_local_date)
            = stage_days.date_day
)

select * from final
