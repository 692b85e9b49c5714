{#-
    Every line of the finance spend file is either a clean spend line or in
    quarantine: raw lines = clean + quarantined. Returns a row when not.
-#}
with

raw_lines as (
    select count(*) as line_count
    from {{ source('finance', 'spend_actuals') }}
),

clean_lines as (
    select count(*) as line_count
    from {{ ref('stg_finance__spend_actuals') }}
),

quarantined_lines as (
    select count(*) as line_count
    from {{ ref('stg_finance__quarantined') }}
),

final as (
    select
        raw_lines.line_count as raw_line_count,
        clean_lines.line_count as clean_line_count,
        quarantined_lines.line_count as quarantined_line_count
    from raw_lines
    cross join clean_lines
    cross join quarantined_lines
    where
        raw_lines.line_count
        <> clean_lines.line_count + quarantined_lines.line_count
)

select * from final
