"""Incremental builds must give exactly what a full refresh gives, and be idempotent.

The raw test dataset is fed to the project one landing day at a time (late events, and
duplicates arriving in later partitions, included, as the generator writes them), with what makes
incremental state go wrong added on the way:

- an old landing day held back and delivered after later days (a backfill: late data for an old
  day, and parents (orders placed, reports filed, listings submitted) arriving after children
  already loaded);
- an extra file of new, unique events (every id rewritten) that is loaded, then replaced by a
  shorter version of itself (a loaded file whose row count changed), then removed: rows leave
  staging, which no incremental model can see as new rows.

After the last day every table is compared with a full refresh of the same data (the raw tree
then equals the test dataset): under `make test`, the full-refresh build `make test` made of the
test dataset (dbt_harness.shared_test_build), otherwise one built here. Only `loaded_at` (when the
warehouse loaded a row, which differs between the two by design) is left out of the comparison. A
further run with no new data must change no row.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from dbt_harness import TEST_RAW_DIR, DbtSession, base_tables, run_dbt, shared_test_build

COMPARED_SCHEMAS = ("staging", "intermediate", "core", "marts")
BOOKKEEPING_COLUMNS = ("loaded_at",)
DAYS_FED_ONE_BY_ONE = 4
# The held-back old landing day: this many days before the last day of the first batch.
BACKFILL_DAYS_BACK = 6
EXTRA_FILE_NAME = "part-extra.parquet"
# The first load: seeds and models in one command (what `dbt seed` + `dbt run --full-refresh`
# do, with one start-up and one parse less); the data tests run in make test's own build.
SEEDS_AND_MODELS_FULL_REFRESH = ["build", "--full-refresh", "--resource-type", "seed",
                                 "--resource-type", "model"]


def _assert_same_tables(actual: dict[str, pd.DataFrame], expected: dict[str, pd.DataFrame]) -> None:
    assert sorted(actual) == sorted(expected)
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(
            actual[name], frame, check_exact=False, rtol=1e-9, obj=name
        )


def _tables(db_path: Path) -> dict[str, pd.DataFrame]:
    return base_tables(db_path, COMPARED_SCHEMAS, exclude_columns=BOOKKEEPING_COLUMNS)


def _partitions(raw_dir: Path) -> list[Path]:
    partitions = sorted((raw_dir / "governance_events").glob("ingest_date=*"))
    if len(partitions) <= DAYS_FED_ONE_BY_ONE + BACKFILL_DAYS_BACK:
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


def _write_extra_file(source_file: Path, target: Path, keep_rows: int | None = None) -> int:
    """A copy of source_file whose events are all new: every long numeric id (event ids and the
    ids in the payload: orders, listings, reports...) gets an x before its digits. Returns the
    rows written (the first keep_rows, if given)."""
    table = pq.read_table(source_file)
    if keep_rows is not None:
        table = table.slice(0, keep_rows)
    for column in ("event_id", "payload"):
        rewritten = pc.replace_substring_regex(table[column], pattern=r"-(\d{6,})",
                                               replacement=r"-x\1")
        table = table.set_column(table.schema.get_field_index(column), column, rewritten)
    target.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, target)
    return table.num_rows


@pytest.mark.slow
def test_day_by_day_build_equals_full_refresh(tmp_path: Path) -> None:
    source = TEST_RAW_DIR
    if not source.exists():
        pytest.skip(f"no test dataset at {source}: run `make test-data`")
    partitions = _partitions(source)
    first_batch, later_days = partitions[:-DAYS_FED_ONE_BY_ONE], partitions[-DAYS_FED_ONE_BY_ONE:]
    backfill = first_batch[-1 - BACKFILL_DAYS_BACK]
    events_dir = tmp_path / "raw" / "governance_events"

    growing_raw = tmp_path / "raw"
    shutil.copytree(source / "finance", growing_raw / "finance")
    for partition in first_batch:
        if partition != backfill:
            shutil.copytree(partition, events_dir / partition.name)

    incremental_db = tmp_path / "incremental.duckdb"
    # The project is parsed once for the whole day-by-day run: only raw files change.
    session = DbtSession(raw_dir=growing_raw, db_path=incremental_db, work_dir=tmp_path / "inc")
    session.run(SEEDS_AND_MODELS_FULL_REFRESH)

    extra_source = sorted(later_days[0].glob("*.parquet"))[0]
    extra_file = events_dir / later_days[0].name / EXTRA_FILE_NAME
    extra_rows = pq.read_metadata(extra_source).num_rows
    assert extra_rows > 2, "the extra file needs rows to shorten"
    steps = [
        ("extra file loaded", lambda: _write_extra_file(extra_source, extra_file)),
        ("extra file shortened", lambda: _write_extra_file(extra_source, extra_file,
                                                           keep_rows=extra_rows // 2)),
        ("extra file removed, old day backfilled",
         lambda: (extra_file.unlink(), shutil.copytree(backfill, events_dir / backfill.name))),
        ("last day", lambda: None),
    ]
    for partition, (step, change) in zip(later_days, steps, strict=True):
        shutil.copytree(partition, events_dir / partition.name)
        change()
        print(f"incremental build: {partition.name} + {step}")
        session.run(["run"])
    incremental = _tables(incremental_db)

    full_db = _full_refresh(source, tmp_path)
    _assert_same_tables(incremental, _tables(full_db))

    session.run(["run"])
    _assert_same_tables(_tables(incremental_db), incremental)
