-- The periods that have ended as of the data, per geography.
-- keys: geography_level, geography
select
    geography_level,
    geography,
    as_of_at,
    last_complete_local_date,
    last_complete_week_start,
    last_complete_month_start,
    provisional_until_local_date,
    is_latest_month_provisional
from marts.reporting_periods
