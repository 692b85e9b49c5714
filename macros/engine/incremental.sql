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

{#-
    DuckDB picks a hash join's build side from estimated sizes; a GROUP BY
    over many rows (base_events__validated's market-hours) is estimated as
    large as its input, and the join then builds its hash table on the wide
    event rows instead (EXPLAIN ANALYZE at 10M events: 24 s in that join,
    2.4 s with the sides as written). keep_join_sides() as a pre-hook keeps
    the build side where the SQL puts it (the right) for the model's own
    statement; restore_join_sides() as its post-hook undoes it. Spark: no-op.
-#}
{% macro keep_join_sides() -%}
    {{ return(adapter.dispatch('keep_join_sides', 'gne_metrics')()) }}
{%- endmacro %}

{% macro default__keep_join_sides() -%}
    select 1
{%- endmacro %}

{% macro duckdb__keep_join_sides() -%}
    set disabled_optimizers = 'build_side_probe_side'
{%- endmacro %}

{% macro restore_join_sides() -%}
    {{ return(adapter.dispatch('restore_join_sides', 'gne_metrics')()) }}
{%- endmacro %}

{% macro default__restore_join_sides() -%}
    select 1
{%- endmacro %}

{% macro duckdb__restore_join_sides() -%}
    reset disabled_optimizers
{%- endmacro %}
