{#-
    The time "now" for the data (UTC): the var as_of_at when set (validated:
    a date or date and time, nothing else reaches the SQL), else derived from
    the loaded partitions: the latest ingested_at of the clean event log, but
    never later than the end of the newest partition day loaded (ingest_date
    comes from the file manifest, which rejects partition dates after the
    day of the build). Rows whose clock is implausible for their partition are
    quarantined before this (implausible_timestamp), so one bad row cannot
    move the as-of time. Cohort maturity and freshness are judged against
    it, so a rebuild of old data gives the same answer.
-#}
{% macro data_as_of() -%}
    {%- if var('as_of_at') -%}
        {%- set value = var('as_of_at') | string | trim -%}
        {%- if not modules.re.match(
            '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?)?$',
            value) -%}
            {{ exceptions.raise_compiler_error(
                'var as_of_at must be a UTC date or timestamp such as '
                ~ '2026-10-15 or 2026-10-15 23:59:59, got ' ~ value | tojson) }}
        {%- endif -%}
        cast('{{ value }}' as timestamp)
    {%- else -%}
        (
            select
                least(
                    max(clean_events.ingested_at),
                    {{ dbt.dateadd(
                        'day', 1, 'cast(max(clean_events.ingest_date) as timestamp)'
                    ) }}
                )
            from {{ ref('base_events__deduplicated') }} as clean_events
        )
    {%- endif -%}
{%- endmacro %}
