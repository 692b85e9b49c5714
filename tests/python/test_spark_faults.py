"""Hostile raw input on Spark: the same files rejected for the same reasons, the same rows kept.

The faulty copy of test_fault_injection (every file fault, text and zoned timestamps, row
faults, a finance file missing a column) is built on DuckDB and on Spark, then a held-back
partition (a backfill) and a folder whose name is an SQL injection arrive, a loaded file goes, and
both engines build again incrementally. After each step every staging table (the file manifests, every raw row with
its quarantine reason, the repeats, the finance lines) must be equal on both engines
(scripts/compare_engines.py), and Spark's manifest must give each injected file its status and
reason. Both builds run the raw-row and raw-file reconciliation tests, which must pass.

Spark is slow to start: this runs only with GNE_TEST_SPARK=1 (make test-spark sets it), in a
Spark session of its own (a dbt subprocess, its own warehouse and metastore).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from dbt_harness import REPO_ROOT, TEST_RAW_DIR, run_dbt
from test_fault_injection import DAYS, INJECTION_FOLDER, Faults, copy_days, drop_finance_column, inject_faults

sys.path.insert(0, str(REPO_ROOT / "scripts"))
import compare_engines  # noqa: E402

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("GNE_TEST_SPARK") != "1",
                       reason="Spark scenario: runs with GNE_TEST_SPARK=1 (make test-spark)"),
]

# The staging models and their seeds, and the two raw reconciliations (every raw row lands in
# one place, every raw file is in the manifest); the other staging tests run in make test-spark's
# dbt build, and Spark takes about a second a test.
SELECTION = [
    "-s", "+path:models/staging",
    "assert_every_raw_event_row_lands_in_one_place", "assert_every_raw_file_is_in_the_file_manifest",
    "--exclude", "path:models/staging,resource_type:test", "resource_type:unit_test",
    "--indirect-selection", "empty",
]
PYTHON = REPO_ROOT / ".venv" / "bin" / "python"
DBT = REPO_ROOT / ".venv" / "bin" / "dbt"


@dataclass(frozen=True)
class Step:
    """One step's comparison and Spark's manifest after it."""

    results: list[compare_engines.TableResult]
    manifest: dict[str, tuple[str, str | None]]


def spark_env(raw: Path, spark_dir: Path) -> dict[str, str]:
    return {**os.environ, "GNE_RAW_DIR": str(raw), "GNE_SPARK_DIR": str(spark_dir),
            "DBT_PROFILES_DIR": str(REPO_ROOT), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


def run_spark(args: list[str], raw: Path, spark_dir: Path) -> None:
    """The manifests script, then one dbt command on the spark target; fails with dbt's output."""
    env = spark_env(raw, spark_dir)
    subprocess.run([str(PYTHON), str(REPO_ROOT / "scripts/build_file_manifests.py")],
                   env=env, check=True, cwd=REPO_ROOT)
    command = [str(DBT), "--no-partial-parse", *args, "--target", "spark",
               "--target-path", str(spark_dir / "target"), "--log-path", str(spark_dir / "logs")]
    done = subprocess.run(command, env=env, cwd=REPO_ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def spark_manifest(warehouse: Path) -> dict[str, tuple[str, str | None]]:
    """source_file -> (status, reason) of Spark's base_events__files."""
    rows = duckdb.sql(
        f"select source_file, file_status, rejection_reason_code from read_parquet("
        f"'{(warehouse / 'staging.db' / 'base_events__files').as_posix()}/*.parquet')").fetchall()
    return {name: (status, reason) for name, status, reason in rows}


def step(raw: Path, db_path: Path, work_dir: Path, spark_dir: Path, args: list[str]) -> Step:
    """One build on both engines, compared."""
    run_dbt(["build", *SELECTION, *args], raw_dir=raw, db_path=db_path, work_dir=work_dir)
    run_spark(["build", *SELECTION, *args], raw, spark_dir)
    results = compare_engines.compare(db_path, spark_dir / "warehouse", ["staging"], None)
    return Step(results, spark_manifest(spark_dir / "warehouse"))


@pytest.fixture(scope="module")
def steps(tmp_path_factory: pytest.TempPathFactory) -> tuple[Faults, Step, Step]:
    if not TEST_RAW_DIR.exists():
        pytest.skip(f"no test dataset at {TEST_RAW_DIR}: run `make test-data`")
    root = tmp_path_factory.mktemp("spark_faults")
    raw = root / "faulty"
    partitions = copy_days(raw, DAYS)
    faults, held = inject_faults(raw, partitions)
    drop_finance_column(raw, "amount_local")
    db_path, work_dir, spark_dir = root / "faulty.duckdb", root / "duckdb", root / "spark"
    print("spark faults: step 1, full build with file, row and finance faults", flush=True)
    first = step(raw, db_path, work_dir, spark_dir, ["--full-refresh"])

    print("spark faults: step 2, backfill, an injection-named folder, a file removed, incremental",
          flush=True)
    shutil.move(str(held), raw / "governance_events" / faults.backfill_partition)
    sample = next(iter(sorted((raw / "governance_events" / faults.backfill_partition).glob("*.parquet"))))
    injection = raw / "governance_events" / INJECTION_FOLDER
    injection.mkdir()
    shutil.copy(sample, injection / "events_0.parquet")
    faults.expected_files[f"{INJECTION_FOLDER}/events_0.parquet"] = ("rejected", "invalid_partition")
    # A loaded file disappears: its rows leave (Spark drops its partition).
    removed = next(name for name in faults.expected_files if "/hour=03/" in name)
    (raw / "governance_events" / removed).unlink()
    del faults.expected_files[removed]
    second = step(raw, db_path, work_dir, spark_dir, [])
    assert removed not in second.manifest
    return faults, first, second


def test_full_build_equals_duckdb(steps: tuple[Faults, Step, Step]) -> None:
    _, first, _ = steps
    assert {r.table for r in first.results} >= {"base_events__files", "base_events__validated"}
    assert [r.message for r in first.results if not r.ok] == []


def test_incremental_build_equals_duckdb(steps: tuple[Faults, Step, Step]) -> None:
    _, _, second = steps
    assert {r.table for r in second.results} >= {"base_events__files", "base_events__validated"}
    assert [r.message for r in second.results if not r.ok] == []


def test_spark_rejects_each_file_for_its_reason(steps: tuple[Faults, Step, Step]) -> None:
    faults, _, second = steps
    for source_file, expected in faults.expected_files.items():
        assert second.manifest.get(source_file) == expected, source_file
