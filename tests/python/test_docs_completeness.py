"""Every model and seed, and every column of what they build, is documented in YAML.

The YAML side comes from dbt's own parse (target/manifest.json); the built side from the
columns of the relations in dbt's working database that `make test` builds (GNE_WORK_DB_PATH;
the published BI file holds a subset, and its comments are checked in test_bi_publish.py). A column
added to a model without a description, a YAML column that the model no longer has, or a
model without a description fails here, naming each one.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from dbt_harness import REPO_ROOT, parsed_manifest

PROJECT_NAME = "gne_metrics"
DOCUMENTED_RESOURCE_TYPES = ("model", "seed")


@pytest.fixture(scope="module")
def documented_nodes(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    """The project's models and seeds as dbt parses them (manifest.json nodes)."""
    manifest = parsed_manifest(tmp_path_factory.mktemp("docs_parse"))
    nodes = [
        node
        for node in manifest["nodes"].values()
        if node["package_name"] == PROJECT_NAME
        and node["resource_type"] in DOCUMENTED_RESOURCE_TYPES
    ]
    assert nodes, "the manifest holds no models"
    return nodes


@pytest.fixture(scope="module")
def built_columns() -> dict[tuple[str, str], list[str]]:
    """Columns of every table and view in the built database, keyed (schema, table)."""
    db_path = Path(
        os.environ.get("GNE_WORK_DB_PATH", REPO_ROOT / "build" / "test-work" / "gne.duckdb")
    )
    if not db_path.exists():
        pytest.skip(f"no built database at {db_path}: run dbt build first (make test does)")
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_catalog = current_database() order by table_schema, table_name, "
            "ordinal_position"
        ).fetchall()
    columns: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in rows:
        columns.setdefault((schema, table), []).append(column)
    return columns


def _name(node: dict) -> str:
    return f"{node['resource_type']} {node['name']} ({node['original_file_path']})"


def test_every_model_and_seed_has_a_description(documented_nodes: list[dict]) -> None:
    undocumented = sorted(_name(node) for node in documented_nodes if not node["description"].strip())
    assert not undocumented, "no description:\n" + "\n".join(undocumented)


def test_every_yaml_column_has_a_description(documented_nodes: list[dict]) -> None:
    blank = sorted(
        f"{node['name']}.{column['name']}"
        for node in documented_nodes
        for column in node["columns"].values()
        if not (column.get("description") or "").strip()
    )
    assert not blank, "columns with an empty description:\n" + "\n".join(blank)


def test_built_columns_match_documented_columns(
    documented_nodes: list[dict], built_columns: dict[tuple[str, str], list[str]]
) -> None:
    problems = []
    for node in documented_nodes:
        if node["config"].get("materialized") == "ephemeral":
            continue
        relation = (node["schema"], node["alias"])
        if relation not in built_columns:
            problems.append(f"{_name(node)}: not built in the database ({'.'.join(relation)})")
            continue
        built = {column.lower() for column in built_columns[relation]}
        documented = {column.lower() for column in node["columns"]}
        problems += [
            f"{node['name']}.{column}: built but not documented"
            for column in sorted(built - documented)
        ]
        problems += [
            f"{node['name']}.{column}: documented but not built"
            for column in sorted(documented - built)
        ]
    assert not problems, f"{len(problems)} documentation gaps:\n" + "\n".join(problems)
