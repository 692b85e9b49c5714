"""Hostile raw input never stops the build, never poisons its state, and never vanishes.

A few days of the test dataset are copied twice: a clean copy (the baseline) and a faulty
copy with every file, state, row and finance fault of issue 11 injected. The faulty copy is
built in three steps that share one database:

1. a full build without one older partition (held back) and with the finance file missing
   its `amount_local` column;
2. an incremental build after the held-back partition arrives (a backfill) and after a folder
   whose name is an SQL injection appears;
3. a build of the finance branch after the finance file is deleted.

Every step must exit 0 (dbt build: models and data tests; the unit tests, which mock their
inputs and so never see this data, run in `make test`'s own build). The assertions then check
that every raw row is accounted for against an independent pyarrow count over the whole tree,
that each fault carries its reason code, and that the event metrics equal the baseline's (every
injected fault is either rejected, quarantined, an identical duplicate or the same instant
written another way).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from dbt_harness import TEST_RAW_DIR, DbtSession, open_built, run_dbt

DAYS = 8
COST_METRICS = ("cost_per_case_usd", "budget_utilization")
INJECTION_FOLDER = "ingest_date=z' as varchar) or true --"
SPEND_FAULT_MONTH = "2026-08-01"
# What the baseline is compared on (tables() below) and everything upstream of it, seeds too:
# the clean copy needs no other model, and no data test (it is the reference, not the subject).
BASELINE_MODELS = "+metric_values +metric_health +data_availability +stg_events__order_placed"
# The faulty copy's builds run models and data tests, not the unit tests (see the docstring).
NO_UNIT_TESTS = ("--exclude", "resource_type:unit_test")


@dataclass(frozen=True)
class Faults:
    """Where each injected fault is, so the assertions can find it."""

    backfill_partition: str
    expected_files: dict[str, tuple[str, str | None]]  # source_file -> (status, reason)
    expected_rows: dict[str, str]  # event_id of an injected row -> reason code
    offset_orders: list[str]  # order_ids whose promised_ship_by is written with +07:00


@dataclass(frozen=True)
class Built:
    raw_dir: Path
    baseline_db: Path
    faulty_db: Path
    faults: Faults
    after_events: dict[str, pd.DataFrame]
    after_finance_missing: dict[str, pd.DataFrame]


# ---------------------------------------------------------------------------- raw copies


def copy_days(target: Path, days: int) -> list[Path]:
    """The finance folder and the first `days` partitions of the test dataset."""
    partitions = sorted((TEST_RAW_DIR / "governance_events").glob("ingest_date=*"))[:days]
    shutil.copytree(TEST_RAW_DIR / "finance", target / "finance")
    for partition in partitions:
        shutil.copytree(partition, target / "governance_events" / partition.name)
    return sorted((target / "governance_events").glob("ingest_date=*"))


def read_events(path: Path) -> pa.Table:
    return pq.read_table(path)


def iso_with_offset(values: pa.ChunkedArray, hours: int) -> pa.Array:
    """UTC timestamps as ISO-8601 text of the same instant at a fixed offset."""
    shifted = pc.add(values, pa.scalar(dt.timedelta(hours=hours), pa.duration("us")))
    text = pc.strftime(shifted, format="%Y-%m-%dT%H:%M:%S")  # %S carries the microseconds
    sign = "+" if hours >= 0 else "-"
    return pc.binary_join_element_wise(text, f"{sign}{abs(hours):02d}:00", "")


def rewrite_with_text_timestamps(path: Path, copies: pd.Series) -> list[str]:
    """occurred_at / ingested_at as +07:00 text; single-copy orders' promised_ship_by too."""
    table = read_events(path)
    table = table.set_column(3, "occurred_at", iso_with_offset(table["occurred_at"], 7))
    table = table.set_column(4, "ingested_at", iso_with_offset(table["ingested_at"], 7))
    payloads, orders = [], []
    columns = (table["event_id"].to_pylist(), table["event_type"].to_pylist(), table["payload"].to_pylist())
    for event_id, event_type, payload in zip(*columns):
        try:
            fields = json.loads(payload) if payload else None
        except ValueError:
            fields = None
        shipped_by = fields.get("promised_ship_by") if isinstance(fields, dict) else None
        single_copy = event_id is not None and copies.get(event_id, 0) == 1
        if (event_type == "order_placed" and single_copy and isinstance(shipped_by, str)
                and shipped_by.endswith("Z") and isinstance(fields.get("order_id"), str)):
            instant = dt.datetime.fromisoformat(shipped_by.replace("Z", "+00:00"))
            fields["promised_ship_by"] = instant.astimezone(dt.timezone(dt.timedelta(hours=7))).isoformat()
            payload = json.dumps(fields)
            orders.append(fields["order_id"])
        payloads.append(payload)
    table = table.set_column(6, "payload", pa.array(payloads, pa.string()))
    pq.write_table(table, path)
    return orders


def rewrite_with_zoned_timestamps(path: Path) -> None:
    """occurred_at / ingested_at as TIMESTAMP WITH TIME ZONE (same instants)."""
    table = read_events(path)
    for index, name in ((3, "occurred_at"), (4, "ingested_at")):
        zoned = pc.assume_timezone(table[name], "UTC").cast(pa.timestamp("us", tz="Asia/Jakarta"))
        table = table.set_column(index, name, zoned)
    pq.write_table(table, path)


def fault_rows(source: pa.Table, partition_day: dt.date) -> tuple[pa.Table, dict[str, str]]:
    """Row faults of the contract, built from real rows of earlier partitions."""
    rows = source.to_pylist()
    landing = dt.datetime.combine(partition_day, dt.time(12, 0))
    placed = next(r for r in rows if r["event_type"] == "order_placed" and r["schema_version"] == 1)
    shipped = next(r for r in rows if r["event_type"] == "order_shipped")
    ticket = next(r for r in rows if r["event_type"] == "ticket_closed")
    payload = json.loads(placed["payload"])
    out, expected = [], {}

    def add(event_id: str, reason: str, **changes: object) -> None:
        row = {**placed, "event_id": event_id, "ingested_at": landing, **changes}
        out.append(row)
        expected[event_id] = reason

    add("fault-2099", "implausible_timestamp", occurred_at=dt.datetime(2099, 1, 1),
        ingested_at=dt.datetime(2099, 1, 1, 0, 5))
    add("fault-1900", "implausible_timestamp", occurred_at=dt.datetime(1900, 1, 1))
    add("fault-1970", "implausible_timestamp", occurred_at=dt.datetime(1970, 1, 1))
    huge = {**payload, "order_id": "fault-order-huge", "gmv_local": "1000000000000000000000"}
    add("fault-huge-gmv", "implausible_amount", payload=json.dumps(huge))
    add("fault-second-placement", "duplicate_business_key")
    # An event_id reused by another event type, and a copy whose content differs.
    reused = {**ticket, "event_id": shipped["event_id"], "ingested_at": landing}
    out.append(reused)
    expected[f"reused:{shipped['event_id']}"] = "conflicting_duplicate"
    altered = {**shipped, "ingested_at": landing,
               "payload": json.dumps({**json.loads(shipped["payload"]), "note": "altered"})}
    out.append(altered)
    expected[f"altered:{shipped['event_id']}"] = "conflicting_duplicate"
    return pa.Table.from_pylist(out, schema=source.schema), expected


def single_copy_file(partitions: list[Path], counts: pd.Series) -> Path:
    """A file whose events have no copy elsewhere (so rewriting it creates no conflict)."""
    for partition in partitions:
        for path in sorted(partition.glob("*.parquet")):
            ids = read_events(path)["event_id"].to_pandas()
            if counts.reindex(ids.dropna()).eq(1).mean() > 0.5:
                return path
    raise AssertionError("no file with mostly single-copy events")


def inject_faults(raw: Path, partitions: list[Path]) -> tuple[Faults, Path]:
    """Every fault class in the faulty copy; returns the faults and the held-back partition."""
    events_dir = raw / "governance_events"
    last, earlier = partitions[-1], partitions[1:-1]
    sample = next(iter(sorted(earlier[0].glob("*.parquet"))))
    sample_table = read_events(sample)
    all_ids = pd.concat(
        [read_events(p)["event_id"].to_pandas() for d in partitions for p in d.glob("*.parquet")]
    ).value_counts()
    files: dict[str, tuple[str, str | None]] = {}

    def place(relative: str, status: str, reason: str | None, data: bytes | pa.Table) -> None:
        path = events_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, pa.Table):
            pq.write_table(data, path)
        else:
            path.write_bytes(data)
        files[relative] = (status, reason)

    sample_bytes = sample.read_bytes()
    place(f"{last.name}/zero_bytes.parquet", "rejected", "unreadable_file", b"")
    place(f"{last.name}/corrupt.parquet", "rejected", "unreadable_file",
          sample_bytes[:200] + b"\x00garbage" * 50)
    place("landing_2026/events_0.parquet", "rejected", "invalid_partition", sample_table)
    place("stray_at_root.parquet", "rejected", "invalid_partition", sample_table)
    place("ingest_date=garbage/events_0.parquet", "rejected", "invalid_partition", sample_table)
    epoch = sample_table.set_column(3, "occurred_at", pc.cast(sample_table["occurred_at"], pa.int64()))
    place(f"{last.name}/epoch_occurred_at.parquet", "rejected", "incompatible_schema", epoch)
    place(f"{last.name}/no_payload.parquet", "rejected", "incompatible_schema",
          sample_table.drop_columns(["payload"]))
    # An identical copy of a loaded file, one folder deeper: loaded, all duplicates.
    nested = f"{sample.parent.name}/hour=03/{sample.name}"
    place(nested, "loaded", None, sample_table)

    text_file = single_copy_file(earlier[1:], all_ids)
    offset_orders = rewrite_with_text_timestamps(text_file, all_ids)
    files[text_file.relative_to(events_dir).as_posix()] = ("loaded", None)
    zoned_file = next(iter(sorted(earlier[-1].glob("*.parquet"))))
    if zoned_file == text_file:
        zoned_file = next(iter(sorted(earlier[-2].glob("*.parquet"))))
    rewrite_with_zoned_timestamps(zoned_file)
    files[zoned_file.relative_to(events_dir).as_posix()] = ("loaded", None)

    source_rows = pa.concat_tables([read_events(p) for p in sorted(earlier[0].glob("*.parquet"))])
    rows, expected_rows = fault_rows(source_rows, dt.date.fromisoformat(last.name.split("=")[1]))
    place(f"{last.name}/row_faults.parquet", "loaded", None, rows)

    # The backfill: a partition already copied, held back until step 2.
    backfill = partitions[2]
    held = raw.parent / f"held_{backfill.name}"
    shutil.move(str(backfill), held)
    faults = Faults(
        backfill_partition=backfill.name,
        expected_files=files,
        expected_rows=expected_rows,
        offset_orders=offset_orders,
    )
    return faults, held


def add_invalid_spend_lines(raw: Path, month: str, count: int) -> None:
    """Spend lines of an unknown market: quarantined, and counted in the cost metrics' health."""
    with (raw / "finance" / "spend_actuals.csv").open("a", encoding="utf-8") as handle:
        for index in range(count):
            handle.write(f"{month},XX,tooling,,USD,{index}.00\n")


def drop_finance_column(raw: Path, column: str) -> None:
    path = raw / "finance" / "spend_actuals.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.drop(columns=[column]).to_csv(path, index=False)


# ------------------------------------------------------------------------------ reading


def query(db: Path, sql: str) -> pd.DataFrame:
    # Attached as `gne`, the catalog the views dbt created in it name (dbt_harness.open_built).
    with open_built(db) as con:
        return con.execute(sql).df()


def tables(db: Path) -> dict[str, pd.DataFrame]:
    names = {
        "files": "select * from staging.base_events__files",
        "finance_files": "select * from staging.base_finance__files",
        "clean": "select source_file, source_row_number, event_id, event_type "
                 "from staging.base_events__deduplicated",
        "duplicates": "select source_file, source_row_number from staging.base_events__duplicates",
        "quarantined": "select source_file, source_row_number, event_id, event_type, "
                       "quarantine_reason_code from staging.base_events__quarantined",
        "metric_values": "select * from marts.metric_values",
        "metric_health": "select * from marts.metric_health",
        "availability": "select local_date, max(rejected_files) as rejected_files, "
                        "max(as_of_at) as as_of_at from marts.data_availability group by 1",
        "orders": "select order_id, promised_ship_by_at from staging.stg_events__order_placed",
    }
    return {key: query(db, sql) for key, sql in names.items()}


def pyarrow_row_counts(events_dir: Path) -> dict[str, int | None]:
    """Rows of every file under the tree by its footer, independently of the project."""
    counts: dict[str, int | None] = {}
    for folder, _, names in os.walk(events_dir):
        for name in names:
            path = Path(folder) / name
            try:
                counts[path.relative_to(events_dir).as_posix()] = pq.ParquetFile(path).metadata.num_rows
            except Exception:
                counts[path.relative_to(events_dir).as_posix()] = None
    return counts


def event_metric_values(frame: pd.DataFrame) -> pd.DataFrame:
    """The event metrics' figures (health differs by design: it reports the faults)."""
    events_only = frame[~frame["metric_id"].isin(COST_METRICS)]
    keys = ["metric_id", "time_grain", "period_start", "geo_level", "geo_code"]
    figures = [*keys, "numerator", "denominator", "value", "is_mature"]
    return events_only[figures].sort_values(keys).reset_index(drop=True)


# ------------------------------------------------------------------------------ fixture


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    if not TEST_RAW_DIR.exists():
        pytest.skip(f"no test dataset at {TEST_RAW_DIR}: run `make test-data`")
    root = tmp_path_factory.mktemp("faults")

    clean_raw = root / "clean"
    copy_days(clean_raw, DAYS)
    # Event metrics are compared with this build; its spend file gets bad lines of its own.
    add_invalid_spend_lines(clean_raw, SPEND_FAULT_MONTH, 40)
    baseline_db = root / "baseline.duckdb"
    baseline = {"raw_dir": clean_raw, "db_path": baseline_db, "work_dir": root / "baseline"}
    print("fault injection: baseline build (clean copy)", flush=True)
    run_dbt(["build", "--full-refresh", "--select", BASELINE_MODELS,
             "--resource-type", "seed", "--resource-type", "model"], **baseline)

    raw = root / "faulty"
    partitions = copy_days(raw, DAYS)
    faults, held = inject_faults(raw, partitions)
    drop_finance_column(raw, "amount_local")
    faulty_db = root / "faulty.duckdb"
    # One parse for the three steps: between them only raw files change.
    faulty = DbtSession(raw_dir=raw, db_path=faulty_db, work_dir=root / "faulty")
    print("fault injection: step 1, full build with file, row and finance faults", flush=True)
    faulty.run(["build", "--full-refresh", *NO_UNIT_TESTS])

    print("fault injection: step 2, backfill and an injection-named folder, incremental", flush=True)
    shutil.move(str(held), raw / "governance_events" / faults.backfill_partition)
    sample = next(iter(sorted((raw / "governance_events" / faults.backfill_partition).glob("*.parquet"))))
    injection = raw / "governance_events" / INJECTION_FOLDER
    injection.mkdir()
    shutil.copy(sample, injection / "events_0.parquet")
    faults.expected_files[f"{INJECTION_FOLDER}/events_0.parquet"] = ("rejected", "invalid_partition")
    faulty.run(["build", *NO_UNIT_TESTS])
    after_events = tables(faulty_db)

    print("fault injection: step 3, finance file deleted", flush=True)
    (raw / "finance" / "spend_actuals.csv").unlink()
    faulty.run(["build", "-s", "base_finance__files+", *NO_UNIT_TESTS])
    return Built(raw, baseline_db, faulty_db, faults, after_events, tables(faulty_db))


# -------------------------------------------------------------------------------- tests


@pytest.mark.slow
def test_every_file_is_in_the_manifest_with_its_reason(built: Built) -> None:
    files = built.after_events["files"].set_index("source_file")
    on_disk = pyarrow_row_counts(built.raw_dir / "governance_events")
    assert sorted(files.index) == sorted(on_disk)
    for source_file, (status, reason) in built.faults.expected_files.items():
        row = files.loc[source_file]
        code = None if pd.isna(row["rejection_reason_code"]) else row["rejection_reason_code"]
        assert (row["file_status"], code) == (status, reason), source_file
        if status == "rejected":
            assert row["rejection_detail"], source_file
    untouched = files.drop(index=list(built.faults.expected_files))
    assert untouched["file_status"].eq("loaded").all()


@pytest.mark.slow
def test_every_raw_row_is_accounted_for(built: Built) -> None:
    tables_ = built.after_events
    on_disk = pyarrow_row_counts(built.raw_dir / "governance_events")
    files = tables_["files"].set_index("source_file")
    rejected_rows = sum(
        count or 0 for name, count in on_disk.items() if files.loc[name, "file_status"] == "rejected"
    )
    assert sum(count or 0 for count in on_disk.values()) == (
        len(tables_["clean"]) + len(tables_["duplicates"]) + len(tables_["quarantined"]) + rejected_rows
    )
    landed = pd.concat([tables_[k][["source_file", "source_row_number"]]
                        for k in ("clean", "duplicates", "quarantined")])
    assert not landed.duplicated().any()
    per_file = landed.groupby("source_file").size()
    for name, count in on_disk.items():
        expected = count if files.loc[name, "file_status"] == "loaded" else 0
        assert per_file.get(name, 0) == expected, name


@pytest.mark.slow
def test_row_faults_carry_their_reason_codes(built: Built) -> None:
    quarantined = built.after_events["quarantined"]
    row_file = next(f for f in built.faults.expected_files if f.endswith("row_faults.parquet"))
    from_fault_file = quarantined[quarantined["source_file"].eq(row_file)]
    for key, reason in built.faults.expected_rows.items():
        event_id = key.split(":", 1)[-1]
        codes = set(from_fault_file.loc[from_fault_file["event_id"].eq(event_id), "quarantine_reason_code"])
        assert reason in codes, (key, codes)
    assert len(from_fault_file) == len(built.faults.expected_rows)
    # The identical copy one folder deeper is recorded as duplicates, not lost or quarantined.
    nested = next(f for f in built.faults.expected_files if "/hour=03/" in f)
    assert built.after_events["duplicates"]["source_file"].eq(nested).sum() > 0


@pytest.mark.slow
def test_event_metrics_and_as_of_equal_the_clean_build(built: Built) -> None:
    baseline = tables(built.baseline_db)
    pd.testing.assert_frame_equal(
        event_metric_values(built.after_events["metric_values"]),
        event_metric_values(baseline["metric_values"]),
        check_exact=False, rtol=1e-9,
    )
    pd.testing.assert_frame_equal(
        event_metric_values(built.after_finance_missing["metric_values"]),
        event_metric_values(baseline["metric_values"]),
        check_exact=False, rtol=1e-9,
    )
    assert built.after_events["availability"]["as_of_at"].max() == baseline["availability"]["as_of_at"].max()


@pytest.mark.slow
def test_offsets_and_zoned_timestamps_are_read_as_the_same_instant(built: Built) -> None:
    assert built.faults.offset_orders
    baseline = tables(built.baseline_db)["orders"].set_index("order_id")["promised_ship_by_at"]
    faulty = built.after_events["orders"].set_index("order_id")["promised_ship_by_at"]
    orders = built.faults.offset_orders
    pd.testing.assert_series_equal(faulty.loc[orders], baseline.loc[orders])


@pytest.mark.slow
def test_rejected_files_show_in_availability_and_health(built: Built) -> None:
    availability = built.after_events["availability"]
    last_day = max(f.split("/")[0] for f in built.faults.expected_files if f.startswith("ingest_date=2"))
    day = pd.Timestamp(last_day.split("=")[1])
    assert availability.loc[pd.to_datetime(availability["local_date"]).eq(day), "rejected_files"].max() >= 4
    health = built.after_events["metric_health"]
    on_day = health[pd.to_datetime(health["period_start"]).eq(day) & health["time_grain"].eq("day")
                    & ~health["metric_id"].isin(COST_METRICS)]
    assert len(on_day) > 0
    assert on_day["health_status"].eq("fail").all()
    assert on_day["health_reasons"].str.contains("source_file_rejected").all()


@pytest.mark.slow
@pytest.mark.parametrize("state", ["after_events", "after_finance_missing"])
def test_finance_faults_null_cost_metrics_and_fail_their_health(built: Built, state: str) -> None:
    result = getattr(built, state)
    finance = result["finance_files"].iloc[0]
    assert finance["file_status"] == "rejected"
    assert finance["rejection_reason_code"] == "finance_unavailable"
    expected_word = "amount_local" if state == "after_events" else "missing"
    assert expected_word in finance["rejection_detail"]
    values = result["metric_values"]
    costs = values[values["metric_id"].isin(COST_METRICS)]
    assert len(costs) > 0 and costs["value"].isna().all()
    health = result["metric_health"]
    cost_health = health[health["metric_id"].isin(COST_METRICS)]
    assert len(cost_health) > 0
    assert cost_health["health_status"].eq("fail").all()
    assert cost_health["health_reasons"].str.contains("finance_unavailable").all()


@pytest.mark.slow
def test_quarantined_spend_lines_count_in_cost_metric_health(built: Built) -> None:
    baseline = tables(built.baseline_db)
    finance = baseline["finance_files"].iloc[0]
    assert finance["file_status"] == "loaded"
    values = baseline["metric_values"]
    assert values.loc[values["metric_id"].isin(COST_METRICS), "value"].notna().any()
    health = baseline["metric_health"]
    month = health[health["metric_id"].isin(COST_METRICS) & health["time_grain"].eq("month")
                   & pd.to_datetime(health["period_start"]).eq(pd.Timestamp(SPEND_FAULT_MONTH))]
    assert len(month) > 0
    assert month["input_level"].eq(2).all()
    assert month["health_reasons"].str.contains("quarantine_spike").all()
