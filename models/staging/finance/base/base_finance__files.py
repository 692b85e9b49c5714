"""The finance file manifest: one row for the spend file the contract names,
RAW_DIR/finance/spend_actuals.csv, whether it is there, readable as CSV with
a header holding every contract column, how many lines it has, and so
whether it is `loaded` or `rejected` (reason finance_unavailable, with the
file and column in the detail). A missing or malformed file must not stop
the build: base_finance__validated then reads no line, every cost metric is
null and its health fails.

Also writes a header-only CSV with the contract's columns (config
`empty_spend_file`) that every read of the spend file includes, so that the
read is valid SQL with the same columns whether or not the file is loaded.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

import pyarrow as pa

SPEND_FILE = "spend_actuals.csv"
CONTRACT_COLUMNS = ("posting_month", "market", "cost_center", "vendor_id", "currency", "amount_local")

MANIFEST_SCHEMA = pa.schema([
    ("source_file", pa.string()),
    ("file_size_bytes", pa.int64()),
    ("line_count", pa.int64()),
    ("file_status", pa.string()),
    ("rejection_reason_code", pa.string()),
    ("rejection_detail", pa.string()),
])


def header_problem(path: Path) -> tuple[int | None, str | None]:
    """The number of data lines, and what is wrong with the header if anything."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            lines = sum(1 for line in reader if line)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        return None, f"{path.name} cannot be read as UTF-8 CSV: {str(error)[:200]}"
    if header is None:
        return 0, f"{path.name} is empty (no header line)"
    found = [column.strip() for column in header]
    missing = [column for column in CONTRACT_COLUMNS if column not in found]
    if missing:
        return lines, (
            f"{path.name} lacks column {', '.join(missing)} "
            f"(header has: {', '.join(found)[:200]})"
        )
    return lines, None


def describe_spend_file(finance_dir: Path) -> dict[str, Any]:
    path = finance_dir / SPEND_FILE
    row: dict[str, Any] = {"source_file": SPEND_FILE, "file_size_bytes": None, "line_count": None}
    if not path.is_file():
        problem = f"{SPEND_FILE} is missing from {finance_dir}"
    else:
        row["file_size_bytes"] = path.stat().st_size
        row["line_count"], problem = header_problem(path)
    row.update(
        file_status="rejected" if problem else "loaded",
        rejection_reason_code="finance_unavailable" if problem else None,
        rejection_detail=problem,
    )
    return row


def write_empty_spend_file(target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    scratch.write_text(",".join(CONTRACT_COLUMNS) + "\n", encoding="utf-8")
    os.replace(scratch, target)


def manifest(finance_dir: Path) -> pa.Table:
    """The one-row manifest of the spend file (also what scripts/build_file_manifests.py writes
    for engines that cannot run Python models)."""
    return pa.Table.from_pylist([describe_spend_file(finance_dir)], schema=MANIFEST_SCHEMA)


def model(dbt: Any, session: Any) -> pa.Table:
    # materialized: set in the YAML (a table; on Spark, file_manifest).
    write_empty_spend_file(Path(dbt.config.get("empty_spend_file")))
    return manifest(Path(dbt.config.get("raw_finance_dir")))
