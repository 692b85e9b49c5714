{#-
    Use a model's custom schema as the schema name itself (marts -> `marts`),
    not dbt's default `<target schema>_<custom>`: BI tools and the README point
    at `marts.<table>`.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
