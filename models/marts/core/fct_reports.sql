{#-
    One row per report: every report filed, with its resolution once it
    arrives, and every resolved report whose filing has not arrived
    (has_filing false). report_validity_rate needs nothing from the
    filing: it is attributed to the resolution's own local date and
    market, so a resolution counts whether or not its filing arrived.
-#}
with

reports_filed as (
    select * from {{ ref('stg_events__report_filed') }}
),

reports_resolved as (
    select
        report_id,
        market_code,
        is_valid_report,
        resolved_at,
        resolved_local_date,
        row_number() over (
            partition by report_id order by resolved_at, event_id
        ) as resolution_rank
    from {{ ref('stg_events__report_resolved') }}
),

markets as (
    select * from {{ ref('dim_markets') }}
),

policies as (
    select * from {{ ref('policies') }}
),

stage_days as (
    select * from {{ ref('dim_market_days') }}
),

first_resolutions as (
    select * from reports_resolved
    where resolution_rank = 1
),

report_ids as (
    select report_id from reports_filed
    union
    select report_id from first_resolutions
),

reports as (
    select
        report_ids.report_id,
        coalesce(first_resolutions.market_code, reports_filed.market_code)
            as market_code,
        reports_filed.report_id is not null as has_filing
    from report_ids
    left join reports_filed
        on report_ids.report_id = reports_filed.report_id
    left join first_resolutions
        on report_ids.report_id = first_resolutions.report_id
),

final as (
    select
        reports.report_id,
        reports.market_code,
        markets.region,
        stage_days.development_stage,
        reports_filed.reporter_id,
        reports_filed.target_type,
        reports_filed.target_id,
        reports_filed.policy_id,
        policies.policy_area,
        reports_filed.filed_at,
        reports_filed.filed_local_date,
        first_resolutions.resolved_at,
        first_resolutions.resolved_local_date,
        reports.has_filing,
        first_resolutions.report_id is not null as is_resolved,
        first_resolutions.is_valid_report
    from reports
    inner join markets
        on reports.market_code = markets.market_code
    left join reports_filed
        on reports.report_id = reports_filed.report_id
    left join first_resolutions
        on reports.report_id = first_resolutions.report_id
    left join policies
        on reports_filed.policy_id = policies.policy_id
    left join stage_days
        on
            reports.market_code = stage_days.market_code
            and coalesce(
                first_resolutions.resolved_local_date,
                reports_filed.filed_local_date
            ) = stage_days.date_day
)

select * from final
