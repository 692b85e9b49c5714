{#-
    One row per market and calendar day with the market's development stage
    on that day: the semantic layer's `market_day` entity, so any metric can
    be cut by the stage as it was on the local date it is attributed to.
    market_day_id = '<market_code>|<YYYY-MM-DD>', the key each fact's
    semantic model builds from its market and attribution date.
-#}
with

stage_days as (
    select * from {{ ref('int_market_stage_days') }}
),

final as (
    select
        {{ dbt.concat([
            'market_code', "'|'",
            dbt.cast('date_day', dbt.type_string())
        ]) }} as market_day_id,
        market_code,
        date_day,
        development_stage
    from stage_days
)

select * from final
