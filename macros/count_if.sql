{#- Rows where a condition holds, as an integer (portable count_if). -#}
{% macro count_if(condition) -%}
    cast(sum(case when {{ condition }} then 1 else 0 end) as {{ dbt.type_bigint() }})
{%- endmacro %}
