{#-
    macros/metric_components.sql, the definition fct_metric_components_daily
    is generated from, agrees with the catalogue seed: every daily additive
    catalogue metric (not a percentile, not a monthly cost metric) has a
    definition and nothing else does, with the catalogue's attribution date,
    and a denominator exactly when the catalogue's type is ratio or mean.
    Returns the disagreements.
-#}
{%- set components = metric_components() -%}

with

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

definitions as (
    {%- for metric_id, component in components.items() %}
        select
            '{{ metric_id }}' as metric_id,
            '{{ component.attribution_date }}' as attribution_date,
            {{ 'true' if component.denominator else 'false' }}
                as has_denominator
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

daily_catalogue as (
    select
        metric_id,
        attribution_date,
        metric_type in ('ratio', 'mean') as has_denominator
    from catalogue
    where
        metric_type <> 'percentile'
        and attribution_date <> 'posting_month'
),

final as (
    select
        coalesce(definitions.metric_id, daily_catalogue.metric_id)
            as metric_id,
        definitions.attribution_date as defined_attribution_date,
        daily_catalogue.attribution_date as catalogue_attribution_date,
        definitions.has_denominator as defined_has_denominator,
        daily_catalogue.has_denominator as catalogue_has_denominator
    from definitions
    full outer join daily_catalogue
        on definitions.metric_id = daily_catalogue.metric_id
    where
        definitions.metric_id is null
        or daily_catalogue.metric_id is null
        or definitions.attribution_date <> daily_catalogue.attribution_date
        or definitions.has_denominator <> daily_catalogue.has_denominator
)

select * from final
