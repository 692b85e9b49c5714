{#-
    JSON access behind adapter.dispatch, so the payload is parsed once per row
    and the SQL stays portable to Spark.

    json_values(payload, paths) parses the payload once and holds the text
    values at the given JSON paths ('$.a', '$.a.b'; null where absent);
    json_value(values, paths, path) reads one of them. On DuckDB the values
    are a struct from one json_transform (about twice as fast as extracting
    a list of paths), elsewhere an array of get_json_object results.
-#}
{% macro json_values(payload, paths) -%}
    {{ return(adapter.dispatch('json_values')(payload, paths)) }}
{%- endmacro %}

{% macro duckdb__json_values(payload, paths) -%}
    {#- The paths as the nested structure json_transform fills: every leaf
        is read as text. -#}
    {%- set structure = {} -%}
    {%- for path in paths -%}
        {%- set keys = path.split('.')[1:] -%}
        {%- set node = namespace(value=structure) -%}
        {%- for key in keys -%}
            {%- if loop.last -%}
                {%- do node.value.update({key: 'VARCHAR'}) -%}
            {%- else -%}
                {%- if key not in node.value -%}
                    {%- do node.value.update({key: {}}) -%}
                {%- endif -%}
                {%- set node.value = node.value[key] -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    json_transform({{ payload }}, '{{ tojson(structure) }}')
{%- endmacro %}

{% macro default__json_values(payload, paths) -%}
    array(
        {% for path in paths -%}
            get_json_object({{ payload }}, '{{ path }}')
            {{- ", " if not loop.last }}
        {% endfor %}
    )
{%- endmacro %}

{% macro json_value(values, paths, path) -%}
    {{ return(adapter.dispatch('json_value')(values, paths, path)) }}
{%- endmacro %}

{% macro duckdb__json_value(values, paths, path) -%}
    {{ values }}{% for key in path.split('.')[1:] %}['{{ key }}']{% endfor %}
{%- endmacro %}

{% macro default__json_value(values, paths, path) -%}
    element_at({{ values }}, {{ paths.index(path) + 1 }})
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
