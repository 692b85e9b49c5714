{#-
    Select of one row per calendar day (column date_day, a date) from
    var calendar_start_date up to, not including, var calendar_end_date:
    the calendar the date dimension, the MetricFlow time spine and the
    market stage days all share. A macro rather than a model, so the
    intermediate layer gets the calendar without reading the dim_dates mart.
-#}
{% macro calendar_day_spine() -%}
    select cast(date_day as date) as date_day
    from (
        {{
            dbt.date_spine(
                'day',
                "cast(" ~ sql_string_literal(var('calendar_start_date'))
                ~ " as date)",
                "cast(" ~ sql_string_literal(var('calendar_end_date'))
                ~ " as date)",
            )
        }}
    ) as calendar_days
{%- endmacro %}
