{#-
    The one definition of how every daily catalogue metric is computed from
    the facts: fct_metric_components_daily is generated from it, the domain
    marts and the long store read what that model produces, and the singular
    test assert_metric_components_match_catalogue proves it agrees with the
    catalogue seed (same metrics, same attribution date, a denominator
    exactly for ratios and means).

    metric_component_sources() maps each attribution date of the catalogue
    (metric_catalogue.attribution_date) to the fact rows it counts:
    - fact: the model read (ref);
    - date_column: the fact's local date the parts are grouped by;
    - where: a condition on the fact's rows (none: all rows);
    - open_cohort_orders: the orders still inside their 60-day defect
      window, for order-cohort metrics (none: 0).

    metric_components() maps each daily metric id to its aggregates over
    its source's rows of one market and local date:
    - attribution_date: the key of its source above;
    - numerator: aggregate SQL (count(*), count_if(flag), sum(column));
    - denominator: aggregate SQL, or none for counts and sums;
    - denominator_attribution_date (optional): the denominator comes from
      another source, joined on market and date (contact_rate: tickets
      closed over orders placed the same day); a day with numerator rows
      and none of the denominator's keeps its numerator and has a null
      denominator, and the reverse has numerator 0;
    - unknown_when / unknown_reason (optional): a row condition that makes
      the numerator unknowable for the group (null, with that reason).

    Percentiles are not additive and are not here (int_metric_values takes
    them from the actions); the monthly cost metrics are in
    fct_cost_components_monthly. This is a macro, not a query of the seed,
    so it compiles with no database (parse, lint, docs) on every engine.
-#}
{% macro metric_component_sources() %}
    {{ return({
        'order_local_placed_date': {
            'fact': 'fct_orders',
            'date_column': 'placed_local_date',
            'where': none,
            'open_cohort_orders': count_if('not is_window_closed'),
        },
        'ticket_local_close_date': {
            'fact': 'fct_cs_tickets',
            'date_column': 'closed_local_date',
            'where': none,
            'open_cohort_orders': none,
        },
        'action_local_date': {
            'fact': 'fct_enforcement_actions',
            'date_column': 'actioned_local_date',
            'where': none,
            'open_cohort_orders': none,
        },
        'appeal_local_resolution_date': {
            'fact': 'fct_appeals',
            'date_column': 'resolved_local_date',
            'where': 'is_resolved',
            'open_cohort_orders': none,
        },
        'listing_local_review_date': {
            'fact': 'fct_listing_reviews',
            'date_column': 'reviewed_local_date',
            'where': none,
            'open_cohort_orders': none,
        },
        'report_local_resolution_date': {
            'fact': 'fct_reports',
            'date_column': 'resolved_local_date',
            'where': 'is_resolved',
            'open_cohort_orders': none,
        },
        'case_local_close_date': {
            'fact': 'fct_moderation_cases',
            'date_column': 'closed_local_date',
            'where': none,
            'open_cohort_orders': none,
        },
    }) }}
{% endmacro %}

{% macro metric_components() %}
    {%- set orders = 'order_local_placed_date' -%}
    {%- set actions = 'action_local_date' -%}
    {%- set cases = 'case_local_close_date' -%}
    {%- set tickets = 'ticket_local_close_date' -%}
    {{ return({
        'orders': {
            'attribution_date': orders,
            'numerator': 'count(*)',
            'denominator': none,
        },
        'gmv_usd': {
            'attribution_date': orders,
            'numerator': 'sum(gmv_usd)',
            'denominator': none,
            'unknown_when': 'is_fx_rate_missing',
            'unknown_reason': 'fx_rate_missing',
        },
        'order_defect_rate': {
            'attribution_date': orders,
            'numerator': count_if('is_defect'),
            'denominator': 'count(*)',
        },
        'seller_fault_cancellation_rate': {
            'attribution_date': orders,
            'numerator': count_if('has_seller_fault_cancellation'),
            'denominator': 'count(*)',
        },
        'late_dispatch_rate': {
            'attribution_date': orders,
            'numerator': count_if('is_late_dispatch'),
            'denominator': count_if('is_shipped'),
        },
        'refund_rate': {
            'attribution_date': orders,
            'numerator': count_if('has_refund'),
            'denominator': 'count(*)',
        },
        'dispute_rate': {
            'attribution_date': orders,
            'numerator': count_if('has_dispute'),
            'denominator': 'count(*)',
        },
        'negative_review_rate': {
            'attribution_date': orders,
            'numerator': 'sum(negative_review_count)',
            'denominator': 'sum(review_count)',
        },
        'csat': {
            'attribution_date': tickets,
            'numerator': 'sum(csat)',
            'denominator': 'count(csat)',
        },
        'contact_rate': {
            'attribution_date': tickets,
            'numerator': 'count(*)',
            'denominator': 'count(*)',
            'denominator_attribution_date': orders,
        },
        'enforcement_actions': {
            'attribution_date': actions,
            'numerator': 'count(*)',
            'denominator': none,
        },
        'proactive_detection_rate': {
            'attribution_date': actions,
            'numerator': count_if('is_proactive'),
            'denominator': 'count(*)',
        },
        'automation_rate': {
            'attribution_date': actions,
            'numerator': count_if('is_automated'),
            'denominator': 'count(*)',
        },
        'appeal_rate': {
            'attribution_date': actions,
            'numerator': count_if('has_appeal'),
            'denominator': 'count(*)',
        },
        'appeal_overturn_rate': {
            'attribution_date': 'appeal_local_resolution_date',
            'numerator': count_if('is_overturned'),
            'denominator': 'count(*)',
        },
        'repeat_offender_rate': {
            'attribution_date': actions,
            'numerator': count_if('is_repeat_offender'),
            'denominator': 'count(*)',
        },
        'listing_rejection_rate': {
            'attribution_date': 'listing_local_review_date',
            'numerator': count_if('is_rejected'),
            'denominator': 'count(*)',
        },
        'report_validity_rate': {
            'attribution_date': 'report_local_resolution_date',
            'numerator': count_if('is_valid_report'),
            'denominator': 'count(*)',
        },
        'moderation_cases': {
            'attribution_date': cases,
            'numerator': 'count(*)',
            'denominator': none,
        },
        'sla_adherence_rate': {
            'attribution_date': cases,
            'numerator': count_if('is_within_sla'),
            'denominator': 'count(*)',
        },
        'qa_accuracy': {
            'attribution_date': cases,
            'numerator': count_if('is_qa_passed'),
            'denominator': count_if('is_qa_sampled'),
        },
        'avg_handling_seconds': {
            'attribution_date': cases,
            'numerator': 'sum(handling_seconds)',
            'denominator': 'count(handling_seconds)',
        },
    }) }}
{% endmacro %}
