"""Write the raw-file manifests as Parquet files, for engines that cannot run dbt Python models.

The file manifests (base_events__files, base_finance__files) are dbt Python models: each file's
Parquet footer or CSV header is read on its own, so that a corrupt file rejects only itself.
dbt-spark runs Python models only on Databricks, so on Spark this script runs the models' own
functions (the same code, imported from the model files, nothing copied) before dbt, and the
models' Spark materialization (file_manifest, macros/engine/file_manifest.sql) loads what it
wrote. DuckDB builds run the Python models themselves and need no such step.

Writes <out>/base_events__files.parquet and <out>/base_finance__files.parquet (atomically: a
scratch file renamed over the old one), and prints one line per manifest.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pyarrow as pa
import pyarrow.parquet as pq

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MODELS = {
    "base_events__files": (PROJECT_ROOT / "models/staging/events/base/base_events__files.py", "governance_events"),
    "base_finance__files": (PROJECT_ROOT / "models/staging/finance/base/base_finance__files.py", "finance"),
}


def default_out_dir() -> str:
    """Where the Spark materialization looks (the same defaults as macros/engine/file_manifest.sql)."""
    spark_dir = os.environ.get("GNE_SPARK_DIR", "build/spark")
    return os.environ.get("GNE_FILE_MANIFEST_DIR", f"{spark_dir}/file_manifests")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw-dir", type=Path, default=Path(os.environ.get("GNE_RAW_DIR", "data/raw/default")),
                        help="the raw folder (default: GNE_RAW_DIR, else data/raw/default)")
    parser.add_argument("--out", type=Path, default=Path(default_out_dir()),
                        help="folder of the manifest files (default: GNE_FILE_MANIFEST_DIR, "
                             "else GNE_SPARK_DIR/file_manifests, else build/spark/file_manifests)")
    return parser.parse_args(argv)


def load_model_module(name: str, path: Path) -> ModuleType:
    """A Python model file imported as a module (its model() is not called)."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_atomically(table: pa.Table, target: Path) -> None:
    """The table as a Parquet file at target, never half-written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    pq.write_table(table, scratch)
    os.replace(scratch, target)


def build_manifest(name: str, raw_dir: Path, out_dir: Path) -> pa.Table:
    """One manifest, computed by its model's own manifest() and written to out_dir."""
    path, folder = MODELS[name]
    table = load_model_module(name, path).manifest(raw_dir / folder)
    write_atomically(table, out_dir / f"{name}.parquet")
    return table


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for name in MODELS:
        table = build_manifest(name, args.raw_dir, args.out)
        statuses = table.column("file_status").to_pylist()
        print(f"{name}: {len(statuses)} files, {statuses.count('loaded')} loaded, "
              f"{statuses.count('rejected')} rejected -> {args.out / (name + '.parquet')}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
