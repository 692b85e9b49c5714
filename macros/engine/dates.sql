{#-
    Date parts that engines spell differently.

    iso_day_of_week(date): 1 for Monday to 7 for Sunday (ISO 8601). DuckDB
    calls the part isodow and returns a bigint, Spark dayofweek_iso and an
    int (cast to bigint, the type DuckDB gives and the contracts declare).
-#}
{% macro iso_day_of_week(date_expression) -%}
    {{ return(adapter.dispatch('iso_day_of_week', 'gne_metrics')(
        date_expression)) }}
{%- endmacro %}

{% macro default__iso_day_of_week(date_expression) -%}
    extract(isodow from {{ date_expression }})
{%- endmacro %}

{% macro spark__iso_day_of_week(date_expression) -%}
    cast(extract(dayofweek_iso from {{ date_expression }}) as bigint)
{%- endmacro %}

{#-
    dbt's datediff on Spark, typed as on DuckDB: a bigint for every date
    part. dbt-spark's own implementation (whose counts agree with DuckDB's
    for day, week, month and second) returns an int for days, which
    contracts that declare bigint reject.
-#}
{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- if datepart == 'microsecond' -%}
        {#- dbt-spark reads microseconds from the timestamp's text, which
            has no fraction when it is zero; Spark counts them exactly. -#}
        (unix_micros(cast({{ second_date }} as timestamp_ltz))
            - unix_micros(cast({{ first_date }} as timestamp_ltz)))
    {%- else -%}
        cast(({{ dbt.spark__datediff(first_date, second_date, datepart) }})
            as bigint)
    {%- endif -%}
{%- endmacro %}

{#-
    dbt's dateadd on Spark. dbt-spark's own goes through Unix seconds and
    to_timestamp(seconds), which fails once timestamps are without time zone
    (profiles.yml: spark.sql.timestampType TIMESTAMP_NTZ, so that they mean
    what DuckDB's timestamp means). timestampadd adds calendar units to the
    timestamp itself and, like DuckDB's date + interval, gives a timestamp
    for a date and clamps month ends (Jan 31 + 1 month = Feb 29).
-#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    timestampadd(
        {{ datepart | upper }},
        {{ interval }},
        cast({{ from_date_or_timestamp }} as timestamp)
    )
{%- endmacro %}
