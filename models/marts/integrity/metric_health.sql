{#-
    Can this figure be trusted today? One row per catalogue metric x period
    (day, week, month) x geography (market, region, global) with a status,
    ok / warn / fail, and the reasons (a region or the globe takes the worst
    of its markets; a week the worst of its days):

    - source_incomplete: a source event type has fewer events than expected
      (completeness < 0.8 warn, < 0.5 fail; only where at least
      var health_min_expected_events events were expected);
    - source_stale: the source event type's feed (all markets) last landed
      longer ago than the events source's freshness thresholds (vars
      events_stale_warn_after_hours, events_stale_error_after_hours),
      judged for the days on or after that last landing (older days have had
      their data delivered);
    - quarantine_spike: quarantined rows of a source exceed 5% (warn) or
      20% (fail) of its rows on the day;
    - cohort_immature: an order-cohort value whose 60-day windows are open;
    - anomaly: the day is flagged in int_metric_anomalies_daily, the one
      anomaly definition (a weekday baseline of four weeks, day or week
      |z| >= var anomaly_z_threshold) that metric_anomalies_daily shows.

    - spend_not_posted (warn): a cost value whose spend finance has not
      posted for the market and month (the value is null, not 0);
    - fx_rate_missing (fail): a USD value with a part whose currency has no
      FX rate for its month (the value is null; the build warns naming the
      currency and month, macros/warn_missing_fx_rates.sql).
    These two are read, for every grain and geography, from the
    missing_part_reason of int_metric_values.

    Values and maturity come from int_metric_values, the long store
    without health (health is never computed from the mart it annotates).

    - source_file_rejected (fail): a raw event file was rejected whole on a
      day of the period (data_availability.rejected_files), for every metric
      fed by events;
    - finance_unavailable (fail): the finance spend file is missing or
      malformed (base_finance__files), for the cost metrics, every period;
      quarantine_spike also counts quarantined finance lines of the month
      (same 5% / 20% thresholds) for the cost metrics' month rows.

    A metric's source event types come from the project's lineage
    (macros/metric_lineage.sql), not from a hand-kept list.
-#}
{%- set sources_by_metric = metric_source_event_types() -%}
{%- set min_expected = var('health_min_expected_events') -%}
{%- set stale_warn_hours = var('events_stale_warn_after_hours') -%}
{%- set stale_error_hours = var('events_stale_error_after_hours') -%}
{%- set cost_metrics = ['cost_per_case_usd', 'budget_utilization'] -%}

with

availability as (
    select * from {{ ref('data_availability') }}
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

markets as (
    select * from {{ ref('dim_markets') }}
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

daily_checks as (
    select
        daily_source_checks.metric_id,
        daily_source_checks.market_code,
        daily_source_checks.local_date,
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
),

monthly_checks as (
    select
        source_days.metric_id,
        source_days.market_code,
        cast({{ dbt.date_trunc('month', 'source_days.local_date') }} as date)
            as period_start,
        sum(source_days.events) as events,
        sum(source_days.expected_events) as expected_events,
        sum(source_days.quarantined_rows) as quarantined_rows
    from source_days
    group by
        source_days.metric_id,
        source_days.market_code,
        cast({{ dbt.date_trunc('month', 'source_days.local_date') }} as date)
),

monthly_levels as (
    select
        monthly_checks.metric_id,
        monthly_checks.market_code,
        monthly_checks.period_start,
        case
            when monthly_checks.events < 0.5 * monthly_checks.expected_events
                then 2
            when monthly_checks.events < 0.8 * monthly_checks.expected_events
                then 1
            else 0
        end as incomplete_level,
        max(daily_checks.stale_level) as stale_level,
        case
            when
                monthly_checks.quarantined_rows
                > 0.2
                * (monthly_checks.events + monthly_checks.quarantined_rows)
                then 2
            when
                monthly_checks.quarantined_rows
                > 0.05
                * (monthly_checks.events + monthly_checks.quarantined_rows)
                then 1
            else 0
        end as quarantine_level,
        max(daily_checks.immature_level) as immature_level,
        0 as anomaly_level
    from monthly_checks
    left join daily_checks
        on
            monthly_checks.metric_id = daily_checks.metric_id
            and monthly_checks.market_code = daily_checks.market_code
            and monthly_checks.period_start
            = cast(
                {{ dbt.date_trunc('month', 'daily_checks.local_date') }} as date
            )
    group by
        monthly_checks.metric_id,
        monthly_checks.market_code,
        monthly_checks.period_start,
        monthly_checks.events,
        monthly_checks.expected_events,
        monthly_checks.quarantined_rows
),

market_levels as (
    select
        metric_id,
        market_code,
        'day' as time_grain,
        local_date as period_start,
        incomplete_level,
        stale_level,
        quarantine_level,
        immature_level,
        anomaly_level
    from daily_checks
    union all
    select
        metric_id,
        market_code,
        'week' as time_grain,
        cast({{ dbt.date_trunc('week', 'local_date') }} as date)
            as period_start,
        max(incomplete_level) as incomplete_level,
        max(stale_level) as stale_level,
        max(quarantine_level) as quarantine_level,
        max(immature_level) as immature_level,
        max(anomaly_level) as anomaly_level
    from daily_checks
    group by
        metric_id,
        market_code,
        cast({{ dbt.date_trunc('week', 'local_date') }} as date)
    union all
    select
        metric_id,
        market_code,
        'month' as time_grain,
        period_start,
        incomplete_level,
        stale_level,
        quarantine_level,
        immature_level,
        anomaly_level
    from monthly_levels
),

{#- A region or the globe is as healthy as its least healthy market. #}

all_levels as (
    select
        metric_id,
        time_grain,
        period_start,
        'market' as geo_level,
        market_code as geo_code,
        incomplete_level,
        stale_level,
        quarantine_level,
        immature_level,
        anomaly_level
    from market_levels
    {%- for geo_level, geo_code in [
        ('region', 'markets.region'), ('global', "'GLOBAL'")] %}
        union all
        select
            market_levels.metric_id,
            market_levels.time_grain,
            market_levels.period_start,
            '{{ geo_level }}' as geo_level,
            {{ geo_code }} as geo_code,
            max(market_levels.incomplete_level) as incomplete_level,
            max(market_levels.stale_level) as stale_level,
            max(market_levels.quarantine_level) as quarantine_level,
            max(market_levels.immature_level) as immature_level,
            max(market_levels.anomaly_level) as anomaly_level
        from market_levels
        inner join markets
            on market_levels.market_code = markets.market_code
        group by
            market_levels.metric_id,
            market_levels.time_grain,
            market_levels.period_start,
            {{ geo_code }}
    {%- endfor %}
),

{#- Parts that cannot be known, at every grain and geography. #}

value_gaps as (
    select
        metric_id,
        time_grain,
        period_start,
        geo_level,
        geo_code,
        case
            when missing_part_reason like '%spend_not_posted%' then 1 else 0
        end as not_posted_level,
        case
            when missing_part_reason like '%fx_rate_missing%' then 2 else 0
        end as fx_missing_level
    from metric_values
    where missing_part_reason is not null
),

gapped_levels as (
    select
        coalesce(all_levels.metric_id, value_gaps.metric_id) as metric_id,
        coalesce(all_levels.time_grain, value_gaps.time_grain) as time_grain,
        coalesce(all_levels.period_start, value_gaps.period_start)
            as period_start,
        coalesce(all_levels.geo_level, value_gaps.geo_level) as geo_level,
        coalesce(all_levels.geo_code, value_gaps.geo_code) as geo_code,
        coalesce(all_levels.incomplete_level, 0) as incomplete_level,
        coalesce(all_levels.stale_level, 0) as stale_level,
        coalesce(all_levels.quarantine_level, 0) as quarantine_level,
        coalesce(all_levels.immature_level, 0) as immature_level,
        coalesce(all_levels.anomaly_level, 0) as anomaly_level,
        coalesce(value_gaps.not_posted_level, 0) as not_posted_level,
        coalesce(value_gaps.fx_missing_level, 0) as fx_missing_level
    from all_levels
    full outer join value_gaps
        on
            all_levels.metric_id = value_gaps.metric_id
            and all_levels.time_grain = value_gaps.time_grain
            and all_levels.period_start = value_gaps.period_start
            and all_levels.geo_level = value_gaps.geo_level
            and all_levels.geo_code = value_gaps.geo_code
),

{#- Faults of whole raw inputs, by metric and period; a null time_grain
    applies to every period. The cost metrics are monthly, so quarantined
    spend lines count on their posting month (on every period when the
    month itself is unreadable). #}

file_fault_days as (
    select local_date
    from availability
    group by local_date
    having max(rejected_files) > 0
),

finance_lines as (
    select
        cast({{ dbt.date_trunc(
            'month', dbt.safe_cast('posting_month_text', 'date')
        ) }} as date) as posting_month,
        count(*) as spend_lines,
        {{ count_if('quarantine_reason_code is not null') }}
            as quarantined_lines
    from {{ ref('base_finance__validated') }}
    group by
        cast({{ dbt.date_trunc(
            'month', dbt.safe_cast('posting_month_text', 'date')
        ) }} as date)
),

event_metrics as (
    select distinct metric_id
    from metric_sources
),

file_fault_periods as (
    select
        'day' as time_grain,
        local_date as period_start
    from file_fault_days
    union
    select
        'week' as time_grain,
        cast({{ dbt.date_trunc('week', 'local_date') }} as date)
            as period_start
    from file_fault_days
    union
    select
        'month' as time_grain,
        cast({{ dbt.date_trunc('month', 'local_date') }} as date)
            as period_start
    from file_fault_days
),

input_faults as (
    select
        event_metrics.metric_id,
        file_fault_periods.time_grain,
        file_fault_periods.period_start,
        2 as input_level,
        'source_file_rejected' as input_reason
    from event_metrics
    cross join file_fault_periods
    {%- for metric_id in cost_metrics %}
        union all
        select
            '{{ metric_id }}' as metric_id,
            null as time_grain,
            null as period_start,
            2 as input_level,
            'finance_unavailable' as input_reason
        from {{ ref('base_finance__files') }}
        where file_status = 'rejected'
        union all
        select
            '{{ metric_id }}' as metric_id,
            case
                when posting_month is not null then 'month'
            end as time_grain,
            posting_month as period_start,
            case
                when quarantined_lines > 0.2 * spend_lines then 2 else 1
            end as input_level,
            'quarantine_spike' as input_reason
        from finance_lines
        where quarantined_lines > 0.05 * spend_lines
    {%- endfor %}
),

input_levels as (
    select
        gapped_levels.metric_id,
        gapped_levels.time_grain,
        gapped_levels.period_start,
        gapped_levels.geo_level,
        gapped_levels.geo_code,
        max(input_faults.input_level) as input_level,
        string_agg(
            distinct input_faults.input_reason, ', '
            order by input_faults.input_reason
        ) as input_reasons
    from gapped_levels
    inner join input_faults
        on
            gapped_levels.metric_id = input_faults.metric_id
            and (
                input_faults.time_grain is null
                or (
                    gapped_levels.time_grain = input_faults.time_grain
                    and gapped_levels.period_start = input_faults.period_start
                )
            )
    group by
        gapped_levels.metric_id,
        gapped_levels.time_grain,
        gapped_levels.period_start,
        gapped_levels.geo_level,
        gapped_levels.geo_code
),

with_inputs as (
    select
        gapped_levels.*,
        coalesce(input_levels.input_level, 0) as input_level,
        input_levels.input_reasons
    from gapped_levels
    left join input_levels
        on
            gapped_levels.metric_id = input_levels.metric_id
            and gapped_levels.time_grain = input_levels.time_grain
            and gapped_levels.period_start = input_levels.period_start
            and gapped_levels.geo_level = input_levels.geo_level
            and gapped_levels.geo_code = input_levels.geo_code
),

final as (
    select
        metric_id,
        time_grain,
        period_start,
        geo_level,
        geo_code,
        case
            when greatest(
                incomplete_level, stale_level, quarantine_level,
                immature_level, anomaly_level, not_posted_level,
                fx_missing_level, input_level
            ) = 2 then 'fail'
            when greatest(
                incomplete_level, stale_level, quarantine_level,
                immature_level, anomaly_level, not_posted_level,
                fx_missing_level, input_level
            ) = 1 then 'warn'
            else 'ok'
        end as health_status,
        nullif(concat_ws(
            ', ',
            case when incomplete_level > 0 then 'source_incomplete' end,
            case when stale_level > 0 then 'source_stale' end,
            case when quarantine_level > 0 then 'quarantine_spike' end,
            case when immature_level > 0 then 'cohort_immature' end,
            case when anomaly_level > 0 then 'anomaly' end,
            case when not_posted_level > 0 then 'spend_not_posted' end,
            case when fx_missing_level > 0 then 'fx_rate_missing' end,
            input_reasons
        ), '') as health_reasons,
        incomplete_level,
        stale_level,
        quarantine_level,
        immature_level,
        anomaly_level,
        not_posted_level,
        fx_missing_level,
        input_level
    from with_inputs
)

select * from final
