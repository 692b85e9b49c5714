{#-
    The distinct non-null values of a text column, sorted and joined with a
    separator (null when there are none). DuckDB orders inside string_agg;
    Spark has no ordered distinct string_agg, so the distinct values are
    collected, sorted and joined.
-#}
{% macro distinct_sorted_list(column, separator) -%}
    {{ return(adapter.dispatch('distinct_sorted_list', 'gne_metrics')(
        column, separator)) }}
{%- endmacro %}

{% macro default__distinct_sorted_list(column, separator) -%}
    string_agg(
        distinct {{ column }}, '{{ separator }}'
        order by {{ column }}
    )
{%- endmacro %}

{% macro spark__distinct_sorted_list(column, separator) -%}
    case
        when count({{ column }}) > 0
            then array_join(
                array_sort(collect_set({{ column }})), '{{ separator }}'
            )
    end
{%- endmacro %}
