{#-
    Rounding to a number of decimals held in a column (the catalogue's
    display_decimals). Spark's round needs a constant scale, so there the
    value is scaled, rounded half away from zero and scaled back: the same
    steps DuckDB's round takes on a double, so the same result. A constant
    scale keeps the engine's own round.
-#}
{% macro round_to(value, decimals) -%}
    {{ return(adapter.dispatch('round_to', 'gne_metrics')(value, decimals)) }}
{%- endmacro %}

{% macro default__round_to(value, decimals) -%}
    round({{ value }}, {{ decimals }})
{%- endmacro %}

{% macro spark__round_to(value, decimals) -%}
    {%- if (decimals | string | trim).lstrip('-').isdigit() -%}
        round({{ value }}, {{ decimals }})
    {%- else -%}
        (round(({{ value }}) * power(10, {{ decimals }}))
            / power(10, {{ decimals }}))
    {%- endif -%}
{%- endmacro %}

{#-
    format_number (macros/format_metric.sql) on Spark: Spark's own
    format_number writes thousands separators and a fixed number of
    decimals, as DuckDB's format('{:,.2f}') does.
-#}
{% macro spark__format_number(value, decimals) -%}
    format_number({{ value }}, {{ decimals }})
{%- endmacro %}
