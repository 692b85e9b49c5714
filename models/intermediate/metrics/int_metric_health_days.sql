{#-
    The daily checks of metric_health: one row per catalogue metric x market
    x local day that has source data, with a level per check (0 ok, 1 warn,
    2 fail), judged over the metric's source event types (from the
    project's lineage, macros/metric_lineage.sql, not a hand-kept list) and
    taking the worst of them:

    - incomplete_level: fewer events than expected (completeness < 0.8
      warn, < 0.5 fail; only where at least var health_min_expected_events
      were expected);
    - stale_level: the event type's feed (all markets) last landed longer
      ago than the events source's freshness thresholds (vars
      events_stale_warn_after_hours, events_stale_error_after_hours), judged
      for the days on or after that last landing (older days have had their
      data delivered);
    - quarantine_level: quarantined rows exceed 5% (warn) or 20% (fail) of
      the source's rows on the day;
    - immature_level: an order-cohort value whose 60-day windows are open
      (warn);
    - anomaly_level: the day is flagged in int_metric_anomalies_daily
      (warn).

    The day's events, expected events and quarantined rows over the sources
    are kept so the month can be judged on its sums
    (int_metric_health_periods).
-#}
{%- set sources_by_metric = metric_source_event_types() -%}
{%- set min_expected = var('health_min_expected_events') -%}
{%- set stale_warn_hours = var('events_stale_warn_after_hours') -%}
{%- set stale_error_hours = var('events_stale_error_after_hours') -%}

with

availability as (
    select * from {{ ref('int_event_days_assessed') }}
),

metric_values as (
    select * from {{ ref('int_metric_values') }}
),

anomalies as (
    select * from {{ ref('int_metric_anomalies_daily') }}
),

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

metric_sources as (
    {%- for metric_id, event_types in sources_by_metric.items() %}
        {%- for event_type in event_types %}
            select
                '{{ metric_id }}' as metric_id,
                '{{ event_type }}' as event_type
            union all
        {%- endfor %}
    {%- endfor %}
    select
        cast(null as {{ dbt.type_string() }}) as metric_id,
        cast(null as {{ dbt.type_string() }}) as event_type
    where 1 = 0
),

{#- The semantic layer also defines helper metrics (numerators and
    denominators): only catalogue metrics get a health status. #}

source_days as (
    select
        metric_sources.metric_id,
        availability.market_code,
        availability.local_date,
        availability.event_type,
        availability.events,
        availability.expected_events,
        availability.completeness_ratio,
        availability.quarantined_rows,
        availability.quarantine_share
    from metric_sources
    inner join catalogue
        on metric_sources.metric_id = catalogue.metric_id
    inner join availability
        on metric_sources.event_type = availability.event_type
),

feeds as (
    select
        event_type,
        cast(max(feed_latest_ingested_at) as date) as last_landing_date,
        {{ dbt.datediff(
            'max(feed_latest_ingested_at)', 'max(as_of_at)', 'second'
        ) }} / {{ float_literal('3600.0') }} as feed_lag_hours
    from availability
    group by event_type
),

daily_source_checks as (
    select
        source_days.metric_id,
        source_days.market_code,
        source_days.local_date,
        sum(source_days.events) as events,
        sum(source_days.expected_events) as expected_events,
        sum(source_days.quarantined_rows) as quarantined_rows,
        max(case
            when
                source_days.expected_events >= {{ min_expected }}
                and source_days.completeness_ratio < 0.5 then 2
            when
                source_days.expected_events >= {{ min_expected }}
                and source_days.completeness_ratio < 0.8 then 1
            else 0
        end) as incomplete_level,
        max(case
            when source_days.local_date < feeds.last_landing_date then 0
            when feeds.feed_lag_hours > {{ stale_error_hours }} then 2
            when feeds.feed_lag_hours > {{ stale_warn_hours }} then 1
            else 0
        end) as stale_level,
        max(case
            when source_days.quarantine_share > 0.2 then 2
            when source_days.quarantine_share > 0.05 then 1
            else 0
        end) as quarantine_level
    from source_days
    inner join feeds
        on source_days.event_type = feeds.event_type
    group by
        source_days.metric_id,
        source_days.market_code,
        source_days.local_date
),

daily_flags as (
    select
        metric_values.metric_id,
        metric_values.geo_code as market_code,
        metric_values.period_start as local_date,
        not metric_values.is_mature as is_immature,
        coalesce(anomalies.is_anomaly, false) as is_anomaly
    from metric_values
    left join anomalies
        on
            metric_values.metric_id = anomalies.metric_id
            and metric_values.geo_level = anomalies.geo_level
            and metric_values.geo_code = anomalies.geo_code
            and metric_values.period_start = anomalies.metric_date
    where
        metric_values.time_grain = 'day'
        and metric_values.geo_level = 'market'
),

final as (
    select
        daily_source_checks.metric_id,
        daily_source_checks.market_code,
        daily_source_checks.local_date,
        daily_source_checks.events,
        daily_source_checks.expected_events,
        daily_source_checks.quarantined_rows,
        daily_source_checks.incomplete_level,
        daily_source_checks.stale_level,
        daily_source_checks.quarantine_level,
        case
            when
                catalogue.is_order_cohort
                and coalesce(daily_flags.is_immature, false) then 1
            else 0
        end as immature_level,
        case when coalesce(daily_flags.is_anomaly, false) then 1 else 0 end
            as anomaly_level
    from daily_source_checks
    inner join catalogue
        on daily_source_checks.metric_id = catalogue.metric_id
    left join daily_flags
        on
            daily_source_checks.metric_id = daily_flags.metric_id
            and daily_source_checks.market_code = daily_flags.market_code
            and daily_source_checks.local_date = daily_flags.local_date
)

select * from final
