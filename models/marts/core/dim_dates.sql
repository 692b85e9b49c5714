{#-
    One row per calendar day: the date dimension and MetricFlow's time spine.
    Its days come from calendar_day_spine (dbt's own date_spine over the
    calendar vars), which int_market_stage_days shares.
-#}
with

days as (
    {{ calendar_day_spine() }}
),

final as (
    select
        cast(date_day as date) as date_day,
        cast({{ dbt.date_trunc('week', 'date_day') }} as date)
            as week_start_date,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date)
            as month_start_date,
        {{ iso_day_of_week('date_day') }} as iso_day_of_week,
        {{ iso_day_of_week('date_day') }} in (6, 7) as is_weekend
    from days
)

select * from final
