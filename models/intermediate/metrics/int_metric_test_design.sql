{#-
    How each catalogue metric is tested, decided once for the daily
    anomalies, the monthly comparisons and the position against target.

    - Test kind, by what a value is: a ratio of counts whose numerator is a
      subset of its denominator is a proportion (two_proportion); any other
      ratio (contact_rate, tickets per order) a Poisson rate (poisson_rate);
      counts and sums are compared through their daily values (by day: the
      same weekday of the baseline, weekday_baseline; by month: the two
      months' daily values, daily_history); means and percentiles are
      statistics of a daily sample, weighted by its size (weighted_mean).
      The monthly cost ratios (attributed to a posting month) have no daily
      values: they are not tested by day, and by month against their own
      monthly history (monthly_history).
    - Log scale: percentiles (skewed times to action) are tested on the log
      scale, so z compares ratios of times, not differences.
    - Count floor: a count's variance is floored at its mean (Poisson).
    - Warm-up: metrics attributed to a later event (a close, a resolution,
      an action) miss the events that follow activity from before the data
      began, so nothing is judged against a baseline that starts within
      var insight_warm_up_days of the first day of data, or within the
      lookback of repeat_offender_rate (var repeat_offender_lookback_days);
      order-cohort metrics, attributed to the placement, need none.
-#}
{%- set warm_up_days = var('insight_warm_up_days') -%}
{%- set lookback_days = var('repeat_offender_lookback_days') -%}

with

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

daily_kinds as (
    select
        metric_id,
        metric_type,
        case
            when attribution_date = 'posting_month' then null
            when metric_type = 'ratio' and unit = 'ratio'
                then 'two_proportion'
            when metric_type = 'ratio' then 'poisson_rate'
            when metric_type in ('count', 'sum') then 'weekday_baseline'
            else 'weighted_mean'
        end as daily_test_kind,
        metric_type = 'percentile' as is_log_scale,
        metric_type = 'count' as has_count_floor,
        case
            when is_order_cohort then 0
            when metric_id = 'repeat_offender_rate' then {{ lookback_days }}
            else {{ warm_up_days }}
        end as warm_up_days
    from catalogue
),

final as (
    select
        metric_id,
        metric_type,
        daily_test_kind,
        case
            when daily_test_kind is null then 'monthly_history'
            when daily_test_kind = 'weekday_baseline' then 'daily_history'
            else daily_test_kind
        end as monthly_test_kind,
        is_log_scale,
        has_count_floor,
        warm_up_days
    from daily_kinds
)

select * from final
