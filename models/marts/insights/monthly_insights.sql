{#-
    The monthly story: one row per catalogue metric x geography (each market
    and GLOBAL) x month, with the move against the prior month (size, z,
    highlight / lowlight / movement, from int_metric_months_compared), the
    position against target (gap, RAG status from target_attainment, z),
    for ratio metrics the mix and rate effects behind the global change
    (monthly_change_decomposition), a rank among the month's notable moves
    and one plain-language sentence.

    A market whose development stage changed in the month says so, in the
    sentence and in stage_change (a move may come from the new stage's
    mix of sellers and policies rather than from performance). A change
    too small to show at the display precision reads "held at", never
    "rose from 3.99 to 3.99".

    Rank: notable rows (highlight, lowlight, movement) of a month ordered by
    insight_score = |z| x min(|relative change|, 1), i.e. evidence times
    size, the size capped so that a move off a tiny base does not swamp
    the rest.
-#}
with

compared as (
    select * from {{ ref('int_metric_months_compared') }}
),

decomposition as (
    select * from {{ ref('monthly_change_decomposition') }}
),

attainment as (
    select * from {{ ref('target_attainment') }}
),

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

market_days as (
    select * from {{ ref('dim_market_days') }}
),

stage_steps as (
    select
        market_code,
        date_day,
        development_stage,
        lag(development_stage) over (
            partition by market_code order by date_day
        ) as previous_stage
    from market_days
),

stage_changes as (
    select
        market_code,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start,
        previous_stage || ' to ' || development_stage || ' on '
        || cast(date_day as {{ dbt.type_string() }}) as stage_change,
        row_number() over (
            partition by
                market_code,
                cast({{ dbt.date_trunc('month', 'date_day') }} as date)
            order by date_day
        ) as change_rank
    from stage_steps
    where previous_stage <> development_stage
),

targets as (
    select
        metric_id,
        target_month,
        case
            when scope_type = 'global' then 'global'
            else 'market'
        end as geo_level,
        scope_code as geo_code,
        current_target,
        status as target_status
    from attainment
    where scope_type in ('global', 'market')
),

global_effects as (
    select
        metric_id,
        month_start,
        'global' as geo_level,
        'GLOBAL' as geo_code,
        sum(mix_effect) as mix_effect,
        sum(rate_effect) as rate_effect
    from decomposition
    group by metric_id, month_start
),

leading_rate_effects as (
    select
        metric_id,
        month_start,
        market_code as leading_market_code,
        rate_effect as leading_rate_effect,
        row_number() over (
            partition by metric_id, month_start
            order by abs(rate_effect) desc, market_code
        ) as effect_rank
    from decomposition
),

effects as (
    select
        decomposition.metric_id,
        decomposition.month_start,
        'market' as geo_level,
        decomposition.market_code as geo_code,
        decomposition.mix_effect,
        decomposition.rate_effect,
        cast(null as {{ dbt.type_string() }}) as leading_market_code,
        cast(null as {{ dbt.type_float() }}) as leading_rate_effect
    from decomposition
    union all
    select
        global_effects.metric_id,
        global_effects.month_start,
        global_effects.geo_level,
        global_effects.geo_code,
        global_effects.mix_effect,
        global_effects.rate_effect,
        leading_rate_effects.leading_market_code,
        leading_rate_effects.leading_rate_effect
    from global_effects
    inner join leading_rate_effects
        on
            global_effects.metric_id = leading_rate_effects.metric_id
            and global_effects.month_start = leading_rate_effects.month_start
            and leading_rate_effects.effect_rank = 1
),

joined as (
    select
        compared.*,
        catalogue.metric_name,
        catalogue.value_multiplier,
        catalogue.value_format,
        catalogue.display_decimals,
        targets.current_target,
        targets.target_status,
        effects.mix_effect,
        effects.rate_effect,
        effects.leading_market_code,
        effects.leading_rate_effect,
        stage_changes.stage_change,
        targets.current_target / nullif(catalogue.value_multiplier, 0)
            as target_proportion
    from compared
    inner join catalogue
        on compared.metric_id = catalogue.metric_id
    left join targets
        on
            compared.metric_id = targets.metric_id
            and compared.month_start = targets.target_month
            and compared.geo_level = targets.geo_level
            and compared.geo_code = targets.geo_code
    left join effects
        on
            compared.metric_id = effects.metric_id
            and compared.month_start = effects.month_start
            and compared.geo_level = effects.geo_level
            and compared.geo_code = effects.geo_code
    left join stage_changes
        on
            compared.geo_level = 'market'
            and compared.geo_code = stage_changes.market_code
            and compared.month_start = stage_changes.month_start
            and stage_changes.change_rank = 1
),

{#-
    z against target: the target is the null hypothesis. Ratios use the
    target rate's own variance; counts and sums the month's daily variance
    summed over its days; means and percentiles c / N (see
    int_metric_months_compared; percentiles on the log scale); cost ratios
    the monthly history. Only complete months.
#}

against_target as (
    select
        joined.*,
        joined.value - joined.current_target as gap_to_target,
        {{ safe_divide('(value - current_target)', 'abs(current_target)') }}
            as relative_gap_to_target,
        case
            when
                not joined.is_month_complete or joined.current_target is null
                then null
            when
                joined.significance_test = 'two_proportion'
                and joined.target_proportion > 0
                and joined.target_proportion < 1
                and joined.denominator > 0
                then
                    (
                        joined.value / joined.value_multiplier
                        - joined.target_proportion
                    )
                    / sqrt(
                        joined.target_proportion
                        * (1 - joined.target_proportion)
                        / joined.denominator
                    )
            when
                joined.significance_test = 'poisson_rate'
                and joined.target_proportion > 0
                and joined.denominator > 0
                then
                    (
                        joined.value / joined.value_multiplier
                        - joined.target_proportion
                    )
                    / sqrt(joined.target_proportion / joined.denominator)
            when
                joined.significance_test = 'daily_history'
                and joined.metric_type in ('count', 'sum')
                and joined.days_with_data > 1
                then (joined.value - joined.current_target) / nullif(sqrt(
                    joined.days_with_data * case
                        when joined.metric_type = 'count'
                            then
                                greatest(
                                    joined.daily_variance, joined.daily_mean
                                )
                        else joined.daily_variance
                    end
                ), 0)
            when
                joined.significance_test = 'weighted_mean'
                and joined.metric_type = 'percentile'
                and joined.value > 0
                and joined.current_target > 0
                and joined.denominator > 0
                then
                    (ln(joined.value) - ln(joined.current_target))
                    / nullif(
                        sqrt(
                            joined.sample_variance_constant / joined.denominator
                        ),
                        0
                    )
            when
                joined.significance_test = 'weighted_mean'
                and joined.denominator > 0
                then
                    (joined.value - joined.current_target)
                    / nullif(
                        sqrt(
                            joined.sample_variance_constant / joined.denominator
                        ),
                        0
                    )
            when joined.significance_test = 'monthly_history'
                then
                    (joined.value - joined.current_target)
                    / nullif(joined.history_sd, 0)
        end as z_vs_target
    from joined
),

ranked as (
    select
        against_target.*,
        case
            when
                against_target.insight_type in (
                    'highlight', 'lowlight', 'movement'
                )
                then
                    abs(against_target.z_score)
                    * least(coalesce(abs(against_target.relative_change), 1), 1)
        end as insight_score
    from against_target
),

ranks as (
    select
        ranked.*,
        case
            when ranked.insight_score is not null
                then row_number() over (
                    partition by
                        ranked.month_start, ranked.insight_score is not null
                    order by
                        ranked.insight_score desc,
                        ranked.metric_id asc,
                        ranked.geo_level asc,
                        ranked.geo_code asc
                )
        end as rank_in_month,
        case
            when ranked.insight_score is not null
                then row_number() over (
                    partition by ranked.month_start, ranked.insight_type
                    order by
                        ranked.insight_score desc,
                        ranked.metric_id asc,
                        ranked.geo_level asc,
                        ranked.geo_code asc
                )
        end as rank_in_type
    from ranked
),

{#- The sentence, in pieces (each piece is '' when it does not apply). #}

phrased as (
    select
        ranks.*,
        ranks.metric_name
        || case
            when ranks.geo_level = 'global' then ' globally'
            else ' in ' || ranks.geo_code
        end as subject,
        case
            when ranks.value is null then ' had no value'
            when ranks.prior_value is null
                then
                    ' was '
                    || {{ format_metric_value(
                    'value', 'value_format', 'display_decimals') }}
                    || ' (no prior month to compare)'
            when
                {{ format_metric_value(
                    'value', 'value_format', 'display_decimals') }}
                = {{ format_metric_value(
                    'prior_value', 'value_format', 'display_decimals') }}
                then
                    ' held at '
                    || {{ format_metric_value(
                    'value', 'value_format', 'display_decimals') }}
                    || ' (a change below the shown precision'
                    || coalesce(
                        ', z=' || {{ format_number('z_score', 1) }}, ''
                    )
                    || ')'
            else
                case
                    when ranks.absolute_change > 0 then ' rose'
                    when ranks.absolute_change < 0 then ' fell'
                    else ' held'
                end
                || ' from '
                || {{ format_metric_value(
                    'prior_value', 'value_format', 'display_decimals') }}
                || ' to '
                || {{ format_metric_value(
                    'value', 'value_format', 'display_decimals') }}
                || ' ('
                || {{ format_metric_change(
                    'absolute_change', 'value_format', 'display_decimals') }}
                || coalesce(
                    ', '
                    || case when ranks.relative_change < 0 then '-' else '+' end
                    || {{ format_number('abs(relative_change) * 100', 0) }}
                    || '%',
                    ''
                )
                || coalesce(
                    ', z=' || {{ format_number('z_score', 1) }}, ''
                )
                || ')'
        end as movement_phrase,
        case
            when ranks.prior_value is null then ''
            when ranks.assessment = 'month_incomplete'
                then '; not assessed: the month is not complete'
            when ranks.assessment = 'cohort_immature'
                then '; not assessed: the order cohort is still maturing'
            when ranks.assessment = 'too_little_data'
                then '; not assessed: too little data for a test'
            when ranks.insight_type = 'lowlight' and ranks.rank_in_type = 1
                then '; the worst move this month'
            when ranks.insight_type = 'lowlight'
                then
                    '; lowlight #'
                    || cast(ranks.rank_in_type as {{ dbt.type_string() }})
                    || ' this month'
            when ranks.insight_type = 'highlight' and ranks.rank_in_type = 1
                then '; the best move this month'
            when ranks.insight_type = 'highlight'
                then
                    '; highlight #'
                    || cast(ranks.rank_in_type as {{ dbt.type_string() }})
                    || ' this month'
            when ranks.insight_type = 'movement'
                then
                    '; notable movement #'
                    || cast(ranks.rank_in_type as {{ dbt.type_string() }})
                    || ' this month (neutral metric)'
            when not ranks.is_significant then '; within normal variation'
            else '; significant but below the tolerance band'
        end as verdict_phrase,
        case
            when ranks.current_target is null or ranks.value is null then ''
            when ranks.target_status in ('green', 'amber', 'red')
                then
                    '; ' || ranks.target_status || ' against target '
                    || {{ format_metric_value(
                    'current_target', 'value_format', 'display_decimals') }}
            when ranks.target_status = 'immature'
                then
                    '; target '
                    || {{ format_metric_value(
                    'current_target', 'value_format', 'display_decimals') }}
                    || ' (not judged until the cohort matures)'
            else
                '; target '
                || {{ format_metric_value(
                    'current_target', 'value_format', 'display_decimals') }}
        end as target_phrase,
        case
            when ranks.rate_effect is null then ''
            when ranks.geo_level = 'market'
                then
                    '; rate effect '
                    || {{ format_metric_change(
                    'rate_effect', 'value_format', 'display_decimals + 1') }}
                    || ' and mix effect '
                    || {{ format_metric_change(
                    'mix_effect', 'value_format', 'display_decimals + 1') }}
                    || ' on the global change'
            else
                '; rate effects '
                || {{ format_metric_change(
                    'rate_effect', 'value_format', 'display_decimals + 1') }}
                || ', mix effects '
                || {{ format_metric_change(
                    'mix_effect', 'value_format', 'display_decimals + 1') }}
                || ', largest rate effect '
                || ranks.leading_market_code || ' '
                || {{ format_metric_change(
                    'leading_rate_effect', 'value_format',
                    'display_decimals + 1') }}
        end as effect_phrase,
        coalesce(
            '; ' || ranks.geo_code || ' changed development stage this month ('
            || ranks.stage_change || ')',
            ''
        ) as stage_phrase
    from ranks
),

final as (
    select
        month_start,
        metric_id,
        metric_name,
        geo_level,
        geo_code,
        direction,
        insight_type,
        assessment,
        -- Spark numbers rows as int, DuckDB as bigint (the contract's type).
        cast(rank_in_month as {{ dbt.type_bigint() }}) as rank_in_month,
        cast(rank_in_type as {{ dbt.type_bigint() }}) as rank_in_type,
        insight_score,
        value,
        prior_value,
        absolute_change,
        relative_change,
        significance_test,
        z_score,
        is_significant,
        is_material,
        numerator,
        denominator,
        prior_numerator,
        prior_denominator,
        days_with_data,
        prior_days_with_data,
        is_month_complete,
        is_provisional,
        is_mature,
        current_target,
        gap_to_target,
        relative_gap_to_target,
        z_vs_target,
        target_status,
        mix_effect,
        rate_effect,
        stage_change,
        subject || movement_phrase || verdict_phrase || target_phrase
        || effect_phrase || stage_phrase || '.' as sentence
    from phrased
)

select * from final
