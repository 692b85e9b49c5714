-- Market and team scores by month, with the share of weight judged and the
-- metrics scored.
-- keys: scorecard, owner_name, month_start
select
    'market' as scorecard,
    market_code as owner_name,
    month_start,
    max(development_stage) as development_stage,
    max(judged_weight_share) as judged_weight_share,
    max(market_weighted_score) as score,
    count_if(status in ('green', 'amber', 'red')) as metrics_scored,
    count_if(status = 'red') as red
from marts.market_scorecard
group by all
union all
select
    'team' as scorecard,
    owner_team as owner_name,
    month_start,
    null as development_stage,
    max(judged_weight_share) as judged_weight_share,
    max(team_score) as score,
    count_if(status in ('green', 'amber', 'red')) as metrics_scored,
    count_if(status = 'red') as red
from marts.team_scorecard
group by all
