{#-
    Every line of the finance spend file is either a clean spend line or in
    quarantine: lines of the file = clean + quarantined, where the lines of
    the file are counted independently by the finance manifest (Python's
    csv reader; none when the file is rejected). Returns a row when not.
-#}
with

raw_lines as (
    select
        coalesce(sum(
            case when file_status = 'loaded' then line_count else 0 end
        ), 0) as line_count
    from {{ ref('base_finance__files') }}
),

clean_lines as (
    select count(*) as line_count
    from {{ ref('stg_finance__spend_actuals') }}
),

quarantined_lines as (
    select count(*) as line_count
    from {{ ref('base_finance__quarantined') }}
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
