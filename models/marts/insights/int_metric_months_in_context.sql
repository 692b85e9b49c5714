{#-
    Each compared month in context, the row monthly_insights writes its
    sentence from: the move against the prior month
    (int_metric_months_compared) and its rank (int_metric_months_ranked),
    the position against target (int_metric_months_against_target) with its
    RAG status (target_attainment), for ratio metrics the mix and rate
    effects behind the global change (monthly_change_decomposition: a market
    row its own effects, the GLOBAL row their sums and the market with the
    largest rate effect), a market's change of development stage in the
    month (int_market_stage_changes_monthly), and the catalogue's display
    format. It reads two marts, so it sits beside them, but it is a step,
    not a mart: built in the intermediate schema, not published to BI.
-#}
with

compared as (
    select * from {{ ref('int_metric_months_compared') }}
),

ranked as (
    select * from {{ ref('int_metric_months_ranked') }}
),

against_target as (
    select * from {{ ref('int_metric_months_against_target') }}
),

attainment as (
    select * from {{ ref('target_attainment') }}
),

decomposition as (
    select * from {{ ref('monthly_change_decomposition') }}
),

stage_changes as (
    select * from {{ ref('int_market_stage_changes_monthly') }}
),

catalogue as (
    select * from {{ ref('metric_catalogue') }}
),

target_statuses as (
    select
        metric_id,
        target_month,
        case
            when scope_type = 'global' then 'global'
            else 'market'
        end as geo_level,
        scope_code as geo_code,
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

final as (
    select
        compared.month_start,
        compared.metric_id,
        catalogue.metric_name,
        compared.geo_level,
        compared.geo_code,
        compared.direction,
        compared.insight_type,
        compared.assessment,
        ranked.rank_in_month,
        ranked.rank_in_type,
        ranked.insight_score,
        compared.value,
        compared.prior_value,
        compared.absolute_change,
        compared.relative_change,
        compared.significance_test,
        compared.z_score,
        compared.is_significant,
        compared.is_material,
        compared.numerator,
        compared.denominator,
        compared.prior_numerator,
        compared.prior_denominator,
        compared.days_with_data,
        compared.prior_days_with_data,
        compared.is_month_complete,
        compared.is_provisional,
        compared.is_mature,
        against_target.current_target,
        against_target.gap_to_target,
        against_target.relative_gap_to_target,
        against_target.z_vs_target,
        target_statuses.target_status,
        effects.mix_effect,
        effects.rate_effect,
        effects.leading_market_code,
        effects.leading_rate_effect,
        stage_changes.stage_change,
        catalogue.value_format,
        catalogue.display_decimals
    from compared
    inner join catalogue
        on compared.metric_id = catalogue.metric_id
    inner join ranked
        on
            compared.metric_id = ranked.metric_id
            and compared.geo_level = ranked.geo_level
            and compared.geo_code = ranked.geo_code
            and compared.month_start = ranked.month_start
    inner join against_target
        on
            compared.metric_id = against_target.metric_id
            and compared.geo_level = against_target.geo_level
            and compared.geo_code = against_target.geo_code
            and compared.month_start = against_target.month_start
    left join target_statuses
        on
            compared.metric_id = target_statuses.metric_id
            and compared.month_start = target_statuses.target_month
            and compared.geo_level = target_statuses.geo_level
            and compared.geo_code = target_statuses.geo_code
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
)

select * from final
