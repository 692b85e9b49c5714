{#-
    A warning, at the end of a dbt run or build, for every currency and
    month that has orders or spend lines but no rate in fx_rates_monthly:
    their USD values are null (never 0) and metric_health says
    fx_rate_missing, and this message says which rate to add. Never fails
    the build. The month is formatted here, not in SQL, so the query is
    the same on every engine. Runs as an on-run-end hook (and by hand: dbt run-operation
    warn_missing_fx_rates); does nothing before the facts exist.
-#}
{% macro warn_missing_fx_rates() %}
    {%- if not execute or flags.WHICH not in ('run', 'build', 'run-operation') -%}
        {{ return('') }}
    {%- endif -%}
    {%- set orders = adapter.get_relation(
        database=target.database,
        schema=generate_schema_name('core', none) | trim,
        identifier='fct_orders'
    ) -%}
    {%- set spend = adapter.get_relation(
        database=target.database,
        schema=generate_schema_name('core', none) | trim,
        identifier='fct_spend_lines'
    ) -%}
    {%- if orders is none or spend is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- set query -%}
        select
            currency_code,
            rate_month,
            sum(orders) as orders,
            sum(spend_lines) as spend_lines
        from (
            select
                currency_code,
                placed_local_month as rate_month,
                1 as orders,
                0 as spend_lines
            from {{ orders }}
            where is_fx_rate_missing and gmv_local is not null
            union all
            select
                currency_code,
                posting_month as rate_month,
                0 as orders,
                1 as spend_lines
            from {{ spend }}
            where is_fx_rate_missing
        ) as missing
        group by currency_code, rate_month
        order by rate_month, currency_code
    {%- endset -%}
    {%- for row in run_query(query).rows -%}
        {%- do exceptions.warn(
            'fx_rate_missing: no rate in seeds/fx_rates_monthly.csv for '
            ~ row[0] ~ ' ' ~ (row[1] | string)[:7] ~ ' (' ~ row[2] ~ ' orders, '
            ~ row[3] ~ ' spend lines): their USD values are null'
        ) -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}
