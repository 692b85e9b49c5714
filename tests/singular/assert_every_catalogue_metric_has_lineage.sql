{#-
    Every catalogue metric is a MetricFlow metric whose lineage in dbt's
    graph (macros/metric_lineage.sql) reaches at least one raw source, and
    that lineage includes the feed that defines the metric's attribution date
    (an order metric reads order_placed, a cost metric the finance spend
    file, ...). Returns one row per catalogue metric that fails, with why.
-#}
{%- set lineage = metric_lineage() -%}
{%- set attribution_sources = {
    'order_local_placed_date': 'order_placed',
    'ticket_local_close_date': 'ticket_closed',
    'action_local_date': 'enforcement_actioned',
    'appeal_local_resolution_date': 'appeal_resolved',
    'listing_local_review_date': 'listing_reviewed',
    'report_local_resolution_date': 'report_resolved',
    'case_local_close_date': 'moderation_case_closed',
    'posting_month': 'finance.spend_actuals',
} -%}

with

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

attribution_sources as (
    {%- for attribution_date, source in attribution_sources.items() %}
        {% if not loop.first %}union all{% endif %}
        select
            '{{ attribution_date }}' as attribution_date,
            '{{ source }}' as expected_source
    {%- endfor %}
),

lineage as (
    {#- One row per metric and raw source, and one with a null source per
        metric (so a metric without sources still has a row): a values list,
        not a union of one-row selects (hundreds of set operators made this
        file the slowest one for sqlfluff to lint). #}
    {%- if lineage %}
        select
            lineage_rows.metric_id,
            cast(lineage_rows.lineage_source as {{ dbt.type_string() }})
                as lineage_source
        from (
            values
            {%- for metric_name, parts in lineage.items() %}
                {%- for source in parts.event_types + parts.other_sources %}
                    ('{{ metric_name }}', '{{ source }}'),
                {%- endfor %}
                ('{{ metric_name }}', null){% if not loop.last %},{% endif %}
            {%- endfor %}
        ) as lineage_rows (metric_id, lineage_source)
    {%- else %}
        select
            cast(null as {{ dbt.type_string() }}) as metric_id,
            cast(null as {{ dbt.type_string() }}) as lineage_source
        where 1 = 0
    {%- endif %}
),

metric_checks as (
    select
        catalogue.metric_id,
        catalogue.attribution_date,
        attribution_sources.expected_source,
        count(lineage.metric_id) as metric_rows,
        count(lineage.lineage_source) as lineage_sources,
        {{ count_if(
            'lineage.lineage_source = attribution_sources.expected_source'
        ) }} as expected_source_rows
    from catalogue
    left join attribution_sources
        on catalogue.attribution_date = attribution_sources.attribution_date
    left join lineage
        on catalogue.metric_id = lineage.metric_id
    group by
        catalogue.metric_id,
        catalogue.attribution_date,
        attribution_sources.expected_source
),

final as (
    select
        metric_id,
        attribution_date,
        expected_source,
        case
            when metric_rows = 0 then 'not a MetricFlow metric'
            when lineage_sources = 0 then 'no raw source in its lineage'
            when expected_source is null then 'unknown attribution date'
            when expected_source_rows = 0
                then 'lineage misses the feed of its attribution date'
        end as failure
    from metric_checks
)

select * from final
where failure is not null
