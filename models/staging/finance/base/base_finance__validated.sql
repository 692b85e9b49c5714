{#-
    Every line of finance's spend file, typed, with the reason it breaks the
    contract (docs/raw_input_contract.md §2) if it does. The file is
    restated whole, so this model is rebuilt from it on every run. It reads
    the spend file only when the finance manifest (base_finance__files)
    loaded it (pre-hook bind_finance_files_to_load); a missing or malformed
    file gives no line and a warning naming the file and column, and the
    build goes on.
-#}
{{ config(
    materialized='table',
    pre_hook="{{ bind_finance_files_to_load() }}",
) }}

{{- warn_rejected_files(ref('base_finance__files'), 'Finance file') }}

with

spend_lines as (
    select
        posting_month as posting_month_text,
        market as market_text,
        cost_center,
        vendor_id,
        currency as currency_code,
        amount_local as amount_local_text,
        {{ regex_match('filename', '[^/]+$') }} as source_file,
        {{ dbt.safe_cast('posting_month', 'date') }} as posting_month,
        {{ dbt.safe_cast('amount_local', dbt.type_numeric()) }}
            as amount_local
    from {{ source('finance', 'spend_actuals') }}
),

markets as (
    select market_code from {{ ref('markets') }}
),

currencies as (
    select distinct currency_code from {{ ref('fx_rates_monthly') }}
),

cost_centers as (
    select cost_center from {{ ref('cost_centers') }}
),

checked_lines as (
    select
        spend_lines.posting_month,
        spend_lines.market_text as market_code,
        spend_lines.cost_center,
        spend_lines.vendor_id,
        spend_lines.currency_code,
        spend_lines.amount_local,
        spend_lines.source_file,
        spend_lines.posting_month_text,
        spend_lines.amount_local_text,
        md5(
            concat_ws(
                '|',
                spend_lines.posting_month_text,
                spend_lines.market_text,
                spend_lines.cost_center,
                spend_lines.vendor_id,
                spend_lines.currency_code,
                spend_lines.amount_local_text
            )
        ) as spend_line_hash,
        case
            when
                spend_lines.posting_month is null
                or extract(day from spend_lines.posting_month) <> 1
                or spend_lines.market_text is null
                or (
                    spend_lines.market_text <> 'GLOBAL'
                    and markets.market_code is null
                )
                or cost_centers.cost_center is null
                or currencies.currency_code is null
                or spend_lines.amount_local is null
                then 'finance_invalid_row'
        end as quarantine_reason_code
    from spend_lines
    left join markets
        on spend_lines.market_text = markets.market_code
    left join currencies
        on spend_lines.currency_code = currencies.currency_code
    left join cost_centers
        on spend_lines.cost_center = cost_centers.cost_center
),

final as (
    select
        {{ dbt.concat([
            'spend_line_hash', "'-'",
            dbt.cast(
                'row_number() over (partition by spend_line_hash '
                ~ 'order by spend_line_hash)', 'varchar'
            )
        ]) }} as spend_line_id,
        posting_month,
        market_code,
        cost_center,
        vendor_id,
        currency_code,
        amount_local,
        source_file,
        posting_month_text,
        amount_local_text,
        spend_line_hash,
        quarantine_reason_code
    from checked_lines
)

select * from final
