{#-
    The long store of values and their parts, without health: one row per
    catalogue metric x time grain (day, week, month) x period x geography
    (market, region, global). Anomalies and health are computed from it;
    the mart metric_values joins it with metric_health.

    Every market-day that has any data carries every daily metric: counts
    are 0 there and ratios null when their denominator is 0. Region and
    global rows re-aggregate numerators and denominators (never average
    rates); percentiles are recomputed from the underlying actions for each
    grain and geography. The monthly cost metrics come in at month grain.

    A part that cannot be known (missing_part_reason: spend_not_posted,
    fx_rate_missing) is null, never 0, and so is every roll-up that
    includes it: a global month with one market not posted has no value.
-#}
{%- set grains = {
    'day': 'metric_date',
    'week': dbt.date_trunc('week', 'metric_date'),
    'month': dbt.date_trunc('month', 'metric_date'),
} -%}
{%- set geos = {
    'market': 'market_code',
    'region': 'region',
    'global': "'GLOBAL'",
} -%}
{%- set percentiles = {
    'median_time_to_action_hours': 0.5,
    'p90_time_to_action_hours': 0.9,
} -%}
{%- set rollups = [] -%}
{%- set percentile_combinations = [] -%}
{%- for grain, period in grains.items() -%}
    {%- for geo_level, geo_code in geos.items() -%}
        {%- do rollups.append((grain, period, geo_level, geo_code)) -%}
        {%- for metric_id, fraction in percentiles.items() -%}
            {%- do percentile_combinations.append((
                grain, period | replace('metric_date', 'actioned_local_date'),
                geo_level, geo_code, metric_id, fraction)) -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endfor -%}

with

components as (
    select * from {{ ref('fct_metric_components_daily') }}
),

actions as (
    select * from {{ ref('fct_enforcement_actions') }}
),

cost_monthly as (
    select * from {{ ref('fct_cost_components_monthly') }}
),

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

markets as (
    select * from {{ ref('dim_markets') }}
),

market_days as (
    select distinct
        market_code,
        metric_date
    from components
),

daily_metrics as (
    select
        metric_id,
        metric_type
    from catalogue
    where metric_id not in ('cost_per_case_usd', 'budget_utilization')
),

{#- Percentile rows take their sample size from the action count. #}

daily_grid as (
    select
        daily_metrics.metric_id,
        market_days.market_code,
        markets.region,
        market_days.metric_date,
        case
            when daily_metrics.metric_type = 'percentile' then null
            when components.missing_part_reason is not null then null
            else coalesce(components.numerator, 0)
        end as numerator,
        case
            when daily_metrics.metric_type = 'percentile'
                then coalesce(action_counts.numerator, 0)
            when daily_metrics.metric_type in ('ratio', 'mean')
                then coalesce(components.denominator, 0)
        end as denominator,
        coalesce(components.open_cohort_orders, 0) as open_cohort_orders,
        components.missing_part_reason
    from market_days
    cross join daily_metrics
    inner join markets
        on market_days.market_code = markets.market_code
    left join components
        on
            daily_metrics.metric_id = components.metric_id
            and market_days.market_code = components.market_code
            and market_days.metric_date = components.metric_date
    left join components as action_counts
        on
            action_counts.metric_id = 'enforcement_actions'
            and market_days.market_code = action_counts.market_code
            and market_days.metric_date = action_counts.metric_date
),

rolled_up as (
    {%- for grain, period, geo_level, geo_code in rollups %}
        {% if not loop.first %}union all{% endif %}
        select
            metric_id,
            '{{ grain }}' as time_grain,
            cast({{ period }} as date) as period_start,
            '{{ geo_level }}' as geo_level,
            {{ geo_code }} as geo_code,
            case
                when count(missing_part_reason) = 0 then sum(numerator)
            end as numerator,
            sum(denominator) as denominator,
            sum(open_cohort_orders) as open_cohort_orders,
            {{ distinct_sorted_list('missing_part_reason', ', ') }}
                as missing_part_reason
        from daily_grid
        group by metric_id, cast({{ period }} as date), {{ geo_code }}
    {%- endfor %}
),

percentile_values as (
    {%- for combination in percentile_combinations %}
        {%- set grain, period, geo_level, geo_code, metric_id, fraction
            = combination %}
        {% if not loop.first %}union all{% endif %}
        select
            '{{ metric_id }}' as metric_id,
            '{{ grain }}' as time_grain,
            cast({{ period }} as date) as period_start,
            '{{ geo_level }}' as geo_level,
            {{ geo_code }} as geo_code,
            percentile_cont({{ fraction }}) within group (
                order by time_to_action_hours
            ) as percentile_value
        from actions
        group by cast({{ period }} as date), {{ geo_code }}
    {%- endfor %}
),

cost_values as (
    {%- for geo_level, geo_code in geos.items() %}
        {% if not loop.first %}union all{% endif %}
        select
            metric_id,
            'month' as time_grain,
            posting_month as period_start,
            '{{ geo_level }}' as geo_level,
            {{ geo_code }} as geo_code,
            case
                when count(missing_part_reason) = 0 then sum(numerator)
            end as numerator,
            sum(denominator) as denominator,
            0 as open_cohort_orders,
            {{ distinct_sorted_list('missing_part_reason', ', ') }}
                as missing_part_reason
        from cost_monthly
        {%- if geo_level != 'global' %}
            where market_code <> 'GLOBAL'
        {%- endif %}
        group by metric_id, posting_month, {{ geo_code }}
    {%- endfor %}
),

all_values as (
    select * from rolled_up
    union all
    select * from cost_values
),

final as (
    select
        all_values.metric_id,
        all_values.time_grain,
        all_values.period_start,
        all_values.geo_level,
        all_values.geo_code,
        all_values.numerator,
        all_values.denominator,
        {{ value_from_parts(
            'catalogue.metric_type',
            'catalogue.value_multiplier',
            'cast(all_values.numerator as ' ~ dbt.type_float() ~ ')',
            'percentile_values.percentile_value',
            'all_values.numerator',
            'all_values.denominator'
        ) }} as value,
        not coalesce(
            catalogue.is_order_cohort and all_values.open_cohort_orders > 0,
            false
        ) as is_mature,
        all_values.missing_part_reason
    from all_values
    inner join catalogue
        on all_values.metric_id = catalogue.metric_id
    left join percentile_values
        on
            all_values.metric_id = percentile_values.metric_id
            and all_values.time_grain = percentile_values.time_grain
            and all_values.period_start = percentile_values.period_start
            and all_values.geo_level = percentile_values.geo_level
            and all_values.geo_code = percentile_values.geo_code
)

select * from final
