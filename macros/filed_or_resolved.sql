{#-
    One row per item of a filed-then-resolved process (an appeal, a
    report): every item filed, with its first resolution once it arrives,
    and every resolved item whose filing has not arrived (has_filing false).
    A resolution counts whether or not its filing arrived, so the item takes
    the resolution's market when there is one, else the filing's. The first
    resolution is the earliest (ties broken by event_id): a repeated
    resolution never counts twice.

    Columns: id_column, market_code, has_filing, is_resolved, filed_at,
    filed_local_date, the filing_columns, resolved_at, resolved_local_date,
    the resolution_columns. Used as the body of a CTE. With keys_cte (on an
    incremental run), only the items whose id is in that CTE.
-#}
{% macro filed_or_resolved(
    id_column, filed_relation, resolved_relation,
    filing_columns, resolution_columns, keys_cte=none
) -%}
    select
        coalesce(
            filings.{{ id_column }}, first_resolutions.{{ id_column }}
        ) as {{ id_column }},
        coalesce(first_resolutions.market_code, filings.market_code)
            as market_code,
        filings.{{ id_column }} is not null as has_filing,
        first_resolutions.{{ id_column }} is not null as is_resolved,
        filings.filed_at,
        filings.filed_local_date,
        {%- for column in filing_columns %}
            filings.{{ column }},
        {%- endfor %}
        first_resolutions.resolved_at,
        first_resolutions.resolved_local_date
        {%- for column in resolution_columns %},
            first_resolutions.{{ column }}
        {%- endfor %}
    from (
        select * from {{ filed_relation }}
        {%- if keys_cte %}{{ only_touched(id_column, keys_cte) }}{% endif %}
    ) as filings
    full outer join (
        select ranked_resolutions.*
        from (
            select
                {{ id_column }},
                market_code,
                resolved_at,
                resolved_local_date,
                {%- for column in resolution_columns %}
                    {{ column }},
                {%- endfor %}
                row_number() over (
                    partition by {{ id_column }}
                    order by resolved_at, event_id
                ) as resolution_rank
            from {{ resolved_relation }}
            {%- if keys_cte %}{{ only_touched(id_column, keys_cte) }}{% endif %}
        ) as ranked_resolutions
        where ranked_resolutions.resolution_rank = 1
    ) as first_resolutions
        on filings.{{ id_column }} = first_resolutions.{{ id_column }}
{%- endmacro %}
