{#-
    Is the data there? One row per event type x market x local day, from the
    first day with data to the data's as-of day, for BI: the counts of
    int_event_days_counted judged by int_event_days_assessed (expected
    events, completeness, late and quarantined shares, feed freshness,
    rejected raw files). metric_health judges metrics from the same
    intermediate model, so both always agree.
-#}
with

assessed as (
    select * from {{ ref('int_event_days_assessed') }}
),

final as (
    select
        event_type,
        market_code,
        local_date,
        events,
        expected_events,
        baseline_weeks,
        completeness_ratio,
        late_events,
        late_event_share,
        duplicate_copies,
        quarantined_rows,
        quarantine_share,
        latest_ingested_at,
        feed_latest_ingested_at,
        as_of_at,
        feed_freshness_lag_hours,
        rejected_files,
        rejected_file_rows
    from assessed
)

select * from final
