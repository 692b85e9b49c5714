{#-
    Converts a UTC timestamp without time zone to the wall-clock time of a
    market's reporting time zone (an IANA name held in a column or literal).
    Daily metrics use the market's own reporting time zone
    (docs/raw_input_contract.md §3).
-#}
{% macro to_local_timestamp(utc_timestamp, time_zone) -%}
    {{ return(adapter.dispatch('to_local_timestamp')(utc_timestamp, time_zone)) }}
{%- endmacro %}

{% macro duckdb__to_local_timestamp(utc_timestamp, time_zone) -%}
    (({{ utc_timestamp }} at time zone 'UTC') at time zone {{ time_zone }})
{%- endmacro %}

{% macro default__to_local_timestamp(utc_timestamp, time_zone) -%}
    from_utc_timestamp({{ utc_timestamp }}, {{ time_zone }})
{%- endmacro %}

{% macro to_local_date(utc_timestamp, time_zone) -%}
    cast({{ to_local_timestamp(utc_timestamp, time_zone) }} as date)
{%- endmacro %}
