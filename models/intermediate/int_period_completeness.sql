{#-
    Which periods have ended as of the data, per geography: one row for each
    market, each region and the globe, with the data's as-of time and the
    last complete local day, week (Monday) and month.

    A market-local day is complete when it has ended in the market's time
    zone at the as-of time, or when the data has landed through that UTC
    date. The event log is delivered in UTC-day partitions, so once a UTC day
    has landed its local day counts as complete in every market, including
    those west of UTC whose last hours arrive with the next partition (that
    is why the latest month stays provisional). A UTC day has landed when the
    as-of time is within var day_landed_tolerance_minutes of its end.

    A week or month is complete when its last day is. A region or the globe
    has completed a period only when every one of its markets has. The latest
    complete month is provisional while the data is complete through fewer
    than var period_provisional_days days after it.
-#}
{%- set tolerance_minutes = var('day_landed_tolerance_minutes') -%}
{%- set provisional_days = var('period_provisional_days') -%}

with

markets as (
    select * from {{ ref('markets') }}
),

as_of as (
    select
        cast({{ data_as_of() }} as timestamp) as as_of_at
),

landed as (
    select
        as_of_at,
        cast(
            {{ dbt.dateadd(
                'day',
                -1,
                'cast(' ~ dbt.dateadd(
                    'minute', tolerance_minutes, 'as_of_at'
                ) ~ ' as date)'
            ) }} as date
        ) as last_landed_utc_date
    from as_of
),

market_days as (
    select
        'market' as geography_level,
        markets.market_code as geography,
        markets.region,
        landed.as_of_at,
        greatest(
            landed.last_landed_utc_date,
            cast({{ dbt.dateadd(
                'day',
                -1,
                to_local_date('landed.as_of_at', 'markets.reporting_timezone')
            ) }} as date)
        ) as last_complete_local_date
    from markets
    cross join landed
),

region_days as (
    select
        'region' as geography_level,
        region as geography,
        min(as_of_at) as as_of_at,
        min(last_complete_local_date) as last_complete_local_date
    from market_days
    group by region
),

global_days as (
    select
        'global' as geography_level,
        'GLOBAL' as geography,
        min(as_of_at) as as_of_at,
        min(last_complete_local_date) as last_complete_local_date
    from market_days
),

geography_days as (
    select
        geography_level,
        geography,
        as_of_at,
        last_complete_local_date
    from market_days
    union all
    select
        geography_level,
        geography,
        as_of_at,
        last_complete_local_date
    from region_days
    union all
    select
        geography_level,
        geography,
        as_of_at,
        last_complete_local_date
    from global_days
),

periods as (
    select
        geography_level,
        geography,
        as_of_at,
        last_complete_local_date,
        cast({{ dbt.dateadd(
            'day',
            -7,
            dbt.date_trunc(
                'week', dbt.dateadd('day', 1, 'last_complete_local_date')
            )
        ) }} as date) as last_complete_week_start,
        cast({{ dbt.dateadd(
            'month',
            -1,
            dbt.date_trunc(
                'month', dbt.dateadd('day', 1, 'last_complete_local_date')
            )
        ) }} as date) as last_complete_month_start
    from geography_days
),

final as (
    select
        geography_level,
        geography,
        as_of_at,
        last_complete_local_date,
        last_complete_week_start,
        last_complete_month_start,
        cast({{ dbt.dateadd(
            'day',
            provisional_days,
            dbt.last_day('last_complete_month_start', 'month')
        ) }} as date) as provisional_until_local_date,
        last_complete_local_date < cast({{ dbt.dateadd(
            'day',
            provisional_days,
            dbt.last_day('last_complete_month_start', 'month')
        ) }} as date) as is_latest_month_provisional
    from periods
)

select * from final
