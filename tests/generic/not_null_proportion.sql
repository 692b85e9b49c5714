{#- At least the given share (0..1) of a column's values are not null. -#}
{% test not_null_proportion(model, column_name, at_least) %}

with

proportion as (
    select
        count({{ column_name }}) * 1.0 / nullif(count(*), 0)
            as not_null_share
    from {{ model }}
)

select * from proportion
where not_null_share < {{ at_least }}

{% endtest %}
