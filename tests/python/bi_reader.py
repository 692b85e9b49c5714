"""A BI reader for the concurrency test: reconnects and queries the BI file in a bounded loop.

Run as its own process (`python bi_reader.py --client duckdb|sqlalchemy ...`), as a BI tool
is. Each iteration opens a new read-only connection (so it picks up a newly published file),
asks in one statement for the publish ids the file holds, the rows of marts.metric_values and
the row count the publish table records for it, and appends one JSON line to --out: the answer,
or the error. It stops when --stop-file appears or after --max-iterations, and exits 0 unless
it could not start.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Callable

QUERY = """
select
    (select count(distinct publish_id) from main.publish) as publish_ids,
    (select min(publish_id) from main.publish) as publish_id,
    (select count(*) from marts.metric_values) as metric_values_rows,
    (
        select max(row_count) from main.publish
        where table_schema = 'marts' and table_name = 'metric_values'
    ) as published_rows
"""


def duckdb_reader(db: Path) -> Callable[[], tuple]:
    import duckdb

    def ask() -> tuple:
        with duckdb.connect(str(db), read_only=True) as con:
            return con.execute(QUERY).fetchone()

    return ask


def sqlalchemy_reader(db: Path) -> Callable[[], tuple]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    # NullPool: a new DBAPI connection per checkout, as a BI tool reconnecting would have.
    engine = create_engine(
        f"duckdb:///{db}", connect_args={"read_only": True}, poolclass=NullPool
    )

    def ask() -> tuple:
        with engine.connect() as connection:
            return tuple(connection.execute(text(QUERY)).one())

    return ask


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--client", choices=("duckdb", "sqlalchemy"), required=True)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--stop-file", type=Path, required=True)
    parser.add_argument("--max-iterations", type=int, default=20000)
    parser.add_argument("--pause", type=float, default=0.05, help="seconds between queries")
    args = parser.parse_args()
    ask = duckdb_reader(args.db) if args.client == "duckdb" else sqlalchemy_reader(args.db)
    with args.out.open("w") as out:
        for iteration in range(args.max_iterations):
            if args.stop_file.exists():
                break
            try:
                ids, publish_id, rows, published_rows = ask()
                line = {
                    "iteration": iteration, "publish_ids": ids, "publish_id": publish_id,
                    "rows": rows, "published_rows": published_rows,
                }
            except Exception as error:  # every failure is what the test counts
                line = {"iteration": iteration, "error": f"{type(error).__name__}: {error}"}
            out.write(json.dumps(line) + "\n")
            out.flush()
            time.sleep(args.pause)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
