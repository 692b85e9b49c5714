{#-
    The value-from-parts rule, the one place a metric's value is made from
    its parts (docs/metric_catalogue.md):

    - count and sum metrics are their count value (the numerator; over
      several months, the monthly mean of the numerators);
    - percentiles are not additive: their percentile value (recomputed from
      the underlying rows, or over several months the mean of the monthly
      values);
    - ratios and means are value_multiplier x numerator / denominator, the
      parts summed first and never a mean of rates, and null, not zero, when
      the denominator is 0 or null (safe_divide).

    Every argument is a SQL expression.
-#}
{% macro value_from_parts(
    metric_type, value_multiplier, count_value, percentile_value,
    numerator, denominator
) -%}
    case
        when {{ metric_type }} in ('count', 'sum') then {{ count_value }}
        when {{ metric_type }} = 'percentile' then {{ percentile_value }}
        else {{ value_multiplier }}
            * {{ safe_divide(numerator, denominator) }}
    end
{%- endmacro %}
