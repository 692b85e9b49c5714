"""Build the monthly business review from the published BI database.

Writes `<out>/<YYYY-MM>/index.html` (the global review, one self-contained file: styles and SVG
charts inline, no script, no network), `review.pdf` printed from it by headless Chromium, and one
page per market in `markets/<CODE>.html`. With `--market XX` only that market's page is written
(and printed to `markets/XX.pdf`).

    .venv/bin/python scripts/build_review.py                       # latest ended month
    .venv/bin/python scripts/build_review.py --month 2026-09 --market TH

The month defaults to the latest ended month (`marts.reporting_periods`, global row).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from review import browser, data, sections, template  # noqa: E402
from review.formatting import esc, fmt_month  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]


def parse_month(text: str) -> dt.date:
    """YYYY-MM (or YYYY-MM-DD) to the first day of that month."""
    try:
        return dt.date.fromisoformat(text[:7] + "-01")
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"month must be YYYY-MM, got {text!r}") from error


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path,
                        default=Path(os.environ.get("GNE_DB_PATH", REPO_ROOT / "build/gne.duckdb")),
                        help="the BI database (default $GNE_DB_PATH or build/gne.duckdb)")
    parser.add_argument("--month", type=parse_month, default=None,
                        help="YYYY-MM; default the latest ended month")
    parser.add_argument("--market", default=None, help="only this market's page, e.g. TH")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "build/review",
                        help="output folder; the month's folder is created inside it")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF (no Chromium)")
    parser.add_argument("--no-markets", action="store_true",
                        help="write only the global page, not one page per market")
    parser.add_argument("--top", type=int, default=10,
                        help="highlights (and lowlights, movements) listed per page (default 10)")
    parser.add_argument("--screenshot", type=Path, default=None,
                        help="also save a PNG of the top of the main page here")
    return parser.parse_args(argv)


def progress(message: str) -> None:
    """One progress line, flushed at once."""
    print(f"[review] {message}", flush=True)


def global_scope(markets: "data.pd.DataFrame", catalogue: "data.pd.DataFrame") -> sections.Scope:
    regions = sorted(markets["region"].unique())
    teams = sorted(catalogue["owner_team"].unique())
    return sections.Scope(
        kind="global", code=sections.GLOBAL, name="Global",
        headline_geos=[sections.GLOBAL, *regions],
        target_scopes=[sections.GLOBAL, *teams],
        market_codes=list(markets["market_code"]),
        stages=list(sections.STAGE_ORDER),
    )


def market_scope(markets: "data.pd.DataFrame", code: str) -> sections.Scope:
    rows = markets[markets["market_code"] == code]
    if rows.empty:
        raise SystemExit(f"unknown market {code!r}; known: {', '.join(markets['market_code'])}")
    row = rows.iloc[0]
    stage = str(row["current_development_stage"])
    return sections.Scope(
        kind="market", code=code, name=f"{row['market_name']} ({code}, {stage} stage)",
        headline_geos=[code], target_scopes=[code], market_codes=[code],
        stages=[stage] if stage in sections.STAGE_ORDER else list(sections.STAGE_ORDER),
    )


def render_page(ctx: sections.Context, market_links: list[tuple[str, str]], db: Path,
                top: int) -> str:
    """Render every section of one page, printing how long each took."""
    builders: list[tuple[str, Callable[[], str]]] = [
        ("headline", lambda: sections.headline(ctx)),
        ("trends", lambda: sections.trends(ctx)),
        ("highlights and lowlights", lambda: sections.insights(ctx, top)),
        ("targets", lambda: sections.targets(ctx)),
        ("budget", lambda: sections.budget(ctx)),
        ("data trust", lambda: sections.data_trust(ctx)),
    ]
    parts = []
    for label, build in builders:
        started = time.perf_counter()
        parts.append(build())
        progress(f"  {ctx.scope.code}: {label} ({time.perf_counter() - started:.1f} s)")
    period = ctx.period
    as_of = period.as_of_at.strftime("%Y-%m-%d %H:%M UTC") if period.as_of_at else "unknown"
    chosen = "chosen with --month" if period.source == "--month" else period.source
    meta = [f"{esc(ctx.scope.name)} · data as of {esc(as_of)} · {esc(chosen)}"]
    banner = ""
    if period.is_provisional:
        until = f" ({esc(period.provisional_note)})" if period.provisional_note else ""
        banner = (f"Provisional: {fmt_month(period.month_start)} may still change as late data "
                  f"arrives{until}; verdicts marked provisional are to be revisited.")
    if period.is_in_progress:
        banner = (f"{fmt_month(period.month_start)} had not ended as of the data: its figures "
                  "are partial and the marts give it no verdict yet.")
    notes = "".join(f"<br>Note: {esc(n)}" for n in ctx.notes)
    footer = (f"Built from {esc(db.name)} (schema marts) by scripts/build_review.py on "
              f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC. Figures are the marts' "
              f"own; statuses are not recomputed.{notes}")
    return template.page(template.review_title(ctx.scope.name, period.month_start),
                         period.month_start, ctx.scope.code, meta, banner, parts, market_links,
                         footer)


def write_listing(out: Path) -> Path:
    """`<out>/index.html`: every month built so far, newest first (the exposure's URL)."""
    months = sorted((p.name for p in out.iterdir() if p.is_dir() and (p / "index.html").exists()),
                    reverse=True)
    items = "".join(
        f'<li><a href="{m}/index.html">{esc(fmt_month(dt.date.fromisoformat(m + "-01")))}</a>'
        + (f' · <a href="{m}/review.pdf">PDF</a>' if (out / m / "review.pdf").exists() else "")
        + "</li>" for m in months)
    path = out / "index.html"
    path.write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Monthly business reviews</title></head><body style=\"font-family: sans-serif\">"
        f"<h1>Monthly business reviews</h1><ul>{items}</ul></body></html>\n", encoding="utf-8")
    return path


def write_pdf(html_path: Path, pdf_path: Path) -> None:
    binary = browser.find_chromium()
    if binary is None:
        raise SystemExit("chromium not found: install it (`make chromium`) or pass --no-pdf")
    started = time.perf_counter()
    browser.print_pdf(binary, html_path, pdf_path)
    progress(f"PDF {pdf_path} ({time.perf_counter() - started:.1f} s)")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    con = data.connect(args.db)
    period = data.review_period(con, args.month)
    catalogue = data.metric_catalogue(con)
    framework = data.stage_framework(con)
    markets = data.markets(con)
    month_dir = args.out / period.month_start.strftime("%Y-%m")
    (month_dir / "markets").mkdir(parents=True, exist_ok=True)
    progress(f"{fmt_month(period.month_start)} from {args.db} ({period.source}"
             f"{', provisional' if period.is_provisional else ''})")

    def build(scope: sections.Scope, path: Path, links: list[tuple[str, str]]) -> Path:
        ctx = sections.Context(con, period, scope, catalogue, framework)
        progress(f"page {scope.code} -> {path}")
        path.write_text(render_page(ctx, links, args.db, args.top), encoding="utf-8")
        progress(f"  {scope.code}: {path.stat().st_size / 1024:,.0f} KiB")
        return path

    codes = list(markets["market_code"])
    if args.market:
        path = build(market_scope(markets, args.market), month_dir / "markets" / f"{args.market}.html",
                     [("global review", "../index.html")])
        main_page, pdf = path, path.with_suffix(".pdf")
    else:
        links = [(code, f"markets/{code}.html") for code in codes] if not args.no_markets else []
        main_page = build(global_scope(markets, catalogue), month_dir / "index.html", links)
        pdf = month_dir / "review.pdf"
        if not args.no_markets:
            for code in codes:
                siblings = [("global review", "../index.html")] + [
                    (other, f"{other}.html") for other in codes if other != code]
                build(market_scope(markets, code), month_dir / "markets" / f"{code}.html", siblings)
    con.close()
    if not args.no_pdf:
        write_pdf(main_page, pdf)
    if args.screenshot:
        binary = browser.find_chromium()
        if binary is None:
            raise SystemExit("chromium not found: cannot take the screenshot")
        browser.screenshot(binary, main_page, args.screenshot)
        progress(f"screenshot {args.screenshot}")
    progress(f"listing {write_listing(args.out)}")
    progress(f"done in {time.perf_counter() - started:.1f} s: {main_page}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
