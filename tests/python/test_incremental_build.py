"""Incremental builds must give exactly what a full refresh gives, and be idempotent.

The raw test dataset is fed to the project one landing day at a time (late events, and
duplicates arriving in later partitions, included, as the generator writes them); after the
last day every table is compared with a full refresh of the same data: under `make test`, the
full-refresh build `make test` made of the test dataset (dbt_harness.shared_test_build), otherwise
one built here. A further run with no new data must change no row.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from dbt_harness import TEST_RAW_DIR, base_tables, run_dbt, shared_test_build

COMPARED_SCHEMAS = ("staging", "intermediate", "core", "marts")
# Seeds, then every model, in full: one dbt command for `dbt seed` + `dbt run --full-refresh`.
SEEDS_AND_MODELS_FULL_REFRESH = ["build", "--full-refresh", "--resource-type", "seed",
                                 "--resource-type", "model"]
DAYS_FED_ONE_BY_ONE = 4


def _assert_same_tables(actual: dict[str, pd.DataFrame], expected: dict[str, pd.DataFrame]) -> None:
    assert sorted(actual) == sorted(expected)
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(
            actual[name], frame, check_exact=False, rtol=1e-9, obj=name
        )


def _partitions(raw_dir: Path) -> list[Path]:
    partitions = sorted((raw_dir / "governance_events").glob("ingest_date=*"))
    if len(partitions) <= DAYS_FED_ONE_BY_ONE:
        pytest.skip(f"{raw_dir} has too few partitions for a day-by-day build")
    return partitions


def _full_refresh(source: Path, tmp_path: Path) -> Path:
    """A full refresh of `source`: the one `make test` built, or a build of its own."""
    shared = shared_test_build()
    if shared is not None and source.resolve() == TEST_RAW_DIR.resolve():
        print(f"incremental build: the full refresh compared with is make test's {shared}")
        return shared
    full_db = tmp_path / "full.duckdb"
    full = {"raw_dir": source, "db_path": full_db, "work_dir": tmp_path / "full"}
    run_dbt(SEEDS_AND_MODELS_FULL_REFRESH, **full)
    return full_db


@pytest.mark.slow
def test_day_by_day_build_equals_full_refresh(tmp_path: Path) -> None:
    source = TEST_RAW_DIR
    if not source.exists():
        pytest.skip(f"no test dataset at {source}: run `make test-data`")
    partitions = _partitions(source)
    first_batch, later_days = partitions[:-DAYS_FED_ONE_BY_ONE], partitions[-DAYS_FED_ONE_BY_ONE:]

    growing_raw = tmp_path / "raw"
    shutil.copytree(source / "finance", growing_raw / "finance")
    for partition in first_batch:
        shutil.copytree(partition, growing_raw / "governance_events" / partition.name)

    incremental_db = tmp_path / "incremental.duckdb"
    run = {"raw_dir": growing_raw, "db_path": incremental_db, "work_dir": tmp_path / "inc"}
    run_dbt(SEEDS_AND_MODELS_FULL_REFRESH, **run)
    for partition in later_days:
        shutil.copytree(partition, growing_raw / "governance_events" / partition.name)
        run_dbt(["run"], **run)
    incremental = base_tables(incremental_db, COMPARED_SCHEMAS)

    full_db = _full_refresh(source, tmp_path)
    _assert_same_tables(incremental, base_tables(full_db, COMPARED_SCHEMAS))

    run_dbt(["run"], **run)
    _assert_same_tables(base_tables(incremental_db, COMPARED_SCHEMAS), incremental)
