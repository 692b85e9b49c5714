{#-
    Validity periods [lower, upper) do not overlap within a partition, and
    each ends after it starts; a null upper bound is open-ended. Used for
    stage history, targets and budget versions.
-#}
{% test mutually_exclusive_ranges(model, lower_bound_column, upper_bound_column, partition_by=none) %}

{%- set partition_clause = 'partition by ' ~ partition_by if partition_by else '' %}

with

ordered as (
    select
        {{ lower_bound_column }} as lower_bound,
        {{ upper_bound_column }} as upper_bound,
        lead({{ lower_bound_column }}) over (
            {{ partition_clause }}
            order by {{ lower_bound_column }}
        ) as next_lower_bound
    from {{ model }}
)

select * from ordered
where
    upper_bound <= lower_bound
    or (upper_bound is null and next_lower_bound is not null)
    or upper_bound > next_lower_bound

{% endtest %}
