{#-
    What the incremental models downstream of staging remember between runs,
    and when they must forget it.

    Every row of base_events__validated carries loaded_at, the start of the
    dbt run that loaded its file (run_loaded_at()). A keyed incremental model
    (an order, a report, a review... replaced by its key) records, after each
    run, the start of that run as the time through which it has read staging
    (table dbt_state.incremental_watermarks, one row per model); its next run
    rebuilds only the keys of the staging rows loaded after that time
    (loaded_since_last_run()), each from all of its events.

    Loading only adds rows. Rows leave staging in three ways, none of which
    can be replayed as "new rows": a file that left the manifest's loaded
    set, a loaded file whose row count changed (its old rows are replaced),
    and a full refresh of base_events__validated (every row replaced), all
    recorded by base_events__validated's pre-hook in
    dbt_state.unloaded_event_files (log_unloaded_event_files(); a full
    refresh as source_file '*'). Reference data (seeds and the
    dimensions built from them) can change too: each model names the
    relations it looks up, and their fingerprint is kept beside its watermark.
    In any of these cases the model's pre-hook (reset_incremental_state())
    empties the model and forgets its watermark, so that run rebuilds it from
    all of staging: exactly what a full refresh gives.

    DuckDB only: on Spark these models are tables rebuilt whole
    (keyed_materialization()), and the hooks do nothing.
-#}

{#- The start of this dbt run as a UTC timestamp literal. -#}
{% macro run_loaded_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}

{% macro incremental_state_relation(identifier) -%}
    {{ return(api.Relation.create(
        database=this.database, schema='dbt_state', identifier=identifier)) }}
{%- endmacro %}

{#- The time through which this model has read staging, or the first instant
    ever when it has no watermark (then every staging row is new). -#}
{% macro consumed_through() -%}
    coalesce(
        (
            select max(watermarks.consumed_through)
            from {{ incremental_state_relation('incremental_watermarks') }}
                as watermarks
            where watermarks.model_name = '{{ this.identifier }}'
        ),
        cast('1900-01-01' as timestamp)
    )
{%- endmacro %}

{#- A condition on a staging relation's rows: loaded after this model's
    last run. -#}
{% macro loaded_since_last_run(loaded_at_column='loaded_at') -%}
    {{ loaded_at_column }} > {{ consumed_through() }}
{%- endmacro %}

{#- One text value that changes when any row of the given relations does. -#}
{% macro reference_fingerprint(reference_models) -%}
    {%- if reference_models | length == 0 -%}
        ''
    {%- else -%}
        {%- for name in reference_models %}
            (
                select
                    coalesce(
                        md5(string_agg(cast(reference_rows as varchar), '|'
                            order by cast(reference_rows as varchar))),
                        'empty'
                    )
                from {{ ref(name) }} as reference_rows
            )
            {%- if not loop.last %} || {% endif %}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{% macro create_incremental_state() -%}
    create schema if not exists {{ this.database }}.dbt_state;
    create table if not exists
        {{ incremental_state_relation('incremental_watermarks') }} (
            model_name varchar,
            consumed_through timestamp,
            reference_fingerprint varchar
        );
    create table if not exists
        {{ incremental_state_relation('unloaded_event_files') }} (
            source_file varchar,
            row_count bigint,
            unloaded_at timestamp
        )
{%- endmacro %}

{#- Pre-hook of a keyed incremental model. -#}
{% macro reset_incremental_state(reference_models=[]) -%}
    {{ return(adapter.dispatch('reset_incremental_state', 'gne_metrics')(reference_models)) }}
{%- endmacro %}

{% macro default__reset_incremental_state(reference_models) -%}
    select 1
{%- endmacro %}

{% macro duckdb__reset_incremental_state(reference_models) -%}
    {%- if is_incremental() -%}
        {%- set watermarks = incremental_state_relation('incremental_watermarks') -%}
        {%- set still_valid -%}
            coalesce(
                {{ consumed_through() }} >= coalesce(
                    (
                        select max(unloaded.unloaded_at)
                        from {{ incremental_state_relation('unloaded_event_files') }}
                            as unloaded
                    ),
                    cast('1900-01-01' as timestamp)
                )
                and (
                    select max(watermarks.reference_fingerprint)
                    from {{ watermarks }} as watermarks
                    where watermarks.model_name = '{{ this.identifier }}'
                ) = {{ reference_fingerprint(reference_models) }},
                false
            )
        {%- endset -%}
        {#- The watermark goes first, so the state (and the fingerprint of the
            reference data) is judged once; a model without a watermark is
            then emptied. #}
        {{ create_incremental_state() }};
        delete from {{ watermarks }}
        where
            model_name = '{{ this.identifier }}'
            and not {{ still_valid }};
        delete from {{ this }}
        where not exists (
            select 1
            from {{ watermarks }} as watermarks
            where watermarks.model_name = '{{ this.identifier }}'
        )
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{#- Post-hook of a keyed incremental model (full refresh too): it has read
    staging through the start of this run. -#}
{% macro record_incremental_state(reference_models=[]) -%}
    {{ return(adapter.dispatch('record_incremental_state', 'gne_metrics')(reference_models)) }}
{%- endmacro %}

{% macro default__record_incremental_state(reference_models) -%}
    select 1
{%- endmacro %}

{% macro duckdb__record_incremental_state(reference_models) -%}
    {%- set watermarks = incremental_state_relation('incremental_watermarks') -%}
    {{ create_incremental_state() }};
    delete from {{ watermarks }} where model_name = '{{ this.identifier }}';
    insert into {{ watermarks }}
    select
        '{{ this.identifier }}',
        {{ run_loaded_at() }},
        {{ reference_fingerprint(reference_models) }}
{%- endmacro %}

{#- Pre-hook of base_events__validated: the files whose rows this run
    removes (no longer loaded in the manifest, or loaded with another row
    count), before they go. -#}
{% macro log_unloaded_event_files() -%}
    {{ return(adapter.dispatch('log_unloaded_event_files', 'gne_metrics')()) }}
{%- endmacro %}

{% macro default__log_unloaded_event_files() -%}
    select 1
{%- endmacro %}

{% macro duckdb__log_unloaded_event_files() -%}
    {{ create_incremental_state() }};
    {%- if is_incremental() %}
    insert into {{ incremental_state_relation('unloaded_event_files') }}
    select
        loaded.source_file,
        loaded.row_count,
        {{ run_loaded_at() }}
    from (
        select source_file, count(*) as row_count
        from {{ this }}
        group by source_file
    ) as loaded
    left join {{ ref('base_events__files') }} as files
        on
            loaded.source_file = files.source_file
            and files.file_status = 'loaded'
    where
        files.source_file is null
        or files.row_count <> loaded.row_count
    {%- else %}
    {#- A full refresh replaces every row: recorded as one entry for all. #}
    insert into {{ incremental_state_relation('unloaded_event_files') }}
    select '*', null, {{ run_loaded_at() }}
    {%- endif %}
{%- endmacro %}

{#- The config of a keyed incremental model: rows replaced by unique_key,
    state kept and reset as above, reference_models fingerprinted. Its
    joins keep the build side the SQL gives them (keep_join_sides(),
    macros/engine/incremental.sql): the touched keys are the small right
    side of an `in (select ...)`, which DuckDB otherwise builds on the
    whole staging column instead (7 s of base_events__repeats' 7.2 s in a
    new-day run at 10M events). A full build leaves the choice to DuckDB:
    there the sides were not shown to help, and int_order_outcomes_windowed
    took 234 s at 50M events with them kept against 83 s measured before
    (a shared machine, not isolated to this one change). -#}
{% macro keyed_incremental_config(unique_key, reference_models=[]) -%}
    {{ return({
        'materialized': keyed_materialization(),
        'incremental_strategy': 'delete+insert',
        'unique_key': unique_key,
        'on_schema_change': 'fail',
        'pre_hook': [
            '{{ reset_incremental_state(' ~ reference_models ~ ') }}',
            '{{ keep_join_sides(incremental_runs_only=true) }}',
        ],
        'post_hook': [
            '{{ restore_join_sides() }}',
            '{{ record_incremental_state(' ~ reference_models ~ ') }}',
        ],
    }) }}
{%- endmacro %}

{#- Select of the distinct key_column values of the given relations' rows
    loaded since this model's last run. -#}
{% macro keys_loaded_since_last_run(key_column, relations) -%}
    {%- for relation in relations %}
    select {{ key_column }}
    from {{ relation }}
    where {{ loaded_since_last_run() }}
    {%- if not loop.last %}
    union
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- On an incremental run, a where clause keeping the rows whose
    key_column is in column cte_column (default: the same name) of
    keys_cte; nothing on a full build. -#}
{% macro only_touched(key_column, keys_cte, cte_column=none) -%}
    {%- if is_incremental() %}
    where {{ key_column }} in (
        select {{ keys_cte }}.{{ cte_column or key_column }} from {{ keys_cte }}
    )
    {%- endif %}
{%- endmacro %}

{#- base_events__repeats: every valid copy (event_id, event_type,
    business_key) of the event_ids with a valid row loaded since the
    model's last run; their ids and entity keys are the ones a run ranks
    again. -#}
{% macro touched_repeat_keys() -%}
    select
        copies.event_id,
        copies.event_type,
        copies.business_key
    from {{ ref('base_events__validated') }} as copies
    where
        copies.quarantine_reason_code is null
        and copies.event_id in (
            select loaded.event_id
            from {{ ref('base_events__validated') }} as loaded
            where
                loaded.quarantine_reason_code is null
                and {{ loaded_since_last_run('loaded.loaded_at') }}
        )
{%- endmacro %}

{#- On an incremental run of base_events__repeats, a condition keeping the
    rows of the touched event_ids and entity keys (CTE keys_cte, of
    touched_repeat_keys()); nothing on a full build. -#}
{% macro only_touched_copies(keys_cte) -%}
    {%- if is_incremental() %}
        and (
            event_id in (
                select {{ keys_cte }}.event_id from {{ keys_cte }}
                where {{ keys_cte }}.event_id is not null
            )
            or (event_type, business_key) in (
                select {{ keys_cte }}.event_type, {{ keys_cte }}.business_key
                from {{ keys_cte }}
                where {{ keys_cte }}.business_key is not null
            )
        )
    {%- endif %}
{%- endmacro %}

{#- Pre-hook of base_events__repeats (after reset_incremental_state()): its
    rows that the run ranks again. -#}
{% macro delete_touched_repeats() -%}
    {{ return(adapter.dispatch('delete_touched_repeats', 'gne_metrics')()) }}
{%- endmacro %}

{% macro default__delete_touched_repeats() -%}
    select 1
{%- endmacro %}

{% macro duckdb__delete_touched_repeats() -%}
    {%- if is_incremental() -%}
    with touched as (
        {{ touched_repeat_keys() }}
    )

    delete from {{ this }}
    where
        event_id in (select touched.event_id from touched)
        or (
            repeat_kind = 'duplicate_business_key'
            and (event_type, business_key) in (
                select touched.event_type, touched.business_key
                from touched
                where touched.business_key is not null
            )
        )
    {%- else -%}
    select 1
    {%- endif -%}
{%- endmacro %}
