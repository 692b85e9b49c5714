{#-
    Every valid raw row that is not the one kept for its logical event, and
    why: of the valid copies of an event_id the first to land is kept
    (earliest ingested_at, then file and row); a later copy is a
    `duplicate` when its content (event type, version, occurred_at, market,
    payload) equals the kept copy's, and a `conflicting_duplicate` when it
    differs (an event_id reused by another event, an altered copy). Of the
    kept events that create one entity (macros/event_contract.sql,
    event_business_keys: an order_id placed, a refund_id issued, ...), the
    first to land is kept and every other is a `duplicate_business_key`.

    Duplicates are recorded (base_events__duplicates); the two conflict kinds
    are quarantined (base_events__quarantined). Only narrow columns are
    ranked, and only for event_ids and keys with more than one row. Rebuilt
    whole on every run: a backfilled older copy can change which copy is
    kept, which an append by landing day would get wrong.
-#}
{{ config(materialized='table') }}

{#- What the record keeps of every repeat, copy or key. -#}
{%- set repeat_columns = [
    'event_id', 'event_type', 'schema_version', 'market_code', 'occurred_at',
    'occurred_local_date', 'ingested_at', 'ingest_date', 'source_file',
    'source_row_number', 'kept_ingested_at',
] %}

with

valid_copies as (
    select
        event_id,
        event_type,
        schema_version,
        market_code,
        occurred_at,
        occurred_local_date,
        ingested_at,
        ingest_date,
        source_file,
        source_row_number,
        content_hash,
        business_key
    from {{ ref('base_events__validated') }}
    where quarantine_reason_code is null
),

repeated_event_ids as (
    select event_id
    from valid_copies
    group by event_id
    having count(*) > 1
),

ranked_copies as (
    select
        valid_copies.*,
        row_number() over (
            partition by valid_copies.event_id
            order by
                valid_copies.ingested_at,
                valid_copies.source_file,
                valid_copies.source_row_number
        ) as copy_rank,
        first_value(valid_copies.content_hash) over (
            partition by valid_copies.event_id
            order by
                valid_copies.ingested_at,
                valid_copies.source_file,
                valid_copies.source_row_number
        ) as kept_content_hash,
        min(valid_copies.ingested_at) over (
            partition by valid_copies.event_id
        ) as kept_ingested_at
    from valid_copies
    inner join repeated_event_ids
        on valid_copies.event_id = repeated_event_ids.event_id
),

copy_repeats as (
    select
        {%- for column in repeat_columns %}
            {{ column }},
        {%- endfor %}
        case
            when content_hash = kept_content_hash then 'duplicate'
            else 'conflicting_duplicate'
        end as repeat_kind
    from ranked_copies
    where copy_rank > 1
),

{#- The kept copy of every event that creates an entity. #}

keyed_events as (
    select valid_copies.*
    from valid_copies
    left join copy_repeats
        on
            valid_copies.source_file = copy_repeats.source_file
            and valid_copies.source_row_number
            = copy_repeats.source_row_number
    where
        valid_copies.business_key is not null
        and copy_repeats.source_file is null
),

repeated_keys as (
    select
        event_type,
        business_key
    from keyed_events
    group by event_type, business_key
    having count(*) > 1
),

ranked_keys as (
    select
        keyed_events.*,
        row_number() over (
            partition by keyed_events.event_type, keyed_events.business_key
            order by
                keyed_events.ingested_at,
                keyed_events.source_file,
                keyed_events.source_row_number
        ) as key_rank,
        min(keyed_events.ingested_at) over (
            partition by keyed_events.event_type, keyed_events.business_key
        ) as kept_ingested_at
    from keyed_events
    inner join repeated_keys
        on
            keyed_events.event_type = repeated_keys.event_type
            and keyed_events.business_key = repeated_keys.business_key
),

key_repeats as (
    select
        {%- for column in repeat_columns %}
            {{ column }},
        {%- endfor %}
        'duplicate_business_key' as repeat_kind
    from ranked_keys
    where key_rank > 1
),

final as (
    select * from copy_repeats
    union all
    select * from key_repeats
)

select * from final
