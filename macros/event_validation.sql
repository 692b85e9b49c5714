{#-
    How base_events__validated reads the contract (macros/event_contract.sql)
    out of a raw row: where each payload field lives, which field holds an
    event's money in each payload version, and the ordered quarantine rules.
    Only base_events__validated calls these; they are apart from it so the
    model reads as its steps (load, localize, parse, classify).
-#}

{#- Every payload field any event type carries, with its JSON path. -#}
{% macro event_payload_paths() %}
    {{ return({
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
    }) }}
{% endmacro %}

{#-
    The money of an event, one layout per event type and payload version:
    version 1 carries it flat, version 2 in one nested object. part is
    'amount' or 'currency'; other events have none (null).
-#}
{%- macro event_money_field(relation, part) -%}
    {%- set layouts = [
        ('order_placed', 1, 'gmv_local', 'currency'),
        ('order_placed', 2, 'gmv_amount', 'gmv_currency'),
        ('refund_issued', 1, 'amount_local', 'currency'),
        ('refund_issued', 2, 'amount_amount', 'amount_currency'),
    ] -%}
        case
    {%- for event_type, version, amount, currency in layouts %}
            when
                {{ relation }}.event_type = '{{ event_type }}'
                and {{ relation }}.schema_version = {{ version }}
                then {{ relation }}.{{ amount if part == 'amount' else currency }}
    {%- endfor %}
        end
{%- endmacro -%}

{#-
    The first contract rule a row breaks, in the order of the
    quarantine_reasons seed, or null for a valid row. The relation carries
    the parsed fields, is_known_market, is_json_object, money_amount and
    the market currency's max_plausible_amount_local.
-#}
{%- macro event_quarantine_reason(relation) -%}
    {%- set contract = event_contract() -%}
    {%- set numeric = dbt.type_numeric() -%}
    {#- Numbers only: a var is rendered into SQL, so it is cast first. -#}
    {%- set skew_hours = var('plausible_ingest_skew_hours') | int -%}
    {%- set lateness_days = var('plausible_lateness_days') | int -%}
        case
            when
                {{ relation }}.event_type is null
                or {{ relation }}.event_type not in (
                    {{ quoted_list(contract.keys() | list) }}
                )
                then 'unknown_event_type'
            when not {{ relation }}.is_known_market
                then 'unknown_market'
            when
                {{ relation }}.schema_version is null
                or {{ relation }}.schema_version not in (1, 2)
                or (
                    {{ relation }}.schema_version = 2
                    and {{ relation }}.event_type not in (
                        {{ quoted_list(event_types_with_v2(), 24) }}
                    )
                )
                then 'invalid_schema_version'
            when not {{ relation }}.is_json_object
                then 'malformed_payload'
            when
                {{ relation }}.event_id is null
                or trim({{ relation }}.event_id) = ''
                or {{ relation }}.occurred_at is null
                or {{ relation }}.ingested_at is null
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
            when {{ relation }}.occurred_at > {{ relation }}.ingested_at
                then 'occurred_after_ingestion'
            when
                {{ relation }}.ingested_at
                < {{ dbt.dateadd(
                    'hour', -skew_hours,
                    'cast(' ~ relation ~ '.ingest_date as timestamp)'
                ) }}
                or {{ relation }}.ingested_at
                >= {{ dbt.dateadd(
                    'hour', 24 + skew_hours,
                    'cast(' ~ relation ~ '.ingest_date as timestamp)'
                ) }}
                or {{ relation }}.occurred_at
                < {{ dbt.dateadd(
                    'day', -lateness_days, relation ~ '.ingested_at'
                ) }}
                then 'implausible_timestamp'
            when
                {{ dbt.safe_cast(relation ~ '.money_amount', numeric) }}
                > coalesce({{ relation }}.max_plausible_amount_local, 0)
                then 'implausible_amount'
        end
{%- endmacro -%}
