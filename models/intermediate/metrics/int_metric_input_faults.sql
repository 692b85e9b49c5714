{#-
    Faults of whole raw inputs, by catalogue metric and period: one row per
    metric x time grain x period x reason with its level (2 fail, 1 warn).
    A null time grain and period apply to every period of the metric.

    - source_file_rejected (fail): a raw event file was rejected whole on a
      day of the period (int_event_days_assessed.rejected_files), for every
      metric fed by events (macros/metric_lineage.sql);
    - finance_unavailable (fail): the finance spend file is missing or
      malformed (base_finance__files), for the cost metrics, every period;
    - quarantine_spike: quarantined finance lines of a posting month exceed
      5% (warn) or 20% (fail) of its lines, for the cost metrics' month rows
      (every period when the month itself is unreadable). The cost metrics
      are monthly, so the lines count on their posting month.
-#}
{%- set sources_by_metric = metric_source_event_types() -%}
{#- The monthly cost metrics (posting-month attribution in the catalogue). -#}
{%- set cost_metrics = ['cost_per_case_usd', 'budget_utilization'] -%}
{%- set quarantine_warn = var('health_quarantine_warn_above') | float -%}
{%- set quarantine_fail = var('health_quarantine_fail_above') | float -%}

with

availability as (
    select * from {{ ref('int_event_days_assessed') }}
),

finance_validated as (
    select * from {{ ref('base_finance__validated') }}
),

finance_files as (
    select * from {{ ref('base_finance__files') }}
),

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

event_metrics as (
    {%- for metric_id, event_types in sources_by_metric.items()
        if event_types %}
        select '{{ metric_id }}' as metric_id
        union all
    {%- endfor %}
    select cast(null as {{ dbt.type_string() }}) as metric_id
    where 1 = 0
),

file_fault_days as (
    select local_date
    from availability
    group by local_date
    having max(rejected_files) > 0
),

file_fault_periods as (
    select
        'day' as time_grain,
        local_date as period_start
    from file_fault_days
    union
    select
        'week' as time_grain,
        cast({{ dbt.date_trunc('week', 'local_date') }} as date)
            as period_start
    from file_fault_days
    union
    select
        'month' as time_grain,
        cast({{ dbt.date_trunc('month', 'local_date') }} as date)
            as period_start
    from file_fault_days
),

finance_lines as (
    select
        cast({{ dbt.date_trunc(
            'month', dbt.safe_cast('posting_month_text', 'date')
        ) }} as date) as posting_month,
        count(*) as spend_lines,
        {{ count_if('quarantine_reason_code is not null') }}
            as quarantined_lines
    from finance_validated
    group by
        cast({{ dbt.date_trunc(
            'month', dbt.safe_cast('posting_month_text', 'date')
        ) }} as date)
),

faults as (
    select
        event_metrics.metric_id,
        file_fault_periods.time_grain,
        file_fault_periods.period_start,
        2 as input_level,
        'source_file_rejected' as input_reason
    from event_metrics
    cross join file_fault_periods
    {%- for metric_id in cost_metrics %}
        union all
        select
            '{{ metric_id }}' as metric_id,
            null as time_grain,
            null as period_start,
            2 as input_level,
            'finance_unavailable' as input_reason
        from finance_files
        where file_status = 'rejected'
        union all
        select
            '{{ metric_id }}' as metric_id,
            case
                when posting_month is not null then 'month'
            end as time_grain,
            posting_month as period_start,
            case
                when quarantined_lines > {{ quarantine_fail }} * spend_lines
                    then 2
                else 1
            end as input_level,
            'quarantine_spike' as input_reason
        from finance_lines
        where quarantined_lines > {{ quarantine_warn }} * spend_lines
    {%- endfor %}
),

{#- One row per fault: several rejected finance files are one fault. #}

final as (
    select
        faults.metric_id,
        faults.time_grain,
        faults.period_start,
        faults.input_reason,
        max(faults.input_level) as input_level
    from faults
    inner join catalogue
        on faults.metric_id = catalogue.metric_id
    group by
        faults.metric_id,
        faults.time_grain,
        faults.period_start,
        faults.input_reason
)

select * from final
