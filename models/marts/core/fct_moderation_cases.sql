{#-
    One row per moderation case closed, attributed to its local close date,
    with its queue's SLA and whether it closed within it
    (closed_at - opened_at <= SLA).

    Incremental (macros/engine/incremental_state.sql): a run adds the cases
    loaded since its last run.
-#}
{%- set reference_models = ['queue_slas', 'dim_markets', 'dim_market_days'] -%}
{{ config(**keyed_incremental_config('case_id', reference_models)) }}

with

cases as (
    select * from {{ ref('stg_events__moderation_case_closed') }}
    {%- if is_incremental() %}
    where {{ loaded_since_last_run() }}
    {%- endif %}
),

queue_slas as (
    select * from {{ ref('queue_slas') }}
),

markets as (
    select * from {{ ref('dim_markets') }}
),

stage_days as (
    select * from {{ ref('dim_market_days') }}
),

final as (
    select
        cases.case_id,
        cases.market_code,
        markets.region,
        stage_days.development_stage,
        cases.queue,
        cases.team,
        cases.opened_at,
        cases.closed_at,
        cases.closed_local_date,
        cases.handling_seconds,
        queue_slas.sla_hours,
        {{ dbt.datediff('cases.opened_at', 'cases.closed_at', 'second') }}
        / {{ float_literal('3600.0') }} as resolution_hours,
        cases.is_qa_sampled,
        cases.is_qa_passed,
        {{ dbt.datediff('cases.opened_at', 'cases.closed_at', 'second') }}
        <= queue_slas.sla_hours * 3600 as is_within_sla
    from cases
    inner join markets
        on cases.market_code = markets.market_code
    left join queue_slas
        on cases.queue = queue_slas.queue
    left join stage_days
        on
            cases.market_code = stage_days.market_code
            and cases.closed_local_date = stage_days.date_day
)

select * from final
