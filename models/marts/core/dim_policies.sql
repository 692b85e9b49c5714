{#- One row per policy with its area and severity. -#}
with

policies as (
    select * from {{ ref('policies') }}
),

final as (
    select
        policy_id,
        policy_name,
        policy_area,
        severity
    from policies
)

select * from final
