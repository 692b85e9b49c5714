"""A publish that starts from the last BI file must write exactly what a full publish writes.

scripts/publish_bi.py keeps, beside the working database, what the BI file in place was written
from (scripts/bi_publish_state.py); the next publish copies that file, keeps the tables whose
content is unchanged, replaces the changed rows of keyed tables and writes the rest whole. These
tests run it on a copy of the working database `make test` built (no dbt run: the changes a
build makes are applied to the copy directly, so each kind of change is there on purpose):

- a publish with nothing changed keeps every table and its file equals the full publish before;
- a publish that fails leaves the BI file and the state as they were;
- after rows of a keyed fact were changed, deleted and added, a table without a key changed, a
  column added to another table and a table no longer published, the next publish writes only
  those (`main.publish.written_as` says how it wrote each table), and its file equals a `--full`
  publish of the same database, table by table, row by row and comment by comment;
- what must make a publish start over does: `--full`, a BI file that is not the one the state
  describes (an older publish restored, or the file changed in place), another pseudonym key, a
  state that is gone.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dbt_harness import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "scripts"))
import bi_pseudonyms  # noqa: E402
import publish_bi  # noqa: E402

SETTINGS = publish_bi.Settings.from_project(REPO_ROOT / "dbt_project.yml")
TARGET_FILES = ("run_results.json", "manifest.json", "semantic_manifest.json")
KEY = bi_pseudonyms.PseudonymKey(b"gne-test-key-not-a-secret", "test")
OTHER_KEY = bi_pseudonyms.PseudonymKey(b"another-test-key-not-a-secret", "test")
# Columns that differ between two publishes of the same data by design.
PUBLISH_IDENTITY = ("publish_id", "published_at", "based_on_publish_id", "written_as",
                    "git_is_dirty")


@dataclass
class Setup:
    """A copy of the built working database, dbt's target files and the publish's paths."""

    work_db: Path
    target: Path
    bi_db: Path
    cache_file: Path
    state_file: Path

    def publish(self, bi_db: Path | None = None, *, key: bi_pseudonyms.PseudonymKey = KEY,
                full: bool = False, state_file: Path | None = None) -> dict:
        return publish_bi.publish(
            self.work_db, bi_db or self.bi_db, self.target, SETTINGS, key,
            cache_file=self.cache_file, state_file=state_file or self.state_file, full=full,
        )


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    configured = os.environ.get("GNE_WORK_DB_PATH")
    if not configured or not Path(configured).exists():
        pytest.skip("GNE_WORK_DB_PATH is not built: run through `make test`")
    work_db = tmp_path / "work" / "gne.duckdb"
    work_db.parent.mkdir()
    shutil.copyfile(configured, work_db)
    target = tmp_path / "target"
    target.mkdir()
    for name in TARGET_FILES:
        shutil.copyfile(REPO_ROOT / "target" / name, target / name)
    return Setup(work_db, target, tmp_path / "bi" / "gne.duckdb",
                 work_db.with_name("gne.pseudonyms.duckdb"), work_db.with_name("gne.state.duckdb"))


def _written(bi_db: Path) -> dict[str, str]:
    with duckdb.connect(str(bi_db), read_only=True) as con:
        return dict(con.execute(
            "select table_schema || '.' || table_name, written_as from main.publish"
        ).fetchall())


def _based_on(bi_db: Path) -> set:
    with duckdb.connect(str(bi_db), read_only=True) as con:
        return {row[0] for row in con.execute(
            "select distinct based_on_publish_id from main.publish").fetchall()}


def _contents(bi_db: Path) -> dict[str, pd.DataFrame]:
    """Every table of a BI file, rows sorted (main.publish without its per-publish columns)."""
    with duckdb.connect(str(bi_db), read_only=True) as con:
        names = con.execute(
            "select schema_name, table_name from duckdb_tables() order by 1, 2").fetchall()
        tables = {}
        for schema, name in names:
            frame = con.execute(f'select * from "{schema}"."{name}"').df()
            if (schema, name) == ("main", "publish"):
                frame = frame.drop(columns=list(PUBLISH_IDENTITY))
            tables[f"{schema}.{name}"] = frame.sort_values(
                list(frame.columns)).reset_index(drop=True)
        return tables


def _comments(bi_db: Path) -> set[tuple]:
    """Every table and column comment of a BI file."""
    with duckdb.connect(str(bi_db), read_only=True) as con:
        return set(con.execute(
            "select schema_name, table_name, column_name, comment from duckdb_columns() "
            "where comment is not null union all "
            "select schema_name, table_name, null, comment from duckdb_tables() "
            "where comment is not null").fetchall())


def _forget_descriptions(target: Path, schema: str, name: str) -> None:
    """The YAML of one model or seed loses its description and its columns' (in the copy of
    dbt's manifest the publish reads)."""
    manifest_file = target / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    for node in manifest["nodes"].values():
        if (node.get("schema"), node.get("alias")) == (schema, name):
            node["description"] = ""
            for column in node["columns"].values():
                column["description"] = ""
    manifest_file.write_text(json.dumps(manifest))


def _change_work(work_db: Path) -> None:
    """What a build does to the working database, each kind of change once."""
    with duckdb.connect(str(work_db)) as con:
        # A keyed fact: rows changed, deleted and added (a new key).
        con.execute("""
            update core.fct_orders set gmv_local = gmv_local + 1
            where order_id in (select order_id from core.fct_orders order by order_id limit 7)""")
        con.execute("""
            delete from core.fct_orders
            where order_id in (select order_id from core.fct_orders order by order_id desc limit 3)
        """)
        con.execute("""
            insert into core.fct_orders
            select * replace ('new-' || order_id as order_id, 'new-' || buyer_id as buyer_id)
            from core.fct_orders order by order_id limit 2""")
        # A table without a key: one value changed.
        con.execute("""
            update marts.metric_values set value = value + 1
            where rowid = (select min(rowid) from marts.metric_values where value is not null)""")
        # A new column: the table's signature changed.
        con.execute("alter table core.fct_reports add column reviewed_twice boolean")
        # A table no longer published.
        con.execute("drop table reference.queue_slas")


def _assert_same_contents(actual: Path, expected: Path) -> None:
    actual_tables, expected_tables = _contents(actual), _contents(expected)
    assert sorted(actual_tables) == sorted(expected_tables)
    for name, frame in expected_tables.items():
        pd.testing.assert_frame_equal(actual_tables[name], frame, obj=name)


def test_a_publish_from_the_last_file_equals_a_full_publish(
    setup: Setup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup.publish()
    assert set(_written(setup.bi_db).values()) == {"rewritten"}
    assert _based_on(setup.bi_db) == {None}
    first = tmp_path / "first.duckdb"
    shutil.copyfile(setup.bi_db, first)

    # Nothing changed: every table kept (the exports are always computed again).
    setup.publish()
    written = _written(setup.bi_db)
    assert {name for name, how in written.items() if how != "unchanged"} == {
        name for name in written if name.startswith("exports.")}
    assert _based_on(setup.bi_db) == {_only_publish_id(first)}
    _assert_same_contents(setup.bi_db, first)
    second_id = _only_publish_id(setup.bi_db)

    # A publish that fails leaves the file as it was, and the state describing it.
    _change_work(setup.work_db)
    before = tmp_path / "before.duckdb"
    shutil.copyfile(setup.bi_db, before)

    def fail(*_args: object) -> None:
        raise RuntimeError("the exports failed")

    monkeypatch.setattr(publish_bi, "write_exports", fail)
    with pytest.raises(RuntimeError, match="the exports failed"):
        setup.publish()
    monkeypatch.undo()
    assert _only_publish_id(setup.bi_db) == second_id
    _assert_same_contents(setup.bi_db, before)
    assert list(setup.bi_db.parent.glob(".*.new*")) == []

    # The changed build: only what changed is written, and the file equals a full publish
    # (comments too: an unchanged table whose YAML lost its descriptions loses its comments).
    _forget_descriptions(setup.target, "reference", "markets")
    setup.publish()
    written = _written(setup.bi_db)
    assert written["core.fct_orders"] == "rows replaced"
    assert written["marts.metric_values"] == "rewritten"
    assert written["core.fct_reports"] == "rewritten"
    assert "reference.queue_slas" not in written
    assert written["reference.markets"] == "unchanged"
    assert written["core.fct_cs_tickets"] == "unchanged"
    assert _based_on(setup.bi_db) == {second_id}
    full = tmp_path / "full" / "gne.duckdb"
    full_state = tmp_path / "full.state.duckdb"
    shutil.copyfile(setup.state_file, full_state)  # its saved-query SQL, not its file
    setup.publish(full, full=True, state_file=full_state)
    assert _based_on(full) == {None}
    _assert_same_contents(setup.bi_db, full)
    assert _comments(setup.bi_db) == _comments(full)
    assert not {row for row in _comments(full) if row[:2] == ("reference", "markets")}


def test_what_makes_a_publish_start_over(setup: Setup, tmp_path: Path) -> None:
    setup.publish()
    older = tmp_path / "older.duckdb"
    shutil.copyfile(setup.bi_db, older)

    setup.publish(full=True)
    assert _based_on(setup.bi_db) == {None}

    # In place: a file the state does not describe (an older publish restored).
    shutil.copyfile(older, setup.bi_db)
    setup.publish()
    assert _based_on(setup.bi_db) == {None}

    setup.publish(key=OTHER_KEY)
    assert _based_on(setup.bi_db) == {None}

    # The file the state describes, changed in place by a read-write connection.
    setup.publish(key=OTHER_KEY)
    assert _based_on(setup.bi_db) != {None}
    with duckdb.connect(str(setup.bi_db)) as con:
        con.execute("update reference.markets set market_name = 'changed in place'")
    setup.publish(key=OTHER_KEY)
    assert _based_on(setup.bi_db) == {None}
    assert _written(setup.bi_db)["reference.markets"] == "rewritten"

    setup.state_file.unlink()
    setup.publish(key=OTHER_KEY)
    assert _based_on(setup.bi_db) == {None}


def _only_publish_id(bi_db: Path) -> str:
    with duckdb.connect(str(bi_db), read_only=True) as con:
        (publish_id,) = con.execute("select distinct publish_id from main.publish").fetchone()
        return publish_id
