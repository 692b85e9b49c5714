{#-
    Counts that add up, per raw file and event type as delivered (unknown
    ones included): rows read = clean events + duplicate copies +
    quarantined rows; and per file, rows read = the rows its Parquet footer
    declares (the manifest) for a loaded file, none for a rejected one.
    Returns the files and event types whose counts do not add up.
-#}
with

files as (
    select
        source_file,
        file_status,
        coalesce(row_count, 0) as footer_rows
    from {{ ref('base_events__files') }}
),

read_counts as (
    select
        source_file,
        coalesce(event_type, '(null)') as event_type,
        count(*) as read_rows
    from {{ ref('base_events__validated') }}
    group by source_file, coalesce(event_type, '(null)')
),

landed_rows as (
    select
        source_file,
        event_type,
        'clean' as landed_in
    from {{ ref('base_events__deduplicated') }}
    union all
    select
        source_file,
        event_type,
        'duplicate' as landed_in
    from {{ ref('base_events__duplicates') }}
    union all
    select
        source_file,
        event_type,
        'quarantine' as landed_in
    from {{ ref('base_events__quarantined') }}
),

landed_counts as (
    select
        source_file,
        coalesce(event_type, '(null)') as event_type,
        {{ count_if("landed_in = 'clean'") }} as clean_rows,
        {{ count_if("landed_in = 'duplicate'") }} as duplicate_rows,
        {{ count_if("landed_in = 'quarantine'") }} as quarantined_rows
    from landed_rows
    group by source_file, coalesce(event_type, '(null)')
),

by_type as (
    select
        coalesce(read_counts.source_file, landed_counts.source_file)
            as source_file,
        coalesce(read_counts.event_type, landed_counts.event_type)
            as event_type,
        coalesce(read_counts.read_rows, 0) as read_rows,
        coalesce(landed_counts.clean_rows, 0) as clean_rows,
        coalesce(landed_counts.duplicate_rows, 0) as duplicate_rows,
        coalesce(landed_counts.quarantined_rows, 0) as quarantined_rows
    from read_counts
    full outer join landed_counts
        on
            read_counts.source_file = landed_counts.source_file
            and read_counts.event_type = landed_counts.event_type
),

by_file as (
    select
        files.source_file,
        files.file_status,
        files.footer_rows,
        coalesce(sum(by_type.read_rows), 0) as read_rows
    from files
    left join by_type
        on files.source_file = by_type.source_file
    group by files.source_file, files.file_status, files.footer_rows
),

final as (
    select
        source_file,
        event_type,
        read_rows,
        clean_rows,
        duplicate_rows,
        quarantined_rows,
        null as footer_rows
    from by_type
    where
        read_rows <> clean_rows + duplicate_rows + quarantined_rows
        or source_file not in (select by_file.source_file from by_file)
    union all
    select
        source_file,
        '(all types)' as event_type,
        read_rows,
        null as clean_rows,
        null as duplicate_rows,
        null as quarantined_rows,
        footer_rows
    from by_file
    where
        read_rows
        <> case when file_status = 'loaded' then footer_rows else 0 end
)

select * from final
