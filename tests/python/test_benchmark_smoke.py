"""The benchmark script runs end to end on a tiny dataset, so that it does not rot.

No timing is asserted: only that every measurement is recorded, ratios are positive, that the
held-back day really went through the incremental path (rows were added, and the incremental
database ends with the same row counts as the full build), and that the new-day figure covers
the BI publish: the file published after the new day holds newer data than the one before it.
The run with no new data after it changes no row and is measured with its dbt start-up.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
MEASURED_STEP = {"seconds", "cpu_seconds", "peak_rss_mb", "load_before", "load_after"}


def _assert_step(step: dict[str, object], *, with_memory: bool = True) -> None:
    assert MEASURED_STEP <= step.keys()
    assert isinstance(step["seconds"], float | int) and step["seconds"] > 0
    assert isinstance(step["cpu_seconds"], float | int) and step["cpu_seconds"] >= 0
    if with_memory:
        assert isinstance(step["peak_rss_mb"], int) and step["peak_rss_mb"] > 0


@pytest.mark.slow
def test_benchmark_smoke_run_records_every_measurement(tmp_path: Path) -> None:
    results_dir = tmp_path / "results"
    subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "benchmark.py"), "--smoke",
         "--data-root", str(tmp_path / "data"), "--work-root", str(tmp_path / "work"),
         "--results-dir", str(results_dir)],
        cwd=REPO_ROOT, check=True,
    )
    results = json.loads((results_dir / "results.json").read_text())
    assert list(results) == ["1k"]
    result = results["1k"]

    assert 300 <= result["raw_rows"] <= 3_000
    assert result["generation"]["seconds"] > 0 and result["generation"]["reused"] is False
    for step in (result["seed"], result["full_run"], result["full_build"], result["full_publish"],
                 result["new_day"]["base_run"], result["new_day"]["base_publish"],
                 result["new_day"]["run"], result["new_day"]["publish"],
                 result["new_day"]["test"], result["no_new_data"]["run"],
                 result["no_new_data"]["publish"], result["pandas_late_dispatch_daily"]):
        _assert_step(step)
    _assert_step(result["floor"], with_memory=False)
    assert result["full_run"]["slowest_models"]
    assert result["peak_rss_mb"] >= result["full_run"]["peak_rss_mb"]

    new_day = result["new_day"]
    assert new_day["partition_raw_rows"] > 0
    # Every raw row of the new partition lands in staging exactly once.
    assert new_day["validated_rows_added"] == new_day["partition_raw_rows"]
    assert new_day["fct_orders_rows_added"] >= 0
    assert new_day["row_counts_equal_full_build"] is True
    # The new-day figure is the incremental run plus the publish of its BI file.
    no_new_data = result["no_new_data"]
    publishes = (result["full_publish"], new_day["base_publish"], new_day["publish"],
                 no_new_data["publish"])
    assert len({publish["publish_id"] for publish in publishes}) == 4
    assert new_day["publish"]["data_as_of_at"] > new_day["base_publish"]["data_as_of_at"]
    assert new_day["publish"]["data_as_of_at"] == result["full_publish"]["data_as_of_at"]
    for key in ("seconds", "cpu_seconds"):
        assert new_day["run_and_publish"][key] == pytest.approx(
            new_day["run"][key] + new_day["publish"][key], abs=0.002)
    # The run with nothing new to load changes no row and publishes the same data.
    assert no_new_data["row_counts_unchanged"] is True
    assert no_new_data["publish"]["data_as_of_at"] == new_day["publish"]["data_as_of_at"]
    assert 0 < no_new_data["run"]["start_up_seconds"] < no_new_data["run"]["seconds"]
    assert no_new_data["run"]["slowest_models"]
    for key in ("seconds", "cpu_seconds"):
        assert no_new_data["run_and_publish"][key] == pytest.approx(
            no_new_data["run"][key] + no_new_data["publish"][key], abs=0.002)
    assert result["tested_models"] and result["tested_models"] != "all"

    assert all(value > 0 for value in result["ratios"].values())
    assert set(result["goals"]) == {"full_run_le_4x_floor", "new_day_le_5pct_of_full_run",
                                    "peak_memory_le_6gb"}
    assert result["goals"]["new_day_le_5pct_of_full_run"] == (
        result["ratios"]["new_day_run_and_publish_over_full_run"] <= 0.05)
    pandas_result = result["pandas_late_dispatch_daily"]
    assert pandas_result["rows"] > 0
    assert 0 < pandas_result["rows_equal_to_mart"] <= pandas_result["rows_compared"]

    markdown = (results_dir / "RESULTS.md").read_text()
    assert f"| {result['raw_rows']:,} |" in markdown
    assert "new day: run + publish" in markdown
    row = next(line for line in markdown.splitlines()
               if line.startswith(f"| {result['raw_rows']:,} |"))
    assert f"| {new_day['run_and_publish']['seconds']:.1f} s |" in row
    assert f"| {no_new_data['run_and_publish']['seconds']:.1f} s |" in row
    assert f"- 1k: dbt start-up {no_new_data['run']['start_up_seconds']:.1f} s" in markdown
