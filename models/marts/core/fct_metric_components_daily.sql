{#-
    The additive parts of every daily catalogue metric, long: one row per
    metric x market x local date with its numerator and denominator (null
    for counts and sums). Rolled-up values are recomputed from these parts,
    never averaged. Percentiles are not additive and are computed from the
    facts where needed; the monthly cost metrics live in
    fct_cost_components_monthly.

    Generated from macros/metric_components.sql, the one definition of each
    metric's numerator and denominator and of the fact rows they count
    (a test proves it matches the catalogue seed): add a metric there, not
    here.

    open_cohort_orders counts orders whose 60-day defect window is still
    open, so an order-cohort value can say whether it is mature.

    A part that cannot be known is null, never 0, with missing_part_reason:
    fx_rate_missing for USD sums on a day with an order whose currency has
    no rate for its month.
-#}
{%- set sources = metric_component_sources() -%}
{%- set components = metric_components() -%}
{%- set facts = [] -%}
{%- for source in sources.values() if source.fact not in facts -%}
    {%- do facts.append(source.fact) -%}
{%- endfor -%}
{%- set no_reason = 'cast(null as ' ~ dbt.type_string() ~ ')' -%}

with

{% for fact in facts %}
    {{ fact }} as (
        select * from {{ ref(fact) }}
    ),
{% endfor %}

{%- for metric_id, component in components.items() %}
    {%- for date_key in [component.attribution_date,
        component.get('denominator_attribution_date')]
        if date_key and date_key not in sources %}
        {{ exceptions.raise_compiler_error(
            'metric_components(): ' ~ metric_id ~ ' names attribution date '
            ~ date_key ~ ', which metric_component_sources() does not define'
        ) }}
    {%- endfor %}
    {%- set source = sources[component.attribution_date] %}
    {%- if component.denominator_attribution_date is defined %}
        {%- set other = sources[component.denominator_attribution_date] %}

        {{ metric_id }}__numerator as (
            select
                market_code,
                {{ source.date_column }} as metric_date,
                {{ component.numerator }} as numerator
            from {{ source.fact }}
            {%- if source.where %}
                where {{ source.where }}
            {%- endif %}
            group by market_code, {{ source.date_column }}
        ),

        {{ metric_id }}__denominator as (
            select
                market_code,
                {{ other.date_column }} as metric_date,
                {{ component.denominator }} as denominator
            from {{ other.fact }}
            {%- if other.where %}
                where {{ other.where }}
            {%- endif %}
            group by market_code, {{ other.date_column }}
        ),

        {{ metric_id }}__parts as (
            select
                '{{ metric_id }}' as metric_id,
                coalesce(
                    {{ metric_id }}__numerator.market_code,
                    {{ metric_id }}__denominator.market_code
                ) as market_code,
                coalesce(
                    {{ metric_id }}__numerator.metric_date,
                    {{ metric_id }}__denominator.metric_date
                ) as metric_date,
                coalesce({{ metric_id }}__numerator.numerator, 0)
                    as numerator,
                {{ metric_id }}__denominator.denominator,
                0 as open_cohort_orders,
                {{ no_reason }} as missing_part_reason
            from {{ metric_id }}__numerator
            full outer join {{ metric_id }}__denominator
                on
                    {{ metric_id }}__numerator.market_code
                    = {{ metric_id }}__denominator.market_code
                    and {{ metric_id }}__numerator.metric_date
                    = {{ metric_id }}__denominator.metric_date
        ),
    {%- else %}
        {%- if component.unknown_when is defined %}
            {%- set unknown = count_if(component.unknown_when) ~ ' > 0' %}
            {%- set numerator = 'case when not ' ~ unknown ~ ' then '
                ~ component.numerator ~ ' end' %}
            {%- set reason = 'case when ' ~ unknown ~ " then '"
                ~ component.unknown_reason ~ "' end" %}
        {%- else %}
            {%- set numerator = component.numerator %}
            {%- set reason = no_reason %}
        {%- endif %}

        {{ metric_id }}__parts as (
            select
                '{{ metric_id }}' as metric_id,
                market_code,
                {{ source.date_column }} as metric_date,
                {{ numerator }} as numerator,
                {{ component.denominator or 'null' }} as denominator,
                {{ source.open_cohort_orders or 0 }} as open_cohort_orders,
                {{ reason }} as missing_part_reason
            from {{ source.fact }}
            {%- if source.where %}
                where {{ source.where }}
            {%- endif %}
            group by market_code, {{ source.date_column }}
        ),
    {%- endif %}
{%- endfor %}

all_parts as (
    {%- for metric_id in components %}
        select * from {{ metric_id }}__parts
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

final as (
    select
        metric_id,
        market_code,
        metric_date,
        cast(numerator as {{ dbt.type_float() }}) as numerator,
        cast(denominator as {{ dbt.type_float() }}) as denominator,
        cast(open_cohort_orders as {{ dbt.type_bigint() }})
            as open_cohort_orders,
        missing_part_reason
    from all_parts
)

select * from final
