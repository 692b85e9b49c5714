{#-
    A column never exceeds another of the same row, e.g. numerator <=
    denominator, opened_at <= closed_at. Rows where either is null are not
    checked.
-#}
{% test column_lte_column(model, column_name, other_column) %}

select
    {{ column_name }} as checked_value,
    {{ other_column }} as upper_bound
from {{ model }}
where
    {{ column_name }} is not null
    and {{ other_column }} is not null
    and {{ column_name }} > {{ other_column }}

{% endtest %}
