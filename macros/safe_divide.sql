{#-
    A ratio that is null, not zero and not an error, when its denominator is
    zero or null (docs/metric_catalogue.md: "a metric with no denominator is
    null").
-#}
{#-
    Both arguments may be expressions (`a + b`): each is parenthesized, so
    the division applies to the whole of it.
-#}
{% macro safe_divide(numerator, denominator) -%}
    case
        when ({{ denominator }}) is null or ({{ denominator }}) = 0 then null
        else
            cast(({{ numerator }}) as {{ dbt.type_float() }})
            / ({{ denominator }})
    end
{%- endmacro %}
