{#-
    Every column of the model whose name ends in one of the suffixes
    (default _share and _rate: shares and ratios by the naming convention)
    lies in [0, 1]. The columns are read from the built relation, so a new
    share column is checked without editing the YAML. Returns each value
    out of range with its column's name; a model with no such column fails
    with one row, so the test never checks nothing.
-#}
{% test shares_and_rates_in_unit_interval(model, suffixes=['_share', '_rate']) %}

{%- set checked = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(model) -%}
        {%- for suffix in suffixes -%}
            {%- if column.name | lower is string
                and (column.name | lower).endswith(suffix) -%}
                {%- do checked.append(column.name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endif -%}

{%- if checked | length == 0 %}
select
    'no column ending in {{ suffixes | join(", ") }}' as column_name,
    cast(null as double) as out_of_range_value
{%- else -%}
{%- for column_name in checked %}
select
    '{{ column_name }}' as column_name,
    cast({{ adapter.quote(column_name) }} as double) as out_of_range_value
from {{ model }}
where
    {{ adapter.quote(column_name) }} < 0
    or {{ adapter.quote(column_name) }} > 1
{% if not loop.last %}union all{% endif %}
{%- endfor -%}
{%- endif %}

{% endtest %}
