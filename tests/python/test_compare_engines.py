"""scripts/compare_engines.py: what counts as the same table on both engines.

The Spark side is faked the way Spark leaves it: Parquet part files under
<warehouse>/<schema>.db/<table>/, written here with DuckDB; no Spark needed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

from dbt_harness import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "scripts"))
import compare_engines  # noqa: E402

ROWS = """
    select * from (values
        ('BR', date '2026-08-01', 3::bigint, 0.1::double, 'a'),
        ('BR', date '2026-08-02', 3::bigint, 0.2::double, 'a'),
        ('MX', date '2026-08-01', null::bigint, null::double, 'b'),
        ('MX', date '2026-08-01', null::bigint, null::double, 'b')
    ) as t (market_code, metric_date, orders, rate, label)
"""


def build(tmp_path: Path, spark_rows: str, table: str = "mart") -> tuple[Path, Path]:
    """A DuckDB build holding ROWS and a Spark warehouse holding spark_rows."""
    db_path = tmp_path / "ref.duckdb"
    with duckdb.connect(str(db_path)) as con:
        con.execute("create schema if not exists marts")
        con.execute(f"create or replace table marts.mart as {ROWS}")
    warehouse = tmp_path / "warehouse"
    folder = warehouse / "marts.db" / table
    folder.mkdir(parents=True, exist_ok=True)
    duckdb.sql(spark_rows).write_parquet(str(folder / "part-00000.parquet"))
    return db_path, warehouse


def run(db_path: Path, warehouse: Path) -> int:
    return compare_engines.main(
        ["--duckdb", str(db_path), "--spark-warehouse", str(warehouse), "--schemas", "marts"])


def test_same_rows_in_another_order_are_equal(tmp_path: Path) -> None:
    db_path, warehouse = build(tmp_path, f"select * from ({ROWS}) order by metric_date desc")
    assert run(db_path, warehouse) == 0


def test_float_within_relative_tolerance_is_equal(tmp_path: Path) -> None:
    shifted = ROWS.replace("0.2::double", "(0.2 + 1e-12)::double")
    db_path, warehouse = build(tmp_path, shifted)
    assert run(db_path, warehouse) == 0


def test_float_beyond_tolerance_differs(tmp_path: Path) -> None:
    shifted = ROWS.replace("0.2::double", "(0.2 + 1e-6)::double")
    db_path, warehouse = build(tmp_path, shifted)
    assert run(db_path, warehouse) == 1


def test_null_against_zero_differs(tmp_path: Path) -> None:
    zeroed = ROWS.replace("null::double", "0::double", 1)
    db_path, warehouse = build(tmp_path, zeroed)
    assert run(db_path, warehouse) == 1


def test_changed_text_differs(tmp_path: Path) -> None:
    db_path, warehouse = build(tmp_path, ROWS.replace("'a')", "'c')", 1))
    assert run(db_path, warehouse) == 1


def test_duplicate_rows_count_as_a_multiset(tmp_path: Path) -> None:
    """Two identical MX rows against one MX row and an extra BR row: same count, not equal."""
    other = ROWS.replace(
        "('MX', date '2026-08-01', null::bigint, null::double, 'b')\n    )",
        "('BR', date '2026-08-03', 1::bigint, 0.5::double, 'a')\n    )")
    db_path, warehouse = build(tmp_path, other)
    assert run(db_path, warehouse) == 1


def test_missing_spark_table_fails(tmp_path: Path) -> None:
    db_path, warehouse = build(tmp_path, ROWS, table="another_mart")
    assert run(db_path, warehouse) == 1


def test_missing_column_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path, warehouse = build(tmp_path, f"select * exclude (label) from ({ROWS})")
    assert run(db_path, warehouse) == 1
    assert "only DuckDB ['label']" in capsys.readouterr().out


HASHED = """
    select * from (values
        ('a.parquet', 0::bigint, {h0}), ('a.parquet', 1::bigint, {h1}), ('b.parquet', 0::bigint, {h2})
    ) as t (source_file, source_row_number, content_hash)
"""


def build_hashed(tmp_path: Path, spark_hashes: tuple[str, str, str]) -> tuple[Path, Path]:
    """base_events__validated-like rows: DuckDB's hashes 11, 11, 12 and Spark's own."""
    db_path = tmp_path / "ref.duckdb"
    with duckdb.connect(str(db_path)) as con:
        con.execute("create schema if not exists staging")
        con.execute("create table staging.base_events__validated as "
                    + HASHED.format(h0="11::ubigint", h1="11::ubigint", h2="12::ubigint"))
    folder = tmp_path / "warehouse" / "staging.db" / "base_events__validated"
    folder.mkdir(parents=True)
    h0, h1, h2 = spark_hashes
    duckdb.sql(HASHED.format(h0=h0, h1=h1, h2=h2)).write_parquet(str(folder / "part-00000.parquet"))
    return db_path, tmp_path / "warehouse"


def run_staging(db_path: Path, warehouse: Path) -> int:
    return compare_engines.main(
        ["--duckdb", str(db_path), "--spark-warehouse", str(warehouse), "--schemas", "staging"])


def test_engine_hashes_that_group_the_same_rows_are_equal(tmp_path: Path) -> None:
    """Each engine has its own 64-bit hash: the values differ, the rows they group must not."""
    db_path, warehouse = build_hashed(tmp_path, ("-7::bigint", "-7::bigint", "9::bigint"))
    assert run_staging(db_path, warehouse) == 0


def test_engine_hashes_that_group_other_rows_differ(tmp_path: Path) -> None:
    db_path, warehouse = build_hashed(tmp_path, ("-7::bigint", "9::bigint", "9::bigint"))
    assert run_staging(db_path, warehouse) == 1


def test_build_time_columns_are_not_compared(tmp_path: Path) -> None:
    """loaded_at differs between any two builds; the other columns still decide."""
    db_path = tmp_path / "ref.duckdb"
    with duckdb.connect(str(db_path)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.fact as select 'o1' as order_id, 2 as n, "
                    "timestamp '2026-12-01 10:00:00' as loaded_at")
    folder = tmp_path / "warehouse" / "marts.db" / "fact"
    folder.mkdir(parents=True)
    duckdb.sql("select 'o1' as order_id, 2 as n, timestamp '2026-12-01 11:30:00' as loaded_at"
               ).write_parquet(str(folder / "part-00000.parquet"))
    assert run(db_path, tmp_path / "warehouse") == 0
    duckdb.sql("select 'o1' as order_id, 3 as n, timestamp '2026-12-01 11:30:00' as loaded_at"
               ).write_parquet(str(folder / "part-00000.parquet"))
    assert run(db_path, tmp_path / "warehouse") == 1
