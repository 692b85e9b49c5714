{#-
    The file manifest (base_events__files, built in Python with os.walk)
    against an independent listing of the raw tree by the engine (DuckDB's
    glob, Spark's binaryFile reader): every file under governance_events,
    at any depth, is in the manifest exactly once, and the manifest lists
    no file that is not there. Returns the files that break this.
-#}
{%- set prefix = raw_events_dir() ~ '/' -%}

with

{#- Every file at any depth, folders that are symlinks followed as the
    manifest follows them (macros/engine/lists.sql). #}

globbed_files as (
    {{ files_under(prefix) }}
),

listed_files as (
    select
        substr(file, {{ prefix | length + 1 }}) as source_file,
        count(*) as times_listed
    from globbed_files
    group by substr(file, {{ prefix | length + 1 }})
),

manifest_files as (
    select
        source_file,
        count(*) as times_in_manifest
    from {{ ref('base_events__files') }}
    {%- if not lists_empty_files() %}
    {#- Spark's reader never lists a zero-byte file. #}
    where file_size_bytes > 0
    {%- endif %}
    group by source_file
),

final as (
    select
        coalesce(
            listed_files.source_file, manifest_files.source_file
        ) as source_file,
        coalesce(listed_files.times_listed, 0) as times_listed,
        coalesce(manifest_files.times_in_manifest, 0) as times_in_manifest
    from listed_files
    full outer join manifest_files
        on listed_files.source_file = manifest_files.source_file
    where
        coalesce(listed_files.times_listed, 0) <> 1
        or coalesce(manifest_files.times_in_manifest, 0) <> 1
)

select * from final
