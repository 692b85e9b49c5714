"""The published BI file of `make test`: what it holds, pseudonyms, comments, exports, clients.

`make test` builds the test data into dbt's working database (GNE_WORK_DB_PATH) and publishes
it to the BI file (GNE_DB_PATH) with a fixed test key (GNE_PSEUDONYM_KEY). These tests read
both, read-only:

- the BI file holds the marts and reference seeds whole, the relations of the semantic layer,
  one export table per saved query and `main.publish`; no staging, intermediate or quarantine;
- every published table equals its working table, with the listed id columns replaced by
  HMAC-SHA256 pseudonyms under the key (computed here again), and `main.publish` counts right;
- no identifier of the raw data appears anywhere in the BI file (and the same scan finds them
  in the working database, so it can fail);
- every table and column carries its YAML description as a DuckDB comment;
- each export table equals `mf query --saved-query` on the same file, run while a reader holds
  the file open; `mf list metrics` works then too;
- SQLAlchemy + duckdb_engine reflect tables and columns and run a query, as Superset does.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dbt_harness import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "scripts"))
import bi_pseudonyms  # noqa: E402
import publish_bi  # noqa: E402

MF = Path(sys.executable).parent / "mf"
TARGET = REPO_ROOT / "target"
SETTINGS = publish_bi.Settings.from_project(REPO_ROOT / "dbt_project.yml")
# Payload fields of the raw contract that are not identifiers of the data's entities: policy ids
# are reference data (seeds), kept in clear.
NOT_RAW_IDENTIFIERS = {"policy_id"}
WORK = publish_bi.CATALOG


def _env_path(variable: str) -> Path:
    value = os.environ.get(variable)
    if not value:
        pytest.skip(f"{variable} is not set: run through `make test` (after build and publish)")
    path = Path(value)
    path = path if path.is_absolute() else REPO_ROOT / path
    if not path.exists():
        pytest.fail(f"{variable}={path} does not exist: `make test` builds and publishes it")
    return path


@pytest.fixture(scope="module")
def bi_db() -> Path:
    return _env_path("GNE_DB_PATH")


@pytest.fixture(scope="module")
def work_db() -> Path:
    return _env_path("GNE_WORK_DB_PATH")


@pytest.fixture(scope="module")
def both(bi_db: Path, work_db: Path) -> duckdb.DuckDBPyConnection:
    """One in-memory connection with the BI file as `bi` and the working DB as `work` (under
    its catalog name `gne`, which the views dbt created in it name)."""
    con = duckdb.connect(":memory:")
    con.execute(f"attach '{bi_db}' as bi (read_only)")
    con.execute(f"attach '{work_db}' as {WORK} (read_only)")
    yield con
    con.close()


@pytest.fixture(scope="module")
def semantic_manifest() -> dict:
    return json.loads((TARGET / "semantic_manifest.json").read_text())


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> set[tuple[str, str]]:
    return set(
        con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = ?",
            [catalog],
        ).fetchall()
    )


def test_the_bi_file_holds_marts_semantic_relations_exports_and_publish(
    both: duckdb.DuckDBPyConnection, semantic_manifest: dict
) -> None:
    bi = _tables(both, "bi")
    work = _tables(both, WORK)
    schemas = {schema for schema, _ in bi}
    assert schemas == {"main", "marts", "reference", "core", "exports"}, schemas
    assert not {name for _, name in bi if name.startswith(("stg_", "int_"))}, "no staging"
    assert {t for t in bi if t[0] in ("marts", "reference")} == {
        t for t in work if t[0] in ("marts", "reference")
    }
    assert {t for t in bi if t[0] == "core"} == publish_bi.semantic_relations(semantic_manifest)
    assert {name for schema, name in bi if schema == "exports"} == {
        query["name"] for query in semantic_manifest["saved_queries"]
    }
    views = both.execute("select count(*) from duckdb_views() where database_name = 'bi' "
                         "and not internal").fetchone()[0]
    assert views == 0, "views would name the catalog of the publishing connection"


def test_the_publish_table_records_one_publish_with_true_row_counts(
    both: duckdb.DuckDBPyConnection,
) -> None:
    publish = both.execute("select * from bi.main.publish").df()
    assert publish["publish_id"].nunique() == 1
    for column in ("published_at", "data_as_of_at", "pseudonym_key_id", "git_commit"):
        assert publish[column].nunique() == 1 and publish[column].notna().all(), column
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()
    assert publish["git_commit"].iloc[0] == head
    key = bi_pseudonyms.load_key(REPO_ROOT)
    assert publish["pseudonym_key_id"].iloc[0] == key.key_id
    as_of = both.execute(f"select max(as_of_at) from {WORK}.marts.data_availability").fetchone()[0]
    assert publish["data_as_of_at"].iloc[0] == pd.Timestamp(as_of)
    listed = {(s, t) for s, t in publish[["table_schema", "table_name"]].itertuples(index=False)}
    assert listed == _tables(both, "bi") - {("main", "publish")}
    for schema, table, row_count in publish[
        ["table_schema", "table_name", "row_count"]
    ].itertuples(index=False):
        actual = both.execute(f'select count(*) from bi."{schema}"."{table}"').fetchone()[0]
        assert actual == row_count, f"{schema}.{table}: publish says {row_count}, has {actual}"


def test_sql_pseudonyms_equal_python_hmac() -> None:
    for secret in (b"a-sixteen-byte-k", b"k" * 64, b"x" * 200):
        con = duckdb.connect(":memory:")
        con.execute(bi_pseudonyms.macro_sql(secret, 32))
        for value in ("B-000001", "", "S-ü-é", "a" * 300):
            got = con.execute(f"select {bi_pseudonyms.MACRO_NAME}(?)", [value]).fetchone()[0]
            assert got == bi_pseudonyms.hmac_pseudonym(secret, value, 32), value
        assert con.execute(f"select {bi_pseudonyms.MACRO_NAME}(null)").fetchone()[0] is None
        con.close()
    assert bi_pseudonyms.hmac_pseudonym(b"k" * 16, "B-1", 32) != bi_pseudonyms.hmac_pseudonym(
        b"j" * 16, "B-1", 32
    ), "another key must give other pseudonyms"


def test_published_tables_equal_work_with_ids_pseudonymized(
    both: duckdb.DuckDBPyConnection,
) -> None:
    key = bi_pseudonyms.load_key(REPO_ROOT)
    both.execute(bi_pseudonyms.macro_sql(key.secret, SETTINGS.pseudonym_hex_chars))
    pseudonymized_seen = set()
    for schema, table in sorted(_tables(both, WORK) & _tables(both, "bi")):
        columns = [row[0] for row in both.execute(
            "select column_name from duckdb_columns() where database_name = ? "
            "and schema_name = ? and table_name = ? order by column_index", [WORK, schema, table]
        ).fetchall()]
        expected = ", ".join(
            f'{bi_pseudonyms.MACRO_NAME}("{c}") as "{c}"'
            if c in SETTINGS.pseudonymized_columns else f'"{c}"'
            for c in columns
        )
        pseudonymized_seen |= set(columns) & SETTINGS.pseudonymized_columns
        differences = both.execute(
            f'select count(*) from ((select {expected} from {WORK}."{schema}"."{table}" '
            f'except all select * from bi."{schema}"."{table}") union all '
            f'(select * from bi."{schema}"."{table}" except all '
            f'select {expected} from {WORK}."{schema}"."{table}"))'
        ).fetchone()[0]
        assert differences == 0, f"{schema}.{table}: {differences} rows differ"
    person_level = {"buyer_id", "seller_id", "reporter_id", "target_id"}
    assert person_level <= pseudonymized_seen


def _raw_identifiers(raw_dir: Path) -> set[str]:
    """Every id value of the raw event log: event_id and each payload field named *_id."""
    con = duckdb.connect(":memory:")
    rows = con.execute(
        "select event_id, payload from read_parquet(?, hive_partitioning = true)",
        [str(raw_dir / "governance_events" / "*" / "*.parquet")],
    ).fetchall()
    con.close()
    identifiers = set()
    for event_id, payload in rows:
        if event_id:
            identifiers.add(event_id)
        try:
            fields = json.loads(payload) if payload else {}
        except (json.JSONDecodeError, TypeError):
            continue
        if not isinstance(fields, dict):
            continue
        for name, value in fields.items():
            if name.endswith("_id") and name not in NOT_RAW_IDENTIFIERS and value:
                identifiers.add(str(value))
    return identifiers


def _identifier_hits(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, int]:
    """Text columns of a catalog in which a raw identifier occurs, as a value or a word."""
    columns = con.execute(
        "select schema_name, table_name, column_name from duckdb_columns() "
        "where database_name = ? and data_type like '%VARCHAR%'", [catalog]
    ).fetchall()
    hits = {}
    for schema, table, column in columns:
        count = con.execute(
            f'select count(*) from (select unnest(regexp_extract_all(cast("{column}" as varchar), '
            f"'[A-Za-z0-9_-]+')) as word from {catalog}.\"{schema}\".\"{table}\") as words "
            "where word in (select identifier from raw_identifiers)"
        ).fetchone()[0]
        if count:
            hits[f"{schema}.{table}.{column}"] = count
    return hits


def test_no_raw_identifier_appears_in_the_bi_file(both: duckdb.DuckDBPyConnection) -> None:
    raw_dir = _env_path("GNE_RAW_DIR")
    identifiers = _raw_identifiers(raw_dir)
    assert len(identifiers) > 1000, "the raw data should hold many ids"
    frame = pd.DataFrame({"identifier": sorted(identifiers)})
    both.register("raw_identifier_frame", frame)
    both.execute("create or replace temp table raw_identifiers as "
                 "select * from raw_identifier_frame")
    assert _identifier_hits(both, "bi") == {}
    in_work = _identifier_hits(both, WORK)
    assert {"core.fct_orders.buyer_id", "core.fct_reports.reporter_id"} <= set(in_work), (
        "the scan must find the clear ids the working database keeps"
    )


def test_every_table_and_column_has_its_description_as_a_comment(
    both: duckdb.DuckDBPyConnection,
) -> None:
    manifest = json.loads((TARGET / "manifest.json").read_text())
    nodes = publish_bi.documented_nodes(manifest)
    tables = both.execute(
        "select schema_name, table_name, comment from duckdb_tables() where database_name = 'bi'"
    ).fetchall()
    for schema, table, comment in tables:
        assert comment, f"{schema}.{table} has no comment"
        if (schema, table) in nodes:
            assert comment == nodes[(schema, table)].description
    blank = both.execute(
        "select schema_name || '.' || table_name || '.' || column_name from duckdb_columns() "
        "where database_name = 'bi' and coalesce(comment, '') = '' order by 1"
    ).fetchall()
    assert not blank, f"columns without a comment: {blank[:20]}"
    comment = both.execute(
        "select comment from duckdb_columns() where database_name = 'bi' and schema_name = "
        "'core' and table_name = 'fct_orders' and column_name = 'buyer_id'"
    ).fetchone()[0]
    assert comment.startswith(nodes[("core", "fct_orders")].column_descriptions["buyer_id"])
    assert "pseudonym" in comment


def _run_mf(*args: str, bi_db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GNE_DB_PATH": str(bi_db), "DBT_PROFILES_DIR": str(REPO_ROOT)}
    return subprocess.run([str(MF), *args], cwd=REPO_ROOT, env=env, capture_output=True,
                          text=True, timeout=600, check=False)


def _same_frames(left: pd.DataFrame, right: pd.DataFrame) -> list[str]:
    """Cells that differ between two frames of the same columns (floats to 1e-9 relative)."""
    keys = list(left.columns)
    left = left.sort_values(keys).reset_index(drop=True)
    right = right[keys].sort_values(keys).reset_index(drop=True)
    if len(left) != len(right):
        return [f"{len(left)} rows vs {len(right)}"]
    problems = []
    for column in keys:
        for index, (a, b) in enumerate(zip(left[column], right[column])):
            if pd.isna(a) and pd.isna(b):
                continue
            if isinstance(a, float) or isinstance(b, float):
                if not (pd.notna(a) and pd.notna(b)
                        and math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)):
                    problems.append(f"{column} row {index}: {a!r} vs {b!r}")
            elif str(a) != str(b):
                problems.append(f"{column} row {index}: {a!r} vs {b!r}")
    return problems


def test_exports_equal_mf_saved_queries_with_a_reader_connected(
    bi_db: Path, semantic_manifest: dict, tmp_path: Path
) -> None:
    reader = duckdb.connect(str(bi_db), read_only=True)  # held open the whole time, as BI does
    try:
        listed = _run_mf("list", "metrics", bi_db=bi_db)
        assert listed.returncode == 0, listed.stdout[-2000:] + listed.stderr[-2000:]
        assert "order_defect_rate" in listed.stdout
        for query in semantic_manifest["saved_queries"]:
            name = query["name"]
            out = tmp_path / f"{name}.csv"
            result = _run_mf("query", "--quiet", "--saved-query", name, "--csv", str(out),
                             bi_db=bi_db)
            assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
            from_mf = pd.read_csv(out, keep_default_na=True)
            table = reader.execute(f'select * from exports."{name}"').df()
            assert sorted(from_mf.columns) == sorted(table.columns), name
            for column in table.columns:
                if pd.api.types.is_datetime64_any_dtype(table[column]):
                    from_mf[column] = pd.to_datetime(from_mf[column])
                elif table[column].dtype == object:
                    from_mf[column] = from_mf[column].astype(object)
            problems = _same_frames(table, from_mf[list(table.columns)])
            assert not problems, f"exports.{name} != mf query --saved-query {name}: {problems[:5]}"
    finally:
        reader.close()


def test_sqlalchemy_inspector_reflects_and_queries(bi_db: Path) -> None:
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(f"duckdb:///{bi_db}", connect_args={"read_only": True})
    try:
        inspector = inspect(engine)
        # duckdb_engine names schemas <catalog>.<schema>; the catalog is the file's stem.
        catalog = bi_db.stem
        schemas = set(inspector.get_schema_names())
        assert {f"{catalog}.{s}" for s in ("marts", "core", "exports", "reference")} <= schemas
        assert "metric_values" in inspector.get_table_names(schema=f"{catalog}.marts")
        assert "metric_values" in inspector.get_table_names(schema="marts")
        columns = {c["name"]: c for c in inspector.get_columns("metric_values", schema="marts")}
        assert {"metric_id", "numerator", "denominator", "value"} <= set(columns)
        assert columns["numerator"]["comment"], "BI tools show the column descriptions"
        assert inspector.get_table_comment("metric_values", schema="marts")["text"]
        exports = inspector.get_table_names(schema="exports")
        assert "global_monthly_kpis" in exports
        assert inspector.get_columns("global_monthly_kpis", schema="exports")
        with engine.connect() as connection:
            rows = connection.execute(text("select count(*) from marts.metric_values")).scalar()
            published = connection.execute(text(
                "select row_count from main.publish where table_schema = 'marts' "
                "and table_name = 'metric_values'"
            )).scalar()
        assert rows == published > 0
    finally:
        engine.dispose()


def test_make_export_writes_every_published_mart_to_parquet_and_csv(
    bi_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "export"
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "export_marts.py"), "--bi-db", str(bi_db),
         "--out", str(out)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    with duckdb.connect(str(bi_db), read_only=True) as con:
        publish_id = con.execute("select max(publish_id) from publish").fetchone()[0]
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where schema_name in ('marts', 'exports') order by 1, 2"
        ).fetchall()
        folder = out / "latest"
        assert folder.resolve() == (out / publish_id).resolve()
        written = sorted(p.name for p in (folder / "parquet").iterdir())
        assert written == sorted(f"{s}.{t}.parquet" for s, t in tables)
        for schema, table in tables:
            expected = con.execute(f'select * from "{schema}"."{table}"').df()
            parquet = pd.read_parquet(folder / "parquet" / f"{schema}.{table}.parquet")
            csv = pd.read_csv(folder / "csv" / f"{schema}.{table}.csv")
            assert list(parquet.columns) == list(expected.columns) == list(csv.columns)
            assert len(parquet) == len(expected) == len(csv), f"{schema}.{table}"
