{#-
    Daily anomaly flags: one row per daily catalogue metric x geography
    (each market and GLOBAL) x local day. The tests (day_z for the day,
    week_z for the last seven days, each against the four full weeks that
    end a week before the day) are int_metric_anomaly_tests'; this model
    turns them into the verdict.

    A tested day is an anomaly when |day_z| or |week_z| >= var
    anomaly_z_threshold (4): 'worse' or 'better' by the catalogue's
    direction, 'unusual' for neutral metrics. Order-cohort days that are not
    yet mature are still filling up and can only look lower than they will
    be: on them only a rise (z > 0) can be an anomaly (as in
    int_metric_months_compared). Expected, week and baseline values are shown
    on the metric's own scale (percentiles back from the log scale).
-#}
{%- set z_threshold = var('anomaly_z_threshold') -%}

with

tests as (
    select * from {{ ref('int_metric_anomaly_tests') }}
),

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

sale_calendar as (
    select * from {{ ref('sale_calendar') }}
),

flagged as (
    select
        tests.*,
        catalogue.direction,
        catalogue.value_multiplier,
        coalesce(
            case
                when tests.is_mature then abs(tests.day_z) else tests.day_z
            end
            >= {{ z_threshold }},
            false
        ) as is_day_anomaly,
        coalesce(
            case
                when tests.is_mature then abs(tests.week_z) else tests.week_z
            end
            >= {{ z_threshold }},
            false
        ) as is_week_anomaly
    from tests
    inner join catalogue
        on tests.metric_id = catalogue.metric_id
),

{# The z behind the flag: the larger of the flagged tests (else of both). #}

strongest as (
    select
        flagged.*,
        case
            when
                flagged.is_day_anomaly
                and (
                    not flagged.is_week_anomaly
                    or abs(flagged.day_z) >= abs(flagged.week_z)
                )
                then flagged.day_z
            when flagged.is_week_anomaly then flagged.week_z
            when
                coalesce(abs(flagged.day_z), 0)
                >= coalesce(abs(flagged.week_z), 0)
                then flagged.day_z
            else flagged.week_z
        end as anomaly_z,
        flagged.test_kind in ('weekday_baseline', 'weighted_mean')
            as is_mean_test
    from flagged
),

final as (
    select
        strongest.metric_id,
        strongest.geo_level,
        strongest.geo_code,
        strongest.metric_date,
        strongest.direction,
        strongest.test_kind,
        strongest.assessment,
        strongest.value,
        strongest.numerator,
        strongest.denominator,
        case
            when strongest.is_mean_test
                then {{ from_test_scale(
                    'strongest.same_weekday_mean', 'strongest.is_log_scale'
                ) }}
            else strongest.value_multiplier * strongest.baseline_proportion
        end as expected_value,
        strongest.day_z,
        case
            when strongest.is_mean_test
                then {{ from_test_scale(
                    'strongest.week_mean', 'strongest.is_log_scale'
                ) }}
            else strongest.value_multiplier * strongest.week_proportion
        end as week_value,
        case
            when strongest.is_mean_test
                then {{ from_test_scale(
                    'strongest.baseline_mean', 'strongest.is_log_scale'
                ) }}
            else strongest.value_multiplier * strongest.baseline_proportion
        end as baseline_value,
        strongest.week_z,
        strongest.baseline_days,
        strongest.is_mature,
        strongest.is_day_anomaly or strongest.is_week_anomaly as is_anomaly,
        case
            when strongest.is_day_anomaly and strongest.is_week_anomaly
                then 'day_and_week'
            when strongest.is_day_anomaly then 'day'
            when strongest.is_week_anomaly then 'week'
        end as anomaly_basis,
        case
            when
                not (strongest.is_day_anomaly or strongest.is_week_anomaly)
                then 'none'
            when strongest.direction = 'neutral' then 'unusual'
            when
                (strongest.direction = 'higher') = (strongest.anomaly_z > 0)
                then 'better'
            else 'worse'
        end as anomaly_flag,
        strongest.anomaly_z,
        sale_calendar.sale_name
    from strongest
    left join sale_calendar
        on
            strongest.geo_code = sale_calendar.market_code
            and strongest.metric_date = sale_calendar.sale_date
)

select * from final
