"""Write the published marts and saved-query exports to Parquet and CSV (`make export`).

For spreadsheet users and tools without a DuckDB driver. Reads the published BI file
(GNE_DB_PATH) read-only, so it runs beside BI readers and while a build runs, and what it writes
is exactly what BI sees (one publish, pseudonymized ids). Files land in
<out>/<publish_id>/{parquet,csv}/<schema>.<table>.{parquet,csv}, a folder per publish, written
beside and renamed into place when complete; <out>/latest points at the newest one, and only the
newest --keep folders are kept.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SCHEMAS = ("marts", "exports")


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def tables_of(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...]) -> list[tuple[str, str]]:
    """Base tables of the given schemas in the open BI file, sorted."""
    placeholders = ", ".join("?" for _ in schemas)
    return con.execute(
        "select schema_name, table_name from duckdb_tables() "
        f"where database_name = current_database() and schema_name in ({placeholders}) "
        "order by 1, 2",
        list(schemas),
    ).fetchall()


def prune(out_dir: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` publish folders (publish ids sort by time)."""
    folders = sorted(
        path for path in out_dir.iterdir()
        if path.is_dir() and not path.is_symlink() and not path.name.startswith(".")
    )
    removed = folders[:-keep] if keep > 0 else []
    for folder in removed:
        shutil.rmtree(folder)
    return removed


def export(bi_db: Path, out_dir: Path, schemas: tuple[str, ...]) -> Path:
    """Export every table of `schemas`; return the finished publish folder."""
    started = time.monotonic()
    with duckdb.connect(str(bi_db), read_only=True) as con:
        (publish_id,) = con.execute("select max(publish_id) from main.publish").fetchone()
        final = out_dir / publish_id
        staging = out_dir / f".{publish_id}.partial"
        shutil.rmtree(staging, ignore_errors=True)
        for kind in ("parquet", "csv"):
            (staging / kind).mkdir(parents=True)
        tables = tables_of(con, schemas)
        for schema, table in tables:
            source = f"{quote(schema)}.{quote(table)}"
            stem = f"{schema}.{table}"
            parquet = staging / "parquet" / f"{stem}.parquet"
            csv = staging / "csv" / f"{stem}.csv"
            con.execute(f"copy {source} to '{parquet}' (format parquet, compression zstd)")
            con.execute(f"copy {source} to '{csv}' (format csv, header true)")
            rows = con.execute(f"select count(*) from {source}").fetchone()[0]
            print(f"  {stem}: {rows:,} rows")
    shutil.rmtree(final, ignore_errors=True)
    os.replace(staging, final)
    latest = out_dir / "latest"
    temporary_link = out_dir / ".latest.new"
    temporary_link.unlink(missing_ok=True)
    temporary_link.symlink_to(publish_id)
    os.replace(temporary_link, latest)
    print(
        f"exported {len(tables)} tables of publish {publish_id} to {final} "
        f"(parquet/ and csv/; {latest} -> it) in {time.monotonic() - started:.1f} s"
    )
    return final


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--bi-db", type=Path, default=Path(os.environ.get("GNE_DB_PATH", "build/gne.duckdb")),
        help="the published BI file (default: $GNE_DB_PATH, else build/gne.duckdb)",
    )
    parser.add_argument(
        "--out", type=Path, default=Path(os.environ.get("GNE_EXPORT_DIR", "build/export")),
        help="output folder (default: $GNE_EXPORT_DIR, else build/export)",
    )
    parser.add_argument(
        "--keep", type=int, default=3, help="publish folders to keep (default: 3, newest)"
    )
    parser.add_argument(
        "--schemas", default=",".join(DEFAULT_SCHEMAS),
        help=f"comma-separated schemas to export (default: {','.join(DEFAULT_SCHEMAS)})",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    bi_db = args.bi_db if args.bi_db.is_absolute() else REPO_ROOT / args.bi_db
    out_dir = args.out if args.out.is_absolute() else REPO_ROOT / args.out
    if not bi_db.exists():
        print(f"no BI file at {bi_db}: run `make build` first")
        return 1
    out_dir.mkdir(parents=True, exist_ok=True)
    export(bi_db, out_dir, tuple(s.strip() for s in args.schemas.split(",") if s.strip()))
    for folder in prune(out_dir, args.keep):
        print(f"  removed the older export {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
