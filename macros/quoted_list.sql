{#-
    A list of strings as SQL literals, one per line ('a',\n 'b', ...), for
    `in (...)` lists generated from the contract: readable when compiled and
    within the project's line length.
-#}
{% macro quoted_list(values, indent=20) -%}
    {%- set separator = ",\n" ~ (" " * indent) -%}
    '{{ values | join("'" ~ separator ~ "'") }}'
{%- endmacro %}
