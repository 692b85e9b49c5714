{#-
    What arrived, per event type x market x local day, from the first day
    with data to the data's as-of day (every combination, zero-filled): the
    clean events, those that landed late (more than 24 hours after they
    happened), their latest landing, duplicate copies and quarantined rows.
    int_event_days_assessed judges these counts against their history.

    The calendar comes from calendar_day_spine and the markets from the
    markets seed, so this step sits below the marts that judge it. The first
    day is the first local day of a valid row (a clean event or a repeated
    copy of one; a quarantined row's date may be implausible).

    Incremental (macros/engine/incremental_state.sql): a run recounts the
    local days of the rows loaded since its last run and of every copy (and
    entity key) whose kept copy they can change, plus the calendar days not
    counted yet (the days up to the new as-of time).
-#}
{{ config(**keyed_incremental_config(
    ['event_type', 'market_code', 'local_date'], ['markets']
)) }}
{%- set late_after_hours = 24 -%}

with
{% if is_incremental() %}
touched as (
    {{ touched_repeat_keys() }}
),

touched_dates as (
    select distinct occurred_local_date as local_date
    from {{ ref('base_events__validated') }}
    where
        occurred_local_date is not null
        and (
            {{ loaded_since_last_run() }}
            or (
                quarantine_reason_code is null
                {{- only_touched_copies('touched') }}
            )
        )
),
{% endif %}
events as (
    select * from {{ ref('base_events__deduplicated') }}
    {{- only_touched('occurred_local_date', 'touched_dates', 'local_date') }}
),

duplicates as (
    select * from {{ ref('base_events__duplicates') }}
    {{- only_touched('occurred_local_date', 'touched_dates', 'local_date') }}
),

quarantined as (
    select * from {{ ref('base_events__quarantined') }}
    {{- only_touched('occurred_local_date', 'touched_dates', 'local_date') }}
),

markets as (
    select * from {{ ref('markets') }}
),

as_of as (
    select as_of_at
    from {{ ref('int_period_completeness') }}
    where geography_level = 'global'
),

calendar as (
    {{ calendar_day_spine() }}
),

event_types as (
    {%- for event_type in event_contract() %}
        select '{{ event_type }}' as event_type
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

data_days as (
    select calendar.date_day as local_date
    from calendar
    where
        calendar.date_day
        >= (
            select min(arrived.occurred_local_date) as first_local_date
            from {{ ref('base_events__validated') }} as arrived
            where arrived.quarantine_reason_code is null
        )
        and calendar.date_day
        <= (
            select cast(max(as_of.as_of_at) as date) as as_of_date
            from as_of
        )
),

{#- On an incremental run, the days recounted: the touched ones and those
    not counted yet. #}

recounted_days as (
    select data_days.local_date
    from data_days
    {%- if is_incremental() %}
    where
        data_days.local_date in (
            select touched_dates.local_date from touched_dates
        )
        or data_days.local_date not in (
            select built.local_date from {{ this }} as built
        )
    {%- endif %}
),

grid as (
    select
        event_types.event_type,
        markets.market_code,
        recounted_days.local_date
    from event_types
    cross join markets
    cross join recounted_days
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

final as (
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
)

select * from final
