{#-
    Is the data there? Each event type x market x local day of
    int_event_days_counted judged against its own history and the as-of
    time: the count expected (median of the same weekday over the previous
    four weeks), completeness, the late and quarantined shares, how stale
    the event type's feed is for the market (as-of time - latest
    ingested_at), and the raw files rejected whole (base_events__files) that
    landed on the day: their rows are unread, so any event type and market
    of that day may be short (a file without a valid partition counts on the
    as-of day). data_availability shows it; metric_health judges from it.
-#}
with

counted as (
    select * from {{ ref('int_event_days_counted') }}
),

events as (
    select * from {{ ref('base_events__deduplicated') }}
),

event_files as (
    select * from {{ ref('base_events__files') }}
),

as_of as (
    select as_of_at
    from {{ ref('int_period_completeness') }}
    where geography_level = 'global'
),

{#- The same weekday of the four previous weeks: the seasonal baseline,
    joined on equal dates (one row per day and week back), not on a list of
    dates, so the join stays a hash join. #}

weeks_back as (
    {%- for weeks in [1, 2, 3, 4] %}
        select {{ 7 * weeks }} as days_back
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

baseline_days as (
    select
        counted.event_type,
        counted.market_code,
        counted.local_date,
        cast({{ dbt.dateadd(
            'day', '-weeks_back.days_back', 'counted.local_date'
        ) }} as date) as baseline_date
    from counted
    cross join weeks_back
),

expected as (
    select
        baseline_days.event_type,
        baseline_days.market_code,
        baseline_days.local_date,
        percentile_cont(0.5) within group (
            order by history.events
        ) as expected_events,
        count(history.events) as baseline_weeks
    from baseline_days
    inner join counted as history
        on
            baseline_days.event_type = history.event_type
            and baseline_days.market_code = history.market_code
            and baseline_days.baseline_date = history.local_date
    group by
        baseline_days.event_type,
        baseline_days.market_code,
        baseline_days.local_date
),

rejected_file_days as (
    select
        coalesce(
            event_files.partition_date, cast(as_of.as_of_at as date)
        ) as local_date,
        count(*) as rejected_files,
        cast(sum(event_files.row_count) as {{ dbt.type_bigint() }})
            as rejected_file_rows
    from event_files
    cross join as_of
    where event_files.file_status = 'rejected'
    group by
        coalesce(event_files.partition_date, cast(as_of.as_of_at as date))
),

feed_freshness as (
    select
        event_type,
        market_code,
        max(ingested_at) as feed_latest_ingested_at
    from events
    group by event_type, market_code
),

final as (
    select
        counted.event_type,
        counted.market_code,
        counted.local_date,
        counted.events,
        expected.expected_events,
        coalesce(expected.baseline_weeks, 0) as baseline_weeks,
        {{ safe_divide('counted.events', 'expected.expected_events') }}
            as completeness_ratio,
        counted.late_events,
        {{ safe_divide('counted.late_events', 'counted.events') }}
            as late_event_share,
        counted.duplicate_copies,
        counted.quarantined_rows,
        {{ safe_divide(
            'counted.quarantined_rows',
            'counted.events + counted.quarantined_rows'
        ) }} as quarantine_share,
        counted.latest_ingested_at,
        feed_freshness.feed_latest_ingested_at,
        as_of.as_of_at,
        {{ dbt.datediff(
            'feed_freshness.feed_latest_ingested_at', 'as_of.as_of_at', 'second'
        ) }} / {{ float_literal('3600.0') }} as feed_freshness_lag_hours,
        coalesce(rejected_file_days.rejected_files, 0) as rejected_files,
        rejected_file_days.rejected_file_rows
    from counted
    cross join as_of
    left join expected
        on
            counted.event_type = expected.event_type
            and counted.market_code = expected.market_code
            and counted.local_date = expected.local_date
    left join feed_freshness
        on
            counted.event_type = feed_freshness.event_type
            and counted.market_code = feed_freshness.market_code
    left join rejected_file_days
        on counted.local_date = rejected_file_days.local_date
)

select * from final
