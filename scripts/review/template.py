"""The page around the sections: one HTML file with its styles inline and print rules."""

from __future__ import annotations

import datetime as dt

from review.formatting import esc, fmt_month

STYLE = """
:root { --ink: #1a1a1a; --muted: #6b6b6b; --rule: #d9d9d9; --band: #f4f6f8; }
* { box-sizing: border-box; }
body { font: 13px/1.4 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1180px; padding: 24px; }
header { border-bottom: 3px solid #0072B2; margin-bottom: 12px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; border-bottom: 1px solid var(--rule); padding-bottom: 3px; margin-top: 26px; }
h3 { font-size: 14px; margin: 16px 0 6px; }
p.intro, .muted { color: var(--muted); }
.meta { color: var(--muted); margin: 2px 0 8px; }
.banner { background: #fff4d6; border-left: 4px solid #E69F00; padding: 6px 10px; margin: 8px 0; }
nav a { margin-right: 12px; color: #0072B2; text-decoration: none; }
nav.markets a { margin-right: 8px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 10px; font-size: 12px; }
th, td { border-bottom: 1px solid var(--rule); padding: 3px 6px; text-align: left;
         vertical-align: top; }
thead th { background: var(--band); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.failed td { color: var(--muted); background: #f1f1f1; }
td.failed-value { font-style: italic; white-space: normal; }
.reason { color: var(--muted); font-size: 11px; }
small.parts { color: var(--muted); font-size: 10px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 11px;
         border: 1px solid #999; white-space: nowrap; }
.rag-green, .health-ok { background: #d5efe6; border-color: #009E73; }
.rag-amber, .health-warn { background: #fbe9c6; border-color: #E69F00; }
.rag-red { background: #f6d5c2; border-color: #D55E00; font-weight: 600; }
.health-fail { background: #e0e0e0; border-color: #6b6b6b; font-weight: 600; }
.rag-immature, .rag-no_data, .rag-in_progress, .rag-not_assessed { background: #fff; border-style: dashed; }
.role-north_star { background: #d6e8f5; border-color: #0072B2; }
td.over { background: #f6d5c2; } td.under { background: #d6e8f5; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 10px; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; align-items: start; }
figure { margin: 0; break-inside: avoid; }
figcaption { color: var(--muted); font-size: 11px; }
svg.chart { max-width: 100%; height: auto; }
.insights ol { padding-left: 20px; } .insights li { margin-bottom: 4px; }
.sig { color: var(--muted); font-size: 11px; }
footer { color: var(--muted); font-size: 11px; border-top: 1px solid var(--rule); margin-top: 24px;
         padding-top: 6px; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5px; }
  nav { display: none; }
  section { break-before: page; }
  section#headline { break-before: auto; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr, figure, .keep { break-inside: avoid; }
  thead { display: table-header-group; }
  .grid { grid-template-columns: 1fr 1fr; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

SECTION_TITLES = [("headline", "Headline"), ("trends", "Trends"),
                  ("insights", "Highlights and lowlights"), ("targets", "Targets"),
                  ("budget", "Budget"), ("data-trust", "Data trust")]


def page(
    title: str,
    month: dt.date,
    scope_label: str,
    meta_lines: list[str],
    banner: str,
    sections: list[str],
    market_links: list[tuple[str, str]],
    footer: str,
) -> str:
    """The complete HTML document."""
    nav = "".join(f'<a href="#{key}">{esc(label)}</a>' for key, label in SECTION_TITLES)
    markets = ""
    if market_links:
        links = "".join(f'<a href="{esc(href)}">{esc(label)}</a>' for label, href in market_links)
        markets = f'<nav class="markets">Pages: {links}</nav>'
    meta = "".join(f'<p class="meta">{line}</p>' for line in meta_lines)
    banner_html = f'<p class="banner" data-provisional="true">{banner}</p>' if banner else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{STYLE}</style></head>"
        f'<body data-month="{month.isoformat()}" data-scope="{esc(scope_label)}">'
        f"<header><h1>{esc(title)}</h1>{meta}{banner_html}<nav>{nav}</nav>{markets}</header>"
        f"<main>{''.join(sections)}</main>"
        f"<footer>{footer}</footer></body></html>\n"
    )


def review_title(scope_name: str, month: dt.date) -> str:
    """Monthly business review — Global — September 2026."""
    return f"Monthly business review — {scope_name} — {fmt_month(month)}"
