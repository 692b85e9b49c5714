"""The raw data generator: deterministic, contract-shaped, and honest about what it injected."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dbt_harness import REPO_ROOT

import sys

sys.path.insert(0, str(REPO_ROOT / "scripts"))
import generate_raw_data  # noqa: E402

CONTRACT_EVENT_TYPES = {
    "order_placed", "order_shipped", "order_delivered", "order_cancelled", "refund_issued",
    "dispute_opened", "dispute_resolved", "review_posted", "listing_submitted",
    "listing_reviewed", "report_filed", "report_resolved", "enforcement_actioned",
    "appeal_filed", "appeal_resolved", "moderation_case_closed", "ticket_closed",
}
RAW_COLUMNS = {
    "event_id": "VARCHAR", "event_type": "VARCHAR", "schema_version": "INTEGER",
    "occurred_at": "TIMESTAMP", "ingested_at": "TIMESTAMP", "market": "VARCHAR",
    "payload": "VARCHAR", "ingest_date": "DATE",
}
SMALL = ["--markets", "4", "--days", "25", "--orders-per-day", "25", "--start-date", "2026-08-01"]


def generate(out: Path, *extra: str) -> Path:
    generate_raw_data.main(["--out", str(out), *SMALL, *extra])
    return out


def events(raw_dir: Path) -> pd.DataFrame:
    return duckdb.sql(
        f"select * from read_parquet('{raw_dir}/governance_events/*/*.parquet', "
        "hive_partitioning = true) order by ingested_at, event_id, payload"
    ).df()


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("faulty"), "--seed", "3", "--faults")


def test_same_seed_gives_identical_data_and_another_seed_does_not(tmp_path: Path) -> None:
    first = events(generate(tmp_path / "a", "--seed", "11"))
    second = events(generate(tmp_path / "b", "--seed", "11"))
    other = events(generate(tmp_path / "c", "--seed", "12"))
    pd.testing.assert_frame_equal(first, second)
    assert not first["payload"].equals(other["payload"])


def test_layout_and_column_types_follow_the_contract(faulty: Path) -> None:
    described = duckdb.sql(
        f"describe select * from read_parquet('{faulty}/governance_events/*/*.parquet', "
        "hive_partitioning = true)"
    ).df()
    assert dict(zip(described["column_name"], described["column_type"])) == RAW_COLUMNS
    frame = events(faulty)
    assert (frame["ingest_date"] == frame["ingested_at"].dt.date.astype("datetime64[us]")).all()
    finance = pd.read_csv(faulty / "finance" / "spend_actuals.csv")
    assert list(finance.columns) == [
        "posting_month", "market", "cost_center", "vendor_id", "currency", "amount_local"]


def test_good_rows_cover_every_event_type_and_both_payload_versions(faulty: Path) -> None:
    frame = events(faulty)
    good = frame[~frame["event_id"].fillna("bad-").str.startswith("bad-")]
    assert set(good["event_type"]) == CONTRACT_EVENT_TYPES
    versions = good.groupby("event_type")["schema_version"].unique()
    assert set(versions["order_placed"]) == {1, 2}
    assert set(versions["refund_issued"]) == {1, 2}
    assert (good["ingested_at"] >= good["occurred_at"]).all()
    assert all(isinstance(json.loads(payload), dict) for payload in good["payload"])
    markets = {row["market_code"] for row in csv.DictReader(open(REPO_ROOT / "seeds/markets.csv"))}
    assert set(good["market"]) <= markets


def test_duplicates_share_everything_but_the_landing_time(faulty: Path) -> None:
    frame = events(faulty)
    copies = frame[frame.duplicated("event_id", keep=False) & frame["event_id"].notna()]
    assert len(copies) > 0
    identity = ["event_id", "event_type", "schema_version", "occurred_at", "market", "payload"]
    assert copies.groupby("event_id")[identity].nunique().max().max() == 1


def test_fault_manifest_has_every_reason_code_and_points_at_real_rows(faulty: Path) -> None:
    manifest = pd.read_csv(faulty / "_meta" / "fault_manifest.csv")
    seed = pd.read_csv(REPO_ROOT / "seeds" / "quarantine_reasons.csv")
    reasons = seed.loc[seed["generated_by_faults"], "reason_code"]
    counts = manifest["reason_code"].value_counts()
    assert set(reasons) <= set(counts.index)
    assert counts.min() >= 3
    frame = events(faulty)
    named = manifest[manifest["source_name"].eq("governance_events")]["event_id"].dropna()
    assert set(named) <= set(frame["event_id"].dropna())


def test_ground_truth_names_catalogue_metrics_inside_the_span(faulty: Path) -> None:
    incidents = json.loads((faulty / "_meta" / "ground_truth.json").read_text())
    catalogue = set(pd.read_csv(REPO_ROOT / "seeds" / "metric_catalogue.csv")["metric_id"])
    assert {i["metric_id"] for i in incidents} >= {
        "late_dispatch_rate", "enforcement_actions", "qa_accuracy",
        "seller_fault_cancellation_rate"}
    for incident in incidents:
        assert incident["metric_id"] in catalogue
        assert "2026-08-01" <= incident["start_date"] <= incident["end_date"] <= "2026-08-25"
