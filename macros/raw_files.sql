{#-
    Where the raw files are, and which of them a model reads.

    Paths come from the environment (GNE_RAW_DIR, GNE_WORK_DB_PATH), not from
    data, and go into SQL only as escaped string literals. The list of event
    files to read is never rendered into SQL: bind_event_files_to_load() sets
    a DuckDB variable from a query on the file manifest, and the source reads
    read_parquet(getvariable('gne_event_files')).
-#}

{#- A value as a SQL string literal: quotes doubled, control characters
    refused; on Spark, whose literals take backslash escapes, backslashes
    doubled too. -#}
{% macro sql_string_literal(value) -%}
    {%- set text = value | string -%}
    {%- if modules.re.search('[\\x00-\\x1f]', text) -%}
        {{ exceptions.raise_compiler_error(
            'refusing a control character in a SQL string: ' ~ text | tojson) }}
    {%- endif -%}
    '{{ string_literal_escapes(text) | replace("'", "''") }}'
{%- endmacro %}

{#- RAW_DIR as set (GNE_RAW_DIR, default data/raw/default). -#}
{% macro raw_dir() -%}
    {{- return(env_var('GNE_RAW_DIR', 'data/raw/default')) -}}
{%- endmacro %}

{% macro raw_events_dir() -%}
    {{- return(raw_dir() ~ '/governance_events') -}}
{%- endmacro %}

{#- The zero-row contract file base_events__files writes beside the database. -#}
{% macro empty_events_file() -%}
    {{- return(env_var('GNE_WORK_DB_PATH', 'build/work/gne.duckdb') ~ '.empty_events.parquet') -}}
{%- endmacro %}

{#- The absolute-or-relative path DuckDB reads for a manifest row. -#}
{% macro event_file_path(source_file_column) -%}
    {{ sql_string_literal(raw_events_dir() ~ '/') }} || {{ source_file_column }}
{%- endmacro %}

{#-
    Pre-hook of base_events__validated: binds the files this run loads, i.e.
    the manifest's loaded files whose rows are not already in the model with
    the same row count (new files, backfills of old days, files that grew),
    plus the empty contract file. A full refresh binds every loaded file.
-#}
{% macro bind_event_files_to_load() -%}
    {{ return(adapter.dispatch('bind_event_files_to_load', 'gne_metrics')()) }}
{%- endmacro %}

{#- The manifest's files (source_file) that this run loads. -#}
{% macro event_files_to_load() -%}
    select files.source_file
    from {{ ref('base_events__files') }} as files
    where
        files.file_status = 'loaded'
    {%- if is_incremental() %}
        and not exists (
            select 1
            from (
                select source_file, count(*) as row_count
                from {{ this }}
                group by source_file
            ) as loaded
            where
                loaded.source_file = files.source_file
                and loaded.row_count = files.row_count
        )
    {%- endif %}
{%- endmacro %}

{% macro default__bind_event_files_to_load() -%}
    set variable gne_event_files = (
        select list(file_path order by file_path)
        from (
            select {{ event_file_path('files.source_file') }} as file_path
            from ({{ event_files_to_load() }}) as files
            union all
            select {{ sql_string_literal(empty_events_file()) }} as file_path
        ) as files_to_load
    )
{%- endmacro %}

{#- Spark: the source's landing table filled with exactly these files'
    rows (macros/engine/raw_sources.sql). -#}
{% macro spark__bind_event_files_to_load() -%}
    {%- set paths = [] -%}
    {%- if execute -%}
        {%- set files = run_query(
            event_files_to_load() ~ ' order by files.source_file') -%}
        {%- for row in files.rows -%}
            {%- do paths.append(raw_events_dir() ~ '/' ~ row[0]) -%}
        {%- endfor -%}
    {%- else -%}
        {{ return('select 1') }}
    {%- endif -%}
    {{ return(spark_source_table_statement(
        source_node('events', 'governance_events'), paths)) }}
{%- endmacro %}

{#-
    Post-hook of base_events__validated on an incremental run: rows of a file
    that is no longer a loaded file of the manifest (removed, or replaced by
    a rejected version) leave the model, as a full refresh would drop them.
-#}
{% macro drop_rows_of_unloaded_files() -%}
    {{ return(adapter.dispatch('drop_rows_of_unloaded_files', 'gne_metrics')()) }}
{%- endmacro %}

{% macro default__drop_rows_of_unloaded_files() -%}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where source_file not in (
        select files.source_file
        from {{ ref('base_events__files') }} as files
        where files.file_status = 'loaded'
    )
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}

{#- Spark: the table is partitioned by source_file (Parquet files cannot
    lose rows), so such a file's partition is dropped. -#}
{% macro spark__drop_rows_of_unloaded_files() -%}
    {%- if execute and is_incremental() -%}
        {%- set unloaded = run_query(
            'select distinct source_file from ' ~ this
            ~ ' where source_file not in (select files.source_file from '
            ~ ref('base_events__files')
            ~ " as files where files.file_status = 'loaded')") -%}
        {%- for row in unloaded.rows -%}
            {%- do run_query(
                'alter table ' ~ this ~ ' drop if exists partition (source_file = '
                ~ sql_string_literal(row[0]) ~ ')') -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{%- endmacro %}

{#- Text or timestamp (with or without time zone) as a UTC timestamp; offsets
    in the text are applied, text without one is read as UTC (the session
    time zone is UTC, profiles.yml), text that is not a timestamp is null. -#}
{% macro parse_utc_timestamp(expression) -%}
    {{ return(adapter.dispatch('parse_utc_timestamp')(expression)) }}
{%- endmacro %}

{#- DuckDB: a column that is already a timestamp (the contract's type) is
    taken as it is; the time-zone conversion (ICU, per row) runs only for
    text and zoned timestamps. typeof() is a constant of the column's type,
    so the optimizer keeps one branch. -#}
{% macro duckdb__parse_utc_timestamp(expression) -%}
    case
        when typeof({{ expression }}) = 'TIMESTAMP'
            then cast({{ expression }} as timestamp)
        else cast(try_cast({{ expression }} as timestamptz) as timestamp)
    end
{%- endmacro %}

{#- Spark: text with an offset is read as an instant (timestamp_ltz; a cast
    to timestamp_ntz would drop the offset), then as its UTC wall clock
    (the session time zone is UTC). -#}
{% macro default__parse_utc_timestamp(expression) -%}
    cast(try_cast(cast({{ expression }} as string) as timestamp_ltz) as timestamp_ntz)
{%- endmacro %}

{#- The header-only spend file base_finance__files writes beside the database. -#}
{% macro empty_spend_file() -%}
    {{- return(env_var('GNE_WORK_DB_PATH', 'build/work/gne.duckdb') ~ '.empty_spend_actuals.csv') -}}
{%- endmacro %}

{#- Pre-hook of base_finance__validated: the spend file if the finance
    manifest loaded it, and always the header-only file. -#}
{% macro bind_finance_files_to_load() -%}
    {{ return(adapter.dispatch('bind_finance_files_to_load', 'gne_metrics')()) }}
{%- endmacro %}

{% macro default__bind_finance_files_to_load() -%}
    set variable gne_finance_files = (
        select list(file_path order by file_path)
        from (
            select
                {{ sql_string_literal(raw_dir() ~ '/finance/') }}
                || files.source_file as file_path
            from {{ ref('base_finance__files') }} as files
            where files.file_status = 'loaded'
            union all
            select {{ sql_string_literal(empty_spend_file()) }} as file_path
        ) as files_to_load
    )
{%- endmacro %}

{#-
    A dbt warning per rejected file of a manifest, naming the file and what
    is wrong with it (the values go into the log, never into SQL). Called at
    run time by the model that reads the manifest; silent while parsing or
    when the manifest is not built yet.
-#}
{% macro warn_rejected_files(manifest_relation, what) -%}
    {#- `this` is unset in unit tests, which have no manifest table. -#}
    {%- if execute and this is not none
        and load_relation(manifest_relation) is not none -%}
        {%- set rejected = run_query(
            'select source_file, rejection_reason_code, rejection_detail from '
            ~ manifest_relation ~ " where file_status = 'rejected' order by source_file"
        ) -%}
        {%- for row in rejected.rows[:20] -%}
            {%- do exceptions.warn(
                what ~ ' rejected (' ~ row[1] ~ '): ' ~ row[0] ~ ': ' ~ row[2]) -%}
        {%- endfor -%}
        {%- if rejected.rows | length > 20 -%}
            {%- do exceptions.warn(
                what ~ ': ' ~ (rejected.rows | length - 20)
                ~ ' more rejected files, see ' ~ manifest_relation) -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- Spark: the source's landing table filled with the spend file's rows if
    the manifest loaded it, else empty (macros/engine/raw_sources.sql). -#}
{% macro spark__bind_finance_files_to_load() -%}
    {%- set paths = [] -%}
    {%- if execute -%}
        {%- set files = run_query(
            'select files.source_file from ' ~ ref('base_finance__files')
            ~ " as files where files.file_status = 'loaded'"
            ~ ' order by files.source_file') -%}
        {%- for row in files.rows -%}
            {%- do paths.append(raw_dir() ~ '/finance/' ~ row[0]) -%}
        {%- endfor -%}
    {%- else -%}
        {{ return('select 1') }}
    {%- endif -%}
    {{ return(spark_source_table_statement(
        source_node('finance', 'spend_actuals'), paths)) }}
{%- endmacro %}
