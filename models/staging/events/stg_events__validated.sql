{#-
    Every raw event row, exactly once: the payload parsed once into typed
    columns, and the first contract rule it breaks (if any) as
    quarantine_reason_code. Checks run in the order of the
    quarantine_reasons seed; the contract itself lives in
    macros/event_contract.sql.

    Incremental by landing day: a run re-reads the newest loaded ingest_date
    partition (it may have grown) and everything after it, so a new day costs
    one partition's scan. The market lookup is the one join in staging: a
    seed of reference data, needed to tell a known market and its currency.

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
        unique_key='ingest_date',
        partition_by=partition_column('ingest_date'),
        on_schema_change='fail',
    )
}}

{%- set contract = event_contract() -%}
{%- set payload_paths = {
    'order_id': '$.order_id', 'buyer_id': '$.buyer_id',
    'seller_id': '$.seller_id', 'listing_id': '$.listing_id',
    'category': '$.category', 'gmv_local': '$.gmv_local',
    'currency': '$.currency', 'gmv_amount': '$.gmv.amount',
    'gmv_currency': '$.gmv.currency', 'amount_local': '$.amount_local',
    'amount_amount': '$.amount.amount',
    'amount_currency': '$.amount.currency', 'channel': '$.channel',
    'promised_ship_by': '$.promised_ship_by', 'reason': '$.reason',
    'fault_party': '$.fault_party', 'refund_id': '$.refund_id',
    'dispute_id': '$.dispute_id', 'outcome': '$.outcome',
    'review_id': '$.review_id', 'rating': '$.rating',
    'decision': '$.decision', 'policy_id': '$.policy_id',
    'review_mode': '$.review_mode', 'report_id': '$.report_id',
    'reporter_id': '$.reporter_id', 'target_type': '$.target_type',
    'target_id': '$.target_id', 'is_valid': '$.is_valid',
    'action_id': '$.action_id', 'action_type': '$.action_type',
    'detection_source': '$.detection_source',
    'is_automated': '$.is_automated', 'detected_at': '$.detected_at',
    'appeal_id': '$.appeal_id', 'case_id': '$.case_id', 'queue': '$.queue',
    'team': '$.team', 'opened_at': '$.opened_at',
    'handling_seconds': '$.handling_seconds', 'qa_sampled': '$.qa_sampled',
    'qa_passed': '$.qa_passed', 'ticket_id': '$.ticket_id', 'csat': '$.csat',
} -%}
{%- set numeric = dbt.type_numeric() -%}
{%- set newest_ingest_date = newest_loaded('ingest_date') -%}
{%- set loaded_partitions -%}
    {%- if newest_ingest_date is not none %}
    where ingest_date >= cast({{ newest_ingest_date }} as date)
    {%- endif -%}
{%- endset -%}

with

raw_events as (
    select
        event_id,
        event_type,
        occurred_at,
        ingested_at,
        market,
        payload,
        ingest_date,
        file_row_number as source_row_number,
        {{ dbt.safe_cast('schema_version', 'integer') }} as schema_version,
        {{ regex_match('filename', 'ingest_date=[^/]+/[^/]+$') }}
            as source_file
    from {{ source('events', 'governance_events') }}
    {{- loaded_partitions }}
),

markets as (
    select
        market_code,
        currency_code,
        reporting_timezone
    from {{ ref('markets') }}
),

utc_hours as (
    select distinct
        market,
        {{ dbt.date_trunc('hour', 'occurred_at') }} as utc_hour
    from {{ source('events', 'governance_events') }}
    {{- loaded_partitions }}
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

{#- Version 1 carries money flat, version 2 in one nested object. #}

money_fields as (
    select
        payload_fields.*,
        case
            when
                payload_fields.event_type = 'order_placed'
                and payload_fields.schema_version = 1
                then payload_fields.gmv_local
            when
                payload_fields.event_type = 'order_placed'
                and payload_fields.schema_version = 2
                then payload_fields.gmv_amount
            when
                payload_fields.event_type = 'refund_issued'
                and payload_fields.schema_version = 1
                then payload_fields.amount_local
            when
                payload_fields.event_type = 'refund_issued'
                and payload_fields.schema_version = 2
                then payload_fields.amount_amount
        end as money_amount,
        case
            when
                payload_fields.event_type = 'order_placed'
                and payload_fields.schema_version = 1
                then payload_fields.currency
            when
                payload_fields.event_type = 'order_placed'
                and payload_fields.schema_version = 2
                then payload_fields.gmv_currency
            when
                payload_fields.event_type = 'refund_issued'
                and payload_fields.schema_version = 1
                then payload_fields.currency
            when
                payload_fields.event_type = 'refund_issued'
                and payload_fields.schema_version = 2
                then payload_fields.amount_currency
        end as currency_code
    from payload_fields
),

classified as (
    select
        money_fields.*,
        case
            when
                money_fields.event_type is null
                or money_fields.event_type not in (
                    {{ quoted_list(contract.keys() | list) }}
                )
                then 'unknown_event_type'
            when not money_fields.is_known_market
                then 'unknown_market'
            when
                money_fields.schema_version is null
                or money_fields.schema_version not in (1, 2)
                or (
                    money_fields.schema_version = 2
                    and money_fields.event_type not in (
                        {{ quoted_list(event_types_with_v2(), 24) }}
                    )
                )
                then 'invalid_schema_version'
            when not money_fields.is_json_object
                then 'malformed_payload'
            when
                money_fields.event_id is null
                or trim(money_fields.event_id) = ''
                or money_fields.occurred_at is null
                or money_fields.ingested_at is null
                or {{ contract_rule_fails('missing') }}
                then 'missing_required_field'
            when {{ contract_rule_fails('enum') }}
                then 'invalid_enum_value'
            when {{ contract_rule_fails('money') }}
                then 'invalid_money'
            when {{ contract_rule_fails('currency') }}
                then 'currency_mismatch'
            when {{ contract_rule_fails('rating') }}
                then 'rating_out_of_range'
            when money_fields.occurred_at > money_fields.ingested_at
                then 'occurred_after_ingestion'
        end as quarantine_reason_code
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
        market as market_code,
        source_file,
        source_row_number,
        quarantine_reason_code,
        case
            when quarantine_reason_code is not null then payload
        end as quarantined_payload,
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
        {{ dbt.safe_cast('promised_ship_by', 'timestamp') }}
            as promised_ship_by_at,
        {{ dbt.safe_cast('detected_at', 'timestamp') }} as detected_at,
        {{ dbt.safe_cast('opened_at', 'timestamp') }} as opened_at,
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
