{#-
    Every raw event row, exactly once: the payload parsed once into typed
    columns, and the first contract rule it breaks (if any) as
    quarantine_reason_code. Checks run in the order of the
    quarantine_reasons seed; the contract itself lives in
    macros/event_contract.sql, how a row is read against it (payload paths,
    money layouts, the ordered rules) in macros/event_validation.sql.

    Incremental by file: the state is the set of files already loaded. A
    run loads the manifest's loaded files that are new or have changed row
    count (a backfill of an old day loads like any new file) and replaces
    the rows of a changed file (unique key source_file); rows of a file that
    left the manifest's loaded set are deleted. On Spark the table is
    partitioned by source_file and a run overwrites the partitions of the
    files it loads (insert_overwrite: the same rows as delete+insert by
    source_file; by ingest_date it would drop the rows of a day's other
    files), and a file that left the loaded set loses its partition. The
    market lookup is the one
    join in staging besides the small file manifest: a seed of reference
    data, needed to tell a known market, its currency and the currency's
    money ceiling.

    loaded_at is the start of the run that loaded the row: the models
    downstream that are incremental read the rows loaded since their own
    last run by it; the pre-hook log_unloaded_event_files() records the
    files whose rows a run removes, which those models cannot read as new
    rows (macros/engine/incremental_state.sql).

    Timestamps: a file's occurred_at / ingested_at may be timestamps with a
    time zone or ISO-8601 text (the manifest accepts both); all are read as
    UTC timestamps, offsets applied.

    Local dates: converting each row's timestamp in its own market's time
    zone is the costliest expression here, so the conversion runs once per
    market and UTC hour of the rows being loaded. Within an hour whose local
    length is one hour the offset is constant, and a row's local date is its
    UTC time shifted by that offset; rows in an hour with a clock change
    (local length not one hour) are converted one by one.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy=by_partition_strategy(),
        unique_key='source_file',
        partition_by=partition_column('source_file'),
        on_schema_change='fail',
        pre_hook=[
            "{{ log_unloaded_event_files() }}",
            "{{ bind_event_files_to_load() }}",
            "{{ keep_join_sides() }}",
        ],
        post_hook=[
            "{{ restore_join_sides() }}",
            "{{ drop_rows_of_unloaded_files() }}",
        ],
    )
}}

{{- warn_rejected_files(ref('base_events__files'), 'Event file') }}

{%- set payload_paths = event_payload_paths() -%}
{%- set numeric = dbt.type_numeric() -%}
{#- What copies of one event_id must share (base_events__repeats). -#}
{%- set content_columns = [
    'event_type', 'schema_version', 'occurred_at', 'market', 'payload'
] -%}
{#- A number only: a var is rendered into SQL, so it is cast first. -#}
{%- set amount_usd_ceiling = var('implausible_amount_usd') | float -%}

with

{#- The files this run loads are bound by the pre-hook
    (bind_event_files_to_load); the manifest gives each its partition. #}

loaded_files as (
    select
        source_file,
        partition_date,
        {{ event_file_path('source_file') }} as file_path
    from {{ ref('base_events__files') }}
    where file_status = 'loaded'
),

raw_events as (
    select
        delivered.event_id,
        delivered.event_type,
        delivered.market,
        delivered.payload,
        loaded_files.partition_date as ingest_date,
        loaded_files.source_file,
        delivered.file_row_number as source_row_number,
        {{ parse_utc_timestamp('delivered.occurred_at') }} as occurred_at,
        {{ parse_utc_timestamp('delivered.ingested_at') }} as ingested_at,
        {{ dbt.safe_cast('delivered.schema_version', 'integer') }}
            as schema_version
    from {{ source('events', 'governance_events') }} as delivered
    inner join loaded_files
        on delivered.filename = loaded_files.file_path
),

{#- The largest plausible single amount in each currency: the USD ceiling
    at the currency's weakest rate to USD in the FX seed. #}

money_ceilings as (
    select
        currency_code,
        {{ amount_usd_ceiling }} / min(usd_per_unit)
            as max_plausible_amount_local
    from {{ ref('fx_rates_monthly') }}
    where usd_per_unit > 0
    group by currency_code
),

markets as (
    select
        markets.market_code,
        markets.currency_code,
        markets.reporting_timezone,
        money_ceilings.max_plausible_amount_local
    from {{ ref('markets') }} as markets
    left join money_ceilings
        on markets.currency_code = money_ceilings.currency_code
),

utc_hours as (
    select distinct
        market,
        {{ dbt.date_trunc(
            'hour', parse_utc_timestamp('occurred_at')
        ) }} as utc_hour
    from {{ source('events', 'governance_events') }}
),

local_hours as (
    select
        utc_hours.market,
        utc_hours.utc_hour,
        {{ to_local_timestamp(
            'utc_hours.utc_hour', 'markets.reporting_timezone'
        ) }} as local_hour_start,
        {{ to_local_timestamp(
            dbt.dateadd('hour', 1, 'utc_hours.utc_hour'),
            'markets.reporting_timezone'
        ) }} as local_hour_end
    from utc_hours
    inner join markets
        on utc_hours.market = markets.market_code
),

utc_offsets as (
    select
        market,
        utc_hour,
        {{ dbt.datediff('utc_hour', 'local_hour_start', 'second') }}
            as utc_offset_seconds,
        {{ dbt.datediff('local_hour_start', 'local_hour_end', 'second') }}
        = 3600 as is_offset_constant
    from local_hours
),

parsed as (
    select
        raw_events.*,
        markets.currency_code as market_currency_code,
        markets.max_plausible_amount_local,
        case
            when utc_offsets.is_offset_constant
                then cast({{ dbt.dateadd(
                    'second',
                    'utc_offsets.utc_offset_seconds',
                    'raw_events.occurred_at'
                ) }} as date)
            else {{ to_local_date(
                'raw_events.occurred_at', 'markets.reporting_timezone'
            ) }}
        end as occurred_local_date,
        markets.market_code is not null as is_known_market,
        {{ is_json_object('raw_events.payload') }} as is_json_object,
        case
            when {{ is_json_object('raw_events.payload') }}
                then {{ json_values(
                    'raw_events.payload', payload_paths.values() | list
                ) }}
        end as payload_values
    from raw_events
    left join markets
        on raw_events.market = markets.market_code
    left join utc_offsets
        on
            raw_events.market = utc_offsets.market
            and {{ dbt.date_trunc('hour', 'raw_events.occurred_at') }}
            = utc_offsets.utc_hour
),

payload_fields as (
    select
        parsed.*,
    {%- for field, path in payload_paths.items() %}
        {{ json_value(
            'payload_values', payload_paths.values() | list, path
        ) }} as {{ field }}
        {{- ',' if not loop.last }}
    {%- endfor %}
    from parsed
),

{#- The money fields of each payload version, then the first rule broken
    (macros/event_validation.sql). #}

money_fields as (
    select
        payload_fields.*,
        {{ event_money_field('payload_fields', 'amount') }} as money_amount,
        {{ event_money_field('payload_fields', 'currency') }} as currency_code
    from payload_fields
),

classified as (
    select
        money_fields.*,
        {{ event_quarantine_reason('money_fields') }} as quarantine_reason_code
    from money_fields
),

final as (
    select
        event_id,
        event_type,
        schema_version,
        occurred_at,
        occurred_local_date,
        ingested_at,
        ingest_date,
        {{ run_loaded_at() }} as loaded_at,
        market as market_code,
        source_file,
        source_row_number,
        quarantine_reason_code,
        case
            when quarantine_reason_code is not null then payload
        end as quarantined_payload,
        {{ row_hash(content_columns) }} as content_hash,
        {{ business_key_of('event_type') }} as business_key,
        order_id,
        buyer_id,
        seller_id,
        listing_id,
        category,
        channel,
        reason,
        fault_party,
        refund_id,
        dispute_id,
        outcome,
        review_id,
        decision,
        policy_id,
        review_mode,
        report_id,
        reporter_id,
        target_type,
        target_id,
        action_id,
        action_type,
        detection_source,
        appeal_id,
        case_id,
        queue,
        team,
        ticket_id,
        currency_code,
        {{ dbt.safe_cast('money_amount', numeric) }} as amount_local,
        {{ parse_utc_timestamp('promised_ship_by') }} as promised_ship_by_at,
        {{ parse_utc_timestamp('detected_at') }} as detected_at,
        {{ parse_utc_timestamp('opened_at') }} as opened_at,
        {{ dbt.safe_cast('rating', 'integer') }} as rating,
        {{ dbt.safe_cast('csat', 'integer') }} as csat,
        {{ dbt.safe_cast('handling_seconds', 'bigint') }} as handling_seconds,
        {{ dbt.safe_cast('is_valid', 'boolean') }} as is_valid,
        {{ dbt.safe_cast('is_automated', 'boolean') }} as is_automated,
        {{ dbt.safe_cast('qa_sampled', 'boolean') }} as is_qa_sampled,
        {{ dbt.safe_cast('qa_passed', 'boolean') }} as is_qa_passed
    from classified
)

select * from final
