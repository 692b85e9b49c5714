{#-
    The monthly story: one row per catalogue metric x geography (each market
    and GLOBAL) x month, with the move against the prior month (size, z,
    highlight / lowlight / movement, from int_metric_months_compared), the
    position against target (gap, z, RAG status), for ratio metrics the mix
    and rate effects behind the global change, a rank among the month's
    notable moves (insight_score = |z| x min(|relative change|, 1)), all
    gathered in int_metric_months_in_context, and one plain-language
    sentence, built here.

    A market whose development stage changed in the month says so, in the
    sentence and in stage_change (a move may come from the new stage's
    mix of sellers and policies rather than from performance). A change
    too small to show at the display precision reads "held at", never
    "rose from 3.99 to 3.99".
-#}
with

moves as (
    select * from {{ ref('int_metric_months_in_context') }}
),

{#- The sentence, in pieces (each piece is '' when it does not apply). #}

phrased as (
    select
        moves.*,
        moves.metric_name
        || case
            when moves.geo_level = 'global' then ' globally'
            else ' in ' || moves.geo_code
        end as subject,
        case
            when moves.value is null then ' had no value'
            when moves.prior_value is null
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
                    when moves.absolute_change > 0 then ' rose'
                    when moves.absolute_change < 0 then ' fell'
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
                    || case when moves.relative_change < 0 then '-' else '+' end
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
            when moves.prior_value is null then ''
            when moves.assessment = 'month_incomplete'
                then '; not assessed: the month is not complete'
            when moves.assessment = 'cohort_immature'
                then '; not assessed: the order cohort is still maturing'
            when moves.assessment = 'too_little_data'
                then '; not assessed: too little data for a test'
            when moves.insight_type = 'lowlight' and moves.rank_in_type = 1
                then '; the worst move this month'
            when moves.insight_type = 'lowlight'
                then
                    '; lowlight #'
                    || cast(moves.rank_in_type as {{ dbt.type_string() }})
                    || ' this month'
            when moves.insight_type = 'highlight' and moves.rank_in_type = 1
                then '; the best move this month'
            when moves.insight_type = 'highlight'
                then
                    '; highlight #'
                    || cast(moves.rank_in_type as {{ dbt.type_string() }})
                    || ' this month'
            when moves.insight_type = 'movement'
                then
                    '; notable movement #'
                    || cast(moves.rank_in_type as {{ dbt.type_string() }})
                    || ' this month (neutral metric)'
            when not moves.is_significant then '; within normal variation'
            else '; significant but below the tolerance band'
        end as verdict_phrase,
        case
            when moves.current_target is null or moves.value is null then ''
            when moves.target_status in ('green', 'amber', 'red')
                then
                    '; ' || moves.target_status || ' against target '
                    || {{ format_metric_value(
                    'current_target', 'value_format', 'display_decimals') }}
            when moves.target_status = 'immature'
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
            when moves.rate_effect is null then ''
            when moves.geo_level = 'market'
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
                || moves.leading_market_code || ' '
                || {{ format_metric_change(
                    'leading_rate_effect', 'value_format',
                    'display_decimals + 1') }}
        end as effect_phrase,
        coalesce(
            '; ' || moves.geo_code || ' changed development stage this month ('
            || moves.stage_change || ')',
            ''
        ) as stage_phrase
    from moves
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
