{#-
    Each compared month (int_metric_months_compared) against its current
    target: for market rows the market-scope target, for GLOBAL the global
    one (int_targets_resolved, the targets target_attainment judges). The
    gap, absolute and relative, and its z with the target as the null
    hypothesis, by the metric's monthly test (int_metric_test_design) and
    the shared rules of macros/statistics.sql:

    - ratios: the target rate's own variance (p (1 - p), or p for
      contact_rate) over the month's denominator;
    - counts and sums: the month's daily variance (floored at the daily mean
      for counts) summed over its days;
    - means and percentiles: c / N (percentiles on the log scale);
    - cost ratios: the spread of their monthly history.

    Only complete months have a z.
-#}
with

compared as (
    select * from {{ ref('int_metric_months_compared') }}
),

resolved_targets as (
    select * from {{ ref('int_targets_resolved') }}
),

design as (
    select * from {{ ref('int_metric_test_design') }}
),

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

targets as (
    select
        metric_id,
        target_month,
        case
            when scope_type = 'global' then 'global'
            else 'market'
        end as geo_level,
        scope_code as geo_code,
        current_target
    from resolved_targets
    where scope_type in ('global', 'market')
),

joined as (
    select
        compared.*,
        design.is_log_scale,
        design.has_count_floor,
        catalogue.value_multiplier,
        targets.current_target,
        targets.current_target / nullif(catalogue.value_multiplier, 0)
            as target_proportion
    from compared
    inner join design
        on compared.metric_id = design.metric_id
    inner join catalogue
        on compared.metric_id = catalogue.metric_id
    left join targets
        on
            compared.metric_id = targets.metric_id
            and compared.month_start = targets.target_month
            and compared.geo_level = targets.geo_level
            and compared.geo_code = targets.geo_code
),

final as (
    select
        metric_id,
        geo_level,
        geo_code,
        month_start,
        current_target,
        value - current_target as gap_to_target,
        {{ safe_divide('(value - current_target)', 'abs(current_target)') }}
            as relative_gap_to_target,
        case
            when not is_month_complete or current_target is null then null
            when
                significance_test in ('two_proportion', 'poisson_rate')
                and {{ proportion_variance(
                    'significance_test', 'target_proportion'
                ) }} > 0
                and denominator > 0
                then {{ one_sample_z(
                    'value / value_multiplier - target_proportion',
                    proportion_variance('significance_test', 'target_proportion')
                    ~ ' / denominator'
                ) }}
            when
                significance_test = 'daily_history'
                and days_with_data > 1
                then {{ one_sample_z(
                    'value - current_target',
                    'days_with_data * ' ~ floored_variance(
                        'daily_variance', 'daily_mean', 'has_count_floor'
                    )
                ) }}
            when
                significance_test = 'weighted_mean'
                and is_log_scale
                and value > 0
                and current_target > 0
                and denominator > 0
                then {{ one_sample_z(
                    on_test_scale('value', 'is_log_scale')
                    ~ ' - ' ~ on_test_scale('current_target', 'is_log_scale'),
                    'sample_variance_constant / denominator'
                ) }}
            when
                significance_test = 'weighted_mean'
                and denominator > 0
                then {{ one_sample_z(
                    'value - current_target',
                    'sample_variance_constant / denominator'
                ) }}
            when significance_test = 'monthly_history'
                then (value - current_target) / nullif(history_sd, 0)
        end as z_vs_target
    from joined
)

select * from final
