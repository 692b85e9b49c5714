{#- Spend lines that break the finance contract, kept as they arrived. -#}
with

validated as (
    select * from {{ ref('base_finance__validated') }}
),

final as (
    select
        spend_line_id,
        posting_month_text,
        market_code,
        cost_center,
        vendor_id,
        currency_code,
        amount_local_text,
        source_file,
        spend_line_hash,
        quarantine_reason_code
    from validated
    where quarantine_reason_code is not null
)

select * from final
