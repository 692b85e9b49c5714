"""Benchmark the project at scale: generation, full and incremental dbt builds, memory, the floor.

For each size (events) it generates a raw dataset, or reuses one written earlier with the same
generator parameters, and measures, each dbt command in its own process with its own database,
target and DuckDB temp folder:

- generation: wall time of scripts/generate_raw_data.py (taken from the dataset's
  generation.json when the dataset is reused);
- full run: `dbt run --full-refresh` (models only, after `dbt seed`) and full build:
  `dbt build --full-refresh --exclude resource_type:seed` (models and every data and unit test),
  then the BI publish of that build (scripts/publish_bi.py, as `make build` runs it);
- one new day: the last ingest_date partition is held back, the project is built without it and
  published (yesterday's BI file, with the pseudonym cache and the publish state a daily
  publish finds), the partition is added, and what users wait for until fresh numbers are in
  the BI file is timed: the incremental models (staging loads the new partition's files, the
  keyed models rebuild the keys its rows touch, the metric tables downstream are rebuilt) plus
  the publish (from yesterday's file: unchanged tables kept, the changed fact rows replaced),
  each part reported too; then `dbt test`. The models run as `dbt build
  --resource-type model` (the nodes `dbt run` runs), because publish_bi.py publishes only after
  a `dbt build` that passed;
- no new data: the same run and publish once more with nothing new to load, the fixed cost of
  a daily run whatever its data (dbt's start-up, every model's statements, the publish's
  change detection): the floor under the new-day figure; dbt's start-up (the process's wall
  time less the elapsed time in its run_results.json) is reported for it;
- peak memory: the largest resident set (RSS) of the dbt or publish process and its children,
  polled;
- the floor: one DuckDB query that reads the same raw Parquet once, extracts two payload fields
  from the JSON and aggregates by event type, market and day, with the ratio full run / floor;
- pandas: scripts/pandas_daily_mart.py, the late-dispatch columns of buyer_experience_daily
  written in pandas, timed, and its output compared with the mart.

The machine's load average is recorded with every step: other work on the machine slows a run.
Results are merged into <results-dir>/results.json (one entry per size) and rendered as
<results-dir>/RESULTS.md.

`--smoke` runs every step above on about 1k events, to check the script, not to measure: there
the two steps that run data tests (the full build and the new day's `dbt test`) run only the
tests of SMOKE_TESTED_MODELS (`make test`'s own build runs every test).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import psutil

REPO_ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = REPO_ROOT / "scripts"
BIN = Path(sys.executable).parent
# Raw rows per (order per day x day) at the generator's defaults with 12 markets, measured on the
# bundled default dataset (1,730,841 rows for 184 days at 250 orders per day).
ROWS_PER_ORDER_DAY = 37.6
DAYS = 184
SMOKE_DAYS = 10
# The models whose data tests the smoke run's test steps run: the tables the script reads back.
SMOKE_TESTED_MODELS = ("base_events__validated", "fct_orders", "buyer_experience_daily")
SEED = 42
START_DATE = "2026-05-01"
# Goals of the Scale issue, checked against the measurements.
GOAL_FULL_OVER_FLOOR = 4.0
GOAL_NEW_DAY_SHARE = 0.05
GOAL_PEAK_MB = 6 * 1024
PANDAS_GB_PER_MILLION = 0.25
COMPARED_SCHEMAS = ("staging", "intermediate", "core", "marts")
FLOOR_SQL = """
select
    event_type,
    market,
    cast(occurred_at as date) as event_date,
    count(*) as events,
    count(json_extract_string(payload_json, '$.order_id')) as events_with_order,
    sum(try_cast(json_extract_string(payload_json, '$.gmv_local') as decimal(18, 2))) as gmv_local
from (
    select *, case when json_valid(payload) then payload end as payload_json
    from read_parquet('{events}/*/*.parquet', hive_partitioning = true)
)
group by all
"""


def parse_size(text: str) -> int:
    """'1M' -> 1_000_000, '10k' -> 10_000, '2500' -> 2500."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmM]?)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (use e.g. 1k, 10M, 50M)")
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    return int(float(match.group(1)) * scale)


def size_label(events: int) -> str:
    if events >= 1_000_000 and events % 1_000_000 == 0:
        return f"{events // 1_000_000}M"
    if events >= 1_000 and events % 1_000 == 0:
        return f"{events // 1_000}k"
    return str(events)


def load() -> float:
    """One-minute load average (runnable processes, averaged): 2.0 means both cores busy."""
    return round(os.getloadavg()[0], 2)


@dataclass
class Measured:
    """One step: wall time, CPU time (user + system; less sensitive than wall time to other work
    on the machine), peak RSS of the process tree, and the load before and after."""

    seconds: float
    cpu_seconds: float
    peak_rss_mb: float | None
    load_before: float
    load_after: float

    def as_dict(self) -> dict[str, float | None]:
        return {"seconds": round(self.seconds, 3), "cpu_seconds": round(self.cpu_seconds, 3),
                "peak_rss_mb": None if self.peak_rss_mb is None else round(self.peak_rss_mb),
                "load_before": self.load_before, "load_after": self.load_after}


class PeakMemory:
    """Polls the resident set size of a process and all its children until stopped."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self._process = psutil.Process(pid)
        self._interval = interval
        self._stop = threading.Event()
        self.peak_bytes = 0
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._stop.is_set():
            try:
                tree = [self._process, *self._process.children(recursive=True)]
                total = 0
                for process in tree:
                    try:
                        total += process.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak_bytes = max(self.peak_bytes, total)
            except psutil.Error:
                return
            self._stop.wait(self._interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def run_measured(command: list[str], *, env: dict[str, str], log_path: Path) -> Measured:
    """Run a command to completion, logging its output; fail with the log's tail if it fails."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    before = load()
    started = time.perf_counter()
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
        with PeakMemory(process.pid) as memory:
            # wait4 reaps the child and reports the CPU time it (and its waited-for children) used.
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = code = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if code != 0:
        tail = log_path.read_text().splitlines()[-40:]
        raise RuntimeError(f"{' '.join(command)} failed ({code}); log {log_path}:\n"
                           + "\n".join(tail))
    return Measured(seconds, usage.ru_utime + usage.ru_stime, memory.peak_bytes / 2**20, before,
                    load())


@dataclass
class Project:
    """One isolated dbt environment: raw folder, database file (and its DuckDB spill folder),
    target and logs."""

    raw_dir: Path
    work_dir: Path
    name: str
    steps: dict[str, Measured] = field(default_factory=dict)

    @property
    def db_path(self) -> Path:
        return self.work_dir / f"{self.name}.duckdb"

    @property
    def target_path(self) -> Path:
        return self.work_dir / f"target_{self.name}"

    @property
    def bi_path(self) -> Path:
        return self.work_dir / f"{self.name}_bi.duckdb"

    def env(self) -> dict[str, str]:
        # DuckDB spills beside the database file (<db>.tmp), inside work_dir. The pseudonym key
        # is $GNE_PSEUDONYM_KEY if set, else a random one kept in work_dir.
        return {**os.environ,
                "DBT_PROFILES_DIR": str(REPO_ROOT),
                "GNE_RAW_DIR": str(self.raw_dir),
                "GNE_WORK_DB_PATH": str(self.db_path),
                "GNE_DB_PATH": str(self.bi_path),
                "GNE_PSEUDONYM_KEY_FILE": str(self.work_dir / "pseudonym.key"),
                "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
                "DO_NOT_TRACK": "1"}

    def dbt(self, step: str, *args: str) -> Measured:
        command = [str(BIN / "dbt"), *args, "--target", "work", "--project-dir", str(REPO_ROOT),
                   "--profiles-dir", str(REPO_ROOT), "--target-path", str(self.target_path),
                   "--log-path", str(self.work_dir / f"logs_{self.name}")]
        measured = run_measured(command, env=self.env(),
                                log_path=self.work_dir / f"{self.name}_{step}.log")
        self.steps[step] = measured
        print(f"  {self.name}: dbt {' '.join(args)}: {measured.seconds:.1f} s, "
              f"peak {measured.peak_rss_mb:.0f} MB, load {measured.load_after}", flush=True)
        return measured

    def publish(self, step: str) -> dict[str, Any]:
        """Publish the last dbt build to this project's BI file (scripts/publish_bi.py, in its
        own process); the measurement with the publish id and data as-of the file now holds."""
        command = [sys.executable, str(SCRIPTS / "publish_bi.py"), "--work-db", str(self.db_path),
                   "--bi-db", str(self.bi_path), "--target-path", str(self.target_path)]
        measured = run_measured(command, env=self.env(),
                                log_path=self.work_dir / f"{self.name}_{step}.log")
        self.steps[step] = measured
        with duckdb.connect(str(self.bi_path), read_only=True) as con:
            publish_id, as_of = con.execute(
                "select max(publish_id), max(data_as_of_at) from main.publish").fetchone()
        print(f"  {self.name}: publish {publish_id}: {measured.seconds:.1f} s, "
              f"peak {measured.peak_rss_mb:.0f} MB, load {measured.load_after}", flush=True)
        return {**measured.as_dict(), "publish_id": publish_id,
                "data_as_of_at": as_of.isoformat() if as_of is not None else None}

    def run_results(self) -> dict[str, Any]:
        """The last dbt command's run_results.json."""
        return json.loads((self.target_path / "run_results.json").read_text())

    def model_timings(self, top: int = 8) -> list[dict[str, Any]]:
        """The slowest models of the last dbt command, from its run_results.json."""
        results = self.run_results()["results"]
        timed = sorted(results, key=lambda result: result["execution_time"], reverse=True)
        return [{"node": result["unique_id"].split(".")[-1],
                 "seconds": round(result["execution_time"], 2)} for result in timed[:top]]

    def start_up_seconds(self, step: str) -> float:
        """What dbt command `step` (the last one run) spent outside its nodes' run: its process's
        wall time less the elapsed time dbt records (start-up, reading the saved parse)."""
        return round(self.steps[step].seconds - self.run_results()["elapsed_time"], 2)

    def model_seconds_total(self) -> float:
        """Sum of the last dbt command's node execution times (two run at a time)."""
        results = self.run_results()["results"]
        return round(sum(result["execution_time"] for result in results), 2)

    def row_counts(self) -> dict[str, int]:
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            tables = con.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_type = 'BASE TABLE' and table_schema in "
                f"({', '.join(repr(schema) for schema in COMPARED_SCHEMAS)}) order by 1, 2"
            ).fetchall()
            return {f"{schema}.{name}": con.execute(
                f'select count(*) from "{schema}"."{name}"').fetchone()[0]
                for schema, name in tables}


def dataset_parameters(events: int, days: int) -> dict[str, Any]:
    orders_per_day = round(events / (ROWS_PER_ORDER_DAY * days), 2)
    return {"seed": SEED, "start_date": START_DATE, "days": days,
            "orders_per_day": orders_per_day, "markets": 12, "faults": True}


def generator_digest() -> str:
    """Hash of the generator's source: a dataset is reused only if the same generator wrote it."""
    return hashlib.sha256((SCRIPTS / "generate_raw_data.py").read_bytes()).hexdigest()[:16]


def ensure_dataset(raw_dir: Path, parameters: dict[str, Any]) -> tuple[float, bool]:
    """Generate the dataset unless one with the same parameters and generator is there;
    return (generation seconds, reused)."""
    marker = raw_dir / "_meta" / "benchmark_dataset.json"
    wanted = {"parameters": parameters, "generator_sha256": generator_digest()}
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        written = json.loads((raw_dir / "_meta" / "generation.json").read_text())
        print(f"  reusing {raw_dir} ({written['raw_rows']:,} rows)", flush=True)
        return float(written["seconds"]), True
    command = [sys.executable, str(SCRIPTS / "generate_raw_data.py"), "--out", str(raw_dir),
               "--seed", str(parameters["seed"]), "--start-date", parameters["start_date"],
               "--days", str(parameters["days"]),
               "--orders-per-day", str(parameters["orders_per_day"]),
               "--markets", str(parameters["markets"])]
    if parameters["faults"]:
        command.append("--faults")
    measured = run_measured(command, env=dict(os.environ),
                            log_path=raw_dir.parent / f"{raw_dir.name}_generate.log")
    marker.write_text(json.dumps(wanted, indent=2, sort_keys=True) + "\n")
    print(f"  generated {raw_dir} in {measured.seconds:.1f} s", flush=True)
    return measured.seconds, False


def held_back_copy(raw_dir: Path, target: Path) -> tuple[Path, Path]:
    """A raw folder of symlinks to every partition but the last; (folder, last partition)."""
    if target.exists():
        shutil.rmtree(target)
    events = target / "governance_events"
    events.mkdir(parents=True)
    (target / "finance").symlink_to((raw_dir / "finance").resolve())
    partitions = sorted((raw_dir / "governance_events").glob("ingest_date=*"))
    for partition in partitions[:-1]:
        (events / partition.name).symlink_to(partition.resolve())
    return target, partitions[-1]


def floor(raw_dir: Path, repeats: int = 2) -> Measured:
    """The best of `repeats` runs of the floor query (threads and memory as in the profile)."""
    sql = FLOOR_SQL.format(events=raw_dir / "governance_events")
    best: Measured | None = None
    for _ in range(repeats):
        with duckdb.connect(config={"threads": 2, "memory_limit": "4GB"}) as con:
            before = load()
            started, cpu_started = time.perf_counter(), time.process_time()
            con.execute(sql).fetchall()
            measured = Measured(time.perf_counter() - started, time.process_time() - cpu_started,
                                None, before, load())
        if best is None or measured.seconds < best.seconds:
            best = measured
    assert best is not None
    return best


def pandas_mart(raw_dir: Path, work_dir: Path, db_path: Path, events: int) -> dict[str, Any]:
    """Time scripts/pandas_daily_mart.py and compare its counts with the mart's.

    pandas holds every order event in memory (about PANDAS_GB_PER_MILLION GB per million raw
    events, measured at 10M): on a machine shared with other work it is skipped, and says so,
    when the memory available now is not 1.5 times what it would need."""
    needed_gb = PANDAS_GB_PER_MILLION * events / 1e6
    available_gb = psutil.virtual_memory().available / 2**30
    if available_gb < 1.5 * needed_gb:
        reason = (f"skipped: needs about {needed_gb:.0f} GB, {available_gb:.0f} GB available")
        print(f"  pandas: {reason}", flush=True)
        return {"skipped": reason}
    out = work_dir / "pandas_late_dispatch_daily.csv"
    measured = run_measured(
        [sys.executable, str(SCRIPTS / "pandas_daily_mart.py"), "--raw-dir", str(raw_dir),
         "--out", str(out)], env=dict(os.environ), log_path=work_dir / "pandas.log")
    ours = pd.read_csv(out, parse_dates=["placed_local_date"])
    with duckdb.connect(str(db_path), read_only=True) as con:
        mart = con.execute(
            "select market_code, placed_local_date, orders, shipped_orders, "
            "late_dispatched_orders from marts.buyer_experience_daily").df()
    mart["placed_local_date"] = pd.to_datetime(mart["placed_local_date"])
    keys = ["market_code", "placed_local_date"]
    both = mart.merge(ours, on=keys, how="outer", suffixes=("_mart", "_pandas"))
    counts = ["orders", "shipped_orders", "late_dispatched_orders"]
    same = pd.concat([both[f"{column}_mart"] == both[f"{column}_pandas"] for column in counts],
                     axis=1).all(axis=1)
    print(f"  pandas: {measured.seconds:.1f} s, peak {measured.peak_rss_mb:.0f} MB, "
          f"{int(same.sum())}/{len(both)} rows equal to the mart", flush=True)
    return {**measured.as_dict(), "rows": len(ours), "rows_equal_to_mart": int(same.sum()),
            "rows_compared": len(both)}


def summed(*steps: Measured) -> dict[str, float]:
    """Wall and CPU seconds of steps run one after the other."""
    return {"seconds": round(sum(step.seconds for step in steps), 3),
            "cpu_seconds": round(sum(step.cpu_seconds for step in steps), 3)}


def benchmark_size(events: int, days: int, data_root: Path, work_root: Path,
                   keep: bool, tested_models: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every measurement at one size; `tested_models` (the smoke run's) narrows the steps that
    run data tests to those models' tests."""
    label = size_label(events)
    print(f"== {label} events", flush=True)
    raw_dir = data_root / label
    work_dir = work_root / label
    if work_dir.exists():
        shutil.rmtree(work_dir)
    work_dir.mkdir(parents=True)
    parameters = dataset_parameters(events, days)
    raw_dir.parent.mkdir(parents=True, exist_ok=True)
    generation_seconds, reused = ensure_dataset(raw_dir, parameters)
    generated = json.loads((raw_dir / "_meta" / "generation.json").read_text())

    test_selection = ("--select", " ".join(tested_models)) if tested_models else ()
    full = Project(raw_dir, work_dir, "full")
    full.dbt("seed", "seed", "--full-refresh")
    full.dbt("full_run", "run", "--full-refresh")
    slowest_models = full.model_timings()
    model_seconds_total = full.model_seconds_total()
    full.dbt("full_build", "build", "--full-refresh", "--exclude", "resource_type:seed",
             *test_selection)
    full_publish = full.publish("full_publish")
    full_counts = full.row_counts()

    held_raw, new_partition = held_back_copy(raw_dir, work_dir / "raw_held_back")
    incremental = Project(held_raw, work_dir, "incremental")
    # Yesterday's build: seeds and models in one command (one start-up and parse less than
    # `dbt seed` + `dbt run`; this step is set-up, not one of the figures).
    incremental.dbt("base_run", "build", "--full-refresh", "--resource-type", "seed",
                    "--resource-type", "model")
    base_publish = incremental.publish("base_publish")
    rows_before = incremental.row_counts()
    (held_raw / "governance_events" / new_partition.name).symlink_to(new_partition.resolve())
    incremental.dbt("new_day_run", "build", "--resource-type", "model")
    slowest_incremental = incremental.model_timings()
    new_day_publish = incremental.publish("new_day_publish")
    incremental.dbt("new_day_test", "test", *test_selection)
    rows_after = incremental.row_counts()
    incremental.dbt("no_new_data_run", "build", "--resource-type", "model")
    no_new_data_start_up = incremental.start_up_seconds("no_new_data_run")
    slowest_no_new_data = incremental.model_timings()
    no_new_data_publish = incremental.publish("no_new_data_publish")
    rows_unchanged = incremental.row_counts() == rows_after
    with duckdb.connect() as con:
        new_rows = con.execute(
            f"select count(*) from read_parquet('{new_partition}/*.parquet')").fetchone()[0]

    floor_measured = floor(raw_dir)
    print(f"  floor: {floor_measured.seconds:.2f} s", flush=True)
    pandas_result = pandas_mart(raw_dir, work_dir, full.db_path, generated["raw_rows"])

    full_run = full.steps["full_run"]
    full_build = full.steps["full_build"]
    new_day = incremental.steps["new_day_run"]
    published = incremental.steps["new_day_publish"]
    new_day_total = summed(new_day, published)
    no_new_data = incremental.steps["no_new_data_run"]
    no_new_data_total = summed(no_new_data, incremental.steps["no_new_data_publish"])
    result: dict[str, Any] = {
        "size": label,
        "target_events": events,
        "raw_rows": generated["raw_rows"],
        "raw_bytes": sum(path.stat().st_size for path in raw_dir.rglob("*") if path.is_file()),
        "generator_parameters": parameters,
        "generator_sha256": generator_digest(),
        "generation": {"seconds": round(generation_seconds, 2), "reused": reused},
        "seed": full.steps["seed"].as_dict(),
        "full_run": {**full_run.as_dict(), "slowest_models": slowest_models,
                     "model_seconds_total": model_seconds_total},
        "full_build": full_build.as_dict(),
        "full_publish": full_publish,
        "tested_models": list(tested_models) or "all",
        "database_bytes": full.db_path.stat().st_size,
        "new_day": {
            "partition": new_partition.name,
            "partition_raw_rows": new_rows,
            "base_run": incremental.steps["base_run"].as_dict(),
            "base_publish": base_publish,
            "run": {**new_day.as_dict(), "slowest_models": slowest_incremental},
            "publish": new_day_publish,
            "run_and_publish": new_day_total,
            "test": incremental.steps["new_day_test"].as_dict(),
            "validated_rows_added": (rows_after["staging.base_events__validated"]
                                     - rows_before["staging.base_events__validated"]),
            "fct_orders_rows_added": (rows_after["core.fct_orders"]
                                      - rows_before["core.fct_orders"]),
            "row_counts_equal_full_build": rows_after == full_counts,
        },
        "no_new_data": {
            "run": {**no_new_data.as_dict(), "slowest_models": slowest_no_new_data,
                    "start_up_seconds": no_new_data_start_up},
            "publish": no_new_data_publish,
            "run_and_publish": no_new_data_total,
            "row_counts_unchanged": rows_unchanged,
        },
        "floor": {**floor_measured.as_dict(), "repeats": 2},
        "pandas_late_dispatch_daily": pandas_result,
        "ratios": {
            "full_run_over_floor": round(full_run.seconds / floor_measured.seconds, 2),
            "full_build_over_floor": round(full_build.seconds / floor_measured.seconds, 2),
            "new_day_run_over_full_run": round(new_day.seconds / full_run.seconds, 4),
            "new_day_run_and_publish_over_full_run": round(
                new_day_total["seconds"] / full_run.seconds, 4),
            "no_new_data_run_and_publish_over_full_run": round(
                no_new_data_total["seconds"] / full_run.seconds, 4),
            "new_day_run_and_publish_over_full_run_and_publish": round(
                new_day_total["seconds"] / (full_run.seconds + full.steps["full_publish"].seconds),
                4),
            "full_run_cpu_over_floor_cpu": round(
                full_run.cpu_seconds / max(floor_measured.cpu_seconds, 0.001), 2),
            "new_day_run_cpu_over_full_run_cpu": round(
                new_day.cpu_seconds / full_run.cpu_seconds, 4),
            "new_day_run_and_publish_cpu_over_full_run_cpu": round(
                new_day_total["cpu_seconds"] / full_run.cpu_seconds, 4),
            "no_new_data_run_and_publish_cpu_over_full_run_cpu": round(
                no_new_data_total["cpu_seconds"] / full_run.cpu_seconds, 4),
            "pandas_over_floor": (round(pandas_result["seconds"] / floor_measured.seconds, 2)
                                  if "seconds" in pandas_result else None),
        },
    }
    peak = max(step.peak_rss_mb or 0 for step in [*full.steps.values(),
                                                   *incremental.steps.values()])
    result["peak_rss_mb"] = round(peak)
    result["goals"] = {
        "full_run_le_4x_floor": result["ratios"]["full_run_over_floor"] <= GOAL_FULL_OVER_FLOOR,
        "new_day_le_5pct_of_full_run":
            result["ratios"]["new_day_run_and_publish_over_full_run"] <= GOAL_NEW_DAY_SHARE,
        "peak_memory_le_6gb": peak <= GOAL_PEAK_MB,
    }
    result["recorded_at"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    result["machine"] = machine()
    if not keep:
        shutil.rmtree(work_dir)
    return result


def machine() -> dict[str, Any]:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT,
                            capture_output=True, text=True).stdout.strip()
    return {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "duckdb": duckdb.__version__,
            "git_commit": commit or None}


def pandas_cell(result: dict[str, Any], key: str) -> str:
    pandas_result = result["pandas_late_dispatch_daily"]
    return "skipped" if "skipped" in pandas_result else f"{pandas_result[key]:.1f} s"


def seconds_cell(result: dict[str, Any], *path: str, key: str = "seconds") -> str:
    """A step's seconds, or 'n/a' for a result recorded before the script measured that step."""
    value: Any = result
    for name in path:
        value = value.get(name) if isinstance(value, dict) else None
    if not isinstance(value, dict) or value.get(key) is None:
        return "n/a"
    return f"{value[key]:.1f} s"


def share_cell(result: dict[str, Any], ratio: str) -> str:
    value = result["ratios"].get(ratio)
    return "n/a" if value is None else f"{100 * value:.1f}%"


def render_markdown(results: dict[str, dict[str, Any]]) -> str:
    """The results as Markdown tables, smallest size first."""
    rows = sorted(results.values(), key=lambda result: result["target_events"])
    lines = [
        "# Benchmark results",
        "",
        "Measured by `scripts/benchmark.py` on a 2-core machine shared with other work. Wall",
        "times grow with the machine's load (one-minute load average before/after the full run;",
        "2.0 = both cores busy); CPU seconds (user + system of the process) are steadier.",
        "",
        "- full run: `dbt run --full-refresh` after `dbt seed` (models only); full build:",
        "  `dbt build --full-refresh` (models, data tests and unit tests), on a new database;",
        "  publish: `scripts/publish_bi.py` after the full build (the BI file, first publish).",
        "- one new day: the last `ingest_date` partition is held back, the project is built",
        "  without it and published, the partition is added, and the incremental models plus",
        "  the publish are timed (what users wait for until the BI file has fresh numbers):",
        "  staging loads the new files, the keyed models rebuild the keys their rows touch, the",
        "  metric tables downstream are rebuilt, then the BI file is published again from",
        "  yesterday's (unchanged tables kept, changed fact rows replaced by key). The models",
        "  run as `dbt build --resource-type model` (what `dbt run` runs: the publish step",
        "  takes only a passed `dbt build`).",
        "  new day / full = (new-day run + publish) / full run; the run alone is in results.json.",
        "- no new data: the same run and publish again with nothing new to load: the fixed cost",
        "  of a daily run (dbt's start-up, each model's statements, the publish's change",
        "  detection), which bounds the new-day figure from below.",
        "- peak memory: largest resident set of the dbt or publish process (and children) over",
        "  all steps.",
        "- floor: one DuckDB query (2 threads) that reads the raw Parquet once, extracts two",
        "  JSON fields and aggregates by event type, market and day; best of two runs.",
        "- pandas mart: `scripts/pandas_daily_mart.py`, the late-dispatch columns of",
        "  buyer_experience_daily written in pandas (JSON parsed with the standard library).",
        "- n/a: recorded before the script measured that step.",
        "- commit measured, per size: " + ", ".join(
            f"{result['size']} {result['machine'].get('git_commit') or 'unknown'}"
            for result in rows) + ".",
        "",
        "| events | generation | full run (models) | full build (+tests) | publish (full) "
        "| new day: run | new day: publish | new day: run + publish | new day / full "
        "| no new data: run + publish | no new data / full "
        "| peak memory | floor query | full / floor | pandas mart | load |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in rows:
        full_run, new_day = result["full_run"], result["new_day"]["run"]
        ratios = result["ratios"]
        lines.append(
            f"| {result['raw_rows']:,} | {result['generation']['seconds']:.0f} s "
            f"| {full_run['seconds']:.1f} s | {result['full_build']['seconds']:.1f} s "
            f"| {seconds_cell(result, 'full_publish')} "
            f"| {new_day['seconds']:.1f} s | {seconds_cell(result, 'new_day', 'publish')} "
            f"| {seconds_cell(result, 'new_day', 'run_and_publish')} "
            f"| {share_cell(result, 'new_day_run_and_publish_over_full_run')} "
            f"| {seconds_cell(result, 'no_new_data', 'run_and_publish')} "
            f"| {share_cell(result, 'no_new_data_run_and_publish_over_full_run')} "
            f"| {result['peak_rss_mb'] / 1024:.1f} GB | {result['floor']['seconds']:.2f} s "
            f"| {ratios['full_run_over_floor']:.1f}x "
            f"| {pandas_cell(result, 'seconds')} "
            f"| {full_run['load_before']}/{full_run['load_after']} |")
    lines += [
        "",
        "The same in CPU seconds:",
        "",
        "| events | full run | full build | publish (full) | new day: run | new day: publish "
        "| new day: run + publish | new day / full | no new data: run + publish "
        "| no new data / full | floor | full / floor | pandas mart |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in rows:
        ratios = result["ratios"]
        lines.append(
            f"| {result['raw_rows']:,} | {result['full_run']['cpu_seconds']:.1f} s "
            f"| {result['full_build']['cpu_seconds']:.1f} s "
            f"| {seconds_cell(result, 'full_publish', key='cpu_seconds')} "
            f"| {result['new_day']['run']['cpu_seconds']:.1f} s "
            f"| {seconds_cell(result, 'new_day', 'publish', key='cpu_seconds')} "
            f"| {seconds_cell(result, 'new_day', 'run_and_publish', key='cpu_seconds')} "
            f"| {share_cell(result, 'new_day_run_and_publish_cpu_over_full_run_cpu')} "
            f"| {seconds_cell(result, 'no_new_data', 'run_and_publish', key='cpu_seconds')} "
            f"| {share_cell(result, 'no_new_data_run_and_publish_cpu_over_full_run_cpu')} "
            f"| {result['floor']['cpu_seconds']:.2f} s "
            f"| {ratios['full_run_cpu_over_floor_cpu']:.1f}x "
            f"| {pandas_cell(result, 'cpu_seconds')} |")
    lines += ["", "Goals (wall time, at each size):", ""]
    for result in rows:
        goals = ", ".join(f"{name}: {'met' if met else 'NOT met'}"
                          for name, met in result["goals"].items())
        lines.append(f"- {result['size']}: {goals}")
    lines += ["", "What a run with no new data spends (the floor under the new-day figure):", ""]
    for result in rows:
        floor_run = result.get("no_new_data", {}).get("run")
        if floor_run is not None:
            lines.append(
                f"- {result['size']}: dbt start-up {floor_run['start_up_seconds']:.1f} s of the "
                f"run's {floor_run['seconds']:.1f} s, publish "
                f"{seconds_cell(result, 'no_new_data', 'publish')}")
    lines += ["", "Slowest models of the full run, of the one-new-day run and of the run with no",
              "new data:", ""]
    for result in rows:
        for title, models in (
                ("full", result["full_run"]["slowest_models"]),
                ("new day", result["new_day"]["run"]["slowest_models"]),
                ("no new data", result.get("no_new_data", {}).get("run", {}).get("slowest_models"))):
            if models is None:
                continue
            listed = ", ".join(f"{model['node']} {model['seconds']:.1f} s" for model in models[:6])
            lines.append(f"- {result['size']} {title}: {listed}")
    lines.append("")
    return "\n".join(lines)


def write_results(results_dir: Path, new: dict[str, Any]) -> None:
    results_dir.mkdir(parents=True, exist_ok=True)
    path = results_dir / "results.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    results[new["size"]] = new
    path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    (results_dir / "RESULTS.md").write_text(render_markdown(results))


def print_summary(result: dict[str, Any]) -> None:
    table = render_markdown({result["size"]: result}).split("\n")
    print("\n".join(line for line in table if line.startswith("|")), flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1M,10M,50M",
                        help="comma-separated event counts, e.g. 1M,10M,50M (default)")
    parser.add_argument("--days", type=int, default=DAYS,
                        help=f"days of data per dataset (default {DAYS})")
    parser.add_argument("--smoke", action="store_true",
                        help=f"one tiny run of about 1k events over {SMOKE_DAYS} days")
    parser.add_argument("--data-root", type=Path, default=REPO_ROOT / "data" / "bench",
                        help="where datasets are generated and reused (data/bench)")
    parser.add_argument("--work-root", type=Path, default=REPO_ROOT / "build" / "bench",
                        help="databases, targets and logs of the runs (build/bench)")
    parser.add_argument("--results-dir", type=Path, default=REPO_ROOT / "benchmarks",
                        help="where results.json and RESULTS.md are written (benchmarks)")
    parser.add_argument("--keep", action="store_true",
                        help="keep each size's databases and logs under --work-root")
    parser.add_argument("--render-only", action="store_true",
                        help="only rewrite RESULTS.md from the results.json already there")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.render_only:
        results = json.loads((args.results_dir / "results.json").read_text())
        (args.results_dir / "RESULTS.md").write_text(render_markdown(results))
        return
    sizes = [1_000] if args.smoke else [parse_size(text) for text in args.sizes.split(",")]
    days = SMOKE_DAYS if args.smoke else args.days
    for events in sizes:
        result = benchmark_size(events, days, args.data_root, args.work_root, args.keep,
                                SMOKE_TESTED_MODELS if args.smoke else ())
        write_results(args.results_dir, result)
        print_summary(result)
    print(f"results: {args.results_dir / 'results.json'}, {args.results_dir / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
