{#-
    Is the data there? One row per event type x market x local day, from the
    first day with data to the data's as-of day: clean events, the count
    expected (median of the same weekday over the previous four weeks),
    completeness, the share that landed late (more than 24 hours after it
    happened), duplicate copies and quarantined rows, how stale the
    event type's feed is for the market (as-of time - latest ingested_at),
    and the raw files rejected whole (base_events__files) that landed on the
    day: their rows are unread, so any event type and market of that day
    may be short (a file without a valid partition counts on the as-of day).
-#}
{%- set late_after_hours = 24 -%}

with

events as (
    select * from {{ ref('base_events__deduplicated') }}
),

duplicates as (
    select * from {{ ref('base_events__duplicates') }}
),

quarantined as (
    select * from {{ ref('base_events__quarantined') }}
),

calendar as (
    select * from {{ ref('dim_dates') }}
),

event_files as (
    select * from {{ ref('base_events__files') }}
),

markets as (
    select * from {{ ref('dim_markets') }}
),

event_types as (
    {%- for event_type in event_contract() %}
        select '{{ event_type }}' as event_type
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

as_of as (
    select as_of_at
    from {{ ref('int_period_completeness') }}
    where geography_level = 'global'
),

data_days as (
    select calendar.date_day as local_date
    from calendar
    where
        calendar.date_day
        >= (
            select min(events.occurred_local_date) as first_local_date
            from events
        )
        and calendar.date_day
        <= (
            select cast(max(as_of.as_of_at) as date) as as_of_date
            from as_of
        )
),

grid as (
    select
        event_types.event_type,
        markets.market_code,
        data_days.local_date
    from event_types
    cross join markets
    cross join data_days
),

event_counts as (
    select
        event_type,
        market_code,
        occurred_local_date as local_date,
        count(*) as events,
        {{ count_if(
            'ingested_at > ' ~ dbt.dateadd('hour', late_after_hours, 'occurred_at')
        ) }} as late_events,
        max(ingested_at) as latest_ingested_at
    from events
    group by event_type, market_code, occurred_local_date
),

duplicate_counts as (
    select
        event_type,
        market_code,
        occurred_local_date as local_date,
        count(*) as duplicate_copies
    from duplicates
    group by event_type, market_code, occurred_local_date
),

quarantine_counts as (
    select
        event_type,
        market_code,
        occurred_local_date as local_date,
        count(*) as quarantined_rows
    from quarantined
    where occurred_local_date is not null
    group by event_type, market_code, occurred_local_date
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

daily as (
    select
        grid.event_type,
        grid.market_code,
        grid.local_date,
        coalesce(event_counts.events, 0) as events,
        coalesce(event_counts.late_events, 0) as late_events,
        event_counts.latest_ingested_at,
        coalesce(duplicate_counts.duplicate_copies, 0) as duplicate_copies,
        coalesce(quarantine_counts.quarantined_rows, 0) as quarantined_rows
    from grid
    left join event_counts
        on
            grid.event_type = event_counts.event_type
            and grid.market_code = event_counts.market_code
            and grid.local_date = event_counts.local_date
    left join duplicate_counts
        on
            grid.event_type = duplicate_counts.event_type
            and grid.market_code = duplicate_counts.market_code
            and grid.local_date = duplicate_counts.local_date
    left join quarantine_counts
        on
            grid.event_type = quarantine_counts.event_type
            and grid.market_code = quarantine_counts.market_code
            and grid.local_date = quarantine_counts.local_date
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
        daily.event_type,
        daily.market_code,
        daily.local_date,
        cast({{ dbt.dateadd(
            'day', '-weeks_back.days_back', 'daily.local_date'
        ) }} as date) as baseline_date
    from daily
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
    inner join daily as history
        on
            baseline_days.event_type = history.event_type
            and baseline_days.market_code = history.market_code
            and baseline_days.baseline_date = history.local_date
    group by
        baseline_days.event_type,
        baseline_days.market_code,
        baseline_days.local_date
),

final as (
    select
        daily.event_type,
        daily.market_code,
        daily.local_date,
        daily.events,
        expected.expected_events,
        coalesce(expected.baseline_weeks, 0) as baseline_weeks,
        {{ safe_divide('daily.events', 'expected.expected_events') }}
            as completeness_ratio,
        daily.late_events,
        {{ safe_divide('daily.late_events', 'daily.events') }}
            as late_event_share,
        daily.duplicate_copies,
        daily.quarantined_rows,
        {{ safe_divide(
            'daily.quarantined_rows', 'daily.events + daily.quarantined_rows'
        ) }} as quarantine_share,
        daily.latest_ingested_at,
        feed_freshness.feed_latest_ingested_at,
        as_of.as_of_at,
        {{ dbt.datediff(
            'feed_freshness.feed_latest_ingested_at', 'as_of.as_of_at', 'second'
        ) }} / {{ float_literal('3600.0') }} as feed_freshness_lag_hours,
        coalesce(rejected_file_days.rejected_files, 0) as rejected_files,
        rejected_file_days.rejected_file_rows
    from daily
    cross join as_of
    left join expected
        on
            daily.event_type = expected.event_type
            and daily.market_code = expected.market_code
            and daily.local_date = expected.local_date
    left join feed_freshness
        on
            daily.event_type = feed_freshness.event_type
            and daily.market_code = feed_freshness.market_code
    left join rejected_file_days
        on daily.local_date = rejected_file_days.local_date
)

select * from final
