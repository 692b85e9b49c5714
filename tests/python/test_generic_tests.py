"""The project's generic tests (tests/generic) can pass and can fail, each for the right rows.

A throwaway dbt project in tmp_path uses the repository's own tests/generic and macros (so the
real test SQL and the real cross-database overrides run) over tiny models holding good and bad
rows. One `dbt build` runs every case; each case names the number of rows its test must return:
0 (passes) on good data, the count of offending rows or groups on bad data.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from dbt.cli.main import dbtRunner

from dbt_harness import REPO_ROOT, SCENARIO_LOG_ARGS

PROJECT_NAME = "generic_tests_probe"

# Tiny models (DuckDB SQL): each is a view holding the rows one or more cases check.
MODELS: dict[str, str] = {
    "keys_good": "select * from (values ('a', 1), ('a', 2), ('b', 1)) as t (k1, k2)",
    "keys_bad": """
        select * from (values
            ('a', 1), ('a', 1), ('a', 1), ('b', 1), ('b', 1), ('c', 2)
        ) as t (k1, k2)""",
    "bounds_good": "select * from (values (1, 2), (2, 2)) as t (low_value, high_value)",
    "bounds_bad": """
        select * from (values (1, 2), (3, 2), (1, null)) as t (low_value, high_value)""",
    "shares_good": """
        select * from (values (0.0), (0.25), (1.0), (null)) as t (share)""",
    "shares_bad": "select * from (values (-0.01), (0.5), (1.01)) as t (share)",
    # the repository's safe_divide with expressions on both sides: 1 / (1 + 1), never 1 / 1 + 1
    "divided_shares": """
        select
            {{ safe_divide('hits', 'misses + hits') }} as hit_share,
            {{ safe_divide('hits + 0', 'misses + hits') }} as hit_rate,
            {{ safe_divide('hits', 'misses - misses') }} as undefined_rate
        from (values (1, 1), (0, 3), (2, 0)) as t (hits, misses)""",
    "unit_interval_bad": """
        select * from (values (0.5, 1.5, 2.0), (-0.1, 0.5, 0.5))
            as t (late_share, quarantine_share, completeness_ratio)""",
    "no_share_columns": "select 1.5 as completeness_ratio",
    "ratios_good": """
        select * from (values (1, 2), (2, 2), (null, 1), (3, null))
            as t (numerator, denominator)""",
    "ratios_bad": """
        select * from (values (3, 2), (5, 4), (1, 1)) as t (numerator, denominator)""",
    "three_rows_a": "select * from range(3) as t (n)",
    "three_rows_b": "select * from range(3) as t (n)",
    "four_rows": "select * from range(4) as t (n)",
    "periods_good": """
        select market, cast(valid_from as date) as valid_from, cast(valid_to as date) as valid_to
        from (values
            ('a', '2026-01-01', '2026-02-01'),
            ('a', '2026-02-01', null),
            ('b', '2026-01-01', '2026-01-15'),
            ('b', '2026-02-01', '2026-03-01')
        ) as t (market, valid_from, valid_to)""",
    # a overlaps; b's period is empty; c's open-ended period is not the last.
    "periods_bad": """
        select market, cast(valid_from as date) as valid_from, cast(valid_to as date) as valid_to
        from (values
            ('a', '2026-01-01', '2026-02-10'),
            ('a', '2026-02-01', '2026-03-01'),
            ('b', '2026-01-15', '2026-01-15'),
            ('c', '2026-01-01', null),
            ('c', '2026-03-01', '2026-04-01')
        ) as t (market, valid_from, valid_to)""",
    "filled_good": "select * from (values (1), (2), (3), (null)) as t (filled)",
    "filled_bad": "select * from (values (1), (null), (null), (4)) as t (filled)",
    "parents": "select * from (values ('p1', true), ('p2', false)) as t (parent_id, is_active)",
    "children_good": """
        select * from (values ('c1', 'p1', 'live'), ('c2', 'p9', 'draft'), ('c3', null, 'live'))
            as t (child_id, parent_id, status)""",
    "children_bad": """
        select * from (values
            ('c1', 'p1', 'live'), ('c2', 'p2', 'live'),
            ('c3', 'p9', 'live'), ('c4', null, 'live')
        ) as t (child_id, parent_id, status)""",
    "loads_good": """
        select cast(loaded_at as timestamp) as loaded_at
        from (values ('2026-08-01 00:00:00'), ('2026-08-09 00:00:00')) as t (loaded_at)""",
    "loads_stale": """
        select cast(loaded_at as timestamp) as loaded_at
        from (values ('2026-08-01 00:00:00'), ('2026-08-08 23:59:59')) as t (loaded_at)""",
    "loads_empty": "select cast(null as timestamp) as loaded_at where false",
    "days_good": """
        select market, cast(metric_date as date) as metric_date
        from (values
            ('a', '2026-08-01'), ('a', '2026-08-02'), ('a', '2026-08-03'),
            ('b', '2026-08-05'), ('b', '2026-08-06')
        ) as t (market, metric_date)""",
    "days_bad": """
        select market, cast(metric_date as date) as metric_date
        from (values
            ('a', '2026-08-01'), ('a', '2026-08-04'),
            ('b', '2026-08-01'), ('b', '2026-08-02'), ('b', '2026-08-02')
        ) as t (market, metric_date)""",
    # 28 days of 10-12 rows a day (weekly-ish wobble, never flat).
    "volume_steady": """
        select timestamp '2026-07-01 00:00:00' + to_days(day) + to_minutes(row_number) as loaded_at
        from range(28) as days (day)
        cross join range(13) as row_numbers (row_number)
        where row_number < 10 + day % 3""",
    "volume_spike": """
        select * from {{ ref('volume_steady') }}
        union all
        select timestamp '2026-07-28 06:00:00' + to_minutes(n) as loaded_at from range(50) as t (n)""",
    "days_empty": "select 'a' as market, cast(null as date) as metric_date where false",
    "volume_gap": """
        select * from {{ ref('volume_steady') }}
        where cast(loaded_at as date) <> date '2026-07-25'""",
}

# Each case: (test name, model, column or None, generic test, its arguments, rows it must return).
CASES: list[tuple[str, str, str | None, str, dict[str, object], int]] = [
    ("ucc_good", "keys_good", None, "unique_combination_of_columns",
     {"combination_of_columns": ["k1", "k2"]}, 0),
    ("ucc_bad", "keys_bad", None, "unique_combination_of_columns",
     {"combination_of_columns": ["k1", "k2"]}, 2),
    ("eit_good", "bounds_good", None, "expression_is_true",
     {"expression": "low_value <= high_value"}, 0),
    # a false row and a null one both fail
    ("eit_bad", "bounds_bad", None, "expression_is_true",
     {"expression": "low_value <= high_value"}, 2),
    ("eit_column_bad", "bounds_bad", "high_value", "expression_is_true",
     {"expression": "high_value >= 2"}, 1),
    ("ar_good", "shares_good", "share", "accepted_range", {"min_value": 0, "max_value": 1}, 0),
    ("ar_exclusive_bounds", "shares_good", "share", "accepted_range",
     {"min_value": 0, "max_value": 1, "inclusive": False}, 2),
    ("ar_bad", "shares_bad", "share", "accepted_range", {"min_value": 0, "max_value": 1}, 2),
    ("ar_min_only_bad", "shares_bad", "share", "accepted_range", {"min_value": 0}, 1),
    # hygienic safe_divide keeps every share within [0, 1]; a zero expression gives null
    ("suui_good", "divided_shares", None, "shares_and_rates_in_unit_interval",
     {"suffixes": ["_share", "_rate"]}, 0),
    # -0.1 and 1.5 are out of range; completeness_ratio (2.0) is not a share by name
    ("suui_bad", "unit_interval_bad", None, "shares_and_rates_in_unit_interval",
     {"suffixes": ["_share", "_rate"]}, 2),
    # a model without any share or rate column fails rather than checking nothing
    ("suui_no_columns", "no_share_columns", None, "shares_and_rates_in_unit_interval",
     {"suffixes": ["_share", "_rate"]}, 1),
    ("clc_good", "ratios_good", "numerator", "column_lte_column",
     {"other_column": "denominator"}, 0),
    ("clc_bad", "ratios_bad", "numerator", "column_lte_column",
     {"other_column": "denominator"}, 2),
    ("erc_good", "three_rows_a", None, "equal_rowcount",
     {"compare_model": "ref('three_rows_b')"}, 0),
    ("erc_bad", "three_rows_a", None, "equal_rowcount",
     {"compare_model": "ref('four_rows')"}, 1),
    ("mer_good", "periods_good", None, "mutually_exclusive_ranges",
     {"lower_bound_column": "valid_from", "upper_bound_column": "valid_to",
      "partition_by": "market"}, 0),
    ("mer_bad", "periods_bad", None, "mutually_exclusive_ranges",
     {"lower_bound_column": "valid_from", "upper_bound_column": "valid_to",
      "partition_by": "market"}, 3),
    # 3 of 4 filled is exactly the bound
    ("nnp_good", "filled_good", "filled", "not_null_proportion", {"at_least": 0.75}, 0),
    ("nnp_bad", "filled_bad", "filled", "not_null_proportion", {"at_least": 0.75}, 1),
    ("rw_good", "children_good", "parent_id", "relationships_where",
     {"to": "ref('parents')", "field": "parent_id",
      "from_condition": "status = 'live'", "to_condition": "is_active"}, 0),
    # p2 exists but is inactive, p9 does not exist; a null parent is not checked
    ("rw_bad", "children_bad", "parent_id", "relationships_where",
     {"to": "ref('parents')", "field": "parent_id",
      "from_condition": "status = 'live'", "to_condition": "is_active"}, 2),
    # newest row exactly one day before the reference time is still fresh
    ("rec_good", "loads_good", None, "recency",
     {"field": "loaded_at", "datepart": "day", "interval": 1,
      "reference_timestamp": "cast('2026-08-10 00:00:00' as timestamp)"}, 0),
    ("rec_stale", "loads_stale", None, "recency",
     {"field": "loaded_at", "datepart": "day", "interval": 1,
      "reference_timestamp": "cast('2026-08-10 00:00:00' as timestamp)"}, 1),
    ("rec_empty", "loads_empty", None, "recency",
     {"field": "loaded_at", "datepart": "day", "interval": 1,
      "reference_timestamp": "cast('2026-08-10 00:00:00' as timestamp)"}, 1),
    ("ndg_good", "days_good", None, "no_date_gaps",
     {"date_column": "metric_date", "partition_by": "market"}, 0),
    # a misses 08-02 and 08-03; b's repeated day is not a gap
    ("ndg_bad", "days_bad", None, "no_date_gaps",
     {"date_column": "metric_date", "partition_by": "market"}, 2),
    # without the partition, a's and b's days leave 08-04 uncovered
    ("ndg_unpartitioned_bad", "days_good", None, "no_date_gaps",
     {"date_column": "metric_date"}, 1),
    ("ndg_empty", "days_empty", None, "no_date_gaps",
     {"date_column": "metric_date", "partition_by": "market"}, 0),
    ("va_empty", "days_empty", None, "volume_anomalies", {"timestamp_column": "metric_date"}, 0),
    ("va_good", "volume_steady", None, "volume_anomalies", {"timestamp_column": "loaded_at"}, 0),
    ("va_spike", "volume_spike", None, "volume_anomalies", {"timestamp_column": "loaded_at"}, 1),
    # a day with no rows at all is a drop to zero, not a day to skip
    ("va_gap", "volume_gap", None, "volume_anomalies", {"timestamp_column": "loaded_at"}, 1),
]

# Every generic test the project owns must have both kinds of case here.
GENERIC_TESTS = {path.stem for path in (REPO_ROOT / "tests" / "generic").glob("*.sql")}


def _yaml_value(value: object) -> str:
    """A value as inline YAML (flow style); strings are double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(item) for item in value) + "]"
    return str(value)


def _schema_yaml() -> str:
    """models: YAML attaching every case to its model (or column) under its own name."""
    lines = ["version: 2", "models:"]
    for model in MODELS:
        lines.append(f"  - name: {model}")
        model_cases = [case for case in CASES if case[1] == model and case[2] is None]
        if model_cases:
            lines.append("    data_tests:")
            lines.extend(_case_yaml(case, indent=6) for case in model_cases)
        columns = sorted({case[2] for case in CASES if case[1] == model and case[2]})
        if columns:
            lines.append("    columns:")
        for column in columns:
            lines.append(f"      - name: {column}")
            lines.append("        data_tests:")
            lines.extend(
                _case_yaml(case, indent=10)
                for case in CASES
                if case[1] == model and case[2] == column
            )
    return "\n".join(lines) + "\n"


def _case_yaml(case: tuple[str, str, str | None, str, dict[str, object], int], indent: int) -> str:
    name, _model, _column, test, arguments, _expected = case
    pad = " " * indent
    entry = [f"{pad}- {test}:", f"{pad}    name: {name}", f"{pad}    arguments:"]
    entry += [f"{pad}      {key}: {_yaml_value(value)}" for key, value in arguments.items()]
    return "\n".join(entry)


def _write_project(root: Path) -> None:
    """A dbt project whose macros and generic tests are copies of the repository's own.

    Copies, not paths into the repository: dbt reads generic tests only from a test path's
    `generic/` folder (the repository's test path also holds the real project's singular
    tests), and with an absolute test path dbt writes compiled SQL over the source files.
    """
    (root / "models").mkdir(parents=True)
    shutil.copytree(REPO_ROOT / "macros", root / "macros")
    shutil.copytree(REPO_ROOT / "tests" / "generic", root / "tests" / "generic")
    (root / "dbt_project.yml").write_text(textwrap.dedent(f"""\
        name: {PROJECT_NAME}
        version: "1.0.0"
        config-version: 2
        profile: {PROJECT_NAME}
        model-paths: ["models"]
        macro-paths: ["macros"]
        test-paths: ["tests"]
        seed-paths: []
        flags:
          send_anonymous_usage_stats: false
        models:
          {PROJECT_NAME}:
            +materialized: view
        dispatch:
          - macro_namespace: dbt
            search_order: ["{PROJECT_NAME}", "dbt"]
        """))
    (root / "profiles.yml").write_text(textwrap.dedent(f"""\
        {PROJECT_NAME}:
          target: probe
          outputs:
            probe:
              type: duckdb
              path: "{root / 'probe.duckdb'}"
              threads: 1
        """))
    for model, sql in MODELS.items():
        (root / "models" / f"{model}.sql").write_text(textwrap.dedent(sql).strip() + "\n")
    (root / "models" / "cases.yml").write_text(_schema_yaml())


@pytest.fixture(scope="module")
def test_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, int]]:
    """Build the probe project once: each case's status and number of returned rows."""
    root = tmp_path_factory.mktemp("generic_tests_probe")
    _write_project(root)
    result = dbtRunner().invoke([
        "build", "--project-dir", str(root), "--profiles-dir", str(root),
        "--target-path", str(root / "target"), "--log-path", str(root / "logs"), "--quiet",
        *SCENARIO_LOG_ARGS,
    ])
    if result.result is None:
        raise AssertionError(f"dbt build did not run: {result.exception}")
    outcomes = {}
    for node_result in result.result.results:
        node = node_result.node
        if node.resource_type == "model":
            assert node_result.status == "success", f"model {node.name}: {node_result.message}"
        elif node.resource_type == "test":
            assert node_result.status in ("pass", "fail"), f"{node.name}: {node_result.message}"
            outcomes[node.name] = (str(node_result.status.value), node_result.failures or 0)
    return outcomes


def test_every_generic_test_has_a_passing_and_a_failing_case() -> None:
    passing = {case[3] for case in CASES if case[5] == 0}
    failing = {case[3] for case in CASES if case[5] > 0}
    assert passing == GENERIC_TESTS
    assert failing == GENERIC_TESTS


@pytest.mark.parametrize(
    ("name", "expected_rows"),
    [(case[0], case[5]) for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_generic_test_outcome(
    test_results: dict[str, tuple[str, int]], name: str, expected_rows: int
) -> None:
    status, returned_rows = test_results[name]
    assert (status, returned_rows) == ("pass" if expected_rows == 0 else "fail", expected_rows)
