{#-
    The time "now" for the data (UTC): the var as_of_at when set, else the
    latest ingested_at of the clean event log. Cohort maturity and freshness
    are judged against it, so a rebuild of old data gives the same answer.
-#}
{% macro data_as_of() -%}
    {%- if var('as_of_at') -%}
        cast('{{ var("as_of_at") }}' as timestamp)
    {%- else -%}
        (select max(ingested_at) from {{ ref('stg_events__deduplicated') }})
    {%- endif -%}
{%- endmacro %}
