{#-
    Select-list fragment that turns the long daily metric components into
    wide, named columns for a domain mart. Each spec is
    (metric_id, part, column name[, data type]) where part is numerator,
    denominator or open_cohort_orders and the type defaults to bigint (a
    count). Counts are 0 on a day with none, so a mart row never shows null
    for "nothing happened".
-#}
{% macro pivot_metric_components(specs) -%}
    {%- for spec in specs %}
        {%- set metric_id, part, column_name = spec[0], spec[1], spec[2] %}
        {%- set data_type = spec[3] if spec | length > 3
            else dbt.type_bigint() %}
        cast(coalesce(sum(
            case when metric_id = '{{ metric_id }}' then {{ part }} end
        ), 0) as {{ data_type }}) as {{ column_name }}
        {{- ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
