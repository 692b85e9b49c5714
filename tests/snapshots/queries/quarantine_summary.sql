-- Quarantine: rows per source and reason code over the whole dataset.
-- keys: source_name, quarantine_reason_code
select
    source_name,
    quarantine_reason_code,
    sum(quarantined_rows) as quarantined_rows,
    count(distinct market_code) as markets_recorded,
    count(distinct ingest_date) as landing_days
from marts.quarantine_summary
group by all
