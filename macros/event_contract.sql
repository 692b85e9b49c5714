{#-
    The raw input contract (docs/raw_input_contract.md §1) as data, in one
    place: the event types, the payload fields each requires, and the closed
    lists of values.
    base_events__validated turns it into quarantine checks; nothing else should
    restate it.

    Field kinds: text (non-empty string), timestamp (ISO-8601 UTC), boolean,
    integer, money (decimal string >= 0), currency (must be the market's),
    and enum:<list name>. Optional fields end in '*'.
-#}
{% macro event_enums() %}
    {{ return({
        'cancel_reason': [
            'buyer_request', 'out_of_stock', 'seller_unresponsive',
            'pricing_error', 'fraud_suspected', 'other'],
        'fault_party': ['buyer', 'seller', 'platform', 'unknown'],
        'refund_reason': [
            'not_as_described', 'damaged', 'not_received', 'changed_mind',
            'other'],
        'dispute_outcome': ['buyer_favor', 'seller_favor', 'withdrawn'],
        'listing_decision': ['approved', 'rejected'],
        'review_mode': ['automated', 'manual'],
        'target_type': ['listing', 'seller', 'creator', 'livestream'],
        'action_type': [
            'warning', 'listing_removal', 'feature_restriction',
            'suspension', 'permanent_ban'],
        'detection_source': [
            'proactive_model', 'proactive_manual', 'user_report',
            'regulator_notice'],
        'appeal_outcome': ['upheld', 'overturned'],
        'queue': [
            'listing_review', 'report_review', 'appeal_review',
            'live_monitoring'],
        'channel': ['live', 'video', 'storefront'],
    }) }}
{% endmacro %}

{% macro event_contract() %}
    {{ return({
        'order_placed': {
            'order_id': 'text', 'buyer_id': 'text', 'seller_id': 'text',
            'listing_id': 'text', 'category': 'text',
            'money_amount': 'money', 'currency_code': 'currency',
            'promised_ship_by': 'timestamp', 'channel': 'enum:channel*'},
        'order_shipped': {'order_id': 'text'},
        'order_delivered': {'order_id': 'text'},
        'order_cancelled': {
            'order_id': 'text', 'reason': 'enum:cancel_reason',
            'fault_party': 'enum:fault_party'},
        'refund_issued': {
            'refund_id': 'text', 'order_id': 'text',
            'money_amount': 'money', 'currency_code': 'currency',
            'reason': 'enum:refund_reason', 'fault_party': 'enum:fault_party'},
        'dispute_opened': {
            'dispute_id': 'text', 'order_id': 'text',
            'reason': 'enum:refund_reason'},
        'dispute_resolved': {
            'dispute_id': 'text', 'outcome': 'enum:dispute_outcome'},
        'review_posted': {
            'review_id': 'text', 'order_id': 'text', 'rating': 'rating'},
        'listing_submitted': {
            'listing_id': 'text', 'seller_id': 'text', 'category': 'text'},
        'listing_reviewed': {
            'listing_id': 'text', 'decision': 'enum:listing_decision',
            'policy_id': 'text*', 'review_mode': 'enum:review_mode'},
        'report_filed': {
            'report_id': 'text', 'reporter_id': 'text',
            'target_type': 'enum:target_type', 'target_id': 'text',
            'policy_id': 'text'},
        'report_resolved': {'report_id': 'text', 'is_valid': 'boolean'},
        'enforcement_actioned': {
            'action_id': 'text', 'target_type': 'enum:target_type',
            'target_id': 'text', 'seller_id': 'text', 'policy_id': 'text',
            'action_type': 'enum:action_type',
            'detection_source': 'enum:detection_source',
            'is_automated': 'boolean', 'detected_at': 'timestamp',
            'report_id': 'text*'},
        'appeal_filed': {'appeal_id': 'text', 'action_id': 'text'},
        'appeal_resolved': {
            'appeal_id': 'text', 'outcome': 'enum:appeal_outcome'},
        'moderation_case_closed': {
            'case_id': 'text', 'queue': 'enum:queue', 'team': 'text',
            'opened_at': 'timestamp', 'handling_seconds': 'integer',
            'qa_sampled': 'boolean', 'qa_passed': 'boolean*'},
        'ticket_closed': {
            'ticket_id': 'text', 'order_id': 'text*', 'buyer_id': 'text',
            'csat': 'rating*'},
    }) }}
{% endmacro %}

{#-
    The payload field that names the entity an event type creates: a second
    event (another event_id) with the same key is a duplicate_business_key.
    Types that update an entity (shipped, resolved, reviewed, ...) may repeat
    and have none.
-#}
{% macro event_business_keys() %}
    {{ return({
        'order_placed': 'order_id', 'refund_issued': 'refund_id',
        'dispute_opened': 'dispute_id', 'review_posted': 'review_id',
        'report_filed': 'report_id', 'enforcement_actioned': 'action_id',
        'appeal_filed': 'appeal_id', 'moderation_case_closed': 'case_id',
        'ticket_closed': 'ticket_id',
    }) }}
{% endmacro %}

{#- The business key of a row, from its event type and payload columns. -#}
{% macro business_key_of(event_type_column) -%}
    case
    {%- for event_type, key in event_business_keys().items() %}
        when {{ event_type_column }} = '{{ event_type }}' then {{ key }}
    {%- endfor %}
    end
{%- endmacro %}

{#- Event types whose payload has a version 2 (money nested in one object). -#}
{% macro event_types_with_v2() %}
    {{ return(['order_placed', 'refund_issued']) }}
{% endmacro %}

{#- One condition per (field, kind) that makes a row break a rule. -#}
{%- macro contract_field_fails(field, kind, rule) -%}
    {%- set enums = event_enums() -%}
    {%- set optional = kind.endswith('*') -%}
    {%- set base_kind = kind.rstrip('*') -%}
    {%- set present = field ~ ' is not null' -%}
    {%- if rule == 'missing' -%}
        {%- if optional and base_kind in ('text', 'rating')
            or base_kind.startswith('enum') and optional -%}
            false
        {%- elif base_kind == 'text' -%}
            ({{ field }} is null or trim({{ field }}) = '')
        {%- elif base_kind in ('timestamp', 'boolean', 'integer') -%}
            {%- set cast_type = {'timestamp': 'timestamp',
                'boolean': 'boolean', 'integer': 'bigint'}[base_kind] -%}
            {%- set typed = parse_utc_timestamp(field) if base_kind == 'timestamp'
                else dbt.safe_cast(field, cast_type) -%}
            {%- if optional -%}
                ({{ present }}
                    and {{ typed }} is null)
            {%- else -%}
                {{ typed }} is null
            {%- endif -%}
        {%- else -%}
            {{ field }} is null
        {%- endif -%}
    {%- elif rule == 'enum' and base_kind.startswith('enum') -%}
        ({{ present }} and {{ field }} not in (
            {{ quoted_list(enums[base_kind.split(":")[1]], 24) }}))
    {%- elif rule == 'money' and base_kind == 'money' -%}
        ({{ dbt.safe_cast(field, dbt.type_numeric()) }} is null
            or {{ dbt.safe_cast(field, dbt.type_numeric()) }} < 0)
    {%- elif rule == 'currency' and base_kind == 'currency' -%}
        {{ field }} <> market_currency_code
    {%- elif rule == 'rating' and base_kind == 'rating' -%}
        ({{ present }} and coalesce(
            {{ dbt.safe_cast(field, 'bigint') }} not between 1 and 5, true))
    {%- else -%}
        false
    {%- endif -%}
{%- endmacro -%}

{#-
    The SQL condition under which a row breaks one rule (missing, enum,
    money, currency or rating) for any event type of the contract.
-#}
{%- macro contract_rule_fails(rule) -%}
    {%- set by_event_type = [] -%}
    {%- for event_type, fields in event_contract().items() -%}
        {%- set conditions = [] -%}
        {%- for field, kind in fields.items() -%}
            {%- set condition = contract_field_fails(field, kind, rule) | trim -%}
            {%- if condition != 'false' -%}
                {%- do conditions.append(condition) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if conditions -%}
            {%- do by_event_type.append(
                "(event_type = '" ~ event_type ~ "' and (\n                    "
                ~ conditions | join('\n                    or ') ~ '))'
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if by_event_type -%}
        ({{ by_event_type | join('\n                or ') }})
    {%- else -%}
        false
    {%- endif -%}
{%- endmacro %}

{#-
    The typed columns that a valid event carries from base_events__validated
    into the deduplicated and duplicates models.
-#}
{% macro event_columns() %}
    {{ return([
        'event_id', 'event_type', 'schema_version', 'occurred_at',
        'occurred_local_date', 'ingested_at', 'ingest_date', 'loaded_at', 'market_code',
        'source_file',
        'source_row_number', 'order_id', 'buyer_id', 'seller_id',
        'listing_id', 'category', 'channel', 'reason', 'fault_party',
        'refund_id', 'dispute_id', 'outcome', 'review_id', 'decision',
        'policy_id', 'review_mode', 'report_id', 'reporter_id', 'target_type',
        'target_id', 'action_id', 'action_type', 'detection_source',
        'appeal_id', 'case_id', 'queue', 'team', 'ticket_id', 'currency_code',
        'amount_local', 'promised_ship_by_at', 'detected_at', 'opened_at',
        'rating', 'csat', 'handling_seconds', 'is_valid', 'is_automated',
        'is_qa_sampled', 'is_qa_passed',
    ]) }}
{% endmacro %}

{#- A 64-bit hash of some columns, to compare the content of copies. -#}
{% macro row_hash(columns) -%}
    {{ return(adapter.dispatch('row_hash')(columns)) }}
{%- endmacro %}

{% macro duckdb__row_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro default__row_hash(columns) -%}
    xxhash64({{ columns | join(', ') }})
{%- endmacro %}
