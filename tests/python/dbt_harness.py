"""Run the project's dbt commands against a chosen raw folder and DuckDB file, in-process.

Scenario tests build the real project on their own copies of raw data; this keeps each run
isolated (own database, target and log folders) and fails loudly with dbt's own message.

dbt parses with partial parsing in each run's own target folder: the first command of a scenario
parses the project in full, later commands of the same scenario (same work_dir, same environment)
reparse only what changed, as dbt does for a developer. dbt reparses whatever reads an env_var
whose value changed, so a work_dir reused with other paths is still parsed right.
A scenario whose commands change only raw data (DbtSession) parses once and hands that manifest
to each later command, which then skips parsing altogether.

A scenario that needs the test dataset built in full reads the build `make test` made
(shared_test_build) instead of building it again, and a test that needs only the parsed project
reads the manifest that build wrote (parsed_manifest) instead of parsing it again.
"""

from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import duckdb
import pandas as pd
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner, dbtRunnerResult
from dbt.contracts.graph.manifest import Manifest
from dbt_common.events.base_types import EventMsg

REPO_ROOT = Path(__file__).resolve().parents[2]
TEST_RAW_DIR = REPO_ROOT / "data" / "raw" / "test"
# Scenario commands keep only warnings and errors in their dbt.log: the debug lines dbt writes
# there for every node (its SQL, each connection step) cost about a tenth of a `dbt test`'s CPU
# (measured: 27.6 to 29.3 CPU s with warn against 31.3 s with the default, 964 data tests). A
# failure's message is in the command's result; callbacks still receive every event.
SCENARIO_LOG_ARGS = ("--log-level-file", "warn")


@contextmanager
def environment(**values: str) -> Iterator[None]:
    """Set environment variables for the duration of one dbt invocation."""
    previous = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_dbt(
    args: list[str],
    *,
    raw_dir: Path,
    db_path: Path,
    work_dir: Path,
    callbacks: list[Callable[[EventMsg], None]] | None = None,
    manifest: Manifest | None = None,
) -> dbtRunnerResult:
    """Invoke dbt on the project's `work` target with GNE_RAW_DIR / GNE_WORK_DB_PATH pointed at
    the given paths (db_path is dbt's working database; nothing is published). `callbacks`
    receive every dbt event, e.g. to read the warnings a run printed. A `manifest` (a parse of
    the project with these same paths: DbtSession) is used instead of parsing again."""
    work_dir.mkdir(parents=True, exist_ok=True)
    common = [
        "--project-dir", str(REPO_ROOT),
        "--profiles-dir", str(REPO_ROOT),
        "--target-path", str(work_dir / "target"),
        "--log-path", str(work_dir / "logs"),
        "--target", "work",
        "--quiet",
        *SCENARIO_LOG_ARGS,
    ]
    if args[:1] != ["parse"]:
        # No manifest.json / run_results.json: no scenario reads them (the outcome is in the
        # result), and writing them cost about 1 CPU s of each command. `parse` writes its
        # manifest.json, which parsed_manifest reads; partial parsing keeps its own file.
        common.append("--no-write-json")
    env = {
        "GNE_RAW_DIR": str(raw_dir),
        "GNE_WORK_DB_PATH": str(db_path),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    started, cpu_started = time.perf_counter(), time.process_time()
    with environment(**env):
        try:
            runner = dbtRunner(manifest=manifest, callbacks=callbacks or [])
            result = runner.invoke([*args, *common])
        finally:
            release_dbt_database()
    # Shown by pytest on a failure or with -s: where a scenario spends its time.
    print(f"dbt {' '.join(args)}: {time.perf_counter() - started:.1f} s, "
          f"CPU {time.process_time() - cpu_started:.1f} s", flush=True)
    if not result.success:
        raise AssertionError(f"dbt {' '.join(args)} failed: {result.exception or result.result}")
    return result


class DbtSession:
    """The dbt commands of one scenario on one raw folder and one database, parsed once.

    The first command parses the project (`dbt parse`, whose Manifest dbt returns); every later
    one reuses that manifest (dbtRunner(manifest=...)) and so skips even the partial parse that
    each command would otherwise start with (about 1.5 CPU s: reading and checking its saved
    state). Only for a scenario that changes the raw data between its commands, never the
    project's files or the environment: the manifest is the project as it was parsed.
    """

    def __init__(self, *, raw_dir: Path, db_path: Path, work_dir: Path) -> None:
        self.paths = {"raw_dir": raw_dir, "db_path": db_path, "work_dir": work_dir}
        self._manifest: Manifest | None = None

    def run(self, args: list[str]) -> dbtRunnerResult:
        if self._manifest is None:
            parsed = run_dbt(["parse", "--no-write-json"], **self.paths)
            assert isinstance(parsed.result, Manifest), parsed.result
            self._manifest = parsed.result
        return run_dbt(args, **self.paths, manifest=self._manifest)


def release_dbt_database() -> None:
    """Close the database dbt-duckdb keeps open in this process after a command.

    dbt-duckdb holds its DuckDB instance in a class-level environment; with the profile's
    in-memory database and the working file attached, a later `duckdb.connect(db_path)` in this
    process fails ("Unique file handle conflict ... already attached by database gne") and other
    processes meet DuckDB's lock. Each run_dbt therefore ends by closing it.
    """
    environment = getattr(DuckDBConnectionManager, "_ENV", None)
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()


def open_built(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A connection to a database dbt built, under the catalog name its views name (`gne`: the
    profile's work target attaches every working database under that alias), whatever the file
    is called. Views such as staging's reference "gne"."staging"...; opened by its own name a
    file other than gne.duckdb could not resolve them."""
    con = duckdb.connect(":memory:")
    con.execute(f"attach '{db_path}' as gne")
    con.execute("use gne")
    return con


def base_tables(db_path: Path, schemas: tuple[str, ...],
                exclude_columns: tuple[str, ...] = ()) -> dict[str, pd.DataFrame]:
    """Every base table of the given schemas, rows sorted by all columns, keyed schema.table,
    without the columns named in exclude_columns.

    Read-only, so it can read a database other test processes hold open read-only too."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        names = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_schema in "
            f"({', '.join('?' for _ in schemas)}) order by 1, 2",
            list(schemas),
        ).fetchall()
        tables = {}
        for schema, name in names:
            frame = con.execute(f'select * from "{schema}"."{name}"').df()
            frame = frame.drop(columns=[column for column in exclude_columns
                                        if column in frame.columns])
            tables[f"{schema}.{name}"] = frame.sort_values(list(frame.columns)).reset_index(drop=True)
    return tables


SHARED_BUILD_VARIABLE = "GNE_TEST_SHARED_BUILD"


def shared_test_build() -> Path | None:
    """The working database `make test` built from the test dataset in this run, or None.

    `make test` runs `dbt build --full-refresh` of data/raw/test into GNE_WORK_DB_PATH and then
    sets GNE_TEST_SHARED_BUILD=1 for pytest: that database is a full refresh of the test dataset
    with the models as they are checked out. Outside `make test` (a pytest run of its own, after
    models changed) the variable is unset and a scenario builds its own reference instead, so it
    never compares with a stale build. Open it read-only: other tests read it at the same time.
    """
    if os.environ.get(SHARED_BUILD_VARIABLE) != "1":
        return None
    configured = os.environ.get("GNE_WORK_DB_PATH")
    raw_dir = os.environ.get("GNE_RAW_DIR")
    if not configured or not raw_dir or Path(raw_dir).resolve() != TEST_RAW_DIR.resolve():
        return None
    path = Path(configured)
    path = path if path.is_absolute() else REPO_ROOT / path
    return path if path.exists() else None


def parsed_manifest(work_dir: Path) -> dict:
    """The project's manifest.json as dbt parses it from the files checked out.

    Under `make test` (shared_test_build), the one its `dbt build` wrote to target/ a moment ago:
    the same parse of the same files, so a test reading it need not spend the 8-10 CPU seconds of a
    full parse again. Otherwise a `dbt parse` of its own in work_dir (whose target/ it reads), so
    a pytest run of its own never reads a stale target/.
    """
    if shared_test_build() is not None:
        built = REPO_ROOT / "target" / "manifest.json"
        if built.exists():
            print(f"parsed manifest: make test's {built}", flush=True)
            return json.loads(built.read_text())
    run_dbt(["parse"], raw_dir=TEST_RAW_DIR, db_path=work_dir / "parse.duckdb", work_dir=work_dir)
    return json.loads((work_dir / "target" / "manifest.json").read_text())
