{#- The escapes a string literal needs besides doubled quotes: none on
    DuckDB (a backslash is a backslash); on Spark, where a backslash starts
    an escape, backslashes doubled. -#}
{% macro string_literal_escapes(text) -%}
    {{ return(adapter.dispatch('string_literal_escapes', 'gne_metrics')(text)) }}
{%- endmacro %}

{% macro default__string_literal_escapes(text) -%}
    {{ return(text) }}
{%- endmacro %}

{% macro spark__string_literal_escapes(text) -%}
    {{ return(text | replace('\\', '\\\\')) }}
{%- endmacro %}
