{#-
    dbt's default safe_cast is a plain cast on DuckDB, which fails the whole
    query on one bad value. Bad input must reach quarantine instead, so on
    DuckDB a safe cast is try_cast (null when the value does not convert).
-#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{#-
    dbt's type_float is FLOAT on DuckDB, a 4-byte REAL: ratios would lose
    precision (0.0714286 vs 1/14). Metrics need double precision.
-#}
{% macro duckdb__type_float() -%}
    double
{%- endmacro %}
