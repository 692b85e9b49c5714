{#-
    Raw event rows that break the contract, with the first rule they break:
    the rows base_events__validated rejects, and the valid rows that
    base_events__repeats finds in conflict with an earlier event
    (conflicting_duplicate, duplicate_business_key). The payload is kept for
    the first kind; a conflicting row is found by its file and row.
-#}
with

validated as (
    select * from {{ ref('base_events__validated') }}
),

conflicts as (
    select * from {{ ref('base_events__repeats') }}
    where repeat_kind <> 'duplicate'
),

final as (
    select
        event_id,
        event_type,
        schema_version,
        occurred_at,
        occurred_local_date,
        ingested_at,
        ingest_date,
        market_code,
        quarantined_payload as payload,
        source_file,
        source_row_number,
        quarantine_reason_code
    from validated
    where quarantine_reason_code is not null
    union all
    select
        event_id,
        event_type,
        schema_version,
        occurred_at,
        occurred_local_date,
        ingested_at,
        ingest_date,
        market_code,
        cast(null as {{ dbt.type_string() }}) as payload,
        source_file,
        source_row_number,
        repeat_kind as quarantine_reason_code
    from conflicts
)

select * from final
