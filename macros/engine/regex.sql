{#-
    The part of a text that matches a regular expression ('' when nothing
    matches, on both engines). DuckDB's regexp_extract returns the whole
    match by default; Spark's returns group 1 by default and fails on a
    pattern without groups, so the whole match (group 0) is asked for. The
    pattern is written as a literal here because the engines escape string
    literals differently: Spark reads a backslash as an escape, DuckDB does
    not.
-#}
{% macro regex_match(text, pattern) -%}
    {{ return(adapter.dispatch('regex_match', 'gne_metrics')(text, pattern)) }}
{%- endmacro %}

{% macro default__regex_match(text, pattern) -%}
    regexp_extract({{ text }}, '{{ pattern | replace("'", "''") }}')
{%- endmacro %}

{% macro spark__regex_match(text, pattern) -%}
    regexp_extract(
        {{ text }},
        '{{ pattern | replace("\\", "\\\\") | replace("'", "\\'") }}',
        0
    )
{%- endmacro %}
