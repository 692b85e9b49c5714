{#-
    Moderation operations and customer service by market and local close
    date, wide for dashboards: cases, SLA adherence, QA accuracy, handling
    time, tickets, CSAT and contact rate (tickets per 1,000 orders placed the
    same local day). Pivoted from the long metric store by the shared
    skeleton (macros/domain_daily_mart.sql): rates are the store's values,
    never recomputed here.
-#}
{{ domain_daily_mart('local_date', [
    ('moderation_cases', 'moderation_cases', 'numerator'),
    ('cases_within_sla', 'sla_adherence_rate', 'numerator'),
    ('sla_adherence_rate', 'sla_adherence_rate', 'value'),
    ('cases_qa_sampled', 'qa_accuracy', 'denominator'),
    ('cases_qa_passed', 'qa_accuracy', 'numerator'),
    ('qa_accuracy', 'qa_accuracy', 'value'),
    ('handling_seconds', 'avg_handling_seconds', 'numerator'),
    ('cases_with_handling_time', 'avg_handling_seconds', 'denominator'),
    ('avg_handling_seconds', 'avg_handling_seconds', 'value'),
    ('tickets_closed', 'contact_rate', 'numerator'),
    ('orders_placed', 'contact_rate', 'denominator'),
    ('contact_rate', 'contact_rate', 'value'),
    ('csat_score_sum', 'csat', 'numerator'),
    ('csat_responses', 'csat', 'denominator'),
    ('csat', 'csat', 'value'),
]) }}
