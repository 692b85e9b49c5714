{#-
    A number literal that is a double on every engine. DuckDB divides by a
    literal such as 3600.0 in double precision; Spark reads 3600.0 as a
    decimal(5,1), and a bigint divided by it is a decimal(27,6): rounded to
    six places (seconds as hours lose precision) and typed decimal, which
    the contracts' double rejects. Spark's double literal has a d suffix.
    The DuckDB SQL is unchanged. (1.0 / a bigint is harmless on Spark: its
    decimal result keeps 22 places and is used inside double arithmetic.)
-#}
{% macro float_literal(number) -%}
    {{ return(adapter.dispatch('float_literal', 'gne_metrics')(number)) }}
{%- endmacro %}

{% macro default__float_literal(number) -%}
    {{ number }}
{%- endmacro %}

{% macro spark__float_literal(number) -%}
    {{ number }}d
{%- endmacro %}
