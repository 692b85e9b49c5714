-- Operations by market and month (market-local dates): moderation cases,
-- SLA, QA, handling time, CS tickets and CSAT, summed from the daily mart.
-- keys: market_code, month_start
select
    market_code,
    cast(date_trunc('month', local_date) as date) as month_start,
    count(*) as data_days,
    sum(moderation_cases) as moderation_cases,
    sum(cases_within_sla) as cases_within_sla,
    sum(cases_qa_sampled) as cases_qa_sampled,
    sum(cases_qa_passed) as cases_qa_passed,
    sum(handling_seconds) as handling_seconds,
    sum(cases_with_handling_time) as cases_with_handling_time,
    sum(tickets_closed) as tickets_closed,
    sum(orders_placed) as orders_placed,
    1000 * sum(tickets_closed) / nullif(sum(orders_placed), 0) as contact_rate,
    sum(csat_score_sum) as csat_score_sum,
    sum(csat_responses) as csat_responses
from marts.operations_daily
group by all
