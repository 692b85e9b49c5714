{#-
    One row per customer-service ticket closed, by local close date.

    Incremental (macros/engine/incremental_state.sql): a run adds the
    tickets loaded since its last run.
-#}
{%- set reference_models = ['dim_markets', 'dim_market_days'] -%}
{{ config(**keyed_incremental_config('ticket_id', reference_models)) }}

with

tickets as (
    select * from {{ ref('stg_events__ticket_closed') }}
    {%- if is_incremental() %}
    where {{ loaded_since_last_run() }}
    {%- endif %}
),

markets as (
    select * from {{ ref('dim_markets') }}
),

stage_days as (
    select * from {{ ref('dim_market_days') }}
),

final as (
    select
        tickets.ticket_id,
        tickets.market_code,
        markets.region,
        stage_days.development_stage,
        tickets.order_id,
        tickets.buyer_id,
        tickets.csat,
        tickets.closed_at,
        tickets.closed_local_date,
        tickets.csat is not null as has_csat
    from tickets
    inner join markets
        on tickets.market_code = markets.market_code
    left join stage_days
        on
            tickets.market_code = stage_days.market_code
            and tickets.closed_local_date = stage_days.date_day
)

select * from final
