"""The file manifest of the governance event log: every file found under
RAW_DIR/governance_events (recursively), one row each, with its partition
date when the path has a valid one, its row count and schema as read from the
Parquet footer (never the data pages), and whether it is loaded or rejected
whole, with a reason code from the quarantine_reasons seed.

A Python model because reading a zero-byte or corrupt file fails any DuckDB
query that touches it: here each file's footer is read on its own and a
failure rejects that file only. The SQL models then read exactly the loaded
files, by a list bound at run time (macros/raw_files.sql), never by a glob.

It also writes a zero-row Parquet file with the contract's columns and types
(config `empty_events_file`), which every read of the log includes, so that a
read with no file to load is valid SQL and its column types never depend on
which files happen to be read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

PARTITION_KEY = "ingest_date"
PARTITION_VALUE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
TEXT_COLUMNS = ("event_id", "event_type", "market", "payload")
TIMESTAMP_COLUMNS = ("occurred_at", "ingested_at")
REQUIRED_COLUMNS = (*TEXT_COLUMNS[:2], "schema_version", *TIMESTAMP_COLUMNS, *TEXT_COLUMNS[2:])

CONTRACT_SCHEMA = pa.schema([
    ("event_id", pa.string()),
    ("event_type", pa.string()),
    ("schema_version", pa.int32()),
    ("occurred_at", pa.timestamp("us")),
    ("ingested_at", pa.timestamp("us")),
    ("market", pa.string()),
    ("payload", pa.string()),
])

MANIFEST_SCHEMA = pa.schema([
    ("source_file", pa.string()),
    ("partition_date", pa.date32()),
    ("file_format", pa.string()),
    ("file_size_bytes", pa.int64()),
    ("row_count", pa.int64()),
    ("schema_fingerprint", pa.string()),
    ("coerced_columns", pa.string()),
    ("file_status", pa.string()),
    ("rejection_reason_code", pa.string()),
    ("rejection_detail", pa.string()),
])


def is_text(data_type: pa.DataType) -> bool:
    """Strings (plain, large or dictionary-encoded) and all-null columns."""
    if pa.types.is_dictionary(data_type):
        data_type = data_type.value_type
    return (
        pa.types.is_string(data_type)
        or pa.types.is_large_string(data_type)
        or pa.types.is_null(data_type)
    )


def column_verdict(name: str, data_type: pa.DataType) -> tuple[str, str | None]:
    """'ok', 'coerced' (with how) or 'incompatible' (with why) for one contract column."""
    if name in TEXT_COLUMNS:
        return ("ok", None) if is_text(data_type) else ("incompatible", f"{name} is {data_type}, not a string")
    if name == "schema_version":
        if pa.types.is_integer(data_type) or pa.types.is_null(data_type):
            return "ok", None
        if is_text(data_type):
            return "coerced", f"{name} string read as an integer"
        return "incompatible", f"{name} is {data_type}, not an integer"
    if pa.types.is_timestamp(data_type):
        if data_type.tz is None:
            return "ok", None
        return "coerced", f"{name} timestamp with time zone {data_type.tz} converted to UTC"
    if is_text(data_type):
        return "coerced", f"{name} string parsed as an ISO-8601 timestamp (offsets applied)"
    return "incompatible", f"{name} is {data_type}, not a timestamp (epoch numbers have no agreed unit)"


def schema_check(schema: pa.Schema) -> tuple[list[str], list[str]]:
    """The coercions a file needs and the reasons it cannot be loaded (empty when it can)."""
    coerced, problems = [], []
    names = set(schema.names)
    for name in REQUIRED_COLUMNS:
        if name not in names:
            problems.append(f"required column {name} is missing")
            continue
        verdict, note = column_verdict(name, schema.field(name).type)
        if verdict == "coerced":
            coerced.append(note)
        elif verdict == "incompatible":
            problems.append(note)
    return coerced, problems


def partition_date(relative: Path, latest_plausible: dt.date) -> tuple[dt.date | None, str | None]:
    """The ingest_date of a file's folders, or why the path has no valid one."""
    values = [part.split("=", 1)[1] for part in relative.parts[:-1] if part.startswith(f"{PARTITION_KEY}=")]
    if len(values) != 1:
        found = "no" if not values else "more than one"
        return None, f"{found} {PARTITION_KEY}=YYYY-MM-DD folder in the path"
    value = values[0]
    if not PARTITION_VALUE.match(value):
        return None, f"partition value is not a YYYY-MM-DD date: {value[:60]!r}"
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None, f"partition value is not a calendar date: {value!r}"
    if day > latest_plausible:
        return None, f"partition date {value} is after the day the build ran"
    return day, None


def fingerprint(schema: pa.Schema) -> str:
    text = ";".join(f"{field.name}:{field.type}" for field in schema)
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def describe_file(root: Path, path: Path, latest_plausible: dt.date) -> dict[str, Any]:
    """One manifest row: footer facts and the verdict for one file."""
    relative = path.relative_to(root)
    row: dict[str, Any] = {
        "source_file": relative.as_posix(),
        "file_size_bytes": path.stat().st_size,
        "file_format": "unknown",
        "row_count": None,
        "schema_fingerprint": None,
        "coerced_columns": None,
    }
    day, partition_problem = partition_date(relative, latest_plausible)
    row["partition_date"] = day
    problems: list[tuple[str, str]] = []
    if partition_problem:
        problems.append(("invalid_partition", partition_problem))
    try:
        metadata = pq.ParquetFile(path)
        schema = metadata.schema_arrow
        row.update(
            file_format="parquet",
            row_count=metadata.metadata.num_rows,
            schema_fingerprint=fingerprint(schema),
        )
        coerced, schema_problems = schema_check(schema)
        row["coerced_columns"] = "; ".join(coerced) or None
        if schema_problems:
            problems.append(("incompatible_schema", "; ".join(schema_problems)))
    except Exception as error:  # any unreadable footer rejects this file only
        message = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
        problems.insert(0, ("unreadable_file", f"not a readable Parquet file: {message}"))
    rejected = bool(problems)
    row.update(
        file_status="rejected" if rejected else "loaded",
        rejection_reason_code=problems[0][0] if rejected else None,
        rejection_detail="; ".join(detail for _, detail in problems) if rejected else None,
    )
    return row


def list_files(root: Path) -> list[Path]:
    """Every regular file under root, at any depth (folders that are symlinks followed), in a
    stable order."""
    if not root.is_dir():
        return []
    found = []
    for folder, _, names in os.walk(root, followlinks=True):
        found.extend(Path(folder) / name for name in names)
    return sorted(path for path in found if path.is_file())


def write_empty_events_file(target: Path) -> None:
    """The zero-row file with the contract's columns that every read includes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    pq.write_table(CONTRACT_SCHEMA.empty_table(), scratch)
    os.replace(scratch, target)


def manifest(root: Path) -> pa.Table:
    """The manifest of every file under root (also what scripts/build_file_manifests.py writes
    for engines that cannot run Python models)."""
    latest_plausible = dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=1)
    rows = [describe_file(root, path, latest_plausible) for path in list_files(root)]
    return pa.Table.from_pylist(rows, schema=MANIFEST_SCHEMA)


def model(dbt: Any, session: Any) -> pa.Table:
    # materialized: set in the YAML (a table; on Spark, file_manifest).
    write_empty_events_file(Path(dbt.config.get("empty_events_file")))
    return manifest(Path(dbt.config.get("raw_events_dir")))
