{#-
    What was quarantined, and why: one row per source, event type, market as
    recorded, landing date and reason code, counting quarantined rows. Every
    quarantined row of both sources is counted once (a test checks the
    totals), including rows whose market or event type is unknown. The spend
    file has no landing date, so its rows carry a null ingest_date.
-#}

with

event_rows as (
    select * from {{ ref('base_events__quarantined') }}
),

finance_rows as (
    select * from {{ ref('base_finance__quarantined') }}
),

events_counted as (
    select
        'governance_events' as source_name,
        event_rows.event_type,
        event_rows.market_code,
        event_rows.ingest_date,
        event_rows.quarantine_reason_code,
        count(*) as quarantined_rows
    from event_rows
    group by
        event_rows.event_type,
        event_rows.market_code,
        event_rows.ingest_date,
        event_rows.quarantine_reason_code
),

finance_counted as (
    select
        'spend_actuals' as source_name,
        {{ dbt.cast('null', 'varchar') }} as event_type,
        finance_rows.market_code,
        cast(null as date) as ingest_date,
        finance_rows.quarantine_reason_code,
        count(*) as quarantined_rows
    from finance_rows
    group by
        finance_rows.market_code,
        finance_rows.quarantine_reason_code
),

final as (
    select * from events_counted
    union all
    select * from finance_counted
)

select * from final
