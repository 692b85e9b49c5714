{#- One row per market: region, currency, time zone and today's stage. -#}
with

markets as (
    select * from {{ ref('markets') }}
),

stage_history as (
    select * from {{ ref('market_stage_history') }}
),

current_stages as (
    select
        market_code,
        development_stage
    from stage_history
    where valid_to is null
),

final as (
    select
        markets.market_code,
        markets.market_name,
        markets.region,
        markets.currency_code,
        markets.reporting_timezone,
        markets.launched_on,
        current_stages.development_stage as current_development_stage
    from markets
    left join current_stages
        on markets.market_code = current_stages.market_code
)

select * from final
