{#-
    Why did a global ratio move? One row per global ratio metric x month x
    market: the market's share of the global month-over-month change, split
    into a mix effect (its share of the global denominator moved) and a rate
    effect (its own rate moved).

    Global rate R = sum over markets of w * r, with w = the market's share of
    the global denominator and r = its rate. With midpoint (Shapley)
    weights, and the mix effect measured against the global rate,

        mix_effect  = (w1 - w0) * ((r0 + r1) / 2 - (R0 + R1) / 2)
        rate_effect = (r1 - r0) * (w0 + w1) / 2

    A market gaining share lifts the global rate only as far as its own
    rate is above the global one: a market at the global rate has no mix
    effect, however much it grows. The centring term adds up to zero over
    the markets (their shares sum to 1 in both months), so the effects of
    all markets add up to R1 - R0 exactly: no residual, no interaction
    term. A market entering (no denominator last month) or leaving (none
    this month) has no rate change to observe: its missing rate is set to
    the rate it has, so its whole contribution is mix.

    Only ratios whose global numerator and denominator are sums over the
    markets qualify (the daily count ratios); the cost ratios also carry
    costs booked to GLOBAL and are left out. Values carry the catalogue's
    value multiplier (contact_rate per 1,000 orders).
-#}
with

metric_values as (
    select * from {{ ref('metric_values') }}
),

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

ratio_metrics as (
    select
        metric_id,
        value_multiplier,
        is_order_cohort
    from catalogue
    where
        metric_type = 'ratio'
        and attribution_date <> 'posting_month'
),

market_months as (
    select
        metric_values.metric_id,
        metric_values.period_start as month_start,
        metric_values.geo_code as market_code,
        cast(
            {{ dbt.dateadd('month', 1, 'metric_values.period_start') }} as date
        ) as next_month_start,
        metric_values.numerator,
        metric_values.denominator,
        metric_values.is_mature
    from metric_values
    inner join ratio_metrics
        on metric_values.metric_id = ratio_metrics.metric_id
    where
        metric_values.time_grain = 'month'
        and metric_values.geo_level = 'market'
        and metric_values.denominator > 0
),

{#- Every market with a denominator in the month or the month before. #}

month_pairs as (
    select distinct
        metric_id,
        month_start,
        market_code
    from market_months
    union
    select distinct
        metric_id,
        next_month_start as month_start,
        market_code
    from market_months
),

paired as (
    select
        month_pairs.metric_id,
        month_pairs.month_start,
        month_pairs.market_code,
        coalesce(prior_month.numerator, 0) as prior_numerator,
        coalesce(prior_month.denominator, 0) as prior_denominator,
        coalesce(this_month.numerator, 0) as numerator,
        coalesce(this_month.denominator, 0) as denominator,
        coalesce(prior_month.is_mature, true)
        and coalesce(this_month.is_mature, true) as is_mature
    from month_pairs
    left join market_months as this_month
        on
            month_pairs.metric_id = this_month.metric_id
            and month_pairs.month_start = this_month.month_start
            and month_pairs.market_code = this_month.market_code
    left join market_months as prior_month
        on
            month_pairs.metric_id = prior_month.metric_id
            and month_pairs.month_start = prior_month.next_month_start
            and month_pairs.market_code = prior_month.market_code
),

global_totals as (
    select
        metric_id,
        month_start,
        sum(prior_numerator) as global_prior_numerator,
        sum(prior_denominator) as global_prior_denominator,
        sum(numerator) as global_numerator,
        sum(denominator) as global_denominator,
        {{ count_if('not is_mature') }} = 0 as is_global_mature
    from paired
    group by metric_id, month_start
),

shares as (
    select
        paired.*,
        global_totals.global_prior_numerator,
        global_totals.global_prior_denominator,
        global_totals.global_numerator,
        global_totals.global_denominator,
        global_totals.is_global_mature,
        ratio_metrics.value_multiplier,
        ratio_metrics.is_order_cohort,
        paired.prior_denominator
        / global_totals.global_prior_denominator as prior_denominator_share,
        paired.denominator
        / global_totals.global_denominator as denominator_share,
        {{ safe_divide('paired.prior_numerator', 'paired.prior_denominator') }}
            as prior_rate,
        {{ safe_divide('paired.numerator', 'paired.denominator') }} as rate
    from paired
    inner join global_totals
        on
            paired.metric_id = global_totals.metric_id
            and paired.month_start = global_totals.month_start
    inner join ratio_metrics
        on paired.metric_id = ratio_metrics.metric_id
    {#- Both months need a global denominator for a change to exist. #}
    where
        global_totals.global_prior_denominator > 0
        and global_totals.global_denominator > 0
),

effects as (
    select
        shares.*,
        coalesce(shares.prior_rate, shares.rate) as prior_rate_filled,
        coalesce(shares.rate, shares.prior_rate) as rate_filled,
        (
            shares.global_prior_numerator / shares.global_prior_denominator
            + shares.global_numerator / shares.global_denominator
        ) / 2 as global_midpoint_rate
    from shares
),

contributions as (
    select
        effects.*,
        {#- No move, no effect (and no negative zero from 0 x a negative). #}
        case
            when effects.denominator_share = effects.prior_denominator_share
                then 0
            else
                effects.value_multiplier
                * (effects.denominator_share - effects.prior_denominator_share)
                * (
                    (effects.prior_rate_filled + effects.rate_filled) / 2
                    - effects.global_midpoint_rate
                )
        end as mix_contribution,
        case
            when effects.rate_filled = effects.prior_rate_filled then 0
            else
                effects.value_multiplier
                * (effects.rate_filled - effects.prior_rate_filled)
                * (effects.prior_denominator_share + effects.denominator_share)
                / 2
        end as rate_contribution
    from effects
),

final as (
    select
        metric_id,
        month_start,
        market_code,
        case
            when prior_denominator = 0 then 'entering'
            when denominator = 0 then 'leaving'
            else 'present'
        end as market_presence,
        prior_numerator,
        prior_denominator,
        numerator,
        denominator,
        prior_denominator_share,
        denominator_share,
        value_multiplier * prior_rate as prior_value,
        value_multiplier * rate as value,
        value_multiplier
        * global_prior_numerator
        / global_prior_denominator as global_prior_value,
        value_multiplier
        * global_numerator
        / global_denominator as global_value,
        value_multiplier * (
            global_numerator / global_denominator
            - global_prior_numerator / global_prior_denominator
        ) as global_change,
        mix_contribution as mix_effect,
        rate_contribution as rate_effect,
        mix_contribution + rate_contribution as total_effect,
        not is_order_cohort or is_global_mature as is_mature
    from contributions
)

select * from final
