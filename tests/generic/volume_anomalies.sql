{#-
    Daily row-count anomalies, with Elementary's defaults: each of the last
    `days_back` days of data is compared with the mean and standard
    deviation of the `days_back` days before it, and fails when its count is
    more than `sensitivity` standard deviations away. Days with no rows
    inside the series count as 0.
-#}
{% test volume_anomalies(model, timestamp_column, days_back=14, sensitivity=3) %}

with

daily_counts as (
    select
        cast({{ timestamp_column }} as date) as count_date,
        count(*) as row_count
    from {{ model }}
    group by cast({{ timestamp_column }} as date)
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
