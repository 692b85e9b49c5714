"""BI keeps reading while dbt builds and publishes; a failed build publishes nothing.

- Two reader processes, one with plain duckdb (read-only), one with SQLAlchemy + duckdb_engine,
  reconnect and query a BI file in a bounded loop while the project is built and published
  into it twice (`dbt build --target work` + scripts/publish_bi.py, each in its own process as
  `make build` runs them), and `mf query` runs against it beside the second build. Both builds
  and publishes exit 0, the readers see no error, every answer comes from one publish (one
  publish id, and the mart's row count equal to what that publish recorded), and both readers
  see the last publish. The builds rebuild the mart models (BUILD_SELECTION) in a copy of the
  working database `make test` built: a build writes only the working database, whichever
  models it runs, and the full build with every data and unit test already ran in
  `make test`, on the same data, so the builds here run no test again. Each reader pauses
  READER_PAUSE between queries: a few answers a second each, from every publish, at a small
  share of a core (a new connection and query cost about 30 ms of CPU).
- A dbt build made to fail (its raw folder has no event log) is refused by the publish step:
  exit 1, the BI file byte-for-byte as it was, nothing left beside it. A publish that fails
  half-way (its working database is missing) leaves the BI file as it was too, and a run
  result with a failed test is refused.

Everything runs on copies in tmp_path; the project's own target/ and databases are only read.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dbt_harness import REPO_ROOT, SCENARIO_LOG_ARGS, TEST_RAW_DIR

sys.path.insert(0, str(REPO_ROOT / "scripts"))
import publish_bi  # noqa: E402

BIN = Path(sys.executable).parent
READER = Path(__file__).with_name("bi_reader.py")
PUBLISH = REPO_ROOT / "scripts" / "publish_bi.py"
WAIT_POLLS = 1200  # bound on polls (0.25 s apart) for readers to see the last publish
# What the two builds under the readers rebuild: every mart model (including
# marts.metric_values, which the readers count). Their data tests passed in make test's build of
# the same data; run again here they would only lengthen the builds (about 9 CPU s each).
BUILD_SELECTION = ("--select", "marts", "--resource-type", "model")
READER_PAUSE = "0.2"  # seconds between a reader's queries


def _env(work_db: Path, bi_db: Path, raw_dir: Path = TEST_RAW_DIR) -> dict[str, str]:
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO_ROOT),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "GNE_RAW_DIR": str(raw_dir),
        "GNE_WORK_DB_PATH": str(work_db),
        "GNE_DB_PATH": str(bi_db),
        "GNE_PSEUDONYM_KEY": os.environ.get("GNE_PSEUDONYM_KEY", "gne-test-key-not-a-secret"),
    }


def _dbt_build(env: dict[str, str], work: Path, *extra: str) -> subprocess.Popen[str]:
    command = [
        str(BIN / "dbt"), "build", "--full-refresh", "--target", "work", *extra,
        "--project-dir", str(REPO_ROOT), "--profiles-dir", str(REPO_ROOT),
        "--target-path", str(work / "target"), "--log-path", str(work / "logs"), "--quiet",
        *SCENARIO_LOG_ARGS,
    ]
    return subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def _publish(env: dict[str, str], target: Path, work_db: Path, bi_db: Path
             ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PUBLISH), "--target-path", str(target), "--work-db", str(work_db),
         "--bi-db", str(bi_db)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900, check=False,
    )


def _answers(out: Path) -> list[dict]:
    if not out.exists():
        return []
    return [json.loads(line) for line in out.read_text().splitlines() if line.strip()]


def _publish_id(bi_db: Path) -> str:
    import duckdb

    with duckdb.connect(str(bi_db), read_only=True) as con:
        return con.execute("select max(publish_id) from main.publish").fetchone()[0]


def _built_work_db() -> tuple[Path, Path]:
    """The working database and target folder of `make test` (read only here)."""
    work_db = Path(os.environ.get("GNE_WORK_DB_PATH", ""))
    if not os.environ.get("GNE_WORK_DB_PATH") or not work_db.exists():
        pytest.skip("GNE_WORK_DB_PATH is not built: run through `make test`")
    target = REPO_ROOT / "target"
    if not (target / "run_results.json").exists():
        pytest.skip("no target/run_results.json: run through `make test`")
    return work_db, target


@pytest.mark.slow
def test_readers_never_fail_and_see_one_publish_while_build_and_publish_run_twice(
    tmp_path: Path,
) -> None:
    source_work_db, source_target = _built_work_db()
    bi_db = tmp_path / "bi" / "gne.duckdb"
    work_db = tmp_path / "work" / "gne.duckdb"
    work_db.parent.mkdir(parents=True)
    shutil.copyfile(source_work_db, work_db)
    env = _env(work_db, bi_db)
    # A first BI file to read, published from `make test`'s build.
    first = _publish(env, source_target, source_work_db, bi_db)
    assert first.returncode == 0, first.stdout + first.stderr
    publish_ids = [_publish_id(bi_db)]

    stop = tmp_path / "stop"
    readers = {}
    for client in ("duckdb", "sqlalchemy"):
        out = tmp_path / f"{client}.jsonl"
        process = subprocess.Popen(
            [sys.executable, str(READER), "--client", client, "--db", str(bi_db),
             "--out", str(out), "--stop-file", str(stop), "--pause", READER_PAUSE],
            cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        readers[client] = (process, out)
    try:
        mf_during_build: subprocess.CompletedProcess[str] | None = None
        for round_number in (1, 2):
            build = _dbt_build(env, tmp_path / "dbt", *BUILD_SELECTION)
            if round_number == 2:
                # Started with the build: both begin by loading the project, then mf queries
                # the BI file while dbt writes the working database.
                mf = subprocess.Popen(
                    [str(BIN / "mf"), "query", "--quiet", "--metrics", "orders",
                     "--group-by", "metric_time__month"],
                    cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                    text=True,
                )
            build_output, _ = build.communicate(timeout=1800)
            if round_number == 2:
                mf_out, mf_err = mf.communicate(timeout=600)
                mf_during_build = subprocess.CompletedProcess(mf.args, mf.returncode, mf_out,
                                                              mf_err)
            assert build.returncode == 0, f"build {round_number} failed:\n{build_output[-3000:]}"
            published = _publish(env, tmp_path / "dbt" / "target", work_db, bi_db)
            assert published.returncode == 0, published.stdout + published.stderr
            publish_ids.append(_publish_id(bi_db))
        assert mf_during_build is not None and mf_during_build.returncode == 0, (
            mf_during_build.stdout[-2000:] + mf_during_build.stderr[-2000:]
        )
        assert "metric_time__month" in mf_during_build.stdout
        for _ in range(WAIT_POLLS):
            if all(
                any(a.get("publish_id") == publish_ids[-1] for a in _answers(out))
                or process.poll() is not None
                for process, out in readers.values()
            ):
                break
            time.sleep(0.25)
    finally:
        stop.touch()
        for process, _ in readers.values():
            try:
                process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                process.kill()

    assert len(set(publish_ids)) == 3, publish_ids
    for client, (process, out) in readers.items():
        output = process.stdout.read() if process.stdout else ""
        assert process.returncode == 0, f"{client} reader exited {process.returncode}: {output}"
        answers = _answers(out)
        errors = [a["error"] for a in answers if "error" in a]
        assert not errors, f"{client} reader errors: {errors[:5]}"
        assert answers, f"{client} reader got no answer"
        assert all(a["publish_ids"] == 1 for a in answers), f"{client}: an answer mixed publishes"
        assert all(a["rows"] == a["published_rows"] for a in answers), (
            f"{client}: an answer's row count differs from its publish's"
        )
        seen = {a["publish_id"] for a in answers}
        print(f"{client} reader: {len(answers)} answers, publishes seen {sorted(seen)}")
        assert seen <= set(publish_ids), f"{client} saw unknown publishes: {seen}"
        assert publish_ids[-1] in seen, f"{client} never saw the last publish {publish_ids[-1]}"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def published_copy(tmp_path: Path) -> Path:
    """A copy of the BI file `make test` published, to try to publish over."""
    bi_db = Path(os.environ.get("GNE_DB_PATH", ""))
    if not os.environ.get("GNE_DB_PATH") or not bi_db.exists():
        pytest.skip("GNE_DB_PATH is not published: run through `make test`")
    copy = tmp_path / "bi" / "gne.duckdb"
    copy.parent.mkdir(parents=True)
    shutil.copyfile(bi_db, copy)
    return copy


def test_a_failed_build_publishes_nothing(tmp_path: Path, published_copy: Path) -> None:
    before = _digest(published_copy)
    broken_raw = tmp_path / "raw"
    shutil.copytree(TEST_RAW_DIR / "finance", broken_raw / "finance")  # no event log at all
    work_db = tmp_path / "work" / "gne.duckdb"
    work_db.parent.mkdir(parents=True)
    env = _env(work_db, published_copy, raw_dir=broken_raw)
    build = _dbt_build(env, tmp_path / "dbt", "--select", "+base_events__deduplicated")
    output, _ = build.communicate(timeout=900)
    assert build.returncode != 0, f"the build was meant to fail:\n{output[-2000:]}"

    refused = _publish(env, tmp_path / "dbt" / "target", work_db, published_copy)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "publish refused, nothing published" in refused.stdout
    assert "failed or skipped node" in refused.stdout
    assert _digest(published_copy) == before
    assert sorted(p.name for p in published_copy.parent.iterdir()) == ["gne.duckdb"]


def test_a_publish_that_fails_half_way_leaves_the_bi_file(
    tmp_path: Path, published_copy: Path
) -> None:
    _, source_target = _built_work_db()
    before = _digest(published_copy)
    env = _env(tmp_path / "missing" / "gne.duckdb", published_copy)
    failed = _publish(env, source_target, tmp_path / "missing" / "gne.duckdb", published_copy)
    assert failed.returncode != 0
    assert _digest(published_copy) == before
    assert sorted(p.name for p in published_copy.parent.iterdir()) == ["gne.duckdb"]


def test_run_results_with_a_failed_test_or_another_command_are_refused(tmp_path: Path) -> None:
    def results(which: str, statuses: list[str]) -> Path:
        path = tmp_path / f"{which}_{'_'.join(statuses)}.json"
        path.write_text(json.dumps({
            "metadata": {"invocation_id": "x"},
            "args": {"which": which},
            "results": [{"unique_id": f"test.gne_metrics.t{i}", "status": status}
                        for i, status in enumerate(statuses)],
        }))
        return path

    assert publish_bi.check_build(results("build", ["success", "pass", "warn"])) == "x"
    for which, statuses in (("build", ["success", "fail"]), ("build", ["error"]),
                            ("build", ["skipped"]), ("run", ["success"])):
        with pytest.raises(publish_bi.PublishRefused):
            publish_bi.check_build(results(which, statuses))
    with pytest.raises(publish_bi.PublishRefused):
        publish_bi.check_build(tmp_path / "missing.json")
