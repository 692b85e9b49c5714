{#-
    One row per target (metric x scope x month) with its original and
    current value. Original = the first revision approved before the month
    began (the issue's definition); when none was approved in time, the
    first revision, flagged. Current = the highest revision.
-#}
with

targets as (
    select * from {{ ref('targets') }}
),

ranked as (
    select
        metric_id,
        scope_type,
        scope_code,
        target_month,
        target_value,
        revision,
        approved_on,
        approved_on < target_month as is_approved_before_month,
        row_number() over (
            partition by metric_id, scope_type, scope_code, target_month
            order by revision desc
        ) as latest_rank,
        row_number() over (
            partition by metric_id, scope_type, scope_code, target_month
            order by
                case when approved_on < target_month then 0 else 1 end,
                revision
        ) as original_rank,
        count(*) over (
            partition by metric_id, scope_type, scope_code, target_month
        ) as revision_count
    from targets
),

final as (
    select
        original.metric_id,
        original.scope_type,
        original.scope_code,
        original.target_month,
        original.target_value as original_target,
        original.revision as original_revision,
        original.is_approved_before_month as is_original_approved_in_time,
        current_target.target_value as current_target,
        current_target.revision as current_revision,
        current_target.approved_on as current_approved_on,
        original.revision_count
    from ranked as original
    inner join ranked as current_target
        on
            original.metric_id = current_target.metric_id
            and original.scope_type = current_target.scope_type
            and original.scope_code = current_target.scope_code
            and original.target_month = current_target.target_month
            and current_target.latest_rank = 1
    where original.original_rank = 1
)

select * from final
