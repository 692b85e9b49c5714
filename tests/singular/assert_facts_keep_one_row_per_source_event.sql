{#-
    No fan-out, no loss: every fact keeps exactly one row per event of the
    staging model it is built on, whatever it joins on the way (stage
    history, FX, policies, SLAs, resolutions, appeals). Returns the facts
    whose row count differs from their source's.
-#}
{%- set fact_sources = [
    ('fct_orders', 'stg_events__order_placed'),
    ('fct_orders', 'int_order_outcomes_windowed'),
    ('fct_enforcement_actions', 'stg_events__enforcement_actioned'),
    ('fct_enforcement_actions', 'int_enforcement_actions_enriched'),
    ('fct_appeals', 'stg_events__appeal_filed'),
    ('fct_listing_reviews', 'stg_events__listing_reviewed'),
    ('fct_reports', 'stg_events__report_filed'),
    ('fct_moderation_cases', 'stg_events__moderation_case_closed'),
    ('fct_cs_tickets', 'stg_events__ticket_closed'),
] -%}

{%- set relation_names = [] -%}
{%- for pair in fact_sources -%}
    {%- for name in pair if name not in relation_names -%}
        {%- do relation_names.append(name) -%}
    {%- endfor -%}
{%- endfor %}

with

relation_rows as (
    {%- for name in relation_names %}
        select
            '{{ name }}' as relation_name,
            count(*) as row_count
        from {{ ref(name) }}
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
