-- Data availability by event type and month (market-local dates), over all
-- markets: events, expected events, late, duplicate and quarantined rows.
-- keys: event_type, month_start
select
    event_type,
    cast(date_trunc('month', local_date) as date) as month_start,
    count(*) as market_days,
    count_if(events > 0) as market_days_with_events,
    count_if(completeness_ratio < 0.8) as market_days_below_80pct_expected,
    sum(events) as events,
    sum(expected_events) as expected_events,
    sum(late_events) as late_events,
    sum(duplicate_copies) as duplicate_copies,
    sum(quarantined_rows) as quarantined_rows
from marts.data_availability
group by all
