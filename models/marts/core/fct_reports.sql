{#-
    One row per report filed, with its resolution once it arrives,
    attributed to the local resolution date (report_validity_rate).
-#}
with

reports_filed as (
    select * from {{ ref('stg_events__report_filed') }}
),

reports_resolved as (
    select
        report_id,
        is_valid_report,
        resolved_at,
        resolved_local_date,
        row_number() over (
            partition by report_id order by resolved_at, event_id
        ) as resolution_rank
    from {{ ref('stg_events__report_resolved') }}
),

markets as (
    select * from {{ ref('markets') }}
),

policies as (
    select * from {{ ref('policies') }}
),

stage_days as (
    select * from {{ ref('int_market_stage_days') }}
),

first_resolutions as (
    select * from reports_resolved
    where resolution_rank = 1
),

final as (
    select
        reports_filed.report_id,
        reports_filed.market_code,
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
        first_resolutions.report_id is not null as is_resolved,
        first_resolutions.is_valid_report
    from reports_filed
    inner join markets
        on reports_filed.market_code = markets.market_code
    left join first_resolutions
        on reports_filed.report_id = first_resolutions.report_id
    left join policies
        on reports_filed.policy_id = policies.policy_id
    left join stage_days
        on
            reports_filed.market_code = stage_days.market_code
            and coalesce(
                first_resolutions.resolved_local_date,
                reports_filed.filed_local_date
            ) = stage_days.date_day
)

select * from final
