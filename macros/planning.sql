{#-
    Feasibility class of a target, checked in this order:
    no_history   no usable month before the target month;
    already_met  the trailing three months meet the target;
    hold         the latest month meets it (required improvement <= 0);
    unrealistic  no month-over-month improvement was ever seen;
    feasible     the required monthly improvement is at most half the best
                 monthly improvement seen;
    stretch      it is at most the best improvement seen;
    unrealistic  it is more than that.
-#}
{% macro feasibility_class(
    latest_actual, is_met_by_trailing, required_improvement, best_improvement
) -%}
    case
        when {{ latest_actual }} is null then 'no_history'
        when {{ is_met_by_trailing }} then 'already_met'
        when {{ required_improvement }} <= 0 then 'hold'
        when coalesce({{ best_improvement }}, 0) <= 0 then 'unrealistic'
        when {{ required_improvement }} <= 0.5 * {{ best_improvement }}
            then 'feasible'
        when {{ required_improvement }} <= {{ best_improvement }}
            then 'stretch'
        else 'unrealistic'
    end
{%- endmacro %}

{#-
    The status of an actual against its target, as every planning mart
    shows it: no_data without an actual; in_progress while the period has
    not ended as of the data (int_period_completeness: it is not judged);
    immature while an order cohort's 60-day window is open (not judged
    yet either); no_target without a target; else the RAG status
    (macros/rag_status.sql).
-#}
{% macro target_status(
    actual, target, direction, tolerance, is_order_cohort, is_mature,
    is_period_ended
) -%}
    case
        when {{ actual }} is null then 'no_data'
        when not coalesce({{ is_period_ended }}, false) then 'in_progress'
        when {{ is_order_cohort }} and not coalesce({{ is_mature }}, false)
            then 'immature'
        when {{ target }} is null then 'no_target'
        else {{ rag_status(actual, target, direction, tolerance) }}
    end
{%- endmacro %}

{#- Points of a status in a score: green 1, amber 0.5, red 0, else null. -#}
{% macro status_points(status) -%}
    cast(case {{ status }}
        when 'green' then 1.0
        when 'amber' then 0.5
        when 'red' then 0.0
    end as {{ dbt.type_float() }})
{%- endmacro %}

{#- A scorecard weight (or status points) as an exact decimal, so that sums
    of weights do not depend on the order they are added in. -#}
{% macro exact_weight(expression) -%}
    cast({{ expression }} as decimal(12, 6))
{%- endmacro %}
