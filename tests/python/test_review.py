"""The monthly business review, built from the test database and read back.

The page is built once per module (global page, one page per market, PDF, screenshot) into a
temporary folder. Numbers are read back from the HTML's data attributes and compared with the
marts; the page is opened in headless Chromium (Debian's `chromium`), which must report no console
error. Without Chromium the browser tests skip locally and fail in CI (`CI=true`).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader

from dbt_harness import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "scripts"))
from review import browser  # noqa: E402
from review.formatting import fmt_number  # noqa: E402

SCRIPT = REPO_ROOT / "scripts" / "build_review.py"
SECTIONS = ["headline", "trends", "insights", "targets", "budget", "data-trust"]
MAX_BYTES = 5 * 1024 * 1024


def _db_path() -> Path:
    path = Path(os.environ.get("GNE_DB_PATH", REPO_ROOT / "build" / "test.duckdb"))
    if not path.exists():
        pytest.fail(f"{path} does not exist: build it first (make test does)")
    return path


def _chromium() -> str | None:
    binary = browser.find_chromium()
    if binary is None and os.environ.get("CI") == "true":
        pytest.fail("chromium is missing in CI: `make chromium` installs Debian's package")
    return binary


def _needs_chromium() -> str:
    binary = _chromium()
    if binary is None:
        pytest.skip("chromium is not installed (make chromium)")
    return binary


def _build(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--db", str(_db_path()), "--out", str(out), *args],
        capture_output=True, text=True, check=False, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside each element with data-field."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.cells: list[dict[str, str]] = []
        self._open: list[dict[str, str] | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        self.tags.append((tag, values))
        if tag in ("td", "th"):
            self._open.append({**values, "_text": "", "_tag": tag} if "data-field" in values else None)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._open:
            cell = self._open.pop()
            if cell is not None:
                self.cells.append(cell)

    def handle_data(self, data: str) -> None:
        for cell in self._open:
            if cell is not None:
                cell["_text"] += data


def _parse(path: Path) -> _Elements:
    parser = _Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = tmp_path_factory.mktemp("review")
    binary = _chromium()
    args = [] if binary else ["--no-pdf"]
    shot = out / "shot.png"
    if binary:
        args += ["--screenshot", str(shot)]
    result = _build(out, *args)
    month_dirs = [p for p in out.iterdir() if p.is_dir()]
    assert len(month_dirs) == 1, month_dirs
    return {"dir": month_dirs[0], "stdout": result.stdout, "shot": shot}


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(_db_path()), read_only=True)
    yield connection
    connection.close()


def _month(built: dict[str, object]) -> dt.date:
    return dt.date.fromisoformat(Path(built["dir"]).name + "-01")  # type: ignore[arg-type]


def _mart_value(con: duckdb.DuckDBPyConnection, cell: dict[str, str]) -> object:
    mart, column = cell["data-mart"], cell["data-field"]
    if mart == "metric_values":
        sql = (f"select {column} from marts.metric_values where time_grain = 'month'"
               " and metric_id = ? and geo_code = ? and period_start = ?")
    elif mart in ("target_attainment", "target_feasibility"):
        sql = (f"select {column} from marts.{mart} where metric_id = ? and scope_code = ?"
               " and target_month = ?")
    elif mart == "budget_utilization":
        sql = (f"select {column} from marts.budget_utilization where cost_center = ?"
               " and market_code = ? and budget_month = ?")
    else:
        raise AssertionError(f"unknown mart {mart}")
    rows = con.execute(sql, [cell["data-metric"], cell["data-geo"], cell["data-month"]]).fetchall()
    assert len(rows) == 1, f"{cell} matches {len(rows)} mart rows"
    return rows[0][0]


def _same(shown: str, stored: object) -> bool:
    if stored is None or (isinstance(stored, float) and math.isnan(stored)):
        return shown == ""
    return shown != "" and math.isclose(float(shown), float(stored), rel_tol=1e-12, abs_tol=1e-12)


def _mart_cells(page: _Elements, section_marts: tuple[str, ...]) -> list[dict[str, str]]:
    return [c for c in page.cells if c.get("data-mart") in section_marts]


def test_progress_lines_name_each_section(built: dict[str, object]) -> None:
    stdout = str(built["stdout"])
    for label in ("headline", "trends", "highlights and lowlights", "targets", "budget",
                  "data trust"):
        assert f"GLOBAL: {label} (" in stdout, stdout[:2000]
    assert "done in" in stdout


def test_default_month_is_the_latest_ended_month(built: dict[str, object],
                                                 con: duckdb.DuckDBPyConnection) -> None:
    tables = {r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()}
    if "reporting_periods" in tables:
        expected = con.execute("select last_complete_month_start from marts.reporting_periods"
                               " where geography_level = 'global'").fetchone()[0]
    else:
        as_of = con.execute("select max(as_of_at) from marts.data_availability").fetchone()[0]
        last = (as_of + dt.timedelta(days=1)).day == 1
        expected = as_of.date().replace(day=1) if last else (
            as_of.date().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    assert _month(built) == expected


def test_every_headline_number_equals_its_mart_value(built: dict[str, object],
                                                     con: duckdb.DuckDBPyConnection) -> None:
    page = _parse(Path(built["dir"]) / "index.html")  # type: ignore[arg-type]
    cells = [c for c in _mart_cells(page, ("metric_values",)) if c["data-field"] == "value"]
    catalogue = pd.read_csv(REPO_ROOT / "seeds" / "metric_catalogue.csv").set_index("metric_id")
    framework = pd.read_csv(REPO_ROOT / "seeds" / "stage_framework.csv")
    headline = framework[framework["metric_role"].isin(["north_star", "guardrail"])]
    regions = [r[0] for r in con.execute("select distinct region from core.dim_markets").fetchall()]
    assert len(cells) == len(headline) * (1 + len(regions))
    for cell in cells:
        stored = _mart_value(con, cell)
        assert _same(cell["data-value"], stored), (cell, stored)
        row = catalogue.loc[cell["data-metric"]]
        assert fmt_number(stored, row["value_format"], int(row["display_decimals"])) in cell["_text"]
        numerator = _mart_value(con, {**cell, "data-field": "numerator"})
        denominator = _mart_value(con, {**cell, "data-field": "denominator"})
        if numerator is not None and denominator is not None:  # a ratio shows its parts
            assert f" / {fmt_number(denominator, 'integer', 0)}" in cell["_text"], cell
    changes = [c for c in page.cells if c.get("data-field") == "change"]
    assert len(changes) == len(cells)
    for cell, change in zip(cells, changes):  # same row order: value cell, then its change
        prior_month = (pd.Timestamp(cell["data-month"]) - pd.offsets.MonthBegin(1)).date()
        prior = _mart_value(con, {**cell, "data-month": prior_month.isoformat()}) if con.execute(
            "select count(*) from marts.metric_values where time_grain = 'month'"
            " and metric_id = ? and geo_code = ? and period_start = ?",
            [cell["data-metric"], cell["data-geo"], prior_month]).fetchone()[0] else None
        assert _same(change["data-prior-value"], prior), (change, prior)
        current = None if cell["data-value"] == "" else float(cell["data-value"])
        expected = None if current is None or prior is None else current - float(prior)
        assert _same(change["data-value"], expected), (change, expected)
    targets = [c for c in _mart_cells(page, ("target_attainment",))
               if c["data-field"] == "current_target"]
    assert targets, "no headline or target figure carries a target"
    for cell in targets:
        assert _same(cell["data-value"], _mart_value(con, cell)), cell


def test_every_target_number_equals_its_mart_value(built: dict[str, object],
                                                   con: duckdb.DuckDBPyConnection) -> None:
    page = _parse(Path(built["dir"]) / "index.html")  # type: ignore[arg-type]
    cells = _mart_cells(page, ("target_attainment", "target_feasibility", "budget_utilization"))
    month = _month(built)
    teams = list(pd.read_csv(REPO_ROOT / "seeds" / "metric_catalogue.csv")["owner_team"].unique())
    scopes = ["GLOBAL", *teams]
    expected_rows = con.execute(
        "select count(*) from marts.target_attainment where target_month = ?"
        " and list_contains(?, scope_code)", [month, scopes]).fetchone()[0]
    shown_rows = {(c["data-metric"], c["data-geo"]) for c in cells
                  if c["data-mart"] == "target_attainment" and c["data-field"] == "actual"}
    assert len(shown_rows) == expected_rows > 0
    for cell in cells:
        assert _same(cell["data-value"], _mart_value(con, cell)), cell


def test_failed_figures_are_greyed_with_their_reason(tmp_path: Path,
                                                     con: duckdb.DuckDBPyConnection) -> None:
    framework = pd.read_csv(REPO_ROOT / "seeds" / "stage_framework.csv")
    metrics = list(framework.loc[framework["metric_role"] != "diagnostic", "metric_id"].unique())
    failed = con.execute(
        "select period_start, metric_id, geo_code, health_reasons from marts.metric_values"
        " where time_grain = 'month' and geo_level in ('global', 'region')"
        " and health_status = 'fail' and list_contains(?, metric_id)"
        " order by period_start, metric_id, geo_code limit 1", [metrics]).fetchall()
    if not failed:
        pytest.skip("no failed headline figure in the test data")
    month, metric, geo, reasons = failed[0]
    _build(tmp_path, "--month", month.strftime("%Y-%m"), "--no-markets", "--no-pdf")
    html = (tmp_path / month.strftime("%Y-%m") / "index.html").read_text(encoding="utf-8")
    row_start = html.index(f'<tr class="failed" data-metric="{metric}" data-geo="{geo}">')
    row = html[row_start:html.index("</tr>", row_start)]
    assert "not reportable" in row and reasons in row
    assert 'class="num failed-value"' in row


def test_no_external_url(built: dict[str, object]) -> None:
    pages = [Path(built["dir"]) / "index.html",  # type: ignore[operator]
             *sorted((Path(built["dir"]) / "markets").glob("*.html"))]  # type: ignore[arg-type]
    checked = 0
    for path in pages:
        page = _parse(path)
        for tag, attrs in page.tags:
            for key in ("src", "href", "xlink:href", "action", "data"):
                value = attrs.get(key)
                if value is None:
                    continue
                checked += 1
                assert "://" not in value and not value.startswith("//"), (path.name, tag, value)
                assert not value.lower().startswith(("http", "ftp", "mailto")), (path.name, value)
        text = path.read_text(encoding="utf-8")
        assert "<script src" not in text and "<link" not in text and "@import" not in text
    assert checked > 0


def test_one_page_per_market(built: dict[str, object], con: duckdb.DuckDBPyConnection) -> None:
    codes = sorted(r[0] for r in con.execute("select market_code from core.dim_markets").fetchall())
    pages = sorted(p.stem for p in (Path(built["dir"]) / "markets").glob("*.html"))  # type: ignore[operator]
    assert pages == codes
    for code in codes[:2]:
        page = _parse(Path(built["dir"]) / "markets" / f"{code}.html")  # type: ignore[operator]
        values = [c for c in page.cells if c.get("data-mart") == "metric_values"]
        assert values and {c["data-geo"] for c in values} == {code}
        for cell in values:
            assert _same(cell["data-value"], _mart_value(con, cell)), cell


def test_month_and_market_options(tmp_path: Path) -> None:
    _build(tmp_path, "--month", "2026-08", "--market", "TH", "--no-pdf")
    path = tmp_path / "2026-08" / "markets" / "TH.html"
    html = path.read_text(encoding="utf-8")
    assert 'data-month="2026-08-01"' in html and "August 2026" in html
    assert not (tmp_path / "2026-08" / "index.html").exists()


def test_each_section_present_and_size(built: dict[str, object]) -> None:
    path = Path(built["dir"]) / "index.html"  # type: ignore[operator]
    sections = [a.get("data-section") for t, a in _parse(path).tags if t == "section"]
    assert sections == SECTIONS
    assert path.stat().st_size < MAX_BYTES


def test_chromium_loads_the_page_without_console_errors(built: dict[str, object]) -> None:
    binary = _needs_chromium()
    load = browser.load_page(binary, Path(built["dir"]) / "index.html")  # type: ignore[operator]
    assert load.loaded
    assert load.errors == []
    assert load.title.startswith("Monthly business review")
    assert load.sections == SECTIONS
    assert load.charts_drawn > 10


def test_console_check_catches_errors(tmp_path: Path) -> None:
    binary = _needs_chromium()
    page = tmp_path / "broken.html"
    page.write_text('<html><body><img src="missing.png"><script>console.error("bad");'
                    "notDefined();</script></body></html>", encoding="utf-8")
    load = browser.load_page(binary, page)
    assert load.loaded
    joined = "\n".join(load.errors)
    assert "console.error: bad" in joined
    assert "notDefined" in joined
    assert "missing.png" in joined


def test_screenshot_is_not_blank(built: dict[str, object]) -> None:
    _needs_chromium()
    image = Image.open(built["shot"]).convert("RGB")  # type: ignore[arg-type]
    pixels = np.asarray(image.resize((200, 250))).reshape(-1, 3)
    non_white = int((pixels.min(axis=1) < 235).sum())
    assert non_white / len(pixels) > 0.05
    assert len(np.unique(pixels, axis=0)) > 20


def test_pdf_has_pages(built: dict[str, object]) -> None:
    _needs_chromium()
    pdf = Path(built["dir"]) / "review.pdf"  # type: ignore[operator]
    reader = PdfReader(pdf)
    assert len(reader.pages) >= len(SECTIONS)
    assert "Monthly business review" in (reader.pages[0].extract_text() or "")


@pytest.mark.parametrize(
    ("value", "value_format", "decimals", "expected"),
    [
        (12345.6, "integer", 0, "12,346"),
        (1234567.891, "usd", 0, "$1,234,568"),
        (-2.5, "usd", 2, "−$2.50"),
        (0.04213, "percent", 2, "4.21%"),
        (3.9512, "score", 2, "3.95"),
        (11.75, "hours", 1, "11.8 h"),
        (32.8, "per_1k", 1, "32.8 per 1k"),
        (None, "percent", 1, "–"),
        (float("nan"), "usd", 0, "–"),
    ],
)
def test_number_formats(value: object, value_format: str, decimals: int, expected: str) -> None:
    assert fmt_number(value, value_format, decimals) == expected


def _periods_db(as_of: str, with_reporting_periods: bool) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(":memory:")
    connection.execute("create schema marts")
    connection.execute(f"create table marts.data_availability as select timestamp '{as_of}' as as_of_at")
    if with_reporting_periods:
        connection.execute(
            "create table marts.reporting_periods as select * from (values"
            " ('global', 'GLOBAL', timestamp '2026-10-31 23:00', date '2026-10-31',"
            "  date '2026-10-26', date '2026-10-01', date '2026-11-03', true),"
            " ('market', 'US', timestamp '2026-10-31 23:00', date '2026-10-31',"
            "  date '2026-10-26', date '2026-09-01', date '2026-10-03', false))"
            " as t(geography_level, geography, as_of_at, last_complete_local_date,"
            " last_complete_week_start, last_complete_month_start,"
            " provisional_until_local_date, is_latest_month_provisional)")
    return connection


def test_review_period_reads_the_global_row_of_reporting_periods() -> None:
    from review import data

    connection = _periods_db("2026-10-31 23:00", with_reporting_periods=True)
    period = data.review_period(connection, None)
    assert period.month_start == dt.date(2026, 10, 1)
    assert period.is_provisional and "2026-11-03" in period.provisional_note
    assert not period.is_in_progress
    later = data.review_period(connection, dt.date(2026, 11, 1))
    assert later.is_in_progress and not later.is_provisional
    earlier = data.review_period(connection, dt.date(2026, 9, 1))
    assert not earlier.is_in_progress and not earlier.is_provisional


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [("2026-10-15 12:00", dt.date(2026, 9, 1)), ("2026-10-31 23:59", dt.date(2026, 10, 1)),
     ("2026-11-01 00:30", dt.date(2026, 10, 1))],
)
def test_review_period_without_reporting_periods(as_of: str, expected: dt.date) -> None:
    from review import data

    period = data.review_period(_periods_db(as_of, with_reporting_periods=False), None)
    assert period.month_start == expected
    assert not period.is_in_progress
