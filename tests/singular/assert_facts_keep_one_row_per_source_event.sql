{#-
    No fan-out, no loss: every fact keeps exactly one row per event of the
    staging model it is built on, whatever it joins on the way (stage
    history, FX, policies, SLAs, resolutions, appeals). Appeals and reports
    have one row per id that was filed or resolved (a resolution counts
    without its filing). Returns the facts whose row count differs from
    their source's.
-#}
{%- set fact_sources = [
    ('fct_orders', 'stg_events__order_placed'),
    ('fct_orders', 'int_order_outcomes_windowed'),
    ('fct_enforcement_actions', 'stg_events__enforcement_actioned'),
    ('fct_enforcement_actions', 'int_enforcement_actions_enriched'),
    ('fct_appeals', 'appeal_ids'),
    ('fct_listing_reviews', 'stg_events__listing_reviewed'),
    ('fct_reports', 'report_ids'),
    ('fct_moderation_cases', 'stg_events__moderation_case_closed'),
    ('fct_cs_tickets', 'stg_events__ticket_closed'),
] -%}

{#- Ids filed or resolved: the grain of fct_appeals and fct_reports. -#}
{%- set id_unions = {
    'appeal_ids': (
        'appeal_id', 'stg_events__appeal_filed', 'stg_events__appeal_resolved'
    ),
    'report_ids': (
        'report_id', 'stg_events__report_filed', 'stg_events__report_resolved'
    ),
} -%}

{%- set relation_names = [] -%}
{%- for pair in fact_sources -%}
    {%- for name in pair if name not in relation_names -%}
        {%- do relation_names.append(name) -%}
    {%- endfor -%}
{%- endfor %}

with

relation_rows as (
    {%- for name in relation_names %}
        {%- if name in id_unions %}
            {%- set id_column, filed, resolved = id_unions[name] %}
            select
                '{{ name }}' as relation_name,
                count(*) as row_count
            from (
                select {{ id_column }} from {{ ref(filed) }}
                union
                select {{ id_column }} from {{ ref(resolved) }}
            ) as ids
        {%- else %}
            select
                '{{ name }}' as relation_name,
                count(*) as row_count
            from {{ ref(name) }}
        {%- endif %}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

pairs as (
    {%- for fact, source in fact_sources %}
        select
            '{{ fact }}' as fact_name,
            '{{ source }}' as source_name
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

final as (
    select
        pairs.fact_name,
        pairs.source_name,
        fact_rows.row_count as fact_rows,
        source_rows.row_count as source_rows
    from pairs
    inner join relation_rows as fact_rows
        on pairs.fact_name = fact_rows.relation_name
    inner join relation_rows as source_rows
        on pairs.source_name = source_rows.relation_name
    where fact_rows.row_count <> source_rows.row_count
)

select * from final
