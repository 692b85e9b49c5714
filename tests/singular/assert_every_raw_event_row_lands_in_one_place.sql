{#-
    Nothing lost, nothing counted twice: every raw row of every loaded file
    (rows 0 .. n-1 of a file whose Parquet footer declares n rows, as the
    manifest read it) is in exactly one of the clean deduplicated model, the
    duplicate record or quarantine; no row of a rejected file and no row the
    raw files do not hold appears downstream. Returns the raw rows that are
    missing or present more than once, and any row found downstream that no
    loaded file holds.
-#}
with

loaded_files as (
    select
        source_file,
        row_count
    from {{ ref('base_events__files') }}
    where file_status = 'loaded'
),

raw_rows as (
    select
        source_file,
        {{ unnest_row_numbers('row_count') }} as source_row_number
    from loaded_files
),

landed_rows as (
    select
        source_file,
        source_row_number,
        'clean' as landed_in
    from {{ ref('base_events__deduplicated') }}
    union all
    select
        source_file,
        source_row_number,
        'duplicate' as landed_in
    from {{ ref('base_events__duplicates') }}
    union all
    select
        source_file,
        source_row_number,
        'quarantine' as landed_in
    from {{ ref('base_events__quarantined') }}
),

landings as (
    select
        source_file,
        source_row_number,
        count(*) as times_landed,
        {{ dbt.listagg('landed_in', "', '") }} as landed_in
    from landed_rows
    group by source_file, source_row_number
),

final as (
    select
        coalesce(raw_rows.source_file, landings.source_file) as source_file,
        coalesce(
            raw_rows.source_row_number, landings.source_row_number
        ) as source_row_number,
        raw_rows.source_file is not null as is_in_raw,
        coalesce(landings.times_landed, 0) as times_landed,
        landings.landed_in
    from raw_rows
    full outer join landings
        on
            raw_rows.source_file = landings.source_file
            and raw_rows.source_row_number = landings.source_row_number
    where
        raw_rows.source_file is null
        or coalesce(landings.times_landed, 0) <> 1
)

select * from final
