{#-
    The one skeleton of the daily domain marts (buyer_experience_daily,
    governance_daily, operations_daily): market x local date, wide, with
    the market's region and stage on the day, from the long metric store.
    Nothing is computed here: parts are the sums of
    fct_metric_components_daily and values are int_metric_values at day x
    market, so a rate shows the same number as in metric_values.

    date_column names the mart's date column. columns lists the mart's
    metric columns in order, each (column name, metric_id, part[, data
    type]):
    - numerator, denominator, open_cohort_orders: the component, summed;
      0 on a day without one (a count never shows null for "nothing
      happened"); bigint unless a type is given;
    - value: the metric's value from the store, double (null where the
      metric is undefined, e.g. a ratio whose denominator is 0);
    - is_mature: the store's maturity flag of the metric, boolean.
    A mart has a row for each market-day with a component of any of the
    metrics it names.
-#}
{% macro domain_daily_mart(date_column, columns) %}
    {%- set store_parts = ['value', 'is_mature'] -%}
    {%- set metric_ids = [] -%}
    {%- set component_columns = [] -%}
    {%- set store_columns = [] -%}
    {%- for column in columns -%}
        {%- if column[1] not in metric_ids -%}
            {%- do metric_ids.append(column[1]) -%}
        {%- endif -%}
        {%- if column[2] in store_parts -%}
            {%- do store_columns.append(column) -%}
        {%- else -%}
            {%- do component_columns.append(
                (column[1], column[2]) + column[0:1] + column[3:]) -%}
        {%- endif -%}
    {%- endfor %}

with

components as (
    select * from {{ ref('fct_metric_components_daily') }}
),

metric_values as (
    select * from {{ ref('int_metric_values') }}
),

markets as (
    select * from {{ ref('dim_markets') }}
),

stage_days as (
    select * from {{ ref('dim_market_days') }}
),

daily_parts as (
    select
        market_code,
        metric_date,
        {{ pivot_metric_components(component_columns) }}
    from components
    where metric_id in ({{ quoted_list(metric_ids) }})
    group by market_code, metric_date
),

daily_values as (
    select
        geo_code as market_code,
        period_start as metric_date,
        {%- for column_name, metric_id, part in store_columns %}
            {%- if part == 'value' %}
                cast(max(
                    case when metric_id = '{{ metric_id }}' then value end
                ) as {{ dbt.type_float() }}) as {{ column_name }}
            {%- else %}
                max(
                    case
                        when metric_id = '{{ metric_id }}'
                            then case when is_mature then 1 else 0 end
                    end
                ) = 1 as {{ column_name }}
            {%- endif %}
            {{- ',' if not loop.last }}
        {%- endfor %}
    from metric_values
    where
        time_grain = 'day'
        and geo_level = 'market'
        and metric_id in ({{ quoted_list(metric_ids) }})
    group by geo_code, period_start
),

final as (
    select
        daily_parts.market_code,
        markets.region,
        stage_days.development_stage,
        daily_parts.metric_date as {{ date_column }},
        {%- for column in columns %}
            {%- if column[2] in store_parts %}
                daily_values.{{ column[0] }}
            {%- else %}
                daily_parts.{{ column[0] }}
            {%- endif %}
            {{- ',' if not loop.last }}
        {%- endfor %}
    from daily_parts
    inner join markets
        on daily_parts.market_code = markets.market_code
    left join daily_values
        on
            daily_parts.market_code = daily_values.market_code
            and daily_parts.metric_date = daily_values.metric_date
    left join stage_days
        on
            daily_parts.market_code = stage_days.market_code
            and daily_parts.metric_date = stage_days.date_day
)

select * from final
{%- endmacro %}
