"""A currency-month without an FX rate is named in a warning at the end of a run, never fails it.

Issue 9: a missing rate gives null USD values and `fx_rate_missing` health (unit tests of
fct_orders and int_metric_values prove those); the on-run-end hook `warn_missing_fx_rates` tells
the planning team which rate to add. Neither dataset lacks a rate, so this test takes a copy of
the working database `make test` built, marks one order as having no rate (as the fact does when
the seed has no row for its currency and month), and runs the hook's macro on the copy.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from dbt_common.events.base_types import EventMsg

from dbt_harness import TEST_RAW_DIR, open_built, run_dbt


def built_work_db() -> Path:
    """The working database of this `make test` run (Makefile: GNE_WORK_DB_PATH)."""
    configured = os.environ.get("GNE_WORK_DB_PATH")
    if not configured:
        pytest.skip("GNE_WORK_DB_PATH is not set: `make test` sets it to the database it builds")
    path = Path(configured)
    if not path.exists():
        pytest.fail(f"GNE_WORK_DB_PATH={path} does not exist: build it first (make test does)")
    return path


def test_an_order_without_a_rate_is_named_by_currency_and_month(tmp_path: Path) -> None:
    copy = tmp_path / "gne.duckdb"
    shutil.copyfile(built_work_db(), copy)
    with open_built(copy) as con:
        currency, month = con.execute(
            """
            update core.fct_orders
            set is_fx_rate_missing = true, gmv_usd = null
            where order_id = (
                select min(order_id) from core.fct_orders where gmv_local is not null
            )
            returning currency_code, strftime(placed_local_month, '%Y-%m')
            """
        ).fetchone()

    warnings: list[str] = []

    def collect(event: EventMsg) -> None:
        if event.info.level == "warn":
            warnings.append(event.info.msg)

    result = run_dbt(
        ["run-operation", "warn_missing_fx_rates"],
        raw_dir=TEST_RAW_DIR,
        db_path=copy,
        work_dir=tmp_path,
        callbacks=[collect],
    )

    assert result.success
    named = [text for text in warnings if "fx_rate_missing" in text]
    assert len(named) == 1, warnings
    assert f"{currency} {month}" in named[0]
    assert "(1 orders, 0 spend lines)" in named[0]
