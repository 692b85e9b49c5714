{#-
    Data types and casts on Spark, so that the type names the project's YAML
    and SQL use (DuckDB's, e.g. varchar in contracts and seeds) mean the same
    on Spark. Found through dispatch (dbt_project.yml search_order).

    spark_type(type): Spark has no length-less varchar or text (it requires
    varchar(n)); both are string. Every other name is kept.
-#}
{% macro spark_type(data_type) -%}
    {%- set normalized = data_type | string | trim | lower -%}
    {%- if normalized in ('varchar', 'text', 'char', 'bpchar') -%}
        string
    {%- else -%}
        {{ data_type }}
    {%- endif -%}
{%- endmacro %}

{#- dbt's cast (contracts build their empty schema with it). -#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ spark_type(type) }})
{%- endmacro %}

{#-
    A bad value must reach quarantine, not fail the query: Spark's ANSI mode
    (on by default in Spark 4) makes a plain cast fail, try_cast gives null
    as DuckDB's try_cast does.
-#}
{% macro spark__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ spark_type(type) }})
{%- endmacro %}

{#- Spark's float is 4 bytes; metrics need double precision (as on DuckDB). -#}
{% macro spark__type_float() -%}
    double
{%- endmacro %}
