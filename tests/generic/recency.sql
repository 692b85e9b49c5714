{#-
    The newest value of a timestamp column is no older than `interval`
    `datepart`s before the reference time (default: now). Fails on an empty
    table too, since no data is not fresh data.
-#}
{% test recency(model, field, datepart, interval, reference_timestamp=none) %}

{%- set reference = reference_timestamp or dbt.current_timestamp() %}

with

newest as (
    select max({{ field }}) as newest_value from {{ model }}
)

select * from newest
where
    newest_value is null
    or newest_value < {{ dbt.dateadd(datepart, -interval, reference) }}

{% endtest %}
