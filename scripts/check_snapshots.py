"""Compare the built marts with reviewed snapshots, so an unintended change in any output fails.

Each snapshot is one SQL file in ``tests/snapshots/queries/``: a query against the built DuckDB
database at a grain a reviewer can read (month x market, monthly global metric values, status
counts), with a header comment naming the columns that identify a row::

    -- keys: market_code, month_start
    -- rel_tol: 1e-6        (optional; defaults from --rel-tol / --abs-tol)

The queries are plain DuckDB SQL, not dbt resources (``.dbtignore`` keeps dbt from parsing
them as singular tests).

Its expected result is ``tests/snapshots/expected/<name>.csv``. The checker runs every query,
orders the rows by the keys, formats every value the same stable way (floats to 12 significant
digits, null as an empty field) and compares row by row: missing and extra keys, and, for rows
present in both, every column, numbers within a relative or absolute tolerance. It prints a
readable diff and exits non-zero on any difference. After a deliberate change, ``--update``
rewrites the expected files; review them with ``git diff tests/snapshots/expected``.

Every table or view in schema ``marts`` must be read by at least one snapshot query, so a new
mart without a snapshot fails until someone adds one.

Exit codes: 0 all snapshots match, 1 a difference (or a failing query), 2 a usage problem
(no database, no queries, a query without keys).
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import math
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import duckdb
import numpy as np
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_QUERIES_DIR = REPO_ROOT / "tests" / "snapshots" / "queries"
DEFAULT_EXPECTED_DIR = REPO_ROOT / "tests" / "snapshots" / "expected"
DEFAULT_DB_PATH = REPO_ROOT / "build" / "test.duckdb"
MARTS_SCHEMA = "marts"
FLOAT_DIGITS = 12
NULL_TEXT = ""
MARTS_REFERENCE = re.compile(rf'\b{MARTS_SCHEMA}\s*\.\s*"?(\w+)"?', re.IGNORECASE)
HEADER_SETTING = re.compile(r"^\s*--\s*(keys|rel_tol|abs_tol)\s*:\s*(.+?)\s*$", re.IGNORECASE)
UPDATE_HINT = "run `python scripts/check_snapshots.py --update` and review the change in git"


class SnapshotError(Exception):
    """A snapshot that cannot be checked at all (bad header, duplicate keys, failing query)."""


@dataclass(frozen=True)
class Tolerance:
    """Two numbers match when |a - b| <= max(absolute, relative * max(|a|, |b|))."""

    relative: float = 1e-9
    absolute: float = 1e-9


@dataclass(frozen=True)
class Snapshot:
    """One query file and where its expected CSV lives."""

    name: str
    sql: str
    keys: tuple[str, ...]
    tolerance: Tolerance
    expected_path: Path

    def marts_read(self) -> set[str]:
        """Names of the marts tables this query mentions (marts.<name>)."""
        return {match.lower() for match in MARTS_REFERENCE.findall(self.sql)}


@dataclass(frozen=True)
class CellDiff:
    """One column of one row whose value moved beyond the tolerance."""

    column: str
    expected: str
    actual: str


@dataclass
class SnapshotDiff:
    """Everything that differs between an expected and an actual snapshot."""

    keys: tuple[str, ...]
    missing_columns: list[str] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    missing_rows: list[dict[str, str]] = field(default_factory=list)
    extra_rows: list[dict[str, str]] = field(default_factory=list)
    changed_rows: list[tuple[dict[str, str], list[CellDiff]]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.missing_columns
            or self.extra_columns
            or self.missing_rows
            or self.extra_rows
            or self.changed_rows
        )


# --- formatting -------------------------------------------------------------------------------


def format_value(value: object) -> str:
    """One stable text form per value, so expected files do not churn between runs.

    Null is an empty field; NaN is ``NaN`` (a different thing from null); floats keep 12
    significant digits, which absorbs the last-bit noise of parallel sums.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return NULL_TEXT
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating, decimal.Decimal)):
        number = float(value)
        if math.isnan(number):
            return "NaN"
        if math.isinf(number):
            return "inf" if number > 0 else "-inf"
        text = f"{number:.{FLOAT_DIGITS}g}"
        return "0" if text == "-0" else text
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def to_text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every cell in its stable text form and string column names."""
    text = pd.DataFrame(
        {
            str(column): [format_value(value) for value in frame[column].tolist()]
            for column in frame.columns
        },
        dtype=object,
    )
    return text.reset_index(drop=True)


# --- comparison -------------------------------------------------------------------------------


def values_match(expected: str, actual: str, tolerance: Tolerance) -> bool:
    """Equal text, or two numbers within the tolerance; null matches only null, NaN only NaN."""
    if expected == actual:
        return True
    if expected == NULL_TEXT or actual == NULL_TEXT:
        return False
    try:
        left, right = float(expected), float(actual)
    except ValueError:
        return False
    if math.isnan(left) or math.isnan(right):
        return math.isnan(left) and math.isnan(right)
    if math.isinf(left) or math.isinf(right):
        return left == right
    allowed = max(tolerance.absolute, tolerance.relative * max(abs(left), abs(right)))
    return abs(left - right) <= allowed


Rows = dict[tuple[str, ...], dict[str, str]]


def _rows_by_key(frame: pd.DataFrame, keys: Sequence[str], side: str) -> Rows:
    """Rows keyed by their key values; a duplicate key makes the snapshot uncheckable."""
    missing = [key for key in keys if key not in frame.columns]
    if missing:
        raise SnapshotError(f"{side} result has no key column(s) {', '.join(missing)}")
    rows: dict[tuple[str, ...], dict[str, str]] = {}
    for record in frame.to_dict("records"):
        row = {str(column): str(value) for column, value in record.items()}
        key = tuple(row[column] for column in keys)
        if key in rows:
            named = describe_key(keys, key)
            raise SnapshotError(f"{side} result has more than one row for {named}")
        rows[key] = row
    return rows


def compare_frames(
    expected: pd.DataFrame,
    actual: pd.DataFrame,
    keys: Sequence[str],
    tolerance: Tolerance = Tolerance(),
) -> SnapshotDiff:
    """Row-by-row comparison on the keys; columns present on one side only are reported too."""
    expected_text, actual_text = to_text_frame(expected), to_text_frame(actual)
    diff = SnapshotDiff(keys=tuple(keys))
    diff.missing_columns = [c for c in expected_text.columns if c not in actual_text.columns]
    diff.extra_columns = [c for c in actual_text.columns if c not in expected_text.columns]
    shared = [c for c in expected_text.columns if c in actual_text.columns and c not in keys]

    expected_rows = _rows_by_key(expected_text, keys, "expected")
    actual_rows = _rows_by_key(actual_text, keys, "actual")
    diff.missing_rows = [row for key, row in expected_rows.items() if key not in actual_rows]
    diff.extra_rows = [row for key, row in actual_rows.items() if key not in expected_rows]
    for key, actual_row in actual_rows.items():
        expected_row = expected_rows.get(key)
        if expected_row is None:
            continue
        cells = [
            CellDiff(column, expected_row[column], actual_row[column])
            for column in shared
            if not values_match(expected_row[column], actual_row[column], tolerance)
        ]
        if cells:
            diff.changed_rows.append(({k: actual_row[k] for k in keys}, cells))
    return diff


# --- reporting --------------------------------------------------------------------------------


def _shown(text: str) -> str:
    """How a cell reads in a message: null spelled out."""
    return "null" if text == NULL_TEXT else text


def describe_key(keys: Sequence[str], values: Sequence[str]) -> str:
    """``market_code=DE, month=2026-08-01``: how a row is named in every message."""
    return ", ".join(f"{key}={_shown(value)}" for key, value in zip(keys, values))


def describe_change(cell: CellDiff) -> str:
    """``gmv_usd: expected 100, actual 110 (+10, +10%)``."""
    line = f"{cell.column}: expected {_shown(cell.expected)}, actual {_shown(cell.actual)}"
    try:
        left, right = float(cell.expected), float(cell.actual)
    except ValueError:
        return line
    if math.isfinite(left) and math.isfinite(right):
        delta = right - left
        relative = f", {delta / abs(left):+.3%}" if left != 0 else ""
        line += f" (diff {delta:+.6g}{relative})"
    return line


def _row_text(row: dict[str, str], keys: Sequence[str]) -> str:
    named = describe_key(keys, [row[key] for key in keys])
    values = ", ".join(
        f"{column}={_shown(value)}" for column, value in row.items() if column not in keys
    )
    return f"{named}: {values}" if values else named


def render_diff(name: str, diff: SnapshotDiff, max_rows: int = 20) -> str:
    """Which columns and rows are missing or extra, which values moved, and how far."""
    keys = diff.keys
    lines = [
        f"FAIL {name} (keys: {', '.join(keys)}): {len(diff.changed_rows)} changed, "
        f"{len(diff.missing_rows)} missing, {len(diff.extra_rows)} extra row(s)"
    ]
    if diff.missing_columns:
        lines.append(f"  columns missing from the actual result: {', '.join(diff.missing_columns)}")
    if diff.extra_columns:
        lines.append(f"  columns not in the expected file: {', '.join(diff.extra_columns)}")

    def section(label: str, items: list[str]) -> None:
        for item in items[:max_rows]:
            lines.append(f"  {label} row {item}")
        if len(items) > max_rows:
            lines.append(f"  ... and {len(items) - max_rows} more {label} row(s)")

    section("missing", [_row_text(row, keys) for row in diff.missing_rows])
    section("extra", [_row_text(row, keys) for row in diff.extra_rows])
    changed = [
        describe_key(keys, list(key.values()))
        + "".join(f"\n      {describe_change(cell)}" for cell in cells)
        for key, cells in diff.changed_rows
    ]
    section("changed", changed)
    return "\n".join(lines)


# --- snapshots on disk and in the database ----------------------------------------------------


def load_snapshots(queries_dir: Path, expected_dir: Path, default: Tolerance) -> list[Snapshot]:
    """Every ``*.sql`` under queries_dir, sorted by name, with its header settings parsed."""
    snapshots = []
    for path in sorted(queries_dir.glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        settings: dict[str, str] = {}
        for line in sql.splitlines():
            match = HEADER_SETTING.match(line)
            if match:
                settings[match.group(1).lower()] = match.group(2)
        keys = tuple(k.strip() for k in settings.get("keys", "").split(",") if k.strip())
        if not keys:
            raise SnapshotError(f"{path}: no `-- keys: col1, col2` header line")
        try:
            tolerance = Tolerance(
                relative=float(settings.get("rel_tol", default.relative)),
                absolute=float(settings.get("abs_tol", default.absolute)),
            )
        except ValueError as error:
            raise SnapshotError(f"{path}: bad tolerance header: {error}") from error
        snapshots.append(
            Snapshot(path.stem, sql, keys, tolerance, expected_dir / f"{path.stem}.csv")
        )
    return snapshots


def run_snapshot(con: duckdb.DuckDBPyConnection, snapshot: Snapshot) -> pd.DataFrame:
    """The query's result, ordered by its keys, as a text frame.

    Rows come back as Python values (not through a pandas conversion, which would turn a null
    in a float column into NaN), so null and NaN stay apart.
    """
    body = snapshot.sql.strip().rstrip(";")
    order = ", ".join(f'"{key}"' for key in snapshot.keys)
    try:
        result = con.execute(f"select * from (\n{body}\n) as snapshot order by {order}")
        columns = [str(description[0]) for description in result.description]
        records = result.fetchall()
    except duckdb.Error as error:
        raise SnapshotError(f"query failed: {error}") from error
    if len(set(columns)) != len(columns):
        raise SnapshotError(f"query returns a column name twice: {', '.join(columns)}")
    text = {
        column: [format_value(record[index]) for record in records]
        for index, column in enumerate(columns)
    }
    return pd.DataFrame(text, columns=columns, dtype=object)


def read_expected(path: Path) -> pd.DataFrame:
    """An expected CSV, every cell as text (empty stays empty: it means null)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def write_expected(path: Path, frame: pd.DataFrame) -> bool:
    """Write the CSV; True when its content changed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    content = frame.to_csv(index=False, lineterminator="\n")
    if path.exists() and path.read_text(encoding="utf-8") == content:
        return False
    path.write_text(content, encoding="utf-8")
    return True


def marts_in_database(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table and view of schema marts."""
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = ? order by 1",
        [MARTS_SCHEMA],
    ).fetchall()
    return [str(row[0]).lower() for row in rows]


def _display(path: Path) -> str:
    """A path relative to the repository when it is inside it, for shorter messages."""
    resolved = path.resolve()
    return str(resolved.relative_to(REPO_ROOT)) if resolved.is_relative_to(REPO_ROOT) else str(path)


# --- command line -----------------------------------------------------------------------------


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        type=Path,
        default=Path(os.environ.get("GNE_DB_PATH", DEFAULT_DB_PATH)),
        help="DuckDB file with the marts: the published BI file (default: $GNE_DB_PATH, else "
        "build/test.duckdb) or a working database",
    )
    parser.add_argument("--queries-dir", type=Path, default=DEFAULT_QUERIES_DIR)
    parser.add_argument("--expected-dir", type=Path, default=DEFAULT_EXPECTED_DIR)
    parser.add_argument("--update", action="store_true", help="rewrite the expected CSV files")
    parser.add_argument(
        "--only", action="append", metavar="NAME", help="check only this snapshot (repeatable)"
    )
    parser.add_argument("--rel-tol", type=float, default=Tolerance.relative, help="default 1e-9")
    parser.add_argument("--abs-tol", type=float, default=Tolerance.absolute, help="default 1e-9")
    parser.add_argument("--max-rows", type=int, default=20, help="rows shown per diff section")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    if not args.db.exists():
        print(f"no database at {args.db}: build it first (make test) or pass --db", file=sys.stderr)
        return 2
    try:
        snapshots = load_snapshots(
            args.queries_dir, args.expected_dir, Tolerance(args.rel_tol, args.abs_tol)
        )
    except SnapshotError as error:
        print(error, file=sys.stderr)
        return 2
    if args.only:
        unknown = sorted(set(args.only) - {s.name for s in snapshots})
        if unknown:
            print(f"unknown snapshot(s): {', '.join(unknown)}", file=sys.stderr)
            return 2
        snapshots = [s for s in snapshots if s.name in args.only]
    if not snapshots:
        print(f"no snapshot queries in {args.queries_dir}", file=sys.stderr)
        return 2

    failures: list[str] = []
    with duckdb.connect(str(args.db), read_only=True) as con:
        print(f"snapshots: {len(snapshots)} queries against {args.db}")
        for snapshot in snapshots:
            failure = _check_one(con, snapshot, args.update, args.max_rows)
            if failure:
                failures.append(snapshot.name)
        if not args.only:
            failures.extend(_check_coverage(con, snapshots, args.expected_dir, args.update))

    if failures:
        print(f"\nsnapshots: {len(failures)} problem(s): {', '.join(failures)}")
        if not args.update:
            print(f"If the change is deliberate, {UPDATE_HINT}.")
        return 1
    verb = "updated" if args.update else "match"
    print(f"\nsnapshots: all {len(snapshots)} {verb}")
    return 0


def _check_one(
    con: duckdb.DuckDBPyConnection, snapshot: Snapshot, update: bool, max_rows: int
) -> bool:
    """Check (or rewrite) one snapshot; True when it failed. Prints its own lines."""
    try:
        actual = run_snapshot(con, snapshot)
        if update:
            changed = write_expected(snapshot.expected_path, actual)
            print(f"{'wrote' if changed else 'same '} {snapshot.name} ({len(actual)} rows)")
            return False
        if not snapshot.expected_path.exists():
            missing = _display(snapshot.expected_path)
            print(f"FAIL {snapshot.name}: no expected file {missing}; {UPDATE_HINT}")
            return True
        expected = read_expected(snapshot.expected_path)
        diff = compare_frames(expected, actual, snapshot.keys, snapshot.tolerance)
    except SnapshotError as error:
        print(f"FAIL {snapshot.name}: {error}")
        return True
    if diff.is_empty:
        print(f"ok   {snapshot.name} ({len(actual)} rows)")
        return False
    print(render_diff(snapshot.name, diff, max_rows))
    return True


def _check_coverage(
    con: duckdb.DuckDBPyConnection, snapshots: list[Snapshot], expected_dir: Path, update: bool
) -> list[str]:
    """Marts no query reads, and expected files no query writes (removed on --update)."""
    problems = []
    read = set().union(*(snapshot.marts_read() for snapshot in snapshots))
    for mart in marts_in_database(con):
        if mart not in read:
            print(
                f"FAIL {MARTS_SCHEMA}.{mart} has no snapshot: add a query reading it to "
                f"{_display(DEFAULT_QUERIES_DIR)}/ and {UPDATE_HINT}"
            )
            problems.append(f"{MARTS_SCHEMA}.{mart}")
    names = {snapshot.name for snapshot in snapshots}
    for path in sorted(expected_dir.glob("*.csv")):
        if path.stem in names:
            continue
        if update:
            path.unlink()
            print(f"removed {path.name} (no query)")
        else:
            print(f"FAIL {path.name} has no query; {UPDATE_HINT} to remove it")
            problems.append(path.name)
    return problems


if __name__ == "__main__":
    sys.exit(main())
