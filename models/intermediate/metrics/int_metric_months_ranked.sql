{#-
    The month's notable moves ranked: the rows of int_metric_months_compared
    that are a highlight, a lowlight or a movement (a neutral metric) get
    insight_score = |z| x min(|relative change|, 1), i.e. evidence times
    size, the size capped so that a move off a tiny base does not swamp the
    rest, and a rank by it among the month's notable rows and among the
    month's rows of the same insight_type (ties by metric, level and code).
    Other rows have neither.
-#}
with

compared as (
    select * from {{ ref('int_metric_months_compared') }}
),

scored as (
    select
        metric_id,
        geo_level,
        geo_code,
        month_start,
        insight_type,
        case
            when insight_type in ('highlight', 'lowlight', 'movement')
                then
                    abs(z_score)
                    * least(coalesce(abs(relative_change), 1), 1)
        end as insight_score
    from compared
),

final as (
    select
        metric_id,
        geo_level,
        geo_code,
        month_start,
        insight_score,
        -- Spark numbers rows as int, DuckDB as bigint (the marts' type).
        cast(case
            when insight_score is not null
                then row_number() over (
                    partition by month_start, insight_score is not null
                    order by
                        insight_score desc,
                        metric_id asc,
                        geo_level asc,
                        geo_code asc
                )
        end as {{ dbt.type_bigint() }}) as rank_in_month,
        cast(case
            when insight_score is not null
                then row_number() over (
                    partition by month_start, insight_type
                    order by
                        insight_score desc,
                        metric_id asc,
                        geo_level asc,
                        geo_code asc
                )
        end as {{ dbt.type_bigint() }}) as rank_in_type
    from scored
)

select * from final
