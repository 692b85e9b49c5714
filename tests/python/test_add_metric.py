"""A new ratio metric added the README way ("How to add a metric") reaches the long store.

The project is copied to a temporary folder and given `reviewed_order_rate` (orders with at
least one review / orders) exactly as the README says: a flag in fct_orders, one catalogue row,
its numerator and denominator in macros/metric_components.sql, its MetricFlow metric and its
handbook entry. Only the fact and what reads the metric store are rebuilt (with their tests), on
a copy of the test build's working database: nothing else needs a change for the metric to reach
metric_values, health, anomalies, insights and planning. The store's values are compared with a
recomputation from the fact that does not use the new flag. A catalogue row without its component definition must fail the catalogue
test first: a half-added metric is caught.
"""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest
from dbt.cli.main import dbtRunner

from dbt_harness import (
    REPO_ROOT,
    SCENARIO_LOG_ARGS,
    TEST_RAW_DIR,
    environment,
    open_built,
    release_dbt_database,
)

METRIC_ID = "reviewed_order_rate"
FLAG = "has_review"
COPIED = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests/generic",
          "tests/singular")
RELATIVE_TOLERANCE = 1e-9
# Node statuses of a good build: warn-severity tests may warn (the target cascade one does on
# the test data), exposures are no-ops.
PASSING = ("pass", "success", "warn", "no-op")


def _copy_project(destination: Path) -> Path:
    """The dbt project (no data, builds, targets or Python tests) in a throwaway folder."""
    for name in COPIED:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        else:
            destination.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


def _replace_once(path: Path, old: str, new: str) -> None:
    """Edit a copied file at one anchor, failing loudly if the anchor moved."""
    text = path.read_text()
    assert text.count(old) == 1, f"{path}: expected one occurrence of {old!r}"
    path.write_text(text.replace(old, new))


def _add_flag(project: Path) -> None:
    """README step 1: the flag, in the fact's SQL and in its YAML (the contract is enforced)."""
    _replace_once(
        project / "models/marts/core/fct_orders.sql",
        "        orders_local.negative_review_count > 0 as has_negative_review,\n",
        "        orders_local.negative_review_count > 0 as has_negative_review,\n"
        f"        orders_local.review_count > 0 as {FLAG},\n",
    )
    _replace_once(
        project / "models/marts/core/fct_orders.yml",
        "      - name: is_defect\n",
        f"      - name: {FLAG}\n"
        "        data_type: boolean\n"
        "        description: At least one review within the window.\n"
        "      - name: is_defect\n",
    )


def _add_catalogue_row(project: Path) -> None:
    """README step 2: one row in the catalogue seed, after the last display_order."""
    path = project / "seeds/metric_catalogue.csv"
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    row = dict.fromkeys(rows[0], "")
    row.update({
        "metric_id": METRIC_ID, "metric_name": "Reviewed order rate",
        "domain": "buyer_experience", "owner_team": "Buyer Experience", "metric_type": "ratio",
        "unit": "ratio", "direction": "higher", "attribution_date": "order_local_placed_date",
        "is_order_cohort": "true", "value_multiplier": "1",
        "numerator_definition": "orders with at least one review within 60 days",
        "denominator_definition": "orders", "definition": "Orders with a review / orders",
        "display_order": str(max(int(r["display_order"]) for r in rows) + 1),
        "value_format": "percent", "display_decimals": "1", "rag_tolerance": "0.1",
    })
    with path.open("a", newline="") as handle:
        csv.DictWriter(handle, fieldnames=list(rows[0])).writerow(row)


def _add_components(project: Path) -> None:
    """README step 3: numerator and denominator in metric_components()."""
    _replace_once(
        project / "macros/metric_components.sql",
        "        'csat': {\n",
        f"        '{METRIC_ID}': {{\n"
        "            'attribution_date': orders,\n"
        f"            'numerator': count_if('{FLAG}'),\n"
        "            'denominator': 'count(*)',\n"
        "        },\n"
        "        'csat': {\n",
    )


def _add_semantic_metric(project: Path) -> None:
    """README steps 4 and 5: measure, numerator metric and ratio metric; handbook entry."""
    sem_orders = project / "models/semantic/sem_orders.yml"
    _replace_once(
        sem_orders,
        "    measures:\n",
        "    measures:\n"
        "      - name: reviewed_order_count\n"
        "        description: Orders with at least one review within 60 days.\n"
        "        agg: sum\n"
        f"        expr: case when {FLAG} then 1 else 0 end\n",
    )
    _replace_once(
        sem_orders,
        "metrics:\n",
        "metrics:\n"
        f"  - name: {METRIC_ID}\n"
        "    label: Reviewed order rate\n"
        f"    description: \"{{{{ doc('metric_{METRIC_ID}') }}}}\"\n"
        "    type: ratio\n"
        "    type_params:\n"
        "      numerator: reviewed_orders\n"
        "      denominator: orders\n"
        "  - name: reviewed_orders\n"
        "    label: Reviewed orders\n"
        f"    description: Numerator of {METRIC_ID}.\n"
        "    type: simple\n"
        "    type_params:\n"
        "      measure: reviewed_order_count\n",
    )
    handbook = project / "models/docs/metric_handbook.md"
    handbook.write_text(
        handbook.read_text()
        + f"\n{{% docs metric_{METRIC_ID} %}}\n**Reviewed order rate** (`{METRIC_ID}`): orders"
        " with at least one review / orders.\n{% enddocs %}\n"
    )


def _dbt(project: Path, db_path: Path, args: list[str]) -> list[str]:
    """Run dbt on the copied project's work target; the nodes that did not pass, with dbt's
    message (empty when all passed)."""
    common = [
        "--project-dir", str(project), "--profiles-dir", str(project),
        "--target-path", str(project / "target"), "--log-path", str(project / "logs"),
        "--target", "work", "--quiet", *SCENARIO_LOG_ARGS,
    ]
    print(f"dbt {' '.join(args)}", flush=True)
    env = {"GNE_RAW_DIR": str(TEST_RAW_DIR), "GNE_WORK_DB_PATH": str(db_path),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    with environment(**env):
        try:
            result = dbtRunner().invoke([*args, *common])
        finally:
            release_dbt_database()
    if result.exception is not None:
        return [f"dbt {args[0]}: {result.exception}"]
    return [
        f"{node.node.name}: {node.status} {node.message}"
        for node in result.result or []
        if str(node.status) not in PASSING
    ]


def _built_database(destination: Path) -> Path:
    """A copy of the test build's working database (make test builds it before pytest)."""
    configured = os.environ.get("GNE_WORK_DB_PATH")
    if not configured:
        pytest.skip("GNE_WORK_DB_PATH is not set: run through `make test` (after dbt build)")
    source = Path(configured)
    if not source.exists():
        pytest.fail(f"GNE_WORK_DB_PATH={source} does not exist: run dbt build first (make test)")
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, destination)
    wal = source.with_name(source.name + ".wal")
    if wal.exists():
        shutil.copy2(wal, destination.with_name(destination.name + ".wal"))
    return destination


def _close(actual: float | None, expected: float | None) -> bool:
    if actual is None or expected is None:
        return actual is None and expected is None
    return abs(actual - expected) <= RELATIVE_TOLERANCE * max(1.0, abs(expected))


@pytest.mark.slow
def test_new_ratio_metric_added_the_readme_way_reaches_the_store(tmp_path: Path) -> None:
    project = _copy_project(tmp_path / "project")
    db_path = _built_database(tmp_path / "work" / "gne.duckdb")

    _add_flag(project)
    _add_catalogue_row(project)
    _add_semantic_metric(project)
    assert _dbt(project, db_path, ["seed", "--full-refresh", "-s", "metric_catalogue"]) == []
    failing = _dbt(project, db_path, ["test", "-s", "assert_metric_components_match_catalogue"])
    assert [line.split(":")[0] for line in failing] == [
        "assert_metric_components_match_catalogue"
    ], "a catalogue row without its component definition must fail the catalogue test"

    _add_components(project)
    failing = _dbt(project, db_path, [
        # fct_orders is incremental and gained a column: its next build is a full refresh.
        "build", "--full-refresh",
        "-s", "fct_orders", "fct_metric_components_daily", "int_metric_values+",
        "assert_metric_components_match_catalogue", "assert_every_catalogue_metric_has_lineage",
        "--indirect-selection", "cautious",  # not the tests of models left unbuilt here
    ])
    assert failing == [], "\n".join(failing)

    with open_built(db_path) as con:
        daily = con.execute(
            """
            with recomputed as (
                select
                    market_code,
                    placed_local_date as period_start,
                    cast(count(*) filter (where review_count > 0) as double) as numerator,
                    cast(count(*) as double) as denominator
                from core.fct_orders
                group by 1, 2
            )
            select
                store.geo_code, store.period_start, store.numerator, store.denominator,
                store.value, recomputed.numerator, recomputed.denominator
            from intermediate.int_metric_values as store
            full outer join recomputed
                on store.geo_code = recomputed.market_code
                and store.period_start = recomputed.period_start
            where store.metric_id = ? and store.time_grain = 'day'
                and store.geo_level = 'market'
            """,
            [METRIC_ID],
        ).fetchall()
        monthly = con.execute(
            """
            with recomputed as (
                select
                    date_trunc('month', placed_local_date) as period_start,
                    count(*) filter (where review_count > 0) / count(*) as value
                from core.fct_orders
                group by 1
            )
            select store.period_start, store.value, recomputed.value
            from marts.metric_values as store
            inner join recomputed on store.period_start = recomputed.period_start
            where store.metric_id = ? and store.time_grain = 'month'
                and store.geo_level = 'global'
            """,
            [METRIC_ID],
        ).fetchall()
        order_days = con.execute(
            "select count(distinct (market_code, placed_local_date)) from core.fct_orders"
        ).fetchone()[0]

    with_orders = [row for row in daily if row[5] is not None]
    assert len(with_orders) == order_days > 0, "every market-day with orders has a value"
    for geo, day, numerator, denominator, value, expected_num, expected_den in with_orders:
        assert (numerator, denominator) == (expected_num, expected_den), (geo, day)
        assert _close(value, expected_num / expected_den), (geo, day, value)
    assert any(0 < row[2] < row[3] for row in with_orders), "the test data exercises the rate"
    assert all(row[4] is None and row[3] == 0 for row in daily if row[5] is None), (
        "market-days without orders have no value"
    )
    assert monthly, "metric_values has the global month roll-up"
    for month, value, expected in monthly:
        assert _close(value, expected), (month, value, expected)
