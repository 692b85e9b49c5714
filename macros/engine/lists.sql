{#-
    The distinct non-null values of a text column, sorted and joined with a
    separator (null when there are none). DuckDB orders inside string_agg;
    Spark has no ordered distinct string_agg, so the distinct values are
    collected, sorted and joined.
-#}
{% macro distinct_sorted_list(column, separator) -%}
    {{ return(adapter.dispatch('distinct_sorted_list', 'gne_metrics')(
        column, separator)) }}
{%- endmacro %}

{% macro default__distinct_sorted_list(column, separator) -%}
    string_agg(
        distinct {{ column }}, '{{ separator }}'
        order by {{ column }}
    )
{%- endmacro %}

{% macro spark__distinct_sorted_list(column, separator) -%}
    case
        when count({{ column }}) > 0
            then array_join(
                array_sort(collect_set({{ column }})), '{{ separator }}'
            )
    end
{%- endmacro %}

{#-
    One row per number 0 .. n-1 of a row count (no row when it is 0 or
    null), as a select-list expression: DuckDB unnests range(n); Spark
    explodes a sequence, guarded because sequence(0, -1) counts down.
-#}
{% macro unnest_row_numbers(count_column) -%}
    {{ return(adapter.dispatch('unnest_row_numbers', 'gne_metrics')(
        count_column)) }}
{%- endmacro %}

{% macro default__unnest_row_numbers(count_column) -%}
    unnest(range({{ count_column }}))
{%- endmacro %}

{% macro spark__unnest_row_numbers(count_column) -%}
    explode(
        case
            when {{ count_column }} > 0
                then sequence(cast(0 as bigint), {{ count_column }} - 1)
            else array()
        end
    )
{%- endmacro %}

{#-
    Every file under a folder (a path ending in /), at any depth, as rows of
    one column `file`, the full path. DuckDB globs the top level and every
    depth below each top-level folder (so that folders that are symlinks
    are followed). Spark lists with its binaryFile reader (recursive, no
    partition discovery, file contents not read) through a temporary view
    made at run time; its paths are URIs, the local 'file:' scheme is
    dropped and the folder given back as the prefix was written. Spark's
    file listing skips names starting with '_' or '.', and its scans skip
    zero-byte files (lists_empty_files() says whether a listing holds them).
-#}
{% macro files_under(prefix) -%}
    {{ return(adapter.dispatch('files_under', 'gne_metrics')(prefix)) }}
{%- endmacro %}

{% macro default__files_under(prefix) -%}
    select file
    from glob({{ sql_string_literal(prefix ~ '*') }})
    union all
    select file
    from glob({{ sql_string_literal(prefix ~ '*/**') }})
{%- endmacro %}

{% macro spark__files_under(prefix) -%}
    {%- set view_name = 'gne_files_under_' ~ local_md5(prefix) -%}
    {%- set location = spark_path_identifier(prefix)[1:-1] | replace('``', '`') -%}
    {%- if execute -%}
        {%- do run_query(
            'create or replace temporary view ' ~ view_name
            ~ ' using binaryFile options (path '
            ~ sql_string_literal(location)
            ~ ", recursiveFileLookup 'true')") -%}
    {%- endif -%}
    {#- Paths as given (a relative prefix stays relative). #}
    select
        concat(
            {{ sql_string_literal(prefix) }},
            substr(
                regexp_replace(path, '^file:', ''),
                {{ location | length + 1 }}
            )
        ) as file
    from {{ view_name }}
{%- endmacro %}

{#- Whether files_under() lists zero-byte files: DuckDB's glob does,
    Spark's file scans skip them. -#}
{% macro lists_empty_files() -%}
    {{ return(adapter.dispatch('lists_empty_files', 'gne_metrics')()) }}
{%- endmacro %}

{% macro default__lists_empty_files() -%}
    {{ return(true) }}
{%- endmacro %}

{% macro spark__lists_empty_files() -%}
    {{ return(false) }}
{%- endmacro %}
