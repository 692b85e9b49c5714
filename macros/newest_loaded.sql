{#-
    The newest value of a column already loaded into an incremental model, as
    a SQL literal, read at run time so that the filter on the source is a
    constant (DuckDB then prunes hive partitions instead of scanning them).
    Returns none on a first or full-refresh build, or while parsing.
-#}
{% macro newest_loaded(column_name, relation=this) %}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set newest = run_query(
        'select max(' ~ column_name ~ ') from ' ~ relation
    ).columns[0].values()[0] -%}
    {{ return(none if newest is none else "'" ~ newest ~ "'") }}
{% endmacro %}
