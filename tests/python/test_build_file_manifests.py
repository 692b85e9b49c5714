"""scripts/build_file_manifests.py: the manifests Spark loads are the Python models' own output."""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dbt_harness import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "scripts"))
import build_file_manifests  # noqa: E402


def test_writes_each_models_manifest(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    day = raw / "governance_events" / "ingest_date=2026-08-01"
    day.mkdir(parents=True)
    pq.write_table(pa.table({"event_id": ["e1"]}), day / "events_0.parquet")
    (day / "zero_bytes.parquet").write_bytes(b"")
    assert build_file_manifests.main(["--raw-dir", str(raw), "--out", str(out)]) == 0

    events = pq.read_table(out / "base_events__files.parquet").to_pylist()
    by_file = {row["source_file"]: row for row in events}
    assert set(by_file) == {"ingest_date=2026-08-01/events_0.parquet", "ingest_date=2026-08-01/zero_bytes.parquet"}
    assert by_file["ingest_date=2026-08-01/zero_bytes.parquet"]["rejection_reason_code"] == "unreadable_file"
    # A file missing contract columns: rejected by the model's own schema check.
    assert by_file["ingest_date=2026-08-01/events_0.parquet"]["rejection_reason_code"] == "incompatible_schema"
    model = build_file_manifests.load_model_module("base_events__files", build_file_manifests.MODELS["base_events__files"][0])
    assert pq.read_schema(out / "base_events__files.parquet").equals(model.MANIFEST_SCHEMA)

    finance = pq.read_table(out / "base_finance__files.parquet").to_pylist()
    assert [(row["file_status"], row["rejection_reason_code"]) for row in finance] == [("rejected", "finance_unavailable")]
