-- The month's notable movements (highlights, lowlights, movements) with
-- their size, significance and sentence.
-- keys: month_start, metric_id, geo_code
select
    month_start,
    metric_id,
    geo_code,
    insight_type,
    rank_in_month,
    value,
    prior_value,
    z_score,
    mix_effect,
    rate_effect,
    sentence
from marts.monthly_insights
where insight_type in ('highlight', 'lowlight', 'movement')
