{#-
    Moderation operations and customer service by market and local close
    date, wide for dashboards: cases, SLA adherence, QA accuracy, handling
    time, tickets, CSAT and contact rate (tickets per 1,000 orders placed the
    same local day).
-#}
with

components as (
    select * from {{ ref('fct_metric_components_daily') }}
),

markets as (
    select * from {{ ref('dim_markets') }}
),

stage_days as (
    select * from {{ ref('dim_market_days') }}
),

daily as (
    select
        market_code,
        metric_date as local_date,
        {{ pivot_metric_components([
            ('moderation_cases', 'numerator', 'moderation_cases'),
            ('sla_adherence_rate', 'numerator', 'cases_within_sla'),
            ('qa_accuracy', 'denominator', 'cases_qa_sampled'),
            ('qa_accuracy', 'numerator', 'cases_qa_passed'),
            ('avg_handling_seconds', 'numerator', 'handling_seconds'),
            ('avg_handling_seconds', 'denominator', 'cases_with_handling_time'),
            ('contact_rate', 'numerator', 'tickets_closed'),
            ('contact_rate', 'denominator', 'orders_placed'),
            ('csat', 'numerator', 'csat_score_sum'),
            ('csat', 'denominator', 'csat_responses'),
        ]) }}
    from components
    where
        metric_id in (
            'moderation_cases', 'sla_adherence_rate', 'qa_accuracy',
            'avg_handling_seconds', 'contact_rate', 'csat'
        )
    group by market_code, metric_date
),

final as (
    select
        daily.market_code,
        markets.region,
        stage_days.development_stage,
        daily.local_date,
        daily.moderation_cases,
        daily.cases_within_sla,
        {{ safe_divide('daily.cases_within_sla', 'daily.moderation_cases') }}
            as sla_adherence_rate,
        daily.cases_qa_sampled,
        daily.cases_qa_passed,
        {{ safe_divide('daily.cases_qa_passed', 'daily.cases_qa_sampled') }}
            as qa_accuracy,
        daily.handling_seconds,
        daily.cases_with_handling_time,
        {{ safe_divide(
            'daily.handling_seconds', 'daily.cases_with_handling_time'
        ) }} as avg_handling_seconds,
        daily.tickets_closed,
        daily.orders_placed,
        1000 * {{ safe_divide('daily.tickets_closed', 'daily.orders_placed') }}
            as contact_rate,
        daily.csat_score_sum,
        daily.csat_responses,
        {{ safe_divide('daily.csat_score_sum', 'daily.csat_responses') }}
            as csat
    from daily
    inner join markets
        on daily.market_code = markets.market_code
    left join stage_days
        on
            daily.market_code = stage_days.market_code
            and daily.local_date = stage_days.date_day
)

select * from final
