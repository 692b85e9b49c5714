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
