{#-
    One row per listing review decision, attributed to its local review
    date, with the listing's category and the policy's area.

    Incremental (macros/engine/incremental_state.sql): a run rebuilds the
    reviews loaded since its last run and every review of the listings with
    a submission loaded since then (a listing that arrived after its
    reviews gives them its category).
-#}
{%- set reference_models = ['dim_markets', 'policies', 'dim_market_days'] -%}
{{ config(**keyed_incremental_config('listing_review_id', reference_models)) }}

with
{% if is_incremental() %}
touched_listings as (
    {{ keys_loaded_since_last_run('listing_id', [
        ref('stg_events__listing_reviewed'),
        ref('stg_events__listing_submitted'),
    ]) }}
),
{% endif %}
reviews as (
    select * from {{ ref('stg_events__listing_reviewed') }}
    {{- only_touched('listing_id', 'touched_listings') }}
),

listings as (
    select
        listing_id,
        category,
        row_number() over (
            partition by listing_id order by submitted_at, event_id
        ) as submission_rank
    from {{ ref('stg_events__listing_submitted') }}
    {{- only_touched('listing_id', 'touched_listings') }}
),

markets as (
    select * from {{ ref('dim_markets') }}
),

policies as (
    select * from {{ ref('policies') }}
),

stage_days as (
    select * from {{ ref('dim_market_days') }}
),

first_submissions as (
    select * from listings
    where submission_rank = 1
),

final as (
    select
        reviews.event_id as listing_review_id,
        reviews.listing_id,
        reviews.market_code,
        markets.region,
        stage_days.development_stage,
        first_submissions.category,
        reviews.review_decision,
        reviews.review_mode,
        reviews.policy_id,
        policies.policy_area,
        reviews.reviewed_at,
        reviews.reviewed_local_date,
        reviews.review_decision = 'rejected' as is_rejected
    from reviews
    inner join markets
        on reviews.market_code = markets.market_code
    left join first_submissions
        on reviews.listing_id = first_submissions.listing_id
    left join policies
        on reviews.policy_id = policies.policy_id
    left join stage_days
        on
            reviews.market_code = stage_days.market_code
            and reviews.reviewed_local_date = stage_days.date_day
)

select * from final
