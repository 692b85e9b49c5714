{#-
    A number literal that is a double on every engine. DuckDB divides by a
    literal such as 3600.0 in double precision; Spark reads 3600.0 as a
    decimal(5,1), and a bigint divided by it is a decimal(27,6): rounded to
    six places (seconds as hours lose precision) and typed decimal, which
    the contracts' double rejects. Spark's double literal has a d suffix.
    The same holds for 1.0 / a wide decimal (a sum): Spark keeps six places,
    which moved a z-score of 8 to 8.00026 in a unit test. The DuckDB SQL is
    unchanged.
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
