"""A MetricFlow SQL client that only renders DuckDB SQL, for generating saved-query SQL.

The publish step asks MetricFlow's engine to explain each saved query (the same request
`mf query --saved-query <name>` makes) and runs the SQL itself, as `create table ... as`, inside
the file being published; MetricFlow never needs a connection of its own for that.
"""

from __future__ import annotations

from metricflow.data_table.mf_table import MetricFlowDataTable
from metricflow.protocols.sql_client import SqlEngine
from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer
from metricflow.sql.render.sql_plan_renderer import SqlPlanRenderer
from metricflow_semantics.sql.sql_bind_parameters import SqlBindParameterSet


class ExplainOnlyDuckDbClient:
    """Satisfies MetricFlow's SqlClient protocol for explain(); refuses to run anything."""

    def __init__(self) -> None:
        self._renderer = DuckDbSqlPlanRenderer()

    @property
    def sql_engine_type(self) -> SqlEngine:
        return SqlEngine.DUCKDB

    @property
    def sql_plan_renderer(self) -> SqlPlanRenderer:
        return self._renderer

    def query(
        self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = SqlBindParameterSet()
    ) -> MetricFlowDataTable:
        raise NotImplementedError("explain only: the publish step runs the SQL itself")

    def execute(
        self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = SqlBindParameterSet()
    ) -> None:
        raise NotImplementedError("explain only: the publish step runs the SQL itself")

    def dry_run(
        self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = SqlBindParameterSet()
    ) -> None:
        raise NotImplementedError("explain only: the publish step runs the SQL itself")

    def close(self) -> None:
        return None

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"
