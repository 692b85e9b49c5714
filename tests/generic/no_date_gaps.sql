{#-
    A daily series has a row for every date between its first and last date
    (per partition when given): returns each missing date. An empty series
    has no gaps.
-#}
{% test no_date_gaps(model, date_column, partition_by=none) %}

{%- set partition_columns = [partition_by] if partition_by else [] %}

with

bounds as (
    select
        {{ (partition_columns + ['']) | join(', ') }}
        min({{ date_column }}) as first_date,
        max({{ date_column }}) as last_date
    from {{ model }}
    {%- if partition_by %}
    group by {{ partition_by }}
    {%- endif %}
),

all_days as (
    {{ day_spine_over(model, 'cast(' ~ date_column ~ ' as date)') }}
),

expected as (
    select
        {{ ('bounds.' ~ partition_by ~ ',') if partition_by }}
        cast(all_days.date_day as date) as expected_date
    from bounds
    inner join all_days
        on
            cast(all_days.date_day as date) >= bounds.first_date
            and cast(all_days.date_day as date) <= bounds.last_date
),

present as (
    select distinct
        {{ (partition_by ~ ',') if partition_by }}
        cast({{ date_column }} as date) as present_date
    from {{ model }}
)

select expected.*
from expected
left join present
    on
        expected.expected_date = present.present_date
        {%- if partition_by %}
        and expected.{{ partition_by }} = present.{{ partition_by }}
        {%- endif %}
where present.present_date is null

{% endtest %}
