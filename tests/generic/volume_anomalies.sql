{#-
    Daily row-count anomalies, with Elementary's defaults: each of the last
    `days_back` days of data is compared with the mean and standard
    deviation of the `days_back` days before it, and fails when its count is
    more than `sensitivity` standard deviations away. Days with no rows
    inside the series count as 0 (a day that lost all its rows is the
    biggest drop of all). A perfectly flat history (standard deviation 0)
    flags nothing, as in Elementary.
-#}
{% test volume_anomalies(model, timestamp_column, days_back=14, sensitivity=3) %}

{%- set day_of = 'cast(' ~ timestamp_column ~ ' as date)' %}

with

rows_per_day as (
    select
        {{ day_of }} as count_date,
        count(*) as row_count
    from {{ model }}
    group by {{ day_of }}
),

calendar as (
    {{ day_spine_over(model, day_of) }}
),

daily_counts as (
    select
        cast(calendar.date_day as date) as count_date,
        coalesce(rows_per_day.row_count, 0) as row_count
    from calendar
    left join rows_per_day
        on cast(calendar.date_day as date) = rows_per_day.count_date
    where exists (select 1 from rows_per_day)
),

last_day as (
    select max(count_date) as last_date from daily_counts
),

with_history as (
    select
        current_day.count_date,
        current_day.row_count,
        avg(history.row_count) as baseline_mean,
        stddev_samp(history.row_count) as baseline_stddev,
        count(history.row_count) as baseline_days
    from daily_counts as current_day
    cross join last_day
    inner join daily_counts as history
        on
            history.count_date < current_day.count_date
            and history.count_date
            >= {{ dbt.dateadd('day', -days_back, 'current_day.count_date') }}
    where
        current_day.count_date
        > {{ dbt.dateadd('day', -days_back, 'last_day.last_date') }}
    group by current_day.count_date, current_day.row_count
)

select * from with_history
where
    baseline_days >= 7
    and baseline_stddev > 0
    and abs(row_count - baseline_mean) > {{ sensitivity }} * baseline_stddev

{% endtest %}
