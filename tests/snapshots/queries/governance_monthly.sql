-- Governance by market and month (market-local dates): the daily mart's
-- counts summed, and the highest daily time-to-action percentiles.
-- keys: market_code, month_start
select
    market_code,
    cast(date_trunc('month', local_date) as date) as month_start,
    count(*) as data_days,
    sum(enforcement_actions) as enforcement_actions,
    sum(proactive_actions) as proactive_actions,
    sum(automated_actions) as automated_actions,
    sum(appealed_actions) as appealed_actions,
    sum(repeat_offender_actions) as repeat_offender_actions,
    max(median_time_to_action_hours) as max_daily_median_tta_hours,
    max(p90_time_to_action_hours) as max_daily_p90_tta_hours,
    sum(appeals_resolved) as appeals_resolved,
    sum(appeals_overturned) as appeals_overturned,
    sum(listings_reviewed) as listings_reviewed,
    sum(listings_rejected) as listings_rejected,
    sum(reports_resolved) as reports_resolved,
    sum(reports_valid) as reports_valid
from marts.governance_daily
group by all
