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
    ranked, and only for event_ids and keys with more than one row.

    Incremental (macros/engine/incremental_state.sql): only the event_ids of
    the rows loaded since the last run, and the entity keys of every copy of
    those event_ids, can change which copy is kept. A pre-hook deletes this
    model's rows of those ids and keys, and the run appends them again,
    ranked over all of their copies of any load (a backfilled older copy
    takes the kept place, and the copies ranked after it follow).
-#}
{{ config(
    materialized=keyed_materialization(),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook=[
        "{{ reset_incremental_state() }}",
        "{{ keep_join_sides() }}",
        "{{ delete_touched_repeats() }}",
    ],
    post_hook=[
        "{{ restore_join_sides() }}",
        "{{ record_incremental_state() }}",
    ],
) }}

{#- What the record keeps of every repeat, copy or key. -#}
{%- set repeat_columns = [
    'event_id', 'event_type', 'schema_version', 'market_code', 'occurred_at',
    'occurred_local_date', 'ingested_at', 'ingest_date', 'source_file',
    'source_row_number', 'business_key', 'kept_ingested_at',
] %}

with
{% if is_incremental() %}
touched as (
    {{ touched_repeat_keys() }}
),
{% endif %}
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
    {{- only_touched_copies('touched') }}
),

{#- On an incremental run valid_copies holds every copy of the touched
    event_ids and every row of the touched keys; the ids ranked are the
    touched ones, and the copy repeats of other ids among the keys' rows are
    the ones already recorded. #}

repeated_event_ids as (
    select event_id
    from valid_copies
    {%- if is_incremental() %}
    where event_id in (
        select touched.event_id from touched
        where touched.event_id is not null
    )
    {%- endif %}
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

all_copy_repeats as (
    select
        source_file,
        source_row_number
    from copy_repeats
    {%- if is_incremental() %}
    union all
    select
        source_file,
        source_row_number
    from {{ this }}
    where repeat_kind <> 'duplicate_business_key'
    {%- endif %}
),

keyed_events as (
    select valid_copies.*
    from valid_copies
    left join all_copy_repeats
        on
            valid_copies.source_file = all_copy_repeats.source_file
            and valid_copies.source_row_number
            = all_copy_repeats.source_row_number
    where
        valid_copies.business_key is not null
        and all_copy_repeats.source_file is null
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
