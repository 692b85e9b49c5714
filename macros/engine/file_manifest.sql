{#-
    The file manifests (base_events__files, base_finance__files) on Spark.

    They are dbt Python models: each raw file's Parquet footer or CSV header
    is read on its own by pyarrow, so that a corrupt file rejects only
    itself. dbt-spark runs Python models only on Databricks, not in a local
    session nor through the Thrift server, so on Spark (YAML: materialized
    file_manifest) the same Python runs before dbt, in
    scripts/build_file_manifests.py, which imports the model files and
    writes their manifest() to a Parquet file each; this materialization
    loads that file as the model's table, the same rows and types that
    DuckDB's build of the model holds. The Python code is never executed
    here and never copied.

    The manifest file is <GNE_FILE_MANIFEST_DIR>/<model>.parquet
    (default <GNE_SPARK_DIR>/file_manifests, GNE_SPARK_DIR defaulting to
    build/spark), the script's default output. A missing file fails the
    model (Spark's PATH_NOT_FOUND names the path). A manifest older than the raw
    tree is caught by assert_every_raw_file_is_in_the_file_manifest, which
    lists the tree with Spark's own reader.
-#}
{% macro file_manifest_location(model_name) -%}
    {%- set spark_dir = env_var('GNE_SPARK_DIR', 'build/spark') -%}
    {%- set folder = env_var('GNE_FILE_MANIFEST_DIR', spark_dir ~ '/file_manifests') -%}
    {%- if not folder.startswith('/') and '://' not in folder -%}
        {%- set folder = env_var('PWD') ~ '/' ~ folder -%}
    {%- endif -%}
    {{- return(folder ~ '/' ~ model_name ~ '.parquet') -}}
{%- endmacro %}

{% materialization file_manifest, adapter='spark', supported_languages=['python'] -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set location = file_manifest_location(model.name) -%}
    {%- set files = 'parquet.' ~ spark_path_identifier(location) -%}

    {{ run_hooks(pre_hooks) }}

    {%- if existing_relation is not none -%}
        {%- do adapter.drop_relation(existing_relation) -%}
    {%- endif -%}

    {% call statement('main') -%}
        create table {{ target_relation }}
        using parquet
        as select * from {{ files }}
    {%- endcall %}

    {{ run_hooks(post_hooks) }}

    {%- do persist_docs(target_relation, model) -%}

    {{ return({'relations': [target_relation]}) }}
{%- endmaterialization %}
