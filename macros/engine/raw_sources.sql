{#-
    The raw sources as relations the engine can select from, registered
    before every run (on-run-start), so that models call source() unchanged
    on every engine.

    DuckDB needs nothing: dbt-duckdb reads a source's meta external_location
    (read_parquet / read_csv) in place. On Spark each source whose meta has
    spark_location becomes a view over the files read by Spark's own reader
    (Parquet with hive partition discovery; CSV with a header), with the
    reader's file metadata exposed under the names DuckDB's reader gives them
    (meta spark_file_columns: column name -> field of _metadata, e.g.
    filename: file_path). Spark's file paths are URIs: the local 'file:'
    scheme is dropped so that a path reads as DuckDB's filename does.
    A CSV needs a table to carry its reader options (header), so it gets an
    external table <identifier>__file (dropping it never deletes the file).
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
            {%- for statement in spark_raw_source_statements(source) -%}
                {%- do run_query(statement) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- The statements that (re)create one source's view over its files. -#}
{% macro spark_raw_source_statements(source) -%}
    {%- set meta = source.meta -%}
    {%- set file_format = meta.get('spark_format', 'parquet') -%}
    {%- set location = meta['spark_location'] | trim -%}
    {#- Spark resolves a relative path against a database's folder in the
        warehouse, not the project: anchor it at the working directory. -#}
    {%- if not location.startswith('/') and '://' not in location -%}
        {%- set location = env_var('PWD') ~ '/' ~ location -%}
    {%- endif -%}
    {%- set options = meta.get('spark_options', {}) -%}
    {%- set view_name = source.schema ~ '.' ~ source.identifier -%}
    {%- set statements = [] -%}
    {%- if options -%}
        {%- set file_table = view_name ~ '__file' -%}
        {%- set option_list = [] -%}
        {%- for key, value in options.items() -%}
            {%- do option_list.append(key ~ " '" ~ value ~ "'") -%}
        {%- endfor -%}
        {%- do statements.append('drop table if exists ' ~ file_table) -%}
        {%- do statements.append(
            'create table ' ~ file_table ~ ' using ' ~ file_format
            ~ " options (path '" ~ location ~ "', "
            ~ option_list | join(', ') ~ ')') -%}
        {%- set files = file_table -%}
    {%- else -%}
        {%- set files = file_format ~ '.`' ~ location ~ '`' -%}
    {%- endif -%}
    {%- set file_columns = [] -%}
    {%- for column_name, field in meta.get(
        'spark_file_columns', {}).items() -%}
        {%- if field == 'file_path' -%}
            {%- do file_columns.append(
                "regexp_replace(_metadata.file_path, '^file:', '') as "
                ~ column_name) -%}
        {%- else -%}
            {%- do file_columns.append(
                '_metadata.' ~ field ~ ' as ' ~ column_name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do statements.append(
        'create or replace view ' ~ view_name ~ ' as select *'
        ~ (', ' ~ file_columns | join(', ') if file_columns else '')
        ~ ' from ' ~ files) -%}
    {{ return(statements) }}
{%- endmacro %}
