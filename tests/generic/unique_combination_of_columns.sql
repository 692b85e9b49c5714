{#-
    A compound key is unique: no combination of the given columns appears
    more than once. Fails with each duplicated combination and its count.
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with

keys as (
    select
        {{ combination_of_columns | join(', ') }},
        count(*) as occurrences
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
)

select * from keys
where occurrences > 1

{% endtest %}
