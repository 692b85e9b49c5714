{#-
    Markets whose development stage changed in a month: one row per market
    and month with a change, naming the month's first change, e.g.
    "launch to growth on 2026-07-01" (dim_market_days). monthly_insights
    says so beside the market's moves, which may come from the new stage's
    mix of sellers and policies rather than from performance.
-#}
with

market_days as (
    select * from {{ ref('dim_market_days') }}
),

stage_steps as (
    select
        market_code,
        date_day,
        development_stage,
        lag(development_stage) over (
            partition by market_code order by date_day
        ) as previous_stage
    from market_days
),

stage_changes as (
    select
        market_code,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start,
        previous_stage || ' to ' || development_stage || ' on '
        || cast(date_day as {{ dbt.type_string() }}) as stage_change,
        row_number() over (
            partition by
                market_code,
                cast({{ dbt.date_trunc('month', 'date_day') }} as date)
            order by date_day
        ) as change_rank
    from stage_steps
    where previous_stage <> development_stage
),

final as (
    select
        market_code,
        month_start,
        stage_change
    from stage_changes
    where change_rank = 1
)

select * from final
