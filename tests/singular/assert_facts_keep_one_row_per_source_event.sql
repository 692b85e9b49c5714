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

with

row_counts as (
    {%- for fact, source in fact_sources %}
    select
        '{{ fact }}' as fact_name,
        '{{ source }}' as source_name,
        (select count(*) from {{ ref(fact) }}) as fact_rows,
        (select count(*) from {{ ref(source) }}) as source_rows
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select *
from row_counts
where fact_rows <> source_rows
