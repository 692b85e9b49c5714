{#-
    Seller and listing governance by market and local date, wide for
    dashboards: enforcement actions and their rates (by action date), time to
    action percentiles, appeal overturns (by resolution date), listing
    rejections (by review date) and report validity (by resolution date).
    Pivoted from the long metric store by the shared skeleton
    (macros/domain_daily_mart.sql): rates and percentiles are the store's
    values, never recomputed here.
-#}
{{ domain_daily_mart('local_date', [
    ('enforcement_actions', 'enforcement_actions', 'numerator'),
    ('proactive_actions', 'proactive_detection_rate', 'numerator'),
    ('proactive_detection_rate', 'proactive_detection_rate', 'value'),
    ('automated_actions', 'automation_rate', 'numerator'),
    ('automation_rate', 'automation_rate', 'value'),
    ('median_time_to_action_hours', 'median_time_to_action_hours', 'value'),
    ('p90_time_to_action_hours', 'p90_time_to_action_hours', 'value'),
    ('appealed_actions', 'appeal_rate', 'numerator'),
    ('appeal_rate', 'appeal_rate', 'value'),
    ('repeat_offender_actions', 'repeat_offender_rate', 'numerator'),
    ('repeat_offender_rate', 'repeat_offender_rate', 'value'),
    ('appeals_resolved', 'appeal_overturn_rate', 'denominator'),
    ('appeals_overturned', 'appeal_overturn_rate', 'numerator'),
    ('appeal_overturn_rate', 'appeal_overturn_rate', 'value'),
    ('listings_reviewed', 'listing_rejection_rate', 'denominator'),
    ('listings_rejected', 'listing_rejection_rate', 'numerator'),
    ('listing_rejection_rate', 'listing_rejection_rate', 'value'),
    ('reports_resolved', 'report_validity_rate', 'denominator'),
    ('reports_valid', 'report_validity_rate', 'numerator'),
    ('report_validity_rate', 'report_validity_rate', 'value'),
]) }}
