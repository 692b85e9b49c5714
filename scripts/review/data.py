"""Everything the review reads, through one read-only DuckDB connection.

The review reads the published BI database: schema `marts` (and `core.dim_markets`). It never
writes, so it can run while BI tools hold the file open. Reference data (the metric catalogue and
the stage framework) comes from schema `reference` when the database has it, otherwise from the
seed files of this repository, which are what dbt loaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS_DIR = REPO_ROOT / "seeds"


@dataclass(frozen=True)
class Period:
    """The month under review and how final it is."""

    month_start: dt.date
    as_of_at: dt.datetime | None
    is_provisional: bool
    provisional_note: str
    is_in_progress: bool  # the month had not ended as of the data
    source: str  # where the month came from: reporting_periods, derived or --month


def connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    """Open the BI file read-only: many readers may coexist with it, no writer is blocked."""
    if not db_path.exists():
        raise FileNotFoundError(f"BI database not found: {db_path} (run `make build` first)")
    return duckdb.connect(str(db_path), read_only=True)


def has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    """True when `schema.table` exists in the database."""
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])


def columns_of(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    """Column names of a table, in order."""
    rows = con.execute(
        "select column_name from information_schema.columns"
        " where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    return [str(row[0]) for row in rows]


def query(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> pd.DataFrame:
    """Run one query and return a DataFrame."""
    return con.execute(sql, params or []).df()


def _reference(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    if has_table(con, "reference", name):
        return query(con, f"select * from reference.{name}")
    return pd.read_csv(SEEDS_DIR / f"{name}.csv")


def metric_catalogue(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The catalogue: names, units, direction, display format; indexed by metric_id."""
    frame = _reference(con, "metric_catalogue")
    return frame.sort_values("display_order").set_index("metric_id")


def stage_framework(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """North-star and guardrail metrics per development stage (diagnostics left out)."""
    frame = _reference(con, "stage_framework")
    return frame[frame["metric_role"].isin(["north_star", "guardrail"])].reset_index(drop=True)


def markets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per market with its region and current development stage."""
    return query(
        con,
        "select market_code, market_name, region, current_development_stage"
        " from core.dim_markets order by region, market_code",
    )


def _first_of_month(value: dt.date) -> dt.date:
    return value.replace(day=1)


def _previous_month(value: dt.date) -> dt.date:
    return (_first_of_month(value) - dt.timedelta(days=1)).replace(day=1)


def _provisional_from_row(row: dict[str, object]) -> tuple[bool, str]:
    """Read whatever provisional flag / end date `reporting_periods` carries."""
    flag = next((row[key] for key in row if key.startswith("is_") and "provisional" in key), None)
    until = next(
        (row[key] for key in row if "provisional" in key and not key.startswith("is_")), None
    )
    until = None if until is None or pd.isna(until) else until
    is_provisional = bool(flag) if flag is not None else False
    note = f"until {pd.Timestamp(until).date().isoformat()}" if until is not None else ""
    return is_provisional, note


def review_period(con: duckdb.DuckDBPyConnection, month: dt.date | None) -> Period:
    """The month to review: `month` if given, else the latest ended month of the globe.

    The latest ended month comes from `marts.reporting_periods` (global row). A database built
    before that mart existed has no such table: the month is then derived from the data's as-of
    time (the last month that ended on or before it), and the page says so.
    """
    if has_table(con, "marts", "reporting_periods"):
        frame = query(
            con, "select * from marts.reporting_periods where geography_level = 'global'"
        )
        row = frame.iloc[0].to_dict()
        is_provisional, note = _provisional_from_row(row)
        latest = pd.Timestamp(row["last_complete_month_start"]).date()
        as_of = pd.Timestamp(row["as_of_at"]).to_pydatetime()
        chosen = month or latest
        return Period(
            month_start=chosen,
            as_of_at=as_of,
            is_provisional=is_provisional and chosen == latest,
            provisional_note=note if chosen == latest else "",
            is_in_progress=chosen > latest,
            source="--month" if month else "the latest ended month (marts.reporting_periods)",
        )
    as_of_value = con.execute("select max(as_of_at) from marts.data_availability").fetchone()
    as_of = pd.Timestamp(as_of_value[0]).to_pydatetime() if as_of_value and as_of_value[0] else None
    if as_of is None:
        raise ValueError("no as-of time in marts.data_availability: is the database empty?")
    # a month has ended once the data reaches its last day
    ends_month = (as_of.date() + dt.timedelta(days=1)).day == 1
    latest = _first_of_month(as_of.date()) if ends_month else _previous_month(as_of.date())
    chosen = month or latest
    return Period(
        month_start=chosen,
        as_of_at=as_of,
        is_provisional=False,
        provisional_note="",
        is_in_progress=chosen > latest,
        source="--month" if month else ("the latest ended month, derived from the data's as-of time"
                                        " (no marts.reporting_periods)"),
    )


def metric_values_month(
    con: duckdb.DuckDBPyConnection, metric_ids: list[str], geo_codes: list[str]
) -> pd.DataFrame:
    """Monthly values (all months) of the given metrics at the given geographies."""
    return query(
        con,
        "select metric_id, period_start, geo_level, geo_code, numerator, denominator, value,"
        " is_mature, health_status, health_reasons from marts.metric_values"
        " where time_grain = 'month' and list_contains(?, metric_id) and list_contains(?, geo_code)"
        " order by metric_id, geo_code, period_start",
        [metric_ids, geo_codes],
    )


def metric_values_daily(
    con: duckdb.DuckDBPyConnection, metric_ids: list[str], geo_code: str, month: dt.date
) -> pd.DataFrame:
    """Daily values of the month under review at one geography."""
    end = (pd.Timestamp(month) + pd.offsets.MonthBegin(1)).date()
    return query(
        con,
        "select metric_id, period_start, value, is_mature, health_status from marts.metric_values"
        " where time_grain = 'day' and geo_code = ? and list_contains(?, metric_id)"
        " and period_start >= ? and period_start < ? order by metric_id, period_start",
        [geo_code, metric_ids, month, end],
    )


def target_attainment(con: duckdb.DuckDBPyConnection, scope_codes: list[str]) -> pd.DataFrame:
    """Every target row of the given scopes (all months)."""
    return query(
        con,
        "select * from marts.target_attainment where list_contains(?, scope_code)"
        " order by metric_id, scope_type, scope_code, target_month",
        [scope_codes],
    )


def target_feasibility(
    con: duckdb.DuckDBPyConnection, scope_codes: list[str], month: dt.date
) -> pd.DataFrame:
    """Feasibility of the month's targets in the given scopes."""
    return query(
        con,
        "select * from marts.target_feasibility where list_contains(?, scope_code)"
        " and target_month = ? order by metric_id, scope_type, scope_code",
        [scope_codes, month],
    )


def monthly_insights(
    con: duckdb.DuckDBPyConnection, month: dt.date, geo_codes: list[str]
) -> pd.DataFrame:
    """Highlights, lowlights and movements (neutral metrics) of the month, best ranked first."""
    return query(
        con,
        "select * from marts.monthly_insights where month_start = ?"
        " and insight_type in ('highlight', 'lowlight', 'movement') and list_contains(?, geo_code)"
        " order by rank_in_month",
        [month, geo_codes],
    )


def change_decomposition(
    con: duckdb.DuckDBPyConnection, month: dt.date, metric_ids: list[str]
) -> pd.DataFrame:
    """Per-market mix and rate effects of the global change, for the given ratio metrics."""
    return query(
        con,
        "select metric_id, market_code, mix_effect, rate_effect, total_effect, global_change,"
        " global_prior_value, global_value from marts.monthly_change_decomposition"
        " where month_start = ? and list_contains(?, metric_id) order by metric_id, market_code",
        [month, metric_ids],
    )


def budget_utilization(
    con: duckdb.DuckDBPyConnection, market_codes: list[str], year: int
) -> pd.DataFrame:
    """Budget rows of the year for the given markets (GLOBAL is the centrally booked spend)."""
    return query(
        con,
        "select * from marts.budget_utilization where list_contains(?, market_code)"
        " and year(budget_month) = ? order by market_code, cost_center, budget_month",
        [market_codes, year],
    )


def metric_health(
    con: duckdb.DuckDBPyConnection, month: dt.date, geo_codes: list[str]
) -> pd.DataFrame:
    """Health of every metric at the month grain for the given geographies."""
    return query(
        con,
        "select metric_id, geo_level, geo_code, health_status, health_reasons"
        " from marts.metric_health where time_grain = 'month' and period_start = ?"
        " and list_contains(?, geo_code) order by metric_id, geo_code",
        [month, geo_codes],
    )


def data_availability(
    con: duckdb.DuckDBPyConnection, month: dt.date, market_codes: list[str]
) -> pd.DataFrame:
    """Arrival evidence per event type, market and day of the month."""
    end = (pd.Timestamp(month) + pd.offsets.MonthBegin(1)).date()
    return query(
        con,
        "select event_type, market_code, local_date, events, expected_events, completeness_ratio,"
        " quarantined_rows, duplicate_copies, late_events, feed_freshness_lag_hours, as_of_at,"
        " feed_latest_ingested_at from marts.data_availability"
        " where local_date >= ? and local_date < ? and list_contains(?, market_code)"
        " order by event_type, market_code, local_date",
        [month, end, market_codes],
    )


def quarantine_by_reason(
    con: duckdb.DuckDBPyConnection, month: dt.date, market_codes: list[str] | None
) -> pd.DataFrame | None:
    """Quarantined rows by source and reason: events landed in the month, the spend file whole.

    `market_codes` None counts every row (the global page: unknown markets included). Returns
    None when the BI file has no `marts.quarantine_summary`.
    """
    if not has_table(con, "marts", "quarantine_summary"):
        return None
    end = (pd.Timestamp(month) + pd.offsets.MonthBegin(1)).date()
    return query(
        con,
        "select source_name, quarantine_reason_code, sum(quarantined_rows) as quarantined_rows"
        " from marts.quarantine_summary"
        " where (ingest_date >= ? and ingest_date < ? or source_name = 'spend_actuals')"
        " and (? or list_contains(?, market_code))"
        " group by all order by source_name, quarantined_rows desc, quarantine_reason_code",
        [month, end, market_codes is None, market_codes or []],
    )
