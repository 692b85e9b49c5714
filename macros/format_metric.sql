{#-
    Numbers as people read them in a sentence: a metric's value or change in
    the catalogue's display format (value_format, display_decimals), e.g.
    9.8% and +5.7 pts for a ratio, $1.20 for money, 1,234 for a count.
    format_number is dispatched: DuckDB gets thousands separators, other
    adapters a plain rounded number.
-#}
{% macro format_number(value, decimals) -%}
    {{ return(adapter.dispatch('format_number', 'gne_metrics')(value, decimals)) }}
{%- endmacro %}

{% macro default__format_number(value, decimals) -%}
    cast(round({{ value }}, {{ decimals }}) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro duckdb__format_number(value, decimals) -%}
    format('{:,.{}f}', {{ value }}, {{ decimals }})
{%- endmacro %}

{#- A value: 9.8%, $1.20, 12.5 h, 310 s, 31.2 per 1k orders, 4.21, 1,234. -#}
{% macro format_metric_value(value, value_format, decimals) -%}
    case {{ value_format }}
        when 'percent'
            then {{ format_number(value ~ ' * 100', decimals) }} || '%'
        when 'usd' then '$' || {{ format_number(value, decimals) }}
        when 'per_1k'
            then {{ format_number(value, decimals) }} || ' per 1k orders'
        when 'hours' then {{ format_number(value, decimals) }} || ' h'
        when 'seconds' then {{ format_number(value, decimals) }} || ' s'
        else {{ format_number(value, decimals) }}
    end
{%- endmacro %}

{#-
    A signed change: +5.7 pts, -$0.40, +3.1 h, -120 s, +1.5 per 1k, +1,234;
    no sign when it rounds to zero (0.00 pts, not -0.00 pts).
-#}
{% macro format_metric_change(change, value_format, decimals) -%}
    {%- set shown -%}
        {{ round_to(
            change ~ ' * case when ' ~ value_format
            ~ " = 'percent' then 100 else 1 end",
            decimals
        ) }}
    {%- endset -%}
    case when {{ shown }} < 0 then '-' when {{ shown }} > 0 then '+' else '' end
    || case {{ value_format }}
        when 'percent'
            then {{ format_number('abs(' ~ change ~ ') * 100', decimals) }}
            || ' pts'
        when 'usd'
            then '$' || {{ format_number('abs(' ~ change ~ ')', decimals) }}
        when 'per_1k'
            then {{ format_number('abs(' ~ change ~ ')', decimals) }}
            || ' per 1k'
        when 'hours'
            then {{ format_number('abs(' ~ change ~ ')', decimals) }} || ' h'
        when 'seconds'
            then {{ format_number('abs(' ~ change ~ ')', decimals) }} || ' s'
        else {{ format_number('abs(' ~ change ~ ')', decimals) }}
    end
{%- endmacro %}
