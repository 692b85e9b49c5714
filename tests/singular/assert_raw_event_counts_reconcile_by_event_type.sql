{#-
    For every event type as delivered (unknown ones included): raw rows =
    clean events + duplicate copies + quarantined rows. Returns the event
    types whose counts do not add up, with all four counts.
-#}
with

raw_counts as (
    select
        coalesce(event_type, '(null)') as event_type,
        count(*) as raw_rows
    from {{ source('events', 'governance_events') }}
    group by coalesce(event_type, '(null)')
),

clean_counts as (
    select
        event_type,
        count(*) as clean_rows
    from {{ ref('stg_events__deduplicated') }}
    group by event_type
),

duplicate_counts as (
    select
        event_type,
        count(*) as duplicate_rows
    from {{ ref('stg_events__duplicates') }}
    group by event_type
),

quarantine_counts as (
    select
        coalesce(event_type, '(null)') as event_type,
        count(*) as quarantined_rows
    from {{ ref('stg_events__quarantined') }}
    group by coalesce(event_type, '(null)')
),

final as (
    select
        raw_counts.event_type,
        raw_counts.raw_rows,
        coalesce(clean_counts.clean_rows, 0) as clean_rows,
        coalesce(duplicate_counts.duplicate_rows, 0) as duplicate_rows,
        coalesce(quarantine_counts.quarantined_rows, 0) as quarantined_rows
    from raw_counts
    left join clean_counts
        on raw_counts.event_type = clean_counts.event_type
    left join duplicate_counts
        on raw_counts.event_type = duplicate_counts.event_type
    left join quarantine_counts
        on raw_counts.event_type = quarantine_counts.event_type
    where
        raw_counts.raw_rows
        <> coalesce(clean_counts.clean_rows, 0)
        + coalesce(duplicate_counts.duplicate_rows, 0)
        + coalesce(quarantine_counts.quarantined_rows, 0)
)

select * from final
