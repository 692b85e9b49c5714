{#-
    dbt's default safe_cast is a plain cast on DuckDB, which fails the whole
    query on one bad value. Bad input must reach quarantine instead, so on
    DuckDB a safe cast is try_cast (null when the value does not convert).
-#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
