{#- Finance's valid posted cost lines, in their own currency. -#}
with

validated as (
    select * from {{ ref('base_finance__validated') }}
),

final as (
    select
        spend_line_id,
        posting_month,
        market_code,
        cost_center,
        vendor_id,
        currency_code,
        amount_local,
        spend_line_hash
    from validated
    where quarantine_reason_code is null
)

select * from final
