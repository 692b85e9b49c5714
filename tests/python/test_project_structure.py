"""The project's shape, checked on dbt's own parse (target/manifest.json).

Data flows one way through the folders, and this keeps it so:

- layers, in order: staging (models/staging) < intermediate (models/intermediate) < core facts
  and dimensions (models/marts/core) < the metric store over the facts
  (models/intermediate/metrics) < domain marts (every other folder of models/marts). No model
  reads a model of a later layer. Seeds are reference data that any layer may read.
- only staging reads sources (so marts never do);
- staging does not join: a staging model reads one input, except the reference lookups listed
  in STAGING_LOOKUPS below, each with its reason;
- no model has more than MAX_FAN_IN direct inputs (dbt-project-evaluator's bar);
- every model's primary key is tested: one column with both `unique` and `not_null`, or the
  project's own `unique_combination_of_columns`;
- from core on, market reference data comes through the dimensions: no model of core, the
  metric store or the marts reads the `markets` seed or `int_market_stage_days` except the
  dimension built on it (DIMENSION_FOR);
- every model an exposure (models/exposures.yml) reads has `access: public`;
- every `var()` the SQL and YAML use is declared once, with a comment, under `vars:` in
  dbt_project.yml, and none is called with an inline default;
- nothing cites METRICS / RAW_EVENTS documents outside the repo (docs/ holds the repo's own).

Each rule is a function over the manifest dict that returns one line per violation, naming the
model and the edge, so the rules are unit-tested on small fake manifests here too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Callable

import pytest
import yaml

from dbt_harness import REPO_ROOT, parsed_manifest

PROJECT_NAME = "gne_metrics"
MAX_FAN_IN = 7

# Layer ranks by folder; the longest matching prefix wins.
LAYER_FOLDERS: dict[str, tuple[int, str]] = {
    "models/staging/": (0, "staging"),
    "models/intermediate/": (1, "intermediate"),
    "models/marts/core/": (2, "core"),
    "models/intermediate/metrics/": (3, "metric store"),
    "models/marts/": (4, "marts"),
}

# The only joins staging may make: staging model -> {input: why it is read}. A staging model
# with more than one input must have every input listed here.
STAGING_LOOKUPS: dict[str, dict[str, str]] = {
    "base_events__validated": {
        "source.events.governance_events": "the event log this model validates",
        "base_events__files": "the file manifest: which raw files are read at all",
        "markets": "market codes are validated against the markets seed",
        "fx_rates_monthly": "each currency's implausible-amount ceiling uses its weakest FX rate",
    },
    "base_finance__validated": {
        "source.finance.spend_actuals": "the finance lines this model validates",
        "base_finance__files": "the file manifest: which finance files are read at all",
        "markets": "market codes are validated against the markets seed",
        "fx_rates_monthly": "currencies are validated against the FX seed",
        "cost_centers": "cost centers are validated against the cost_centers seed",
    },
    "base_events__deduplicated": {
        "base_events__validated": "the valid rows of the event log",
        "base_events__repeats": "repeated deliveries, dropped here (base plumbing of one log)",
    },
    "base_events__quarantined": {
        "base_events__validated": "the rows that failed validation",
        "base_events__repeats": "conflicting repeats, quarantined here (base plumbing of one log)",
    },
}


# Reference inputs that the core dimensions wrap: from the core layer on, read the dimension.
DIMENSION_FOR: dict[str, str] = {
    "markets": "dim_markets",
    "int_market_stage_days": "dim_market_days",
}
CORE_RANK = 2


# ---------------------------------------------------------------- manifest helpers


def project_models(manifest: dict) -> dict[str, dict]:
    """The project's model nodes, keyed by unique_id."""
    return {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["package_name"] == PROJECT_NAME
    }


def layer_of(path: str) -> tuple[int, str] | None:
    """(rank, name) of the layer a model's file path is in; None outside the known folders."""
    matches = [prefix for prefix in LAYER_FOLDERS if path.startswith(prefix)]
    if not matches:
        return None
    return LAYER_FOLDERS[max(matches, key=len)]


def input_label(manifest: dict, unique_id: str) -> str:
    """A short name for an input: the model/seed name, or source.<source>.<table>."""
    if unique_id.startswith("source."):
        source = manifest["sources"][unique_id]
        return f"source.{source['source_name']}.{source['name']}"
    return manifest["nodes"][unique_id]["name"]


def direct_inputs(node: dict) -> list[str]:
    """Unique ids of the models, seeds, snapshots and sources a node reads (no macros)."""
    return [dep for dep in node["depends_on"]["nodes"] if not dep.startswith("metric.")]


# ---------------------------------------------------------------- rules


def unplaced_models(manifest: dict) -> list[str]:
    """Models outside every layer folder (the layer rule cannot judge them)."""
    return sorted(
        f"{node['name']} ({node['original_file_path']}) is in no layer folder"
        for node in project_models(manifest).values()
        if layer_of(node["original_file_path"]) is None
    )


def upward_reads(manifest: dict) -> list[str]:
    """Edges from a model to a model of a later layer."""
    models = project_models(manifest)
    problems = []
    for node in models.values():
        own = layer_of(node["original_file_path"])
        for dep in direct_inputs(node):
            if dep not in models or own is None:
                continue
            theirs = layer_of(models[dep]["original_file_path"])
            if theirs is not None and theirs[0] > own[0]:
                problems.append(
                    f"{node['name']} ({own[1]}) reads {models[dep]['name']} "
                    f"({theirs[1]}, a later layer)"
                )
    return sorted(problems)


def source_reads_outside_staging(manifest: dict) -> list[str]:
    """Edges from a non-staging model to a source."""
    problems = []
    for node in project_models(manifest).values():
        own = layer_of(node["original_file_path"])
        if own is not None and own[1] == "staging":
            continue
        problems += [
            f"{node['name']} ({own[1] if own else 'no layer'}) reads "
            f"{input_label(manifest, dep)}: only staging reads sources"
            for dep in direct_inputs(node)
            if dep.startswith("source.")
        ]
    return sorted(problems)


def staging_joins(manifest: dict) -> list[str]:
    """Inputs of multi-input staging models that are not documented reference lookups."""
    problems = []
    for node in project_models(manifest).values():
        own = layer_of(node["original_file_path"])
        inputs = direct_inputs(node)
        if own is None or own[1] != "staging" or len(inputs) <= 1:
            continue
        allowed = STAGING_LOOKUPS.get(node["name"], {})
        problems += [
            f"{node['name']} (staging) joins {input_label(manifest, dep)}, "
            "which is not a documented reference lookup (STAGING_LOOKUPS)"
            for dep in inputs
            if input_label(manifest, dep) not in allowed
        ]
    return sorted(problems)


def reference_reads_around_dimensions(manifest: dict) -> list[str]:
    """Edges from core-or-later models to reference data a core dimension already wraps."""
    problems = []
    for node in project_models(manifest).values():
        own = layer_of(node["original_file_path"])
        if own is None or own[0] < CORE_RANK:
            continue
        for dep in direct_inputs(node):
            name = input_label(manifest, dep)
            dimension = DIMENSION_FOR.get(name)
            if dimension and node["name"] != dimension:
                problems.append(
                    f"{node['name']} ({own[1]}) reads {name}: read {dimension} instead"
                )
    return sorted(problems)


def fan_in_over_limit(manifest: dict, limit: int = MAX_FAN_IN) -> list[str]:
    """Models that read more than `limit` direct inputs."""
    problems = []
    for node in project_models(manifest).values():
        inputs = sorted(input_label(manifest, dep) for dep in direct_inputs(node))
        if len(inputs) > limit:
            problems.append(
                f"{node['name']} reads {len(inputs)} inputs (limit {limit}): {', '.join(inputs)}"
            )
    return sorted(problems)


def untested_primary_keys(manifest: dict) -> list[str]:
    """Models with no column tested unique + not_null and no unique_combination_of_columns."""
    unique_columns: dict[str, set[str]] = defaultdict(set)
    not_null_columns: dict[str, set[str]] = defaultdict(set)
    combination_tested: set[str] = set()
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("test_metadata"):
            continue
        attached = node.get("attached_node")
        name = node["test_metadata"]["name"]
        column = node.get("column_name")
        if name == "unique" and column:
            unique_columns[attached].add(column)
        elif name == "not_null" and column:
            not_null_columns[attached].add(column)
        elif name == "unique_combination_of_columns":
            combination_tested.add(attached)
    return sorted(
        f"{node['name']} has no primary-key test (unique + not_null on one column, "
        "or unique_combination_of_columns)"
        for unique_id, node in project_models(manifest).items()
        if unique_id not in combination_tested
        and not unique_columns[unique_id] & not_null_columns[unique_id]
    )


def exposed_models_not_public(manifest: dict) -> list[str]:
    """Exposure -> model edges whose model is not `access: public`."""
    models = project_models(manifest)
    return sorted(
        f"exposure {exposure['name']} reads {models[dep]['name']}, "
        f"whose access is {models[dep].get('access')} (not public)"
        for exposure in manifest.get("exposures", {}).values()
        for dep in exposure["depends_on"]["nodes"]
        if dep in models and models[dep].get("access") != "public"
    )


def var_calls(text: str) -> list[tuple[str, bool]]:
    """(name, has_inline_default) of every dbt var() call in a SQL or YAML text."""
    return [
        (match.group(2), match.group(3) is None)
        for match in VAR_CALL.finditer(text)
    ]


VAR_CALL = re.compile(r"""\bvar\(\s*(['"])(\w+)\1\s*(\))?""")


def var_problems(files: dict[str, str], project_yml: str) -> list[str]:
    """Vars used but not declared, called with a default, declared but unused, or uncommented."""
    declared = yaml.safe_load(project_yml).get("vars") or {}
    used: set[str] = set()
    problems = []
    for path, text in sorted(files.items()):
        for name, has_default in var_calls(text):
            used.add(name)
            if has_default:
                problems.append(f"{path}: var('{name}', ...) has an inline default")
            if name not in declared:
                problems.append(f"{path}: var '{name}' is not declared in dbt_project.yml vars")
    # Vars the Python scripts read from dbt_project.yml (scripts/publish_bi.py: `vars["x"]`).
    used |= {
        name
        for text in script_texts().values()
        for name in re.findall(r'variables\["([a-z_]+)"\]', text)
    }
    problems += [f"dbt_project.yml: var '{name}' is declared but never used"
                 for name in sorted(set(declared) - used)]
    problems += [f"dbt_project.yml: var '{name}' has no comment above it"
                 for name in uncommented_vars(project_yml)]
    return problems


def uncommented_vars(project_yml: str) -> list[str]:
    """Var keys of the vars: block not under a comment (a run of keys shares one comment)."""
    lines = project_yml.splitlines()
    start = lines.index("vars:") + 1
    commented, missing = False, []
    for line in lines[start:]:
        if line and not line.startswith(" "):
            break
        stripped = line.strip()
        if stripped.startswith("#"):
            commented = True
        elif re.match(r"^  \w+:", line):
            if not commented:
                missing.append(stripped.split(":")[0])
        elif not stripped:
            commented = False
    return missing


def project_texts() -> dict[str, str]:
    """SQL, YAML and Markdown under models/, macros/ and tests/ (not the Python tests)."""
    texts = {}
    for folder in ("models", "macros", "tests"):
        for path in sorted((REPO_ROOT / folder).rglob("*")):
            if path.suffix in {".sql", ".yml", ".md"} and "python" not in path.parts:
                texts[str(path.relative_to(REPO_ROOT))] = path.read_text()
    return texts


def script_texts() -> dict[str, str]:
    """The Python scripts, some of which read vars from dbt_project.yml."""
    return {
        str(path.relative_to(REPO_ROOT)): path.read_text()
        for path in sorted((REPO_ROOT / "scripts").glob("*.py"))
    }


def test_every_var_is_declared_once_with_a_comment() -> None:
    problems = var_problems(project_texts(), (REPO_ROOT / "dbt_project.yml").read_text())
    assert not problems, "\n".join(problems)


def test_var_rule_names_default_undeclared_unused_and_uncommented() -> None:
    project_yml = "name: x\nvars:\n  # a comment\n  a: 1\n  b: 2\n\n  c: 3\nmodels: {}\n"
    files = {"m.sql": "{{ var('a') }} {{ var(\"b\", 2) }} {{ var('d') }}"}
    assert var_problems(files, project_yml) == [
        "m.sql: var('b', ...) has an inline default",
        "m.sql: var 'd' is not declared in dbt_project.yml vars",
        "dbt_project.yml: var 'c' is declared but never used",
        "dbt_project.yml: var 'c' has no comment above it",
    ]


# Files a user of the repo does not have (they were the sign-off copies outside it); the repo's
# own versions are docs/metric_catalogue.md and docs/raw_input_contract.md.
OUTSIDE_DOCS = ("METRICS" + ".md", "RAW_EVENTS" + ".md")
DOC_SCAN_FOLDERS = ("docs", "macros", "models", "seeds", "scripts", "tests")
DOC_SCAN_FILES = ("README.md", "dbt_project.yml", "profiles.yml", "Makefile")
DOC_SCAN_SUFFIXES = {".md", ".sql", ".yml", ".yaml", ".py", ".csv", ".txt"}


def references_outside_the_repo(texts: dict[str, str]) -> list[str]:
    """Lines that cite a document a user of the repo does not have."""
    return [
        f"{path}:{number}: cites {name}"
        for path, text in sorted(texts.items())
        for number, line in enumerate(text.splitlines(), start=1)
        for name in OUTSIDE_DOCS
        if name in line
    ]


def repo_texts() -> dict[str, str]:
    """The repo's own text files (not generated data, snapshots or build output)."""
    paths = [REPO_ROOT / name for name in DOC_SCAN_FILES]
    for folder in DOC_SCAN_FOLDERS:
        paths += [
            path for path in sorted((REPO_ROOT / folder).rglob("*"))
            if path.suffix in DOC_SCAN_SUFFIXES and "expected" not in path.parts
        ]
    return {
        str(path.relative_to(REPO_ROOT)): path.read_text(errors="replace")
        for path in paths
        if path.is_file()
    }


def test_no_reference_to_documents_outside_the_repo() -> None:
    problems = references_outside_the_repo(repo_texts())
    assert not problems, "\n".join(problems)


def test_outside_reference_rule_names_the_line() -> None:
    texts = {"a.sql": "-- ok\n-- see " + OUTSIDE_DOCS[1] + " section 2\n"}
    assert references_outside_the_repo(texts) == [f"a.sql:2: cites {OUTSIDE_DOCS[1]}"]


# ---------------------------------------------------------------- the real project


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The project as dbt parses it."""
    parsed = parsed_manifest(tmp_path_factory.mktemp("structure_parse"))
    assert project_models(parsed), "the manifest holds no models"
    return parsed


@pytest.mark.parametrize(
    "rule",
    [
        unplaced_models,
        upward_reads,
        source_reads_outside_staging,
        staging_joins,
        reference_reads_around_dimensions,
        fan_in_over_limit,
        untested_primary_keys,
        exposed_models_not_public,
    ],
)
def test_project_keeps_the_rule(manifest: dict, rule: Callable[[dict], list[str]]) -> None:
    problems = rule(manifest)
    assert not problems, f"{rule.__name__}: {len(problems)} violations:\n" + "\n".join(problems)


def test_every_staging_lookup_is_still_an_edge(manifest: dict) -> None:
    """The allow-list stays true: a lookup no model makes any more is dropped from it."""
    edges = {
        (node["name"], input_label(manifest, dep))
        for node in project_models(manifest).values()
        for dep in direct_inputs(node)
    }
    stale = sorted(
        f"{model} -> {lookup}"
        for model, lookups in STAGING_LOOKUPS.items()
        for lookup in lookups
        if (model, lookup) not in edges
    )
    assert not stale, "STAGING_LOOKUPS lists edges that do not exist:\n" + "\n".join(stale)


# ---------------------------------------------------------------- the rules can fail


def _model(name: str, path: str, inputs: list[str] | None = None) -> tuple[str, dict]:
    return f"model.{PROJECT_NAME}.{name}", {
        "resource_type": "model",
        "package_name": PROJECT_NAME,
        "name": name,
        "original_file_path": path,
        "depends_on": {"nodes": inputs or []},
    }


def _test(name: str, attached: str, column: str | None = None) -> tuple[str, dict]:
    return f"test.{PROJECT_NAME}.{name}_{attached}_{column}", {
        "resource_type": "test",
        "package_name": PROJECT_NAME,
        "name": name,
        "attached_node": attached,
        "column_name": column,
        "test_metadata": {"name": name},
        "depends_on": {"nodes": [attached]},
    }


def _fake_manifest(*nodes: tuple[str, dict]) -> dict:
    seed = f"seed.{PROJECT_NAME}.markets"
    source = f"source.{PROJECT_NAME}.events.governance_events"
    return {
        "nodes": {
            seed: {
                "resource_type": "seed",
                "package_name": PROJECT_NAME,
                "name": "markets",
                "original_file_path": "seeds/markets.csv",
                "depends_on": {"nodes": []},
            },
            **dict(nodes),
        },
        "sources": {source: {"source_name": "events", "name": "governance_events"}},
    }


STG = f"model.{PROJECT_NAME}.stg_x"
SEED = f"seed.{PROJECT_NAME}.markets"
SOURCE = f"source.{PROJECT_NAME}.events.governance_events"


def test_upward_read_is_named() -> None:
    fake = _fake_manifest(
        _model("dim_dates", "models/marts/core/dim_dates.sql"),
        _model("int_days", "models/intermediate/int_days.sql", [f"model.{PROJECT_NAME}.dim_dates"]),
        _model("fct_x", "models/marts/core/fct_x.sql", [f"model.{PROJECT_NAME}.int_days"]),
    )
    assert upward_reads(fake) == ["int_days (intermediate) reads dim_dates (core, a later layer)"]


def test_metric_store_sits_between_core_and_marts() -> None:
    fake = _fake_manifest(
        _model("fct_x", "models/marts/core/fct_x.sql"),
        _model("int_values", "models/intermediate/metrics/int_values.sql",
               [f"model.{PROJECT_NAME}.fct_x"]),
        _model("daily", "models/marts/ops/daily.sql", [f"model.{PROJECT_NAME}.int_values"]),
        _model("fct_y", "models/marts/core/fct_y.sql", [f"model.{PROJECT_NAME}.int_values"]),
    )
    assert upward_reads(fake) == [
        "fct_y (core) reads int_values (metric store, a later layer)"
    ]


def test_source_read_by_a_mart_is_named() -> None:
    fake = _fake_manifest(
        _model("stg_x", "models/staging/events/stg_x.sql", [SOURCE]),
        _model("daily", "models/marts/ops/daily.sql", [SOURCE, STG]),
    )
    assert source_reads_outside_staging(fake) == [
        "daily (marts) reads source.events.governance_events: only staging reads sources"
    ]


def test_undocumented_staging_join_is_named() -> None:
    fake = _fake_manifest(
        _model("stg_x", "models/staging/events/stg_x.sql", [SOURCE]),
        _model("stg_y", "models/staging/events/stg_y.sql", [STG, SEED]),
    )
    assert staging_joins(fake) == [
        "stg_y (staging) joins markets, which is not a documented reference lookup "
        "(STAGING_LOOKUPS)",
        "stg_y (staging) joins stg_x, which is not a documented reference lookup "
        "(STAGING_LOOKUPS)",
    ]


def test_documented_staging_lookup_passes() -> None:
    fake = _fake_manifest(
        _model("base_events__validated", "models/staging/events/v.sql", [SOURCE, SEED]),
    )
    assert staging_joins(fake) == []


def test_fan_in_over_the_limit_is_named() -> None:
    inputs = [_model(f"stg_{index}", f"models/staging/s{index}.sql") for index in range(3)]
    wide = _model("wide", "models/marts/ops/wide.sql", [unique_id for unique_id, _ in inputs])
    fake = _fake_manifest(*inputs, wide)
    assert fan_in_over_limit(fake, limit=3) == []
    assert fan_in_over_limit(fake, limit=2) == [
        "wide reads 3 inputs (limit 2): stg_0, stg_1, stg_2"
    ]


def test_primary_key_needs_unique_and_not_null_on_one_column() -> None:
    key_a, node_a = _model("a", "models/marts/ops/a.sql")
    key_b, node_b = _model("b", "models/marts/ops/b.sql")
    key_c, node_c = _model("c", "models/marts/ops/c.sql")
    fake = _fake_manifest(
        (key_a, node_a),
        (key_b, node_b),
        (key_c, node_c),
        _test("unique", key_a, "id"),
        _test("not_null", key_a, "id"),
        _test("unique", key_b, "id"),
        _test("not_null", key_b, "other_id"),
        _test("unique_combination_of_columns", key_c),
    )
    assert untested_primary_keys(fake) == [
        "b has no primary-key test (unique + not_null on one column, "
        "or unique_combination_of_columns)"
    ]


def test_model_outside_the_layer_folders_is_named() -> None:
    fake = _fake_manifest(_model("loose", "models/loose.sql"))
    assert unplaced_models(fake) == ["loose (models/loose.sql) is in no layer folder"]


def test_exposed_model_without_public_access_is_named() -> None:
    key_a, node_a = _model("a", "models/marts/ops/a.sql")
    key_b, node_b = _model("b", "models/marts/ops/b.sql")
    fake = _fake_manifest((key_a, {**node_a, "access": "public"}),
                          (key_b, {**node_b, "access": "protected"}))
    fake["exposures"] = {"exposure.x.bi": {"name": "bi", "depends_on": {"nodes": [key_a, key_b]}}}
    assert exposed_models_not_public(fake) == [
        "exposure bi reads b, whose access is protected (not public)"
    ]


def test_reference_read_around_a_dimension_is_named() -> None:
    fake = _fake_manifest(
        _model("dim_markets", "models/marts/core/dim_markets.sql", [SEED]),
        _model("int_p", "models/intermediate/int_p.sql", [SEED]),
        _model("fct_x", "models/marts/core/fct_x.sql", [SEED]),
        _model("daily", "models/marts/ops/daily.sql", [f"model.{PROJECT_NAME}.dim_markets"]),
    )
    assert reference_reads_around_dimensions(fake) == [
        "fct_x (core) reads markets: read dim_markets instead"
    ]
