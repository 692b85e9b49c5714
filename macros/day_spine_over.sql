{#-
    Select of one row per day (column date_day) from the first to the last
    value of a date expression in a relation, through dbt's own date_spine.
    An empty relation gives a one-day spine on 1970-01-01 instead of a
    failing query (date_spine needs both bounds); callers join it to their
    data, so that day never matches anything.
-#}
{% macro day_spine_over(relation, date_expression) -%}
    {%- set empty_day = "cast('1970-01-01' as date)" -%}
    {%- set first_day = 'coalesce((select min(' ~ date_expression ~ ') from '
        ~ relation ~ '), ' ~ empty_day ~ ')' -%}
    {%- set last_day = 'coalesce((select max(' ~ date_expression ~ ') from '
        ~ relation ~ '), ' ~ empty_day ~ ')' -%}
    {{ dbt.date_spine('day', first_day, dbt.dateadd('day', 1, last_day)) }}
{%- endmacro %}
