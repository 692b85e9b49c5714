-- How every metric x geography x month row was judged.
-- keys: month_start, insight_type, assessment
select
    month_start,
    insight_type,
    coalesce(assessment, '') as assessment,
    count(*) as insight_rows
from marts.monthly_insights
group by all
