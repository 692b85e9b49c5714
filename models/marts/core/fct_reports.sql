{#-
    One row per report: every report filed, with its resolution once it
    arrives, and every resolved report whose filing has not arrived
    (has_filing false; macros/filed_or_resolved.sql). report_validity_rate
    needs nothing from the filing: it is attributed to the resolution's own
    local date and market, so a resolution counts whether or not its filing
    arrived.

    Incremental (macros/engine/incremental_state.sql): a run rebuilds the
    reports with a filing or a resolution loaded since its last run.
-#}
{%- set reference_models = ['dim_markets', 'policies', 'dim_market_days'] -%}
{{ config(**keyed_incremental_config('report_id', reference_models)) }}

with
{% if is_incremental() %}
touched_reports as (
    {{ keys_loaded_since_last_run('report_id', [
        ref('stg_events__report_filed'), ref('stg_events__report_resolved')
    ]) }}
),
{% endif %}
reports as (
    {{ filed_or_resolved(
        'report_id',
        ref('stg_events__report_filed'),
        ref('stg_events__report_resolved'),
        filing_columns=['reporter_id', 'target_type', 'target_id', 'policy_id'],
        resolution_columns=['is_valid_report'],
        keys_cte='touched_reports',
    ) }}
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

final as (
    select
        reports.report_id,
        reports.market_code,
        markets.region,
        stage_days.development_stage,
        reports.reporter_id,
        reports.target_type,
        reports.target_id,
        reports.policy_id,
        policies.policy_area,
        reports.filed_at,
        reports.filed_local_date,
        reports.resolved_at,
        reports.resolved_local_date,
        reports.has_filing,
        reports.is_resolved,
        reports.is_valid_report
    from reports
    inner join markets
        on reports.market_code = markets.market_code
    left join policies
        on reports.policy_id = policies.policy_id
    left join stage_days
        on
            reports.market_code = stage_days.market_code
            and coalesce(reports.resolved_local_date, reports.filed_local_date)
            = stage_days.date_day
)

select * from final
