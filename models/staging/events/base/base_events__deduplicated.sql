{#-
    One row per logical event: of the valid copies of an event_id, the one
    that landed first (earliest ingested_at; file and row break ties), i.e.
    every valid row that base_events__repeats does not hold (an identical
    repeat, a conflicting copy, or a second event creating the same entity).

    A view: the ranking is done once, on narrow columns, in
    base_events__repeats; copying every typed column of every valid row
    into a second table would cost more than the anti-join its readers pay.
-#}
{{ config(materialized='view') }}

{%- set columns = event_columns() -%}

with

valid_events as (
    select {{ columns | join(', ') }}
    from {{ ref('base_events__validated') }}
    where quarantine_reason_code is null
),

duplicate_copies as (
    select
        source_file,
        source_row_number
    from {{ ref('base_events__repeats') }}
),

final as (
    select valid_events.*
    from valid_events
    left join duplicate_copies
        on
            valid_events.source_file = duplicate_copies.source_file
            and valid_events.source_row_number
            = duplicate_copies.source_row_number
    where duplicate_copies.source_file is null
)

select * from final
