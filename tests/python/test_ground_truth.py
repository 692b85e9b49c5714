"""The insights find the generator's planted incidents, and false lowlights stay rare.

The generator plants incidents at fixed fractions of the span it writes (scripts/
generate_raw_data.py, plan_incidents) and lists them in <raw>/_meta/ground_truth.json: a
carrier outage lifting late dispatch in one market, a counterfeit wave lifting enforcement, a
stock-out wave of seller-fault cancellations, a vendor whose QA accuracy collapses in four
markets. The small test dataset (76 days, 30 orders a day) is too short for a month-over-month
story and too thin for QA samples, so this test generates its own: 140 days from 2026-05-01 at
200 orders a day in a mature market (about a million events), a span in which the cancellation,
logistics and QA incidents each fall inside one calendar month with a comparable month before,
and every incident has a month of daily baseline before it. It builds only what the insights
need, with dbt in-process (tests/python/dbt_harness.py).

The generator is deterministic, so that dataset is generated once and kept, read-only, under
build/test-data-cache/, named by a hash of the generator's code, the seeds it reads and the
arguments: a later run reuses it (generating it costs about half of this module's CPU) until one
of those changes. test_generator.py checks that the same arguments give the same data.

Found: an incident is found when monthly_insights has a lowlight for its metric and market in
a month overlapping its window, or metric_anomalies_daily a 'worse' flag for them on a day whose
week overlaps the window (days start .. end + 6). enforcement_actions is neutral in the
catalogue, so for the counterfeit wave a notable rise ('movement' / 'unusual', z > 0) is what
counts.

Rare: a row is touched by an incident when its metric is the incident's or one the generator
moves with it by construction (RELATED below), its geography is the incident's market or
GLOBAL, and its comparison window overlaps the incident (a month or the month before it; a day's
34-day window). Of the assessed month rows that no incident touches, at most
MAX_FALSE_LOWLIGHT_RATE may be lowlights, and at least MIN_LOWLIGHT_PRECISION of all lowlights
must be touched by an incident; of the tested untouched day rows, at most
MAX_FALSE_WORSE_FLAG_RATE may be flagged 'worse'.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dbt_harness import REPO_ROOT, run_dbt

sys.path.insert(0, str(REPO_ROOT / "scripts"))
import generate_raw_data  # noqa: E402

pytestmark = pytest.mark.slow

GENERATION = ["--seed", "2026", "--start-date", "2026-05-01", "--days", "140",
              "--orders-per-day", "200"]
INSIGHT_MODELS = "+monthly_insights +metric_anomalies_daily"
GENERATED_CACHE = REPO_ROOT / "build" / "test-data-cache"
# What the generated data depends on besides GENERATION: the generator and the seeds it reads.
GENERATOR_INPUTS = (REPO_ROOT / "scripts" / "generate_raw_data.py", REPO_ROOT / "seeds")

# Metrics an incident moves by construction in the generator, besides its own.
RELATED = {
    "late_dispatch_rate": {"late_dispatch_rate"},
    # Counterfeit actions are proactive_model detections, 80% automated, against sellers of
    # the same pool (more repeat offenders), and are appealed (appeal cases) like the rest.
    "enforcement_actions": {"enforcement_actions", "proactive_detection_rate", "automation_rate",
                            "repeat_offender_rate", "moderation_cases"},
    # A seller-fault cancellation is an order defect.
    "seller_fault_cancellation_rate": {"seller_fault_cancellation_rate", "order_defect_rate"},
    "qa_accuracy": {"qa_accuracy"},
}
BASELINE_DAYS = 34  # metric_anomalies_daily compares a day with days t-34 .. t-7

MAX_FALSE_LOWLIGHT_RATE = 0.01
MIN_LOWLIGHT_PRECISION = 0.75
MAX_FALSE_WORSE_FLAG_RATE = 0.005


@dataclass(frozen=True)
class Incident:
    incident_id: str
    metric_id: str
    market_code: str
    start: dt.date
    end: dt.date

    def touches(self, metric_id: str, geo_code: str, first: dt.date, last: dt.date) -> bool:
        """Does this incident move this metric and geography within [first, last]?"""
        return (metric_id in RELATED[self.metric_id]
                and geo_code in (self.market_code, "GLOBAL")
                and first <= self.end and self.start <= last)


@dataclass(frozen=True)
class Built:
    incidents: list[Incident]
    insights: pd.DataFrame
    anomalies: pd.DataFrame
    directions: dict[str, str]


def _generation_key() -> str:
    """A hash of everything the generated dataset depends on."""
    digest = hashlib.sha256(json.dumps(GENERATION).encode())
    for source in GENERATOR_INPUTS:
        for path in sorted(source.rglob("*.csv")) if source.is_dir() else [source]:
            digest.update(path.relative_to(REPO_ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _generated_raw() -> Path:
    """The raw dataset of GENERATION: the kept one if the generator, seeds and arguments are
    unchanged, else generated now (into a scratch folder renamed into place once complete, and
    replacing the datasets of older generator versions)."""
    cached = GENERATED_CACHE / f"ground_truth-{_generation_key()}"
    if (cached / "_meta" / "generation.json").exists():
        print(f"ground truth: the generated dataset kept in {cached}", flush=True)
        return cached
    scratch = GENERATED_CACHE / f".{cached.name}.{os.getpid()}"
    generate_raw_data.main(["--out", str(scratch), *GENERATION])
    for stale in GENERATED_CACHE.glob("ground_truth-*"):
        shutil.rmtree(stale)
    scratch.rename(cached)
    return cached


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    work = tmp_path_factory.mktemp("ground_truth")
    raw = _generated_raw()
    db_path = work / "insights.duckdb"
    run_dbt(["build", "--select", INSIGHT_MODELS, "--resource-type", "seed",
             "--resource-type", "model"], raw_dir=raw, db_path=db_path, work_dir=work / "dbt")
    incidents = [
        Incident(i["incident_id"], i["metric_id"], i["market_code"],
                 dt.date.fromisoformat(i["start_date"]), dt.date.fromisoformat(i["end_date"]))
        for i in json.loads((raw / "_meta" / "ground_truth.json").read_text())
    ]
    with duckdb.connect(str(db_path)) as con:
        insights = con.execute("select * from marts.monthly_insights").df()
        anomalies = con.execute("select * from marts.metric_anomalies_daily").df()
        directions = dict(con.execute(
            "select metric_id, direction from reference.metric_catalogue").fetchall())
    for frame, column in ((insights, "month_start"), (anomalies, "metric_date")):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    return Built(incidents, insights, anomalies, directions)


def _month_end(month_start: dt.date) -> dt.date:
    following = (month_start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _prior_month_start(month_start: dt.date) -> dt.date:
    return (month_start - dt.timedelta(days=1)).replace(day=1)


def _is_worse_month(row: pd.Series, direction: str) -> bool:
    if direction == "neutral":
        return row["insight_type"] == "movement" and row["z_score"] > 0
    return row["insight_type"] == "lowlight"


def _is_worse_day(row: pd.Series, direction: str) -> bool:
    if direction == "neutral":
        return row["anomaly_flag"] == "unusual" and row["anomaly_z"] > 0
    return row["anomaly_flag"] == "worse"


def _incident_months(built: Built, incident: Incident) -> pd.DataFrame:
    rows = built.insights[(built.insights["metric_id"] == incident.metric_id)
                          & (built.insights["geo_code"] == incident.market_code)]
    overlaps = rows["month_start"].map(
        lambda start: start <= incident.end and incident.start <= _month_end(start))
    return rows[overlaps]


def _incident_days(built: Built, incident: Incident) -> pd.DataFrame:
    rows = built.anomalies[(built.anomalies["metric_id"] == incident.metric_id)
                           & (built.anomalies["geo_code"] == incident.market_code)]
    last_day = incident.end + dt.timedelta(days=6)
    return rows[(rows["metric_date"] >= incident.start) & (rows["metric_date"] <= last_day)]


def test_every_planted_incident_is_a_lowlight_or_an_anomaly(built: Built) -> None:
    assert len(built.incidents) >= 4, "the generator plants at least four incidents"
    missed = []
    for incident in built.incidents:
        direction = built.directions[incident.metric_id]
        months = _incident_months(built, incident)
        days = _incident_days(built, incident)
        in_months = any(_is_worse_month(row, direction) for _, row in months.iterrows())
        on_days = any(_is_worse_day(row, direction) for _, row in days.iterrows())
        if not (in_months or on_days):
            missed.append(incident.incident_id)
    assert not missed, f"planted incidents not found: {missed}"


def test_incidents_inside_one_assessed_month_are_monthly_lowlights(built: Built) -> None:
    """Where the month-over-month comparison can see an incident whole, it must."""
    clean = []
    for incident in built.incidents:
        months = _incident_months(built, incident)
        if len(months) == 1 and months.iloc[0]["assessment"] == "assessed":
            clean.append((incident, months.iloc[0]))
    assert len(clean) >= 3, "the dataset should give the monthly view whole incidents to find"
    missed = [incident.incident_id for incident, row in clean
              if not _is_worse_month(row, built.directions[incident.metric_id])]
    assert not missed, f"incidents inside one assessed month but not lowlights: {missed}"


def _month_touched(built: Built, row: pd.Series) -> bool:
    first = _prior_month_start(row["month_start"])
    last = _month_end(row["month_start"])
    return any(i.touches(row["metric_id"], row["geo_code"], first, last) for i in built.incidents)


def _day_touched(built: Built, row: pd.Series) -> bool:
    first = row["metric_date"] - dt.timedelta(days=BASELINE_DAYS)
    return any(i.touches(row["metric_id"], row["geo_code"], first, row["metric_date"])
               for i in built.incidents)


def test_false_lowlights_are_rare(built: Built) -> None:
    assessed = built.insights[built.insights["assessment"] == "assessed"].copy()
    assessed["touched"] = assessed.apply(lambda row: _month_touched(built, row), axis=1)
    untouched = assessed[~assessed["touched"]]
    lowlights = assessed[assessed["insight_type"] == "lowlight"]
    false_lowlights = untouched[untouched["insight_type"] == "lowlight"]
    rate = len(false_lowlights) / len(untouched)
    precision = lowlights["touched"].mean()
    summary = (f"{len(false_lowlights)} false lowlights in {len(untouched)} untouched assessed "
               f"rows ({rate:.2%}); {len(lowlights)} lowlights, {precision:.0%} touched by an "
               f"incident: {false_lowlights['sentence'].tolist()}")
    print(summary)
    assert len(untouched) >= 500, "too few untouched rows for a rate to mean anything"
    assert rate <= MAX_FALSE_LOWLIGHT_RATE, summary
    assert precision >= MIN_LOWLIGHT_PRECISION, summary


def test_false_worse_anomaly_flags_are_rare(built: Built) -> None:
    tested = built.anomalies[built.anomalies["assessment"] == "tested"].copy()
    tested["touched"] = tested.apply(lambda row: _day_touched(built, row), axis=1)
    untouched = tested[~tested["touched"]]
    false_flags = untouched[untouched["anomaly_flag"] == "worse"]
    rate = len(false_flags) / len(untouched)
    summary = (f"{len(false_flags)} false 'worse' flags in {len(untouched)} untouched tested "
               f"metric-days ({rate:.3%})")
    print(summary)
    assert len(untouched) >= 10_000, "too few untouched days for a rate to mean anything"
    assert rate <= MAX_FALSE_WORSE_FLAG_RATE, summary
