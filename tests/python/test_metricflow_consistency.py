"""Every catalogue metric gives the same number in MetricFlow and in marts.metric_values.

The metric marts compute from daily numerator/denominator components; the semantic layer
aggregates the facts itself. This test queries MetricFlow (`mf query`, as a BI user would, in a
subprocess so its DuckDB connection and logging stay out of pytest's process) at month x market
and month x global, and compares with `marts.metric_values` (time_grain month, geo_level market /
global): every value equal to 1e-9 relative, and for ratio metrics their numerator and
denominator metrics too.

Row sets are compared with two documented normalisations, because the two sides encode "no
data" differently:
- a missing row and a null value are the same (metric_values grids every metric over every
  market-day with any data and writes null where a ratio has no denominator; MetricFlow only
  returns the groups its facts have, and a multi-metric query fills the others with null);
- for counts, sums and ratio parts, 0 and missing are the same (metric_values writes 0 where
  nothing happened).
MetricFlow rows with a null market are costs booked to GLOBAL (no market): they are checked to
hold cost metrics only, and count in the global rows.
One documented exception: where a part cannot be known (finance has not posted a market's
spend, or a currency has no FX rate for the month), metric_values is null with the health reason
spend_not_posted / fx_rate_missing, also for every roll-up that includes the part; MetricFlow sums
the parts it has and cannot say "unknown", so a null metric_values part carrying one of those
reasons is not compared (at market level MetricFlow has no value there either).

Runs after the build and publish of `make test`: it needs GNE_DB_PATH (the published BI file,
which both sides read) and the project's target/semantic_manifest.json.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SEMANTIC_MANIFEST = REPO_ROOT / "target" / "semantic_manifest.json"
CATALOGUE_CSV = REPO_ROOT / "seeds" / "metric_catalogue.csv"
RELATIVE_TOLERANCE = 1e-9
MONTH = "metric_time__month"
MARKET = "market__market_code"
GRAINS = {"market": [MONTH, MARKET], "global": [MONTH]}
CATALOG = "gne"  # profiles.yml attaches the work and the BI database under this alias


@dataclass(frozen=True)
class Comparison:
    """One MetricFlow column checked against one metric_values column of a catalogue metric."""

    metric_id: str
    part: str  # value, numerator or denominator (the metric_values column)
    mf_metric: str  # the MetricFlow metric that gives it
    zero_is_missing: bool


def _database() -> Path:
    """The published BI file of this run (Makefile: GNE_DB_PATH), as an absolute path: `mf`
    reads it through the profile's default target (read-only), as a BI user's `mf` does."""
    configured = os.environ.get("GNE_DB_PATH")
    if not configured:
        pytest.skip("GNE_DB_PATH is not set: run through `make test` (after build and publish)")
    path = Path(configured)
    if not path.is_absolute():
        path = REPO_ROOT / path
    if not path.exists():
        pytest.fail(f"GNE_DB_PATH={path} does not exist: build and publish it first (make test)")
    if not SEMANTIC_MANIFEST.exists():
        pytest.fail(f"{SEMANTIC_MANIFEST} is missing: run dbt build (or dbt parse) first")
    # The semantic manifest's relations name the catalog both profile targets attach their
    # database under, whatever file dbt last built.
    manifest = json.loads(SEMANTIC_MANIFEST.read_text())
    databases = {model["node_relation"]["database"] for model in manifest["semantic_models"]}
    assert databases == {CATALOG}, f"semantic manifest names catalog(s) {sorted(databases)}"
    return path.resolve()


def _comparisons() -> list[Comparison]:
    """What to compare: each catalogue metric's value, and the parts of the ratio metrics."""
    catalogue = pd.read_csv(CATALOGUE_CSV)
    manifest = json.loads(SEMANTIC_MANIFEST.read_text())
    metrics = {metric["name"]: metric for metric in manifest["metrics"]}
    comparisons = []
    for metric_id, metric_type in catalogue[["metric_id", "metric_type"]].itertuples(index=False):
        assert metric_id in metrics, f"catalogue metric {metric_id} is not a MetricFlow metric"
        is_additive = metric_type in ("count", "sum")
        comparisons.append(Comparison(metric_id, "value", metric_id, is_additive))
        definition = metrics[metric_id]
        if definition["type"] == "ratio":
            params = definition["type_params"]
            comparisons.append(
                Comparison(metric_id, "numerator", params["numerator"]["name"], True)
            )
            comparisons.append(
                Comparison(metric_id, "denominator", params["denominator"]["name"], True)
            )
    return comparisons


def _query_metricflow(metrics: list[str], group_by: list[str], out: Path, db: Path) -> pd.DataFrame:
    """Run `mf query` from the project root and read its CSV (one query for all metrics)."""
    env = {
        **os.environ,
        "GNE_DB_PATH": str(db),
        "DBT_PROFILES_DIR": str(REPO_ROOT),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        str(Path(sys.executable).parent / "mf"), "query", "--quiet",
        "--metrics", ",".join(metrics),
        "--group-by", ",".join(group_by),
        "--csv", str(out),
    ]
    completed = subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    if completed.returncode != 0 or not out.exists():
        raise AssertionError(
            f"mf query failed ({completed.returncode}): {' '.join(command)}\n"
            f"{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"
        )
    frame = pd.read_csv(out, dtype={MARKET: "string"} if MARKET in group_by else None)
    frame["period_start"] = pd.to_datetime(frame[MONTH]).dt.date
    return frame


def _metric_values(db: Path) -> pd.DataFrame:
    """The month rows of marts.metric_values at market and global level."""
    with duckdb.connect(str(db), read_only=True) as con:
        frame = con.execute(
            """
            select
                metric_id, geo_level, geo_code, period_start, numerator, denominator, value,
                coalesce(
                    regexp_matches(health_reasons, 'spend_not_posted|fx_rate_missing'), false
                ) as has_unknown_part
            from marts.metric_values
            where time_grain = 'month' and geo_level in ('market', 'global')
            """
        ).df()
    frame["period_start"] = pd.to_datetime(frame["period_start"]).dt.date
    return frame


def _as_number(value: object, zero_is_missing: bool) -> float | None:
    """A comparable number, None for "no value" (null, or 0 where 0 means nothing happened)."""
    if value is None or pd.isna(value):
        return None
    number = float(value)
    if zero_is_missing and number == 0:
        return None
    return number


def _shown(value: object) -> str:
    """A value as a reader wants it in a failure message."""
    return "missing" if value is None or pd.isna(value) else repr(float(value))


def _agree(expected: float | None, actual: float | None) -> bool:
    """Equal to RELATIVE_TOLERANCE, or both without a value."""
    if expected is None or actual is None:
        return expected is None and actual is None
    return math.isclose(expected, actual, rel_tol=RELATIVE_TOLERANCE, abs_tol=0.0)


def _mismatches(
    comparisons: list[Comparison], geo_level: str, mf: pd.DataFrame, mv: pd.DataFrame
) -> list[str]:
    """Every (metric, part, geography, month) where the two sides disagree, described."""
    if geo_level == "market":
        mf = mf[mf[MARKET].notna()].assign(geo_code=lambda frame: frame[MARKET].astype(str))
    else:
        mf = mf.assign(geo_code="GLOBAL")
    expected = mv[mv["geo_level"] == geo_level]
    problems = []
    for comparison in comparisons:
        mine = expected[expected["metric_id"] == comparison.metric_id]
        left = mine.set_index(["geo_code", "period_start"])[comparison.part]
        unknown = mine.set_index(["geo_code", "period_start"])["has_unknown_part"]
        right = mf.set_index(["geo_code", "period_start"])[comparison.mf_metric]
        assert not left.index.has_duplicates and not right.index.has_duplicates
        for key in left.index.union(right.index):
            if pd.isna(left.get(key)) and bool(unknown.get(key, False)):
                continue  # a part metric_values cannot know (see the module docstring)
            want = _as_number(left.get(key), comparison.zero_is_missing)
            got = _as_number(right.get(key), comparison.zero_is_missing)
            if not _agree(want, got):
                geo_code, period_start = key
                problems.append(
                    f"{comparison.metric_id} {comparison.part} ({comparison.mf_metric}) "
                    f"{geo_level} {geo_code} month {period_start}: "
                    f"metric_values={_shown(left.get(key))} metricflow={_shown(right.get(key))}"
                )
    return problems


@pytest.fixture(scope="module")
def database() -> Path:
    return _database()


@pytest.fixture(scope="module")
def comparisons(database: Path) -> list[Comparison]:
    return _comparisons()


@pytest.fixture(scope="module")
def metric_values(database: Path) -> pd.DataFrame:
    return _metric_values(database)


@pytest.fixture(scope="module")
def metricflow(
    database: Path, comparisons: list[Comparison], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, pd.DataFrame]:
    """MetricFlow's answer at month x market and month x global: one query per geography."""
    metrics = sorted({comparison.mf_metric for comparison in comparisons})
    out_dir = tmp_path_factory.mktemp("metricflow")
    return {
        geo_level: _query_metricflow(metrics, group_by, out_dir / f"{geo_level}.csv", database)
        for geo_level, group_by in GRAINS.items()
    }


def test_every_catalogue_metric_has_month_rows_on_both_sides(
    comparisons: list[Comparison],
    metric_values: pd.DataFrame,
    metricflow: dict[str, pd.DataFrame],
) -> None:
    catalogue_ids = {comparison.metric_id for comparison in comparisons}
    assert len(catalogue_ids) == len(pd.read_csv(CATALOGUE_CSV))
    for geo_level, frame in metricflow.items():
        present = metric_values[metric_values["geo_level"] == geo_level]
        missing_mv = catalogue_ids - set(present.loc[present["value"].notna(), "metric_id"])
        missing_mf = {metric for metric in catalogue_ids if frame[metric].notna().sum() == 0}
        assert not missing_mv, f"metric_values has no {geo_level} month value for {missing_mv}"
        assert not missing_mf, f"MetricFlow has no {geo_level} month value for {missing_mf}"


@pytest.mark.parametrize("geo_level", list(GRAINS))
def test_metricflow_equals_metric_values(
    geo_level: str,
    comparisons: list[Comparison],
    metric_values: pd.DataFrame,
    metricflow: dict[str, pd.DataFrame],
) -> None:
    problems = _mismatches(comparisons, geo_level, metricflow[geo_level], metric_values)
    shown = "\n".join(problems[:25])
    assert not problems, f"{len(problems)} differences at month x {geo_level}:\n{shown}"


def test_rows_without_a_market_hold_only_costs_booked_to_global(
    metricflow: dict[str, pd.DataFrame],
) -> None:
    """Every event has a market; only finance lines booked to GLOBAL have none."""
    catalogue = pd.read_csv(CATALOGUE_CSV)
    daily_metrics = catalogue.loc[catalogue["attribution_date"] != "posting_month", "metric_id"]
    no_market = metricflow["market"][metricflow["market"][MARKET].isna()]
    leaking = [metric for metric in daily_metrics if no_market[metric].notna().any()]
    assert not leaking, f"metrics with values outside any market: {leaking}"


def test_stage_as_of_the_day_splits_counts_without_loss(
    database: Path, metricflow: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    """Cutting by market_day__development_stage (a join on market and local date) neither
    loses nor duplicates rows: per month the stages add up to the global count of each fact."""
    counts = [
        "orders", "csat_responses", "enforcement_actions", "appeals_resolved",
        "listing_reviews", "reports_resolved", "moderation_cases",
    ]
    stage = "market_day__development_stage"
    by_stage = _query_metricflow(counts, [MONTH, stage], tmp_path / "stage.csv", database)
    assert by_stage[stage].notna().all(), "rows whose market-day has no stage"
    added = by_stage.groupby("period_start")[counts].sum(min_count=1)
    totals = metricflow["global"].set_index("period_start")[counts].dropna(how="all")
    pd.testing.assert_frame_equal(
        added.loc[totals.index].astype(float), totals.astype(float), check_names=False
    )
