"""One HTML fragment per section of the review.

Every figure that comes from a mart carries where it came from in data attributes
(`data-mart`, `data-metric`, `data-geo`, `data-month`, `data-field`, `data-value`), so a test
can read the page back and compare each number with the mart. Statuses (RAG, health,
feasibility) are shown as the marts give them: the review never recomputes a verdict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from review import charts, data
from review.formatting import (
    esc,
    fmt_change,
    fmt_int,
    fmt_month,
    fmt_number,
    fmt_ratio_pct,
    fmt_usd,
    is_false,
    is_missing,
    is_true,
    raw_attr,
)

GLOBAL = "GLOBAL"
STAGE_ORDER = ["launch", "growth", "mature"]


@dataclass(frozen=True)
class Scope:
    """What one page covers: the globe (with its regions) or one market."""

    kind: str  # "global" or "market"
    code: str  # GLOBAL or the market code
    name: str
    headline_geos: list[str]  # geographies of the headline table, main one first
    target_scopes: list[str]  # target_attainment.scope_code values in scope
    market_codes: list[str]  # markets whose budgets and data feeds are shown
    stages: list[str]  # development stages whose north star and guardrails are shown


@dataclass
class Context:
    """What every section needs: the connection, the month, the catalogue, the scope."""

    con: duckdb.DuckDBPyConnection
    period: data.Period
    scope: Scope
    catalogue: pd.DataFrame
    framework: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def month(self) -> dt.date:
        return self.period.month_start

    @property
    def prior_month(self) -> dt.date:
        return (pd.Timestamp(self.month) - pd.offsets.MonthBegin(1)).date()

    def fmt(self, metric_id: str) -> tuple[str, int]:
        row = self.catalogue.loc[metric_id]
        return str(row["value_format"]), int(row["display_decimals"])

    def name(self, metric_id: str) -> str:
        return str(self.catalogue.loc[metric_id, "metric_name"])

    def headline_metrics(self) -> list[str]:
        frame = self.framework[self.framework["development_stage"].isin(self.scope.stages)]
        ordered = [m for m in self.catalogue.index if m in set(frame["metric_id"])]
        return ordered


def _attrs(**values: object) -> str:
    return " ".join(f'data-{key.replace("_", "-")}="{esc(value)}"' for key, value in values.items())


def mart_cell(
    text: str, mart: str, metric: str, geo: str, month: dt.date, column: str, value: object,
    css: str = "num",
) -> str:
    """A table cell holding one mart figure, with its provenance for the tests."""
    attrs = _attrs(mart=mart, metric=metric, geo=geo, month=month.isoformat(), field=column,
                   value=raw_attr(value))
    return f'<td class="{css}" {attrs}>{esc(text)}</td>'


def badge(status: object, kind: str) -> str:
    """A coloured status chip; the word is always written, colour only reinforces it."""
    word = "–" if is_missing(status) else str(status)
    return f'<span class="badge {kind}-{esc(word)}">{esc(word.replace("_", " "))}</span>'


def provisional_mark(row: pd.Series) -> str:
    """' provisional' beside a verdict the mart flags is_provisional (late data may change it)."""
    if not is_true(row.get("is_provisional")):
        return ""
    return ' <span class="reason" data-provisional="true">provisional</span>'


def section(section_id: str, title: str, body: str, intro: str = "") -> str:
    """A <section> with a heading and an optional one-line explanation."""
    lead = f'<p class="intro">{intro}</p>' if intro else ""
    return (f'<section id="{section_id}" data-section="{section_id}">'
            f"<h2>{esc(title)}</h2>{lead}{body}</section>")


# --- headline -------------------------------------------------------------------------------


def headline(ctx: Context) -> str:
    """North-star and guardrail metrics per stage: value, change, target, RAG and health."""
    metrics = ctx.headline_metrics()
    values = data.metric_values_month(ctx.con, metrics, ctx.scope.headline_geos)
    targets = data.target_attainment(ctx.con, ctx.scope.target_scopes)
    current = values[values["period_start"] == pd.Timestamp(ctx.month)].set_index(
        ["metric_id", "geo_code"])
    prior = values[values["period_start"] == pd.Timestamp(ctx.prior_month)].set_index(
        ["metric_id", "geo_code"])
    month_targets = targets[targets["target_month"] == pd.Timestamp(ctx.month)]
    month_targets = month_targets[month_targets["scope_type"].isin(["global", "market"])]
    month_targets = month_targets.set_index(["metric_id", "scope_code"])
    parts = []
    for stage in [s for s in STAGE_ORDER if s in ctx.scope.stages]:
        stage_rows = ctx.framework[ctx.framework["development_stage"] == stage]
        stage_rows = stage_rows.assign(
            order=stage_rows["metric_role"].map({"north_star": 0, "guardrail": 1}))
        rows = []
        for _, item in stage_rows.sort_values(["order", "weight"], ascending=[True, False]).iterrows():
            for geo in ctx.scope.headline_geos:
                rows.append(_headline_row(ctx, str(item["metric_id"]), str(item["metric_role"]),
                                          geo, current, prior, month_targets))
        parts.append(
            f'<h3>{esc(stage.capitalize())} stage</h3><table class="headline" data-stage="{stage}">'
            "<thead><tr><th>role</th><th>metric</th><th>geography</th><th>value</th>"
            "<th>vs last month</th><th>target</th><th>RAG</th><th>health</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    intro = (f"{fmt_month(ctx.month)}, the metrics each development stage is judged on (north "
             "star) and must protect (guardrails). RAG is the target status from "
             "target_attainment; health says whether the figure can be trusted. A figure whose "
             "health is <em>fail</em> is greyed out with its reason and must not be quoted.")
    return section("headline", "Headline", "".join(parts), intro)


def _headline_row(
    ctx: Context, metric: str, role: str, geo: str, current: pd.DataFrame, prior: pd.DataFrame,
    targets: pd.DataFrame,
) -> str:
    value_format, decimals = ctx.fmt(metric)
    row = current.loc[(metric, geo)] if (metric, geo) in current.index else None
    before = prior.loc[(metric, geo)] if (metric, geo) in prior.index else None
    value = None if row is None else row["value"]
    prior_value = None if before is None else before["value"]
    health = "no_data" if row is None else row["health_status"]
    reasons = "" if row is None or is_missing(row["health_reasons"]) else str(row["health_reasons"])
    failed = health == "fail"
    value_text = fmt_number(value, value_format, decimals)
    if row is not None and is_false(row["is_mature"]):
        value_text += " (immature)"
    change = None if is_missing(value) or is_missing(prior_value) else float(value) - float(prior_value)
    target_key = (metric, geo)
    target = targets.loc[target_key] if target_key in targets.index else None
    css = "failed" if failed else ""
    cells = [
        f"<td>{badge(role, 'role')}</td>",
        f"<td>{esc(ctx.name(metric))}</td>",
        f"<td>{esc(geo)}</td>",
    ]
    if failed:
        cells.append(mart_cell(f"{value_text} — not reportable: {reasons}", "metric_values",
                               metric, geo, ctx.month, "value", value, "num failed-value"))
    else:
        cells.append(mart_cell(value_text, "metric_values", metric, geo, ctx.month, "value", value))
    parts = "" if row is None else _parts(row["numerator"], row["denominator"], value_format)
    if parts:  # a ratio's numerator and denominator beside it
        cells[-1] = cells[-1].replace("</td>", f'<br><small class="parts">{parts}</small></td>')
    change_attrs = _attrs(field="change", value=raw_attr(change),
                          prior_value=raw_attr(prior_value))
    cells.append(f'<td class="num" {change_attrs}>{esc(fmt_change(change, value_format, decimals))}</td>')
    if target is None:
        cells.append('<td class="muted">no target</td><td class="muted">–</td>')
    else:
        cells.append(mart_cell(fmt_number(target["current_target"], value_format, decimals),
                               "target_attainment", metric, geo, ctx.month, "current_target",
                               target["current_target"]))
        cells.append(f'<td data-field="status" data-value="{esc(target["status"])}">'
                     f"{badge(target['status'], 'rag')}{provisional_mark(target)}</td>")
    health_text = badge(health, "health") + (f' <span class="reason">{esc(reasons)}</span>'
                                             if reasons else "")
    cells.append(f'<td data-field="health_status" data-value="{esc(health)}">{health_text}</td>')
    return f'<tr class="{css}" data-metric="{metric}" data-geo="{geo}">{"".join(cells)}</tr>'


def _parts(numerator: object, denominator: object, value_format: str) -> str:
    """numerator / denominator of a ratio, '' when the metric has no such pair."""
    if is_missing(numerator) or is_missing(denominator):
        return ""
    top = float(numerator)  # type: ignore[arg-type]
    shown = fmt_usd(top) if value_format == "usd" else (
        f"{top:,.0f}" if top.is_integer() else f"{top:,.1f}")
    return f"{esc(shown)} / {fmt_int(denominator)}"


# --- trends ---------------------------------------------------------------------------------


def trends(ctx: Context) -> str:
    """Each headline metric by month (and by day for the month) against its targets."""
    metrics = ctx.headline_metrics()
    monthly = data.metric_values_month(ctx.con, metrics, ctx.scope.headline_geos)
    monthly = monthly[monthly["period_start"] <= pd.Timestamp(ctx.month)]
    daily = data.metric_values_daily(ctx.con, metrics, ctx.scope.code, ctx.month)
    targets = data.target_attainment(ctx.con, [ctx.scope.code])
    figures = []
    for metric in metrics:
        value_format, decimals = ctx.fmt(metric)
        series = monthly[monthly["metric_id"] == metric]
        if series.empty:
            continue
        first, last = series["period_start"].min(), series["period_start"].max()
        metric_targets = targets[(targets["metric_id"] == metric)
                                 & (targets["target_month"] >= first)
                                 & (targets["target_month"] <= last)]
        svg = charts.trend_chart(ctx.name(metric), series, daily[daily["metric_id"] == metric],
                                 metric_targets, value_format, decimals)
        figures.append(f'<figure class="trend" data-metric="{metric}">{svg}</figure>')
    intro = ("Monthly series up to the month under review, by geography, with the current target "
             "(dashed) and the original target (dotted) where one is set. Hollow markers are "
             "order cohorts still inside their 60-day window: they will still move.")
    return section("trends", "Trends", f'<div class="grid">{"".join(figures)}</div>', intro)


# --- highlights and lowlights ---------------------------------------------------------------


def insights(ctx: Context, limit: int) -> str:
    """Ranked sentences of monthly_insights with their significance; decompositions for ratios."""
    geos = [GLOBAL, *ctx.scope.market_codes] if ctx.scope.kind == "global" else [ctx.scope.code]
    frame = data.monthly_insights(ctx.con, ctx.month, geos)
    parts = []
    for kind in ("highlight", "lowlight"):
        rows = frame[frame["insight_type"] == kind].head(limit)
        items = "".join(_insight_item(row) for _, row in rows.iterrows())
        listing = (f"<ol>{items}</ol>" if items
                   else f'<p class="muted">No {kind} for {fmt_month(ctx.month)}.</p>')
        parts.append(f'<div class="insights {kind}s"><h3>{kind.capitalize()}s</h3>{listing}</div>')
    body = f'<div class="two">{"".join(parts)}</div>'
    movements = frame[frame["insight_type"] == "movement"].head(limit)
    if not movements.empty:
        items = "".join(_insight_item(row) for _, row in movements.iterrows())
        body += ('<div class="insights movements"><h3>Movements of neutral metrics</h3>'
                 f"<ol>{items}</ol></div>")
    if ctx.scope.kind == "global":
        body += _decompositions(ctx)
    intro = ("Ranked by monthly_insights (significance × materiality); only months that have "
             "ended are assessed. <em>z</em> is the test statistic named beside it.")
    return section("insights", "Highlights and lowlights", body, intro)


def _insight_item(row: pd.Series) -> str:
    significance = "significant" if is_true(row["is_significant"]) else "not significant"
    z = "" if is_missing(row["z_score"]) else f", z = {float(row['z_score']):.1f}"
    test = "" if is_missing(row["significance_test"]) else f" ({esc(row['significance_test'])}{z})"
    return (f'<li data-metric="{esc(row["metric_id"])}" data-geo="{esc(row["geo_code"])}">'
            f"{esc(row['sentence'])} <span class=\"sig\">{significance}{test}</span>"
            f"{provisional_mark(row)}</li>")


def _decompositions(ctx: Context) -> str:
    """Mix/rate decomposition of the global ratio changes that monthly_insights assessed."""
    all_global = data.query(
        ctx.con,
        "select metric_id, insight_type, rank_in_month, z_score, sentence from marts.monthly_insights"
        " where month_start = ? and geo_level = 'global' and assessment = 'assessed'"
        " order by case when insight_type in ('highlight', 'lowlight') then 0 else 1 end,"
        " abs(z_score) desc nulls last",
        [ctx.month],
    )
    ratio_ids = set(ctx.catalogue.index[ctx.catalogue["metric_type"] == "ratio"])
    chosen = all_global[all_global["metric_id"].isin(ratio_ids)].head(4)
    if chosen.empty:
        return ('<h3>Global ratios: which markets drove the change</h3><p class="muted">No global '
                "ratio was assessed this month.</p>")
    decomposition = data.change_decomposition(ctx.con, ctx.month, list(chosen["metric_id"]))
    figures = []
    for _, item in chosen.iterrows():
        metric = str(item["metric_id"])
        parts = decomposition[decomposition["metric_id"] == metric]
        if parts.empty:
            continue
        value_format, decimals = ctx.fmt(metric)
        svg = charts.decomposition_chart(f"{ctx.name(metric)}: change by market", parts,
                                         value_format, decimals)
        figures.append(f'<figure class="decomposition" data-metric="{metric}">{svg}'
                       f"<figcaption>{esc(item['sentence'])} Mix effect: the market's share of "
                       "the denominator moved; rate effect: the market's own rate moved."
                       "</figcaption></figure>")
    return ('<h3>Global ratios: which markets drove the change</h3>'
            f'<div class="grid">{"".join(figures)}</div>')


# --- targets --------------------------------------------------------------------------------


def targets(ctx: Context) -> str:
    """Attainment of every target in scope, pacing of the month in progress, feasibility."""
    frame = data.target_attainment(ctx.con, ctx.scope.target_scopes)
    month_rows = frame[frame["target_month"] == pd.Timestamp(ctx.month)]
    body = "<h3>Attainment</h3>" + _attainment_table(ctx, month_rows)
    pacing_month = (pd.Timestamp(ctx.month) + pd.offsets.MonthBegin(1)).date()
    pacing = frame[(frame["target_month"] == pd.Timestamp(pacing_month))
                   & frame["month_to_date_actual"].notna()]
    body += f"<h3>Pacing, {fmt_month(pacing_month)} (month in progress)</h3>" + _pacing_table(ctx, pacing, pacing_month)
    feasibility = data.target_feasibility(ctx.con, ctx.scope.target_scopes, ctx.month)
    body += "<h3>Feasibility: ambitious but feasible?</h3>" + _feasibility_table(ctx, feasibility)
    intro = ("Statuses are those of target_attainment (RAG against the current target, and "
             "against the original one); immature cohorts are not judged.")
    return section("targets", "Targets", body, intro)


def _attainment_table(ctx: Context, rows: pd.DataFrame) -> str:
    if rows.empty:
        return '<p class="muted">No target for this month.</p>'
    body = []
    for _, row in rows.iterrows():
        metric, scope, month = str(row["metric_id"]), str(row["scope_code"]), ctx.month
        value_format, decimals = ctx.fmt(metric)

        def cell(column: str, text: str | None = None) -> str:
            shown = text if text is not None else fmt_number(row[column], value_format, decimals)
            return mart_cell(shown, "target_attainment", metric, scope, month, column, row[column])

        actual_text = fmt_number(row["actual"], value_format, decimals)
        if not is_missing(row["actual"]) and is_false(row["is_actual_mature"]):
            actual_text += " (immature)"
        body.append(
            f'<tr data-metric="{metric}" data-geo="{esc(scope)}"><td>{esc(ctx.name(metric))}</td>'
            f"<td>{esc(scope)}</td>{cell('actual', actual_text)}{cell('original_target')}"
            f"{cell('current_target')}{cell('gap_to_current_target', fmt_change(row['gap_to_current_target'], value_format, decimals))}"
            f"{cell('attainment_ratio', fmt_ratio_pct(row['attainment_ratio']))}"
            f"<td>{badge(row['status'], 'rag')}{provisional_mark(row)}</td>"
            f"<td>{badge(row['status_vs_original_target'], 'rag')}</td></tr>"
        )
    return ('<table class="targets"><thead><tr><th>metric</th><th>scope</th><th>actual</th>'
            "<th>original target</th><th>current target</th><th>gap to current</th>"
            "<th>attainment</th><th>status</th><th>vs original</th></tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def _pacing_table(ctx: Context, rows: pd.DataFrame, month: dt.date) -> str:
    if rows.empty:
        return '<p class="muted">No month-to-date figures for the month in progress.</p>'
    body = []
    for _, row in rows.iterrows():
        metric, scope = str(row["metric_id"]), str(row["scope_code"])
        value_format, decimals = ctx.fmt(metric)

        def cell(column: str, text: str) -> str:
            return mart_cell(text, "target_attainment", metric, scope, month, column, row[column])

        body.append(
            f"<tr><td>{esc(ctx.name(metric))}</td><td>{esc(scope)}</td>"
            f"{cell('month_to_date_actual', fmt_number(row['month_to_date_actual'], value_format, decimals))}"
            f"<td class=\"num\">{fmt_int(row['days_elapsed'])} of {fmt_int(row['days_in_month'])}</td>"
            f"{cell('projected_month_end', fmt_number(row['projected_month_end'], value_format, decimals))}"
            f"{cell('current_target', fmt_number(row['current_target'], value_format, decimals))}"
            f"{cell('projected_attainment_ratio', fmt_ratio_pct(row['projected_attainment_ratio']))}</tr>"
        )
    return ('<table class="pacing"><thead><tr><th>metric</th><th>scope</th><th>month to date</th>'
            "<th>days elapsed</th><th>projected month end</th><th>target</th>"
            "<th>projected attainment</th></tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def _feasibility_table(ctx: Context, rows: pd.DataFrame) -> str:
    if rows.empty:
        return '<p class="muted">No feasibility assessment for this month\'s targets.</p>'
    body = []
    for _, row in rows.iterrows():
        metric, scope = str(row["metric_id"]), str(row["scope_code"])
        value_format, decimals = ctx.fmt(metric)

        def cell(column: str) -> str:
            return mart_cell(fmt_number(row[column], value_format, decimals), "target_feasibility",
                             metric, scope, ctx.month, column, row[column])

        benchmark = ("–" if is_missing(row["benchmark_id"])
                     else f"{esc(row['benchmark_id'])}: {esc(fmt_number(row['benchmark_value'], value_format, decimals))}")
        body.append(
            f"<tr><td>{esc(ctx.name(metric))}</td><td>{esc(scope)}</td>{cell('current_target')}"
            f"{cell('trailing_3m_actual')}{cell('best_month_value')}"
            f"<td>{badge(row['feasibility_class'], 'feas')}</td><td>{benchmark}</td>"
            f"<td class=\"reason\">{esc(row['feasibility_reason'])}</td></tr>"
        )
    return ('<table class="feasibility"><thead><tr><th>metric</th><th>scope</th><th>target</th>'
            "<th>trailing 3 months</th><th>best month</th><th>class</th><th>benchmark</th>"
            f"<th>why</th></tr></thead><tbody>{''.join(body)}</tbody></table>")


# --- budget ---------------------------------------------------------------------------------


def budget(ctx: Context) -> str:
    """Utilization by cost center and market, YTD burn-up with run-rate, cost per case trend."""
    codes = [*ctx.scope.market_codes, GLOBAL] if ctx.scope.kind == "global" else ctx.scope.market_codes
    frame = data.budget_utilization(ctx.con, codes, ctx.month.year)
    month_rows = frame[frame["budget_month"] == pd.Timestamp(ctx.month)]
    body = "<h3>Utilization by market and cost center</h3>" + _utilization_table(ctx, month_rows)
    body += _burnup(ctx, frame)
    cost = data.metric_values_month(ctx.con, ["cost_per_case_usd"], ctx.scope.headline_geos)
    cost = cost[cost["period_start"] <= pd.Timestamp(ctx.month)]
    if not cost.empty:
        body += ('<figure class="cost">' + charts.lines_chart(
            "Cost per moderation case (USD)", cost, "usd", 2) + "</figure>")
    intro = ("Actual spend against the budget version in force (plan or the latest approved "
             "reforecast). 95–105% is on plan. Each cell shows utilization with actual / budget.")
    return section("budget", "Budget", body, intro)


def _utilization_table(ctx: Context, rows: pd.DataFrame) -> str:
    if rows.empty:
        return '<p class="muted">No budget rows for this month.</p>'
    centers = sorted(rows["cost_center"].unique())
    body = []
    for market, group in rows.groupby("market_code", sort=True):
        by_center = group.set_index("cost_center")
        cells = []
        for center in centers:
            if center not in by_center.index:
                cells.append('<td class="muted">–</td>')
                continue
            item = by_center.loc[center]
            attrs = _attrs(mart="budget_utilization", metric=center, geo=market,
                           month=ctx.month.isoformat(), field="utilization",
                           value=raw_attr(item["utilization"]))
            flag = (" over" if is_true(item["is_over_spend"])
                    else " under" if is_true(item["is_under_spend"]) else "")
            cells.append(f'<td class="num{flag}" {attrs}>{fmt_ratio_pct(item["utilization"])}'
                         f'<br><small>{fmt_usd(item["actual_usd"])} / {fmt_usd(item["budget_in_force_usd"])}</small></td>')
        body.append(f"<tr><td>{esc(market)}</td>{''.join(cells)}</tr>")
    head = "".join(f"<th>{esc(c.replace('_', ' '))}</th>" for c in centers)
    return (f'<table class="utilization"><thead><tr><th>market</th>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def _burnup(ctx: Context, frame: pd.DataFrame) -> str:
    """Sum actual and budget in force over every market and cost center (sums, not ratios)."""
    totals = frame.groupby("budget_month", as_index=False).agg(
        actual_usd=("actual_usd", lambda s: s.sum(min_count=1)),
        budget_usd=("budget_in_force_usd", lambda s: s.sum(min_count=1)),
        run_rate=("full_year_run_rate_usd", lambda s: s.sum(min_count=1)),
    )
    if totals.empty:
        return ""
    full_year_budget = float(totals["budget_usd"].sum())
    upto = totals[totals["budget_month"] <= pd.Timestamp(ctx.month)]
    posted = upto[upto["actual_usd"].notna()]
    if posted.empty:
        return '<p class="muted">No spend posted this year up to the month under review.</p>'
    months = list(pd.to_datetime(posted["budget_month"]))
    cumulative_actual = list(posted["actual_usd"].cumsum())
    cumulative_budget = list(posted["budget_usd"].cumsum())
    run_rate = posted["run_rate"].iloc[-1]
    svg = charts.burnup_chart(months, cumulative_actual, cumulative_budget,
                              None if is_missing(run_rate) else float(run_rate), full_year_budget)
    table = (
        '<table class="burnup"><tbody>'
        f'<tr><th>YTD actual</th><td class="num" data-field="ytd_actual_usd">{fmt_usd(cumulative_actual[-1])}</td>'
        f'<th>YTD budget (months with spend)</th><td class="num">{fmt_usd(cumulative_budget[-1])}</td></tr>'
        f'<tr><th>YTD utilization</th><td class="num">{fmt_ratio_pct(cumulative_actual[-1] / cumulative_budget[-1] if cumulative_budget[-1] else None)}</td>'
        f'<th>Full-year run-rate / budget</th><td class="num">{fmt_usd(run_rate)} / {fmt_usd(full_year_budget)}</td></tr>'
        "</tbody></table>"
    )
    return (f'<div class="keep"><h3>Year to date</h3><div class="two">'
            f'<figure class="burnup">{svg}</figure>{table}</div></div>')


# --- data trust -----------------------------------------------------------------------------


def data_trust(ctx: Context) -> str:
    """Health summary, availability heatmap, quarantine by reason, freshness."""
    health = data.metric_health(ctx.con, ctx.month, ctx.scope.headline_geos)
    body = "<h3>Metric health</h3>" + _health_summary(ctx, health)
    availability = data.data_availability(ctx.con, ctx.month, ctx.scope.market_codes)
    body += _heatmap(ctx, availability)
    body += _quarantine(ctx, availability)
    body += _freshness(ctx)
    intro = ("Can these numbers be trusted? ok / warn / fail per metric (marts.metric_health), "
             "whether each feed arrived (marts.data_availability), what was quarantined, and how "
             "fresh each feed is as of the data.")
    return section("data-trust", "Data trust", body, intro)


def _health_summary(ctx: Context, health: pd.DataFrame) -> str:
    if health.empty:
        return '<p class="muted">No health rows for this month.</p>'
    counts = health.pivot_table(index="geo_code", columns="health_status", values="metric_id",
                                aggfunc="count", fill_value=0)
    statuses = [s for s in ("ok", "warn", "fail") if s in counts.columns]
    rows = "".join(
        f"<tr><td>{esc(geo)}</td>" + "".join(
            f'<td class="num" data-geo="{esc(geo)}" data-field="{s}">{int(counts.loc[geo, s])}</td>'
            for s in statuses) + "</tr>"
        for geo in ctx.scope.headline_geos if geo in counts.index
    )
    head = "".join(f"<th>{badge(s, 'health')}</th>" for s in statuses)
    summary = (f'<table class="health"><thead><tr><th>geography</th>{head}</tr></thead>'
               f"<tbody>{rows}</tbody></table>")
    flagged = health[health["health_status"].isin(["fail", "warn"])]
    flagged = flagged.assign(order=flagged["health_status"].map({"fail": 0, "warn": 1}))
    items = "".join(
        f"<tr><td>{badge(r['health_status'], 'health')}</td><td>{esc(ctx.name(r['metric_id']))}</td>"
        f"<td>{esc(r['geo_code'])}</td><td class=\"reason\">{esc(r['health_reasons'])}</td></tr>"
        for _, r in flagged.sort_values(["order", "metric_id", "geo_code"]).head(40).iterrows()
    )
    listing = ('<table class="flagged"><thead><tr><th>status</th><th>metric</th><th>geography</th>'
               f"<th>reasons</th></tr></thead><tbody>{items}</tbody></table>") if items else ""
    more = len(flagged) - 40
    note = f'<p class="muted">… and {more} more warn rows.</p>' if more > 0 else ""
    return f'<div class="two">{summary}<div>{listing}{note}</div></div>'


def _heatmap(ctx: Context, availability: pd.DataFrame) -> str:
    if availability.empty:
        return '<p class="muted">No availability rows for this month.</p>'
    days = pd.date_range(ctx.month, pd.Timestamp(ctx.month) + pd.offsets.MonthEnd(0), freq="D")
    availability = availability.assign(local_date=pd.to_datetime(availability["local_date"]))
    panels: dict[str, pd.DataFrame] = {}
    if ctx.scope.kind == "global":
        for event_type, group in availability.groupby("event_type"):
            panels[str(event_type)] = group.pivot_table(
                index="market_code", columns="local_date", values="completeness_ratio",
                aggfunc="first").reindex(columns=days)
        title = "Arrived / expected events: event type × market × day"
    else:
        panels[ctx.scope.code] = availability.pivot_table(
            index="event_type", columns="local_date", values="completeness_ratio",
            aggfunc="first").reindex(columns=days)
        title = f"Arrived / expected events in {ctx.scope.code}: event type × day"
    svg = charts.heatmap_grid(title, panels, columns=5 if ctx.scope.kind == "global" else 1)
    return f'<div class="keep"><h3>Data availability</h3><figure class="heatmap">{svg}</figure></div>'


def _quarantine(ctx: Context, availability: pd.DataFrame) -> str:
    codes = None if ctx.scope.kind == "global" else ctx.scope.market_codes
    frame = data.quarantine_by_reason(ctx.con, ctx.month, codes)
    heading = f"<h3>Quarantine, {fmt_month(ctx.month)}</h3>"
    if frame is None:
        ctx.notes.append("marts.quarantine_summary is missing: quarantine shown by event type")
        by_type = availability.groupby("event_type")["quarantined_rows"].sum()
        by_type = by_type[by_type > 0].sort_values(ascending=False)
        frame = pd.DataFrame({"source_name": "governance_events",
                              "quarantine_reason_code": [f"{t} (by event type)" for t in by_type.index],
                              "quarantined_rows": by_type.to_numpy()})
    if frame.empty:
        return heading + '<p class="muted">No row was quarantined.</p>'
    events = frame[frame["source_name"] == "governance_events"]
    finance = frame[frame["source_name"] == "spend_actuals"]
    body = ""
    if not events.empty:
        labels = [str(x).replace("_", " ") for x in events["quarantine_reason_code"]]
        body += "<figure>" + charts.bar_chart(
            "Quarantined events landed this month, by reason", labels,
            list(events["quarantined_rows"].astype(float))) + "</figure>"
    rows = "".join(
        f"<tr><td>{esc(r['source_name'])}</td><td>{esc(r['quarantine_reason_code'])}</td>"
        f'<td class="num" data-field="quarantined_rows">{fmt_int(r["quarantined_rows"])}</td></tr>'
        for _, r in frame.iterrows())
    table = ('<table class="quarantine"><thead><tr><th>source</th><th>reason</th><th>rows</th>'
             f"</tr></thead><tbody>{rows}</tbody></table>")
    note = ('<p class="muted">Events: rows that landed in the month. Spend file: every '
            "quarantined line of the file (it has no landing date).</p>" if not finance.empty else "")
    return f'<div class="keep">{heading}<div class="two">{body}<div>{table}{note}</div></div></div>'


def _freshness(ctx: Context) -> str:
    frame = data.query(
        ctx.con,
        "select event_type, max(feed_latest_ingested_at) as latest_ingested_at,"
        " min(feed_freshness_lag_hours) as freshest_lag_hours,"
        " max(feed_freshness_lag_hours) as stalest_lag_hours,"
        " arg_max(market_code, feed_freshness_lag_hours) as stalest_market,"
        " max(as_of_at) as as_of_at from marts.data_availability"
        " where list_contains(?, market_code) group by event_type order by stalest_lag_hours desc",
        [ctx.scope.market_codes],
    )
    if frame.empty:
        return ""
    rows = "".join(
        f"<tr><td>{esc(r['event_type'])}</td><td>{esc(pd.Timestamp(r['latest_ingested_at']).strftime('%Y-%m-%d %H:%M'))} UTC</td>"
        f'<td class="num">{float(r["freshest_lag_hours"]):,.1f} h</td>'
        f'<td class="num">{float(r["stalest_lag_hours"]):,.1f} h ({esc(r["stalest_market"])})</td></tr>'
        for _, r in frame.iterrows()
    )
    as_of = pd.Timestamp(frame["as_of_at"].max()).strftime("%Y-%m-%d %H:%M")
    return (f"<h3>Freshness as of the data ({as_of} UTC)</h3>"
            '<table class="freshness"><thead><tr><th>event type</th><th>newest ingested</th>'
            "<th>freshest market lag</th><th>stalest market lag</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            '<p class="muted">Lag = as-of time − newest ingestion of the feed; health warns '
            "beyond 12 h and fails beyond 36 h.</p>")
