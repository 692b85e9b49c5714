-- Benchmark gaps of the whole marketplace and counts of markets meeting each
-- benchmark (order-cohort metrics appear once a month is mature).
-- keys: metric_id, benchmark_id
select
    metric_id,
    benchmark_id,
    max(case when geo_level = 'global' then latest_month end) as latest_month,
    max(case when geo_level = 'global' then trailing_3m_actual end)
        as global_trailing_3m_actual,
    max(case when geo_level = 'global' then gap_to_threshold end)
        as global_gap_to_threshold,
    count_if(geo_level = 'market') as markets,
    count_if(geo_level = 'market' and is_comparison_true)
        as markets_comparison_true
from marts.benchmark_gaps
group by all
