{#-
    The statistical rules shared by the daily anomalies
    (int_metric_anomaly_tests), the monthly comparisons
    (int_metric_months_compared) and the monthly position against target
    (int_metric_months_against_target). Each rule is written here once; which
    rule applies to a metric (its test kind, log scale, count floor, warm-up)
    is the per-metric design in int_metric_test_design. Plain SQL (ln, exp,
    sqrt, greatest, least) that DuckDB and Spark share; number literals go
    through float_literal so that Spark divides in double precision.
-#}

{#-
    A value on the scale it is tested on: percentiles (skewed times to
    action) on the log scale, so that z compares ratios of times; null when
    the log is undefined (a value of 0 or less). Every other metric as is.
-#}
{% macro on_test_scale(value, is_log_scale) -%}
    case
        when not {{ is_log_scale }} then {{ value }}
        when {{ value }} > 0 then ln({{ value }})
    end
{%- endmacro %}

{#- A statistic on the test scale back on the metric's own scale. -#}
{% macro from_test_scale(value, is_log_scale) -%}
    case when {{ is_log_scale }} then exp({{ value }}) else {{ value }} end
{%- endmacro %}

{#-
    Variance of one observation of a pooled proportion p: p (1 - p) for a
    proportion of counts (two_proportion), p for a rate whose numerator is
    not a subset of its denominator (poisson_rate); null for other kinds.
-#}
{% macro proportion_variance(test_kind, proportion) -%}
    case {{ test_kind }}
        when 'two_proportion' then {{ proportion }} * (1 - {{ proportion }})
        when 'poisson_rate' then {{ proportion }}
    end
{%- endmacro %}

{#-
    The expected count of the rarer outcome in a sample of size n at the
    pooled proportion p: n min(p, 1 - p) for a proportion, n p for a rate.
    The normal approximation of a proportion test needs it to be large
    enough (vars anomaly_min_expected_count, insight_min_expected_count).
-#}
{% macro expected_count(sample_size, test_kind, proportion) -%}
    {{ sample_size }} * case {{ test_kind }}
        when 'two_proportion' then least({{ proportion }}, 1 - {{ proportion }})
        when 'poisson_rate' then {{ proportion }}
    end
{%- endmacro %}

{#-
    The variance floor of counts: a count's day-to-day variance is at least
    its mean (Poisson), so a flat history does not turn every wobble into a
    significant move. Sums, means and percentiles keep their variance.
-#}
{% macro floored_variance(variance, mean, has_count_floor) -%}
    case
        when {{ has_count_floor }} then greatest({{ variance }}, {{ mean }})
        else {{ variance }}
    end
{%- endmacro %}

{#-
    Aggregate: the weighted sum of squares of value around its weighted mean,
    sum w x^2 - (sum w x)^2 / sum w, over the rows where value is not null.
-#}
{% macro weighted_sum_of_squares(weight, value) -%}
    sum({{ weight }} * {{ value }} * {{ value }})
    - sum({{ weight }} * {{ value }}) * sum({{ weight }} * {{ value }})
    / nullif(
        sum(case when {{ value }} is not null then {{ weight }} end), 0
    )
{%- endmacro %}

{#-
    Pooled within-group variance: the groups' sums of squares around their
    own means (clipped at 0 against rounding) over the observations less one
    per group; null when there are no more observations than groups.
-#}
{% macro pooled_variance(sum_of_squares, observations, groups) -%}
    greatest({{ sum_of_squares }}, 0)
    / nullif({{ observations }} - {{ groups }}, 0)
{%- endmacro %}

{#-
    Two-sample z: a difference of two estimates over its standard error, each
    estimate's variance being the unit variance over its sample size
    (n = 1 for a single observation).
-#}
{% macro two_sample_z(difference, variance, size, other_size) -%}
    ({{ difference }})
    / sqrt(
        {{ variance }}
        * (
            {{ float_literal('1.0') }} / {{ size }}
            + {{ float_literal('1.0') }} / {{ other_size }}
        )
    )
{%- endmacro %}

{#-
    One-sample z against a fixed value (a target: the null hypothesis), given
    the variance of the estimate; null when that variance is 0.
-#}
{% macro one_sample_z(difference, variance_of_estimate) -%}
    ({{ difference }}) / nullif(sqrt({{ variance_of_estimate }}), 0)
{%- endmacro %}
