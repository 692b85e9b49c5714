{#-
    One row per listing review decision, attributed to its local review
    date, with the listing's category and the policy's area.
-#}
with

reviews as (
    select * from {{ ref('stg_events__listing_reviewed') }}
),

listings as (
    select
        listing_id,
        category,
        row_number() over (
            partition by listing_id order by submitted_at, event_id
        ) as submission_rank
    from {{ ref('stg_events__listing_submitted') }}
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
