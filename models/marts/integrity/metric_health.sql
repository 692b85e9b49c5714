{#-
    Can this figure be trusted today? One row per catalogue metric x period
    (day, week, month) x geography (market, region, global) with a status,
    ok / warn / fail, and the reasons: the verdict over the checks, each
    computed in its own step of the metric store and described there:

    - int_metric_health_days: source_incomplete, source_stale,
      quarantine_spike, cohort_immature and anomaly per market-day;
    - int_metric_health_periods: the same per week and month;
    - int_metric_health_levels: regions and the globe (the worst of their
      markets), and spend_not_posted / fx_rate_missing where a part of the
      value cannot be known;
    - int_metric_input_faults: source_file_rejected, finance_unavailable
      and the finance quarantine_spike, faults of whole raw inputs.

    The worst level decides: any 2 is fail, else any 1 is warn, else ok.
    Values and maturity come from int_metric_values, the long store without
    health (health is never computed from the mart it annotates).
-#}
with

levels as (
    select * from {{ ref('int_metric_health_levels') }}
),

input_faults as (
    select * from {{ ref('int_metric_input_faults') }}
),

{#- A fault with a null time grain applies to every period. #}

input_levels as (
    select
        levels.metric_id,
        levels.time_grain,
        levels.period_start,
        levels.geo_level,
        levels.geo_code,
        max(input_faults.input_level) as input_level,
        {{ distinct_sorted_list('input_faults.input_reason', ', ') }}
            as input_reasons
    from levels
    inner join input_faults
        on
            levels.metric_id = input_faults.metric_id
            and (
                input_faults.time_grain is null
                or (
                    levels.time_grain = input_faults.time_grain
                    and levels.period_start = input_faults.period_start
                )
            )
    group by
        levels.metric_id,
        levels.time_grain,
        levels.period_start,
        levels.geo_level,
        levels.geo_code
),

with_inputs as (
    select
        levels.metric_id,
        levels.time_grain,
        levels.period_start,
        levels.geo_level,
        levels.geo_code,
        levels.incomplete_level,
        levels.stale_level,
        levels.quarantine_level,
        levels.immature_level,
        levels.anomaly_level,
        levels.not_posted_level,
        levels.fx_missing_level,
        coalesce(input_levels.input_level, 0) as input_level,
        input_levels.input_reasons
    from levels
    left join input_levels
        on
            levels.metric_id = input_levels.metric_id
            and levels.time_grain = input_levels.time_grain
            and levels.period_start = input_levels.period_start
            and levels.geo_level = input_levels.geo_level
            and levels.geo_code = input_levels.geo_code
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
