"""Snapshot checks: the built test database matches the reviewed snapshots, the comparison is
right at its edges, and a one-row change in the raw data fails the check with a diff naming it.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dbt.adapters.duckdb.connections import DuckDBConnectionManager

from dbt_harness import REPO_ROOT, TEST_RAW_DIR, run_dbt

sys.path.insert(0, str(REPO_ROOT / "scripts"))
import check_snapshots as snap  # noqa: E402

SCRIPT = REPO_ROOT / "scripts" / "check_snapshots.py"
STRICT = snap.Tolerance(relative=0.0, absolute=0.0)
# Seeds, then every model, in full: one dbt command for `dbt seed` + `dbt run --full-refresh`.
SEEDS_AND_MODELS_FULL_REFRESH = ["build", "--full-refresh", "--resource-type", "seed",
                                 "--resource-type", "model"]


def _run_checker(*args: str) -> subprocess.CompletedProcess[str]:
    """The checker as a user runs it: its own process, its exit code and its printed diff."""
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False
    )


def _block(output: str, name: str) -> str:
    """The lines the checker printed for one failing snapshot."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"FAIL {name} "))
    end = next(
        (i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines)
    )
    return "\n".join(lines[start:end])


def _changed_cells(block: str, key_text: str) -> list[str]:
    """Column names listed under one changed row of a diff block."""
    lines = block.splitlines()
    start = lines.index(f"  changed row {key_text}")
    cells = []
    for line in lines[start + 1:]:
        if not line.startswith("      "):
            break
        cells.append(line.strip().split(":", 1)[0])
    return cells


# --- (a) the database that `make test` built matches the expected files -------------------------


def test_snapshots_match_the_test_build() -> None:
    db_path = os.environ.get("GNE_DB_PATH")
    if not db_path:
        pytest.skip("GNE_DB_PATH is not set: `make test` sets it to the test database it builds")
    if not Path(db_path).exists():
        pytest.skip(f"no database at GNE_DB_PATH={db_path}: build it first (`make test`)")
    raw_dir = os.environ.get("GNE_RAW_DIR")
    if raw_dir and Path(raw_dir).resolve() != TEST_RAW_DIR.resolve():
        pytest.skip(f"GNE_RAW_DIR={raw_dir}: the snapshots are of the test dataset {TEST_RAW_DIR}")
    result = _run_checker("--db", db_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "snapshots: all" in result.stdout


# --- (b) the comparison -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (pd.NA, ""),
        (float("nan"), "NaN"),
        (float("inf"), "inf"),
        (-0.0, "0"),
        (0.1 + 0.2, "0.3"),
        (2 / 3, "0.666666666667"),
        (1234567.0, "1234567"),
        (np.float64(1e-15), "1e-15"),
        (np.int64(42), "42"),
        (True, "true"),
        (np.bool_(False), "false"),
        (decimal.Decimal("12.50"), "12.5"),
        (dt.date(2026, 8, 1), "2026-08-01"),
        (dt.datetime(2026, 8, 1, 12, 30, 0, 5), "2026-08-01 12:30:00.000005"),
        (pd.Timestamp("2026-08-01"), "2026-08-01 00:00:00"),
        ("a, b", "a, b"),
    ],
)
def test_values_have_one_stable_text_form(value: object, text: str) -> None:
    assert snap.format_value(value) == text


@pytest.mark.parametrize(
    ("expected", "actual", "tolerance", "match"),
    [
        ("75", "100", snap.Tolerance(relative=0.25, absolute=0.0), True),  # exactly at the edge
        ("74.5", "100", snap.Tolerance(relative=0.25, absolute=0.0), False),  # just beyond
        ("100", "75", snap.Tolerance(relative=0.25, absolute=0.0), True),  # symmetric
        ("10", "10.5", snap.Tolerance(relative=0.0, absolute=0.5), True),
        ("10", "10.5000001", snap.Tolerance(relative=0.0, absolute=0.5), False),
        ("0", "1e-10", snap.Tolerance(), True),  # absolute tolerance near zero
        ("0", "1e-8", snap.Tolerance(), False),
        ("1000000", "1000000.0009", snap.Tolerance(), True),  # relative tolerance when large
        ("1000000", "1000000.01", snap.Tolerance(), False),
        ("5", "5.0", STRICT, True),  # the same number written two ways
        ("", "", STRICT, True),  # null is null
        ("", "0", snap.Tolerance(relative=1.0, absolute=1.0), False),  # null is not zero
        ("NaN", "NaN", STRICT, True),
        ("NaN", "", STRICT, False),  # NaN is not null
        ("NaN", "1", snap.Tolerance(relative=1.0, absolute=1e9), False),
        ("inf", "inf", STRICT, True),
        ("inf", "-inf", snap.Tolerance(relative=1.0, absolute=1e9), False),
        ("warn", "ok", snap.Tolerance(relative=1.0, absolute=1.0), False),
        ("2026-08-01", "2026-08-01", STRICT, True),
    ],
)
def test_values_match_within_tolerance_only(
    expected: str, actual: str, tolerance: snap.Tolerance, match: bool
) -> None:
    assert snap.values_match(expected, actual, tolerance) is match


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows, dtype=object)


EXPECTED = _frame(
    [
        {"market": "DE", "month": "2026-08-01", "orders": 10, "rate": 0.5, "status": "ok"},
        {"market": "DE", "month": "2026-09-01", "orders": 12, "rate": None, "status": "warn"},
        {"market": "FR", "month": "2026-08-01", "orders": 7, "rate": 0.25, "status": "ok"},
    ]
)
KEYS = ("market", "month")


def test_identical_frames_in_another_row_order_have_no_diff() -> None:
    shuffled = EXPECTED.iloc[[2, 0, 1]].reset_index(drop=True)
    assert snap.compare_frames(EXPECTED, shuffled, KEYS, STRICT).is_empty


def test_a_changed_value_is_named_by_row_key_and_column() -> None:
    actual = EXPECTED.copy()
    actual.loc[2, "orders"] = 8
    diff = snap.compare_frames(EXPECTED, actual, KEYS)
    assert not diff.missing_rows and not diff.extra_rows
    assert diff.changed_rows == [
        ({"market": "FR", "month": "2026-08-01"}, [snap.CellDiff("orders", "7", "8")])
    ]
    text = snap.render_diff("orders_monthly", diff)
    assert "1 changed, 0 missing, 0 extra" in text
    assert "changed row market=FR, month=2026-08-01" in text
    assert "orders: expected 7, actual 8 (diff +1, +14.286%)" in text


def test_missing_and_extra_rows_are_listed_with_their_values() -> None:
    actual = pd.concat(
        [
            EXPECTED.iloc[:2],
            _frame([{"market": "IT", "month": "2026-08-01", "orders": 3, "rate": 1.0,
                     "status": "ok"}]),
        ],
        ignore_index=True,
    )
    diff = snap.compare_frames(EXPECTED, actual, KEYS)
    assert [row["market"] for row in diff.missing_rows] == ["FR"]
    assert [row["market"] for row in diff.extra_rows] == ["IT"]
    assert not diff.changed_rows
    text = snap.render_diff("orders_monthly", diff)
    assert "missing row market=FR, month=2026-08-01: orders=7, rate=0.25, status=ok" in text
    assert "extra row market=IT, month=2026-08-01: orders=3, rate=1, status=ok" in text


def test_null_to_value_and_value_to_null_are_changes() -> None:
    actual = EXPECTED.copy()
    actual.loc[0, "rate"] = None
    actual.loc[1, "rate"] = 0.0
    diff = snap.compare_frames(EXPECTED, actual, KEYS, snap.Tolerance(relative=1.0, absolute=1.0))
    changes = {key["month"]: cells for key, cells in diff.changed_rows}
    assert changes == {
        "2026-08-01": [snap.CellDiff("rate", "0.5", "")],
        "2026-09-01": [snap.CellDiff("rate", "", "0")],
    }
    assert "rate: expected 0.5, actual null" in snap.render_diff("x", diff)


def test_nan_equals_nan_but_not_null() -> None:
    expected = _frame([{"k": "a", "v": float("nan")}, {"k": "b", "v": float("nan")}])
    actual = _frame([{"k": "a", "v": float("nan")}, {"k": "b", "v": None}])
    diff = snap.compare_frames(expected, actual, ["k"], STRICT)
    assert diff.changed_rows == [({"k": "b"}, [snap.CellDiff("v", "NaN", "")])]


def test_a_float_change_below_the_tolerance_is_not_a_diff() -> None:
    actual = EXPECTED.copy()
    actual.loc[0, "rate"] = 0.5 * (1 + 1e-12)
    assert snap.compare_frames(EXPECTED, actual, KEYS).is_empty
    actual.loc[0, "rate"] = 0.5 * (1 + 1e-6)
    assert not snap.compare_frames(EXPECTED, actual, KEYS).is_empty


def test_added_and_removed_columns_are_reported() -> None:
    actual = EXPECTED.drop(columns=["status"]).assign(reviews=1)
    diff = snap.compare_frames(EXPECTED, actual, KEYS)
    assert diff.missing_columns == ["status"] and diff.extra_columns == ["reviews"]
    assert not diff.is_empty and not diff.changed_rows


def test_duplicate_keys_make_a_snapshot_uncheckable() -> None:
    doubled = pd.concat([EXPECTED, EXPECTED.iloc[[0]]], ignore_index=True)
    with pytest.raises(snap.SnapshotError, match="more than one row for market=DE"):
        snap.compare_frames(EXPECTED, doubled, KEYS)


def test_expected_files_round_trip_nulls_nans_and_commas(tmp_path: Path) -> None:
    frame = _frame(
        [
            {"k": "a", "reasons": "stale, immature", "v": None, "w": float("nan"), "x": 1 / 3},
            {"k": "b", "reasons": None, "v": 2, "w": 0.0, "x": True},
        ]
    )
    path = tmp_path / "round_trip.csv"
    assert snap.write_expected(path, snap.to_text_frame(frame)) is True
    assert snap.write_expected(path, snap.to_text_frame(frame)) is False  # unchanged content
    assert snap.compare_frames(snap.read_expected(path), frame, ["k"], STRICT).is_empty


def test_the_diff_output_is_capped_per_section() -> None:
    expected = _frame([{"k": str(i), "v": i} for i in range(30)])
    actual = expected.assign(v=[i + 1 for i in range(30)])
    text = snap.render_diff("many", snap.compare_frames(expected, actual, ["k"]), max_rows=5)
    assert text.count("  changed row ") == 5
    assert "  ... and 25 more changed row(s)" in text


# --- the command line on a tiny database ------------------------------------------------------


@pytest.fixture
def tiny_project(tmp_path: Path) -> dict[str, Path]:
    """A database with two marts, one snapshot query, and no expected file yet."""
    db_path = tmp_path / "tiny.duckdb"
    with duckdb.connect(str(db_path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.orders_daily as select * from (values "
            "('DE', date '2026-08-01', 10, 0.5), ('DE', date '2026-08-02', 12, null), "
            "('FR', date '2026-08-01', 7, 0.25)) as t(market_code, local_date, orders, rate)"
        )
        con.execute("create table marts.extra_mart as select 1 as x")
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "orders_daily.sql").write_text(
        "-- Orders by market and day.\n-- keys: market_code, local_date\n"
        "select market_code, local_date, orders, rate from marts.orders_daily;\n"
    )
    (queries / "extra_mart.sql").write_text("-- keys: x\nselect x from marts.extra_mart\n")
    return {"db": db_path, "queries": queries, "expected": tmp_path / "expected"}


def _cli(paths: dict[str, Path], *extra: str) -> list[str]:
    return [
        "--db", str(paths["db"]),
        "--queries-dir", str(paths["queries"]),
        "--expected-dir", str(paths["expected"]),
        *extra,
    ]


def test_cli_missing_expected_fails_then_update_makes_it_pass(
    tiny_project: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert snap.main(_cli(tiny_project)) == 1
    assert "no expected file" in capsys.readouterr().out
    assert snap.main(_cli(tiny_project, "--update")) == 0
    written = (tiny_project["expected"] / "orders_daily.csv").read_text()
    assert written == (
        "market_code,local_date,orders,rate\n"
        "DE,2026-08-01,10,0.5\nDE,2026-08-02,12,\nFR,2026-08-01,7,0.25\n"
    )
    assert snap.main(_cli(tiny_project)) == 0
    assert "snapshots: all 2 match" in capsys.readouterr().out


def test_cli_reports_a_changed_row_and_exits_non_zero(
    tiny_project: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert snap.main(_cli(tiny_project, "--update")) == 0
    with duckdb.connect(str(tiny_project["db"])) as con:
        con.execute("update marts.orders_daily set orders = 9 where market_code = 'FR'")
    capsys.readouterr()
    assert snap.main(_cli(tiny_project)) == 1
    out = capsys.readouterr().out
    assert "changed row market_code=FR, local_date=2026-08-01" in out
    assert "orders: expected 7, actual 9 (diff +2, +28.571%)" in out
    assert snap.main(_cli(tiny_project, "--rel-tol", "0.5")) == 0  # tolerance from the CLI


def test_cli_fails_on_a_mart_without_a_snapshot_and_on_an_orphan_file(
    tiny_project: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert snap.main(_cli(tiny_project, "--update")) == 0
    (tiny_project["queries"] / "extra_mart.sql").unlink()
    capsys.readouterr()
    assert snap.main(_cli(tiny_project)) == 1
    out = capsys.readouterr().out
    assert "FAIL marts.extra_mart has no snapshot" in out
    assert "FAIL extra_mart.csv has no query" in out
    assert snap.main(_cli(tiny_project, "--update")) == 1  # the uncovered mart still fails
    assert not (tiny_project["expected"] / "extra_mart.csv").exists()


def test_cli_usage_problems_exit_2(tiny_project: dict[str, Path]) -> None:
    no_database = tiny_project["db"].with_name("no.duckdb")
    assert snap.main(_cli(tiny_project, "--db", str(no_database))) == 2
    (tiny_project["queries"] / "no_keys.sql").write_text("select 1 as x\n")
    assert snap.main(_cli(tiny_project)) == 2


def test_cli_reports_a_failing_query_as_a_failure(
    tiny_project: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    (tiny_project["queries"] / "broken.sql").write_text(
        "-- keys: x\nselect x from marts.no_such_mart\n"
    )
    assert snap.main(_cli(tiny_project, "--update")) == 1
    assert "FAIL broken: query failed" in capsys.readouterr().out


def test_every_repository_snapshot_has_keys_and_an_expected_file() -> None:
    snapshots = snap.load_snapshots(
        snap.DEFAULT_QUERIES_DIR, snap.DEFAULT_EXPECTED_DIR, snap.Tolerance()
    )
    assert snapshots, "no snapshot queries in the repository"
    for snapshot in snapshots:
        assert snapshot.marts_read(), f"{snapshot.name} reads no marts table"
        assert snapshot.expected_path.exists(), f"{snapshot.name}: run --update"
        header = snap.read_expected(snapshot.expected_path).columns
        assert set(snapshot.keys) <= set(header), snapshot.name
        assert sum(1 for _ in snapshot.expected_path.open()) <= 501, "too big to review"


# --- (c) a one-row change in the raw test data is caught and named -------------------------------


def _pick_order(raw_dir: Path) -> tuple[str, str, dt.date, Path]:
    """A clean v1 order_placed event, delivered once, mid-month and on time (so its market-local
    month is its UTC month), that no injected fault touches: (event_id, market, month, file)."""
    events = f"{raw_dir.as_posix()}/governance_events/*/*.parquet"
    manifest = f"{raw_dir.as_posix()}/_meta/fault_manifest.csv"
    row = duckdb.sql(
        f"""
        with raw as (
            select *, filename from read_parquet('{events}', filename = true)
        ),
        delivered_once as (
            select event_id from raw group by event_id having count(*) = 1
        )
        select raw.event_id, raw.market, raw.occurred_at, raw.filename
        from raw
        inner join delivered_once on raw.event_id = delivered_once.event_id
        where
            raw.event_type = 'order_placed'
            and raw.schema_version = 1
            and json_valid(raw.payload)
            and try_cast(json_extract_string(raw.payload, '$.gmv_local') as double) > 0
            and day(raw.occurred_at) between 10 and 20
            and raw.ingested_at < raw.occurred_at + interval 1 hour
            and raw.event_id not in (
                select event_id from read_csv('{manifest}') where event_id is not null
            )
        order by raw.event_id
        limit 1
        """
    ).fetchone()
    assert row is not None, "no clean order_placed event to change in the test data"
    event_id, market, occurred_at, filename = row
    return str(event_id), str(market), occurred_at.date().replace(day=1), Path(filename)


def _multiply_gmv(parquet_file: Path, event_id: str, factor: int) -> None:
    """Rewrite one raw file with one order's gmv_local multiplied; every other byte of data kept."""
    table = pq.read_table(parquet_file)
    ids = table.column("event_id").to_pylist()
    payloads = table.column("payload").to_pylist()
    index = ids.index(event_id)
    payload = json.loads(payloads[index])
    payload["gmv_local"] = str(decimal.Decimal(payload["gmv_local"]) * factor)
    payloads[index] = json.dumps(payload)
    position = table.schema.get_field_index("payload")
    table = table.set_column(
        position, table.schema.field(position), pa.array(payloads, type=pa.string())
    )
    pq.write_table(table, parquet_file)


def _release_dbt_database() -> None:
    """dbt-duckdb keeps the database it built open in this process (a class-level environment),
    and DuckDB's file lock then keeps any other process out, the checker's included: close it."""
    environment = getattr(DuckDBConnectionManager, "_ENV", None)
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()


@pytest.mark.slow
def test_a_one_row_change_in_raw_data_fails_with_a_diff_naming_the_row(tmp_path: Path) -> None:
    if not (TEST_RAW_DIR / "governance_events").exists():
        pytest.skip(f"no test dataset at {TEST_RAW_DIR}: run `make test-data`")
    raw_dir = tmp_path / "raw"
    shutil.copytree(TEST_RAW_DIR, raw_dir)
    event_id, market, month, parquet_file = _pick_order(raw_dir)
    _multiply_gmv(parquet_file, event_id, factor=10)

    run = {"raw_dir": raw_dir, "db_path": tmp_path / "changed.duckdb", "work_dir": tmp_path / "dbt"}
    run_dbt(SEEDS_AND_MODELS_FULL_REFRESH, **run)
    _release_dbt_database()
    result = _run_checker("--db", str(run["db_path"]))
    print(result.stdout)  # shown by pytest on failure, or with -s

    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    buyer = _block(out, "buyer_experience_monthly")
    row = f"market_code={market}, month_start={month.isoformat()}"
    assert "1 changed, 0 missing, 0 extra" in buyer, buyer
    assert _changed_cells(buyer, row) == ["gmv_usd"], buyer  # that row, that column, nothing else
    gmv_line = next(line for line in buyer.splitlines() if line.strip().startswith("gmv_usd:"))
    assert "(diff +" in gmv_line, gmv_line  # and how far it moved

    metrics = _block(out, "metric_values_monthly_global")
    metric_row = f"metric_id=gmv_usd, period_start={month.isoformat()}"
    assert set(_changed_cells(metrics, metric_row)) == {"numerator", "value"}, metrics
    assert "--update" in out  # and what to do if the change was meant
