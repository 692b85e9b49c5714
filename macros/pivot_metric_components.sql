{#-
    Select-list fragment that turns the long daily metric components into
    wide, named columns for a domain mart. Each spec is
    (metric_id, 'numerator' or 'denominator', column name); counts are 0 on
    a day with none, so a mart row never shows null for "nothing happened".
-#}
{% macro pivot_metric_components(specs) -%}
    {%- for metric_id, part, column_name in specs %}
        coalesce(sum(
            case when metric_id = '{{ metric_id }}' then {{ part }} end
        ), 0) as {{ column_name }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
