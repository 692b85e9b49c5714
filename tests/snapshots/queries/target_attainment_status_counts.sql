-- Target attainment statuses by scope type and month, over all metrics and
-- scopes (market and team targets included).
-- keys: scope_type, target_month
select
    scope_type,
    target_month,
    count(*) as targets,
    count_if(status = 'green') as green,
    count_if(status = 'amber') as amber,
    count_if(status = 'red') as red,
    count_if(status = 'in_progress') as in_progress,
    count_if(status = 'immature') as immature,
    count_if(status = 'no_data') as no_data,
    count_if(
        coalesce(status, '')
        not in ('green', 'amber', 'red', 'in_progress', 'immature', 'no_data')
    ) as other_status
from marts.target_attainment
group by all
