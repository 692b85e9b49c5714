-- The cascade per global target: markets allocated, markets with their own
-- approved target, and the global target given back by the allocations and
-- by the effective (approved, else allocated) market targets.
-- keys: metric_id, target_month
select
    allocations.metric_id,
    allocations.target_month,
    max(allocations.global_target) as global_target,
    count(*) as markets,
    count_if(allocations.has_approved_target) as markets_with_approved_target,
    case
        when max(catalogue.metric_type) in ('count', 'sum')
            then sum(allocations.allocated_target)
        else sum(allocations.volume_weight * allocations.allocated_target)
    end as reassembled_from_allocations,
    case
        when max(catalogue.metric_type) in ('count', 'sum')
            then sum(allocations.effective_target)
        else sum(allocations.volume_weight * allocations.effective_target)
    end as reassembled_from_effective
from marts.target_cascade as allocations
inner join reference.metric_catalogue as catalogue
    on allocations.metric_id = catalogue.metric_id
where allocations.scope_type = 'market'
group by all
