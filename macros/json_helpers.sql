{#-
    JSON access behind adapter.dispatch, so the payload is parsed once per row
    on DuckDB and the SQL stays portable to Spark.

    json_values(payload, paths) returns an array of the text values at the
    given JSON paths (null where absent); array_element(array, position) reads
    one of them by a 1-based position.
-#}
{% macro json_values(payload, paths) -%}
    {{ return(adapter.dispatch('json_values')(payload, paths)) }}
{%- endmacro %}

{% macro duckdb__json_values(payload, paths) -%}
    json_extract_string(
        {{ payload }},
        [{% for path in paths %}'{{ path }}'{{ ", " if not loop.last }}{% endfor %}]
    )
{%- endmacro %}

{% macro default__json_values(payload, paths) -%}
    array(
        {% for path in paths -%}
            get_json_object({{ payload }}, '{{ path }}')
            {{- ", " if not loop.last }}
        {% endfor %}
    )
{%- endmacro %}

{% macro array_element(array, position) -%}
    {{ return(adapter.dispatch('array_element')(array, position)) }}
{%- endmacro %}

{% macro duckdb__array_element(array, position) -%}
    {{ array }}[{{ position }}]
{%- endmacro %}

{% macro default__array_element(array, position) -%}
    element_at({{ array }}, {{ position }})
{%- endmacro %}

{#- True when the text is a well-formed JSON object (not an array or scalar). -#}
{% macro is_json_object(text) -%}
    {{ return(adapter.dispatch('is_json_object')(text)) }}
{%- endmacro %}

{% macro duckdb__is_json_object(text) -%}
    case
        when json_valid({{ text }}) then json_type({{ text }}) = 'OBJECT'
        else false
    end
{%- endmacro %}

{% macro default__is_json_object(text) -%}
    coalesce(left(trim(get_json_object({{ text }}, '$')), 1) = '{', false)
{%- endmacro %}
