"""Compare the DuckDB build with the Spark build of the same data, table by table.

The project's claim is that its models give the same numbers on every engine.
This script checks it for every table in the compared schemas (the marts and the
core facts and dimensions): the Spark build's tables are read from the Parquet
files of its local warehouse (``<warehouse>/<schema>.db/<table>/``) by DuckDB,
beside the DuckDB build's tables, and must hold

- the same columns (by name),
- the same number of rows,
- the same rows: text, integers, booleans, dates, timestamps and decimals equal
  exactly (null equals null); floating-point columns equal within 1e-9 relative
  (``|a - b| <= 1e-9 * max(1, |a|)``, the tolerance the project's own
  reconciliation tests use), as the engines may add the same numbers in another
  order.

A column that holds an engine's own 64-bit hash (DuckDB's hash, Spark's
xxhash64; ENGINE_HASH_COLUMNS) means only which rows share a value, so it is
compared as that: on both sides it is replaced by the smallest row key among
the rows that share its hash, and must then be equal.

A column of BUILD_TIME_COLUMNS (loaded_at: when the warehouse loaded or rebuilt
a row) holds the time the build ran, which no two builds share: it must be on
both sides but its values are not compared.

Rows are matched as multisets: both sides are ranked within groups of equal
exact columns by their float columns, then joined on the exact columns and the
rank. Prints one line per table and exits 1 when any table differs or is
missing on either side.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

DEFAULT_SCHEMAS = ("marts", "core")
FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")
RELATIVE_TOLERANCE = 1e-9
SHOWN_DIFFERENCES = 3
# Columns holding the time of the build itself (macros/engine/incremental_state.sql).
BUILD_TIME_COLUMNS = ("loaded_at",)
# table -> (hash column, the columns that identify a row): hashes compared by the rows they group.
ENGINE_HASH_COLUMNS = {
    "base_events__validated": ("content_hash", ("source_file", "source_row_number")),
}


@dataclass
class TableResult:
    """The outcome of comparing one table."""

    schema: str
    table: str
    ok: bool
    message: str


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duckdb", required=True, type=Path,
                        help="the DuckDB file of the DuckDB build")
    parser.add_argument("--spark-warehouse", required=True, type=Path,
                        help="the Spark build's warehouse folder (spark.sql.warehouse.dir)")
    parser.add_argument("--schemas", nargs="+", default=list(DEFAULT_SCHEMAS),
                        help="schemas to compare (default: marts core)")
    parser.add_argument("--tables", nargs="*", default=None,
                        help="only these tables (default: every table of the schemas)")
    return parser.parse_args(argv)


def quote(identifier: str) -> str:
    """An identifier quoted for DuckDB."""
    return '"' + identifier.replace('"', '""') + '"'


def duckdb_tables(con: duckdb.DuckDBPyConnection, schemas: list[str]) -> list[tuple[str, str]]:
    """Base tables of the DuckDB build in the given schemas (views are not builds)."""
    placeholders = ", ".join("?" for _ in schemas)
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables "
        f"where table_catalog = 'ref' and table_schema in ({placeholders}) "
        "and table_type = 'BASE TABLE' order by 1, 2",
        schemas,
    ).fetchall()
    return [(schema, table) for schema, table in rows]


def spark_table_files(warehouse: Path, schema: str, table: str) -> Path | None:
    """The folder of a Spark table's Parquet files, if the Spark build made it."""
    folder = warehouse / f"{schema}.db" / table
    if folder.is_dir() and any(folder.rglob("*.parquet")):
        return folder
    return None


def columns_of(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    """Column name -> DuckDB type of a relation."""
    rows = con.execute(f"describe select * from {relation}").fetchall()
    return {row[0]: row[1] for row in rows}


def ranked(relation: str, exact: list[str], floats: list[str]) -> str:
    """The relation with a rank that tells apart rows of equal exact columns."""
    partition = ", ".join(quote(c) for c in exact) or "1"
    order = ", ".join(quote(c) for c in floats) or "1"
    return (f"select *, row_number() over (partition by {partition} order by {order}) "
            f"as __rank from {relation}")


def hash_as_grouping(relation: str, table: str) -> str:
    """The relation with its engine hash column (if any) replaced by the first key of its group."""
    if table not in ENGINE_HASH_COLUMNS:
        return relation
    column, key = ENGINE_HASH_COLUMNS[table]
    key_text = " || '/' || ".join(f"cast({quote(c)} as varchar)" for c in key)
    return (f"(select * replace (min({key_text}) over (partition by {quote(column)}) "
            f"as {quote(column)}) from {relation})")


def compare_table(con: duckdb.DuckDBPyConnection, schema: str, table: str,
                  files: Path) -> TableResult:
    """Compare one table of both builds; a result line says how they differ."""
    left = hash_as_grouping(f"ref.{quote(schema)}.{quote(table)}", table)
    right = hash_as_grouping(
        f"read_parquet('{files.as_posix()}/**/*.parquet', hive_partitioning = true)", table)
    left_columns = columns_of(con, left)
    right_columns = columns_of(con, right)
    if set(left_columns) != set(right_columns):
        only_left = sorted(set(left_columns) - set(right_columns))
        only_right = sorted(set(right_columns) - set(left_columns))
        return TableResult(schema, table, False,
                           f"columns differ: only DuckDB {only_left}, only Spark {only_right}")
    left_count = con.execute(f"select count(*) from {left}").fetchone()[0]
    right_count = con.execute(f"select count(*) from {right}").fetchone()[0]
    if left_count != right_count:
        return TableResult(schema, table, False,
                           f"row counts differ: DuckDB {left_count}, Spark {right_count}")
    names = [c for c in left_columns if c not in BUILD_TIME_COLUMNS]
    floats = [c for c in names if left_columns[c].upper() in FLOAT_TYPES
              or right_columns[c].upper() in FLOAT_TYPES]
    exact = [c for c in names if c not in floats]
    join = " and ".join(
        [f"l.{quote(c)} is not distinct from r.{quote(c)}" for c in exact]
        + ["l.__rank = r.__rank"])
    matched_floats = " and ".join(
        f"coalesce(l.{quote(c)} is null and r.{quote(c)} is null "
        f"or abs(l.{quote(c)} - r.{quote(c)}) "
        f"<= {RELATIVE_TOLERANCE} * greatest(1, abs(l.{quote(c)})), false)"
        for c in floats) or "true"
    unmatched = con.execute(
        f"with l as ({ranked(left, exact, floats)}), r as ({ranked(right, exact, floats)}) "
        f"select count(*) from l left join r on {join} "
        f"where r.__rank is null or not ({matched_floats})"
    ).fetchone()[0]
    if unmatched:
        # By name: a partitioned Spark table has its partition column last.
        listed = ", ".join(quote(c) for c in names)
        sample = con.execute(
            f"(select 'DuckDB only' as side, {listed} from {left} except all "
            f"select 'DuckDB only', {listed} from {right}) "
            f"union all (select 'Spark only', {listed} from {right} except all "
            f"select 'Spark only', {listed} from {left}) limit {SHOWN_DIFFERENCES * 2}"
        ).fetchall()
        shown = "; ".join(str(row) for row in sample)
        return TableResult(schema, table, False,
                           f"{unmatched} of {left_count} rows differ, e.g. {shown}")
    return TableResult(schema, table, True,
                       f"{left_count} rows, {len(floats)} float columns within tolerance")


def compare(duckdb_path: Path, warehouse: Path, schemas: list[str],
            tables: list[str] | None) -> list[TableResult]:
    """Compare every table of the schemas; a missing Spark table is a failure."""
    con = duckdb.connect()
    con.execute(f"attach '{duckdb_path.as_posix()}' as ref (read_only)")
    results = []
    for schema, table in duckdb_tables(con, schemas):
        if tables and table not in tables:
            continue
        started = time.monotonic()
        files = spark_table_files(warehouse, schema, table)
        if files is None:
            result = TableResult(schema, table, False, "missing in the Spark build")
        else:
            result = compare_table(con, schema, table, files)
        status = "ok  " if result.ok else "FAIL"
        print(f"{status} {schema}.{table}: {result.message} "
              f"({time.monotonic() - started:.1f} s)", flush=True)
        results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the comparison and report."""
    args = parse_args(argv)
    if not args.duckdb.exists():
        print(f"no DuckDB build at {args.duckdb}", file=sys.stderr)
        return 2
    results = compare(args.duckdb, args.spark_warehouse, args.schemas, args.tables)
    failed = [r for r in results if not r.ok]
    print(f"engines: {len(results) - len(failed)} of {len(results)} tables equal")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
