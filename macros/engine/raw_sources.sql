{#-
    The raw sources as relations the engine can select from, so that models
    call source() unchanged on every engine.

    DuckDB needs nothing here: dbt-duckdb reads a source's meta
    external_location (read_parquet / read_csv of the files bound to a
    DuckDB variable, macros/raw_files.sql) in place.

    On Spark each source whose meta has spark_location is a landing table
    (Parquet, in the source's schema). Before every run (on-run-start) it
    is made empty, with the source's YAML columns. The pre-hook of the
    model that reads the source (bind_event_files_to_load,
    bind_finance_files_to_load) then fills it with the rows of exactly the
    files that the file manifest loaded for this run, one read per file,
    the same files DuckDB's variable lists. (Not a view: the metastore keeps
    a view's text in 32,700 characters, too few for one read per file, and
    the model reads the source twice.) A file is read by Spark's own
    reader (Parquet; CSV with the meta spark_options, e.g. header) on its
    own, never as a folder: files of one tree may hold the same column in
    different types (timestamp, timestamp with time zone, ISO-8601 text, all
    loaded by the manifest), which no merged schema can read, and a rejected
    (corrupt, zero-byte) file in the folder must not fail the read.

    Every column of the source is read as text (the contract's columns are
    parsed in staging, as on DuckDB, where text and timestamps both parse);
    the file metadata columns (meta spark_file_columns: column ->
    file_path or a field of Spark's _metadata, e.g. row_index) are the
    file's path exactly as the manifest gives it, so it equals DuckDB's
    filename, and the reader's field.
-#}
{% macro register_raw_sources() -%}
    {{ return(adapter.dispatch('register_raw_sources', 'gne_metrics')()) }}
{%- endmacro %}

{% macro default__register_raw_sources() -%}
{%- endmacro %}

{% macro spark__register_raw_sources() -%}
    {%- if execute -%}
        {%- for source in graph.sources.values()
            if source.meta.get('spark_location') -%}
            {%- do run_query(
                'create schema if not exists ' ~ source.schema) -%}
            {%- do run_query(spark_source_table_statement(source, [])) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- A path as a Spark quoted identifier (parquet.`path`), a relative one
    anchored at the working directory (Spark would resolve it elsewhere);
    control characters are refused, backticks doubled. -#}
{% macro spark_path_identifier(path) -%}
    {%- set text = path | string -%}
    {%- if modules.re.search('[\\x00-\\x1f]', text) -%}
        {{ exceptions.raise_compiler_error(
            'refusing a control character in a path: ' ~ text | tojson) }}
    {%- endif -%}
    {%- if not text.startswith('/') and '://' not in text -%}
        {%- set text = env_var('PWD') ~ '/' ~ text -%}
    {%- endif -%}
    {{- return('`' ~ text | replace('`', '``') ~ '`') -}}
{%- endmacro %}

{#- The graph node of a source, by source and table name. -#}
{% macro source_node(source_name, table_name) -%}
    {%- for node in graph.sources.values()
        if node.source_name == source_name and node.name == table_name -%}
        {{- return(node) -}}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error(
        'no source ' ~ source_name ~ '.' ~ table_name) }}
{%- endmacro %}

{#- The columns of one read of a source: the YAML's columns as text, the
    file columns from the file (file_path: the path as given). -#}
{% macro spark_source_columns(source, path) -%}
    {%- set file_columns = source.meta.get('spark_file_columns', {}) -%}
    {%- set selected = [] -%}
    {%- for column_name in source.columns -%}
        {%- set field = file_columns.get(column_name) -%}
        {%- if path is none and (field is none or field == 'file_path') -%}
            {%- do selected.append('cast(null as string) as ' ~ column_name) -%}
        {%- elif field is none -%}
            {%- do selected.append(
                'cast(`' ~ column_name ~ '` as string) as ' ~ column_name) -%}
        {%- elif path is none -%}
            {%- do selected.append('cast(null as bigint) as ' ~ column_name) -%}
        {%- elif field == 'file_path' -%}
            {%- do selected.append(
                sql_string_literal(path) ~ ' as ' ~ column_name) -%}
        {%- else -%}
            {%- do selected.append(
                'cast(_metadata.' ~ field ~ ' as bigint) as ' ~ column_name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(selected | join(', ')) -}}
{%- endmacro %}

{#- The relation Spark reads one file from. A format with reader options
    (CSV: header) needs a table to carry them: an external table
    <identifier>__file<n> (dropping it never deletes the file), created here
    at run time. -#}
{% macro spark_file_relation(source, path, index) -%}
    {%- set meta = source.meta -%}
    {%- set file_format = meta.get('spark_format', 'parquet') -%}
    {%- set options = meta.get('spark_options', {}) -%}
    {%- if not options -%}
        {{- return(file_format ~ '.' ~ spark_path_identifier(path)) -}}
    {%- endif -%}
    {%- set file_table = source.schema ~ '.' ~ source.identifier
        ~ '__file' ~ index -%}
    {%- set option_list = [] -%}
    {%- for key, value in options.items() -%}
        {%- do option_list.append(key ~ ' ' ~ sql_string_literal(value)) -%}
    {%- endfor -%}
    {%- set location = spark_path_identifier(path)[1:-1] | replace('``', '`') -%}
    {%- do run_query('drop table if exists ' ~ file_table) -%}
    {%- do run_query(
        'create table ' ~ file_table ~ ' using ' ~ file_format
        ~ ' options (path ' ~ sql_string_literal(location) ~ ', '
        ~ option_list | join(', ') ~ ')') -%}
    {{- return(file_table) -}}
{%- endmacro %}

{#- The statement that fills a source's landing table with exactly these
    files' rows (with a typed select of no rows, so that no file is a valid
    read); the old table is dropped first. -#}
{% macro spark_source_table_statement(source, paths) -%}
    {%- set reads = [
        'select ' ~ spark_source_columns(source, none) ~ ' where false'
    ] -%}
    {%- for path in paths -%}
        {%- do reads.append(
            'select ' ~ spark_source_columns(source, path)
            ~ ' from ' ~ spark_file_relation(source, path, loop.index)) -%}
    {%- endfor -%}
    {%- set table_name = source.schema ~ '.' ~ source.identifier -%}
    {%- do run_query('drop table if exists ' ~ table_name) -%}
    {{- return(
        'create table ' ~ table_name ~ ' using parquet as '
        ~ reads | join(' union all ')) -}}
{%- endmacro %}
