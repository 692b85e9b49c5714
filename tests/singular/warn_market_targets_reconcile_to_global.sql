{{ config(severity='warn') }}
{#-
    The market targets the planning team approved, weighted by each
    market's volume (markets without one take their allocation), should
    give back the global target: the volume-weighted mean for rates, the
    sum for counts and sums. Warns on a relative gap above 1%, so planners
    see where the cascade does not add up.
-#}
with

cascade as (
    select * from {{ ref('target_cascade') }}
    where scope_type = 'market'
),

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

reassembled as (
    select
        cascade.metric_id,
        cascade.target_month,
        max(cascade.global_target) as global_target,
        sum(case when cascade.has_approved_target then 1 else 0 end)
            as markets_with_approved_target,
        case
            when max(catalogue.metric_type) in ('count', 'sum')
                then sum(cascade.effective_target)
            else sum(cascade.volume_weight * cascade.effective_target)
        end as reassembled_target
    from cascade
    inner join catalogue
        on cascade.metric_id = catalogue.metric_id
    group by cascade.metric_id, cascade.target_month
)

select *
from reassembled
where
    markets_with_approved_target > 0
    and abs(reassembled_target - global_target) > 0.01 * abs(global_target)
