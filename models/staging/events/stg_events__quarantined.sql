{#- Raw event rows that break the contract, with the first rule they break. -#}
with

validated as (
    select * from {{ ref('stg_events__validated') }}
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
)

select * from final
