{#-
    Which periods have ended as of the data, per market, region and the
    globe: what the BI files and the monthly review read to know which
    month they may report and whether it is still provisional. A plain
    select of int_period_completeness, where the rule is defined.
-#}
with

period_completeness as (
    select * from {{ ref('int_period_completeness') }}
),

final as (
    select
        geography_level,
        geography,
        as_of_at,
        last_complete_local_date,
        last_complete_week_start,
        last_complete_month_start,
        provisional_until_local_date,
        is_latest_month_provisional
    from period_completeness
)

select * from final
