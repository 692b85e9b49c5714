{#-
    The newest value of a column already loaded into an incremental model, as
    a SQL literal, read at run time so that the filter on the source is a
    constant (DuckDB then prunes hive partitions instead of scanning them).
    Returns none on a first or full-refresh build, in a unit test, or while
    parsing.
-#}
{% macro newest_loaded(column_name) %}
    {#- `this` is unset in unit tests, which build as a first run. -#}
    {%- if not execute or this is none or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set newest = run_query(
        'select max(' ~ column_name ~ ') from ' ~ this
    ).columns[0].values()[0] -%}
    {{ return(none if newest is none else "'" ~ newest ~ "'") }}
{% endmacro %}
