"""Tell the person who just ran `make build` where things are and how to use them.

Reads the published BI file (GNE_DB_PATH: rows per mart, the publish id) and dbt's working
database (GNE_WORK_DB_PATH: quarantined and duplicate rows, which BI does not see), so the
figures printed are the real ones of this build.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

MART_SCHEMA = "marts"


def mart_row_counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """Rows of every table in the marts schema, by name."""
    tables = con.execute(
        "select table_name from information_schema.tables "
        "where table_schema = ? order by table_name",
        [MART_SCHEMA],
    ).fetchall()
    return [
        (name, con.execute(f'select count(*) from {MART_SCHEMA}."{name}"').fetchone()[0])
        for (name,) in tables
    ]


def landing_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Where the raw event rows went: clean events, duplicates, quarantine, rejected files."""
    queries = {
        "clean events": "select count(*) from staging.base_events__deduplicated",
        "duplicate copies": "select count(*) from staging.base_events__duplicates",
        "quarantined rows": "select count(*) from staging.base_events__quarantined",
        "rows in rejected files": "select coalesce(sum(row_count), 0) from staging.base_events__files "
                                  "where file_status = 'rejected'",
    }
    return {label: con.execute(sql).fetchone()[0] for label, sql in queries.items()}


def rejected_files(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """Raw files rejected whole, with their reason and detail (at most 20)."""
    return con.execute(
        "select 'governance_events/' || source_file, rejection_reason_code, rejection_detail "
        "from staging.base_events__files where file_status = 'rejected' "
        "union all select 'finance/' || source_file, rejection_reason_code, rejection_detail "
        "from staging.base_finance__files where file_status = 'rejected' order by 1 limit 20"
    ).fetchall()


def main() -> None:
    db_path = Path(os.environ.get("GNE_DB_PATH", "build/gne.duckdb")).resolve()
    work_path = Path(os.environ.get("GNE_WORK_DB_PATH", "build/work/gne.duckdb")).resolve()
    with duckdb.connect(str(db_path), read_only=True) as con:
        marts = mart_row_counts(con)
        publish_id, as_of = con.execute(
            "select max(publish_id), max(data_as_of_at) from main.publish"
        ).fetchone()
    with duckdb.connect(str(work_path), read_only=True) as con:
        landings = landing_counts(con)
        rejected = rejected_files(con)
    print(f"\nPublished for BI: {db_path} (publish {publish_id}, data as of {as_of})")
    print(f"dbt's working database (clear ids, staging, quarantine): {work_path}")
    print("Raw event rows: " + ", ".join(f"{n:,} {label}" for label, n in landings.items()))
    if rejected:
        print("Rejected raw files (see staging.base_events__files / base_finance__files):")
        for source, reason, detail in rejected:
            print(f"  {source}: {reason}: {detail}")
    print("Marts (schema marts):")
    for name, rows in marts:
        print(f"  marts.{name:<32} {rows:>10,} rows")
    print(
        "\nQuery a mart:\n"
        f"  .venv/bin/python -c \"import duckdb; print(duckdb.connect('{db_path}', "
        "read_only=True).sql(\\\"select * from marts.metric_values where time_grain = "
        "'month' and geo_level = 'global' limit 10\\\"))\"\n"
        "Query a metric with MetricFlow (from the project root):\n"
        "  .venv/bin/mf query --metrics order_defect_rate "
        "--group-by metric_time__month,market__region\n"
        "Open the lineage docs:\n"
        "  make docs   (runs dbt docs serve on http://localhost:8080)"
    )


if __name__ == "__main__":
    main()
