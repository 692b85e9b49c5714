{#-
    Every row satisfies a SQL expression (rows where it is false or null
    fail). On a column, the expression may refer to that column.
-#}
{% test expression_is_true(model, expression, column_name=none) %}

select * from {{ model }}
where not coalesce(({{ expression }}), false)

{% endtest %}
