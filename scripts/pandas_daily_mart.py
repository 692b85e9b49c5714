"""The late-dispatch part of buyer_experience_daily, written in pandas the way an analyst might.

For the benchmark's comparison (scripts/benchmark.py): reads the raw Parquet log, keeps the
first-landed copy of each order_placed / order_shipped event, parses the JSON payload with the
standard library, places each order on its market's local calendar, and counts per market and
local placed date: orders, orders shipped within the 60-day window, and those shipped after their
promised ship-by time. It skips the contract checks that staging does, so a few faulty rows may
make its counts differ slightly from the mart's.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFECT_WINDOW = pd.Timedelta(days=60)
COLUMNS = ["event_id", "event_type", "occurred_at", "ingested_at", "market", "payload"]


def _payload_fields(payloads: pd.Series) -> pd.DataFrame:
    """order_id and promised_ship_by (UTC) of each JSON payload; null where absent or unparsable."""
    order_ids: list[str | None] = []
    promised: list[str | None] = []
    for text in payloads:
        try:
            fields = json.loads(text)
        except (TypeError, ValueError):
            fields = None
        if not isinstance(fields, dict):
            fields = {}
        order_ids.append(fields.get("order_id"))
        promised.append(fields.get("promised_ship_by"))
    return pd.DataFrame({
        "order_id": pd.array(order_ids, dtype="str"),
        "promised_ship_by": pd.to_datetime(pd.Series(promised, dtype="str"), errors="coerce",
                                           format="ISO8601", utc=True).dt.tz_localize(None),
    }, index=payloads.index)


def _read_events(raw_dir: Path) -> pd.DataFrame:
    """Order placements and shipments with their payload fields, read one batch at a time so that
    the payload text never has to fit in memory at once."""
    dataset = ds.dataset(raw_dir / "governance_events", format="parquet", partitioning="hive")
    frames = []
    for batch in dataset.to_batches(
        columns=COLUMNS, filter=ds.field("event_type").isin(["order_placed", "order_shipped"])
    ):
        frame = batch.to_pandas()
        frames.append(frame.join(_payload_fields(frame.pop("payload"))))
    return pd.concat(frames, ignore_index=True)


def _market_time_zones() -> dict[str, str]:
    with open(REPO_ROOT / "seeds" / "markets.csv", newline="") as handle:
        return {row["market_code"]: row["reporting_timezone"] for row in csv.DictReader(handle)}


def _local_dates(frame: pd.DataFrame) -> pd.Series:
    """Each row's occurred_at (UTC) as a date in its market's reporting time zone."""
    dates = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]")
    utc = frame["occurred_at"].dt.tz_localize("UTC")
    for market, zone in _market_time_zones().items():
        rows = frame["market"] == market
        dates[rows] = utc[rows].dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()
    return dates.dt.date


def late_dispatch_daily(raw_dir: Path) -> pd.DataFrame:
    """Orders, shipped orders and late-dispatched orders per market and local placed date."""
    events = _read_events(raw_dir)
    events = events[events["event_id"].notna() & (events["occurred_at"] <= events["ingested_at"])]
    events = events.sort_values(["ingested_at"], kind="stable").drop_duplicates("event_id")
    events = events[events["order_id"].notna() & events["market"].isin(_market_time_zones())]

    placed = events[events["event_type"] == "order_placed"].copy()
    placed = placed.dropna(subset=["promised_ship_by"])
    placed = placed.sort_values(["occurred_at", "event_id"]).drop_duplicates("order_id")
    placed["placed_local_date"] = _local_dates(placed)

    shipped = events[events["event_type"] == "order_shipped"][["order_id", "occurred_at"]]
    orders = placed.merge(shipped.rename(columns={"occurred_at": "shipped_at"}),
                          on="order_id", how="left")
    in_window = orders["shipped_at"] <= orders["occurred_at"] + DEFECT_WINDOW
    orders["shipped_at"] = orders["shipped_at"].where(in_window)
    first = orders.groupby("order_id", sort=False).agg(
        market=("market", "first"),
        placed_local_date=("placed_local_date", "first"),
        promised_ship_by=("promised_ship_by", "first"),
        first_shipped_at=("shipped_at", "min"),
    )
    first["is_shipped"] = first["first_shipped_at"].notna()
    first["is_late"] = first["first_shipped_at"] > first["promised_ship_by"]
    daily = first.groupby(["market", "placed_local_date"], as_index=False).agg(
        orders=("is_shipped", "size"),
        shipped_orders=("is_shipped", "sum"),
        late_dispatched_orders=("is_late", "sum"),
    )
    daily["late_dispatch_rate"] = (daily["late_dispatched_orders"]
                                   / daily["shipped_orders"].where(daily["shipped_orders"] > 0))
    return daily.rename(columns={"market": "market_code"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="CSV file to write")
    args = parser.parse_args()
    late_dispatch_daily(args.raw_dir).to_csv(args.out, index=False)


if __name__ == "__main__":
    main()
