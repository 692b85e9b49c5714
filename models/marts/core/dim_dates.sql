{#-
    One row per calendar day: the date dimension and MetricFlow's time spine.
    Built with dbt's own date_spine, so no package is needed.
-#}
with

days as (
    {{
        dbt.date_spine(
            'day',
            "cast(" ~ sql_string_literal(var('calendar_start_date')) ~ " as date)",
            "cast(" ~ sql_string_literal(var('calendar_end_date')) ~ " as date)",
        )
    }}
),

final as (
    select
        cast(date_day as date) as date_day,
        cast({{ dbt.date_trunc('week', 'date_day') }} as date)
            as week_start_date,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date)
            as month_start_date,
        extract(isodow from date_day) as iso_day_of_week,
        extract(isodow from date_day) in (6, 7) as is_weekend
    from days
)

select * from final
