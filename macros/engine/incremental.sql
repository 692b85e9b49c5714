{#-
    Incremental strategies per engine, for models that replace whole slices
    of rows on every run.

    by_partition_strategy(): the rows of every slice in a run's batch (a
    raw file, source_file, in base_events__validated) replace that slice's
    rows. DuckDB does it as delete+insert on unique_key; Spark tables of
    plain Parquet files cannot delete rows, but a table partitioned by the
    same column (partition_by) can have exactly the batch's partitions
    overwritten (insert_overwrite, dynamic partition mode): the same rows in
    the end. partition_column(column) gives Spark the table's partition
    column, and DuckDB none (dbt-duckdb partitions only DuckLake tables and
    warns otherwise).

    keyed_materialization(): models whose rows are replaced by an entity key
    (order_id) that is not a partition. Spark can replace rows by key only
    with merge on a Delta or Iceberg table, and neither format's jars can be
    installed here (they come from Maven, not PyPI), so on Spark such a model
    is rebuilt whole as a table; DuckDB keeps it incremental (delete+insert).
-#}
{% macro by_partition_strategy() -%}
    {{ return(adapter.dispatch('by_partition_strategy', 'gne_metrics')()) }}
{%- endmacro %}

{% macro default__by_partition_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__by_partition_strategy() -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}

{% macro partition_column(column_name) -%}
    {{ return(adapter.dispatch('partition_column', 'gne_metrics')(column_name)) }}
{%- endmacro %}

{% macro default__partition_column(column_name) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__partition_column(column_name) -%}
    {{ return(column_name) }}
{%- endmacro %}

{% macro keyed_materialization() -%}
    {{ return(adapter.dispatch('keyed_materialization', 'gne_metrics')()) }}
{%- endmacro %}

{% macro default__keyed_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro spark__keyed_materialization() -%}
    {{ return('table') }}
{%- endmacro %}
