{#-
    Green / amber / red for an actual against a target, respecting the
    metric's direction: for 'higher' metrics green at or above target, amber
    within the tolerance band below it; for 'lower' metrics the mirror image;
    for 'neutral' metrics green within the band either side, amber within
    twice the band. Null when either value is missing.
-#}
{% macro rag_status(actual, target, direction, tolerance) -%}
    case
        when {{ actual }} is null or {{ target }} is null then null
        when {{ direction }} = 'higher' then
            case
                when {{ actual }} >= {{ target }} then 'green'
                when {{ actual }} >= {{ target }} * (1 - {{ tolerance }})
                    then 'amber'
                else 'red'
            end
        when {{ direction }} = 'lower' then
            case
                when {{ actual }} <= {{ target }} then 'green'
                when {{ actual }} <= {{ target }} * (1 + {{ tolerance }})
                    then 'amber'
                else 'red'
            end
        else
            case
                when abs({{ actual }} - {{ target }})
                    <= abs({{ target }}) * {{ tolerance }} then 'green'
                when abs({{ actual }} - {{ target }})
                    <= abs({{ target }}) * 2 * {{ tolerance }} then 'amber'
                else 'red'
            end
    end
{%- endmacro %}
