{#-
    Each market's development stage on each calendar day, so a metric can be
    cut by the stage the market was in on the day (not today's stage).
    Days before a market's first stage have no row.
-#}
with

calendar as (
    {{ calendar_day_spine() }}
),

stage_history as (
    select * from {{ ref('market_stage_history') }}
),

final as (
    select
        stage_history.market_code,
        calendar.date_day,
        stage_history.development_stage
    from stage_history
    inner join calendar
        on
            stage_history.valid_from <= calendar.date_day
            and (
                stage_history.valid_to is null
                or stage_history.valid_to > calendar.date_day
            )
)

select * from final
