{#-
    dbt's default safe_cast is a plain cast on DuckDB, which fails the whole
    query on one bad value. Bad input must reach quarantine instead, so on
    DuckDB a safe cast is try_cast (null when the value does not convert).

    DuckDB parses text into a decimal wider than 18 digits (a 128-bit
    integer underneath, as dbt's numeric(28,6) is) more than a hundred times
    slower than into one of up to 18 digits. So a wide decimal is tried as an
    18-digit one of the same scale first, and only a value that does not fit
    is parsed at the full width: the same value and type, far less time.
-#}
{% macro duckdb__safe_cast(field, type) -%}
    {%- set wide_decimal = modules.re.fullmatch(
        '(?:numeric|decimal)[(]([0-9]+),([0-9]+)[)]',
        type | string | lower | replace(' ', '')
    ) -%}
    {%- if wide_decimal and wide_decimal.group(1) | int > 18
        and wide_decimal.group(2) | int <= 18 -%}
        coalesce(
            try_cast({{ field }} as decimal(18, {{ wide_decimal.group(2) }})),
            try_cast({{ field }} as {{ type }})
        )
    {%- else -%}
        try_cast({{ field }} as {{ type }})
    {%- endif -%}
{%- endmacro %}

{#-
    dbt's type_float is FLOAT on DuckDB, a 4-byte REAL: ratios would lose
    precision (0.0714286 vs 1/14). Metrics need double precision.
-#}
{% macro duckdb__type_float() -%}
    double
{%- endmacro %}
