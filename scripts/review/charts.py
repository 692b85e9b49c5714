"""Charts as inline SVG, drawn with matplotlib (pinned in requirements.txt).

Why static SVG from matplotlib rather than a JavaScript library: the review is sent as an email
attachment and printed to PDF. An SVG needs no script to appear (mail viewers and some PDF
pipelines run none), prints as vectors, draws the same on every machine, and keeps the file small
(no 1-5 MB library inlined). Text stays text (`svg.fonttype: none`), so it is searchable and
sharp. The colours are the Okabe-Ito palette and the heatmap uses `cividis`, both readable with
colour-vision deficiencies.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence

import matplotlib
import matplotlib.axes
import matplotlib.dates

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from review.formatting import PALETTE, fmt_number  # noqa: E402

plt.rcParams.update(
    {
        "svg.fonttype": "none",
        "svg.hashsalt": "gne-review",  # stable ids: the same data gives the same file
        "font.family": "sans-serif",
        "font.size": 8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
        "axes.titlesize": 9,
        "axes.titleweight": "bold",
        "legend.frameon": False,
        "legend.fontsize": 7,
    }
)

Formatter = Callable[[float], str]


def month_axis(ax: matplotlib.axes.Axes) -> None:
    """One tick per month, labelled Aug, Sep, ..."""
    ax.xaxis.set_major_locator(matplotlib.dates.MonthLocator())
    ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%b"))


def day_axis(ax: matplotlib.axes.Axes) -> None:
    """Ticks on the 1st, 8th, 15th, 22nd and 29th."""
    ax.xaxis.set_major_locator(matplotlib.dates.DayLocator(bymonthday=[1, 8, 15, 22, 29]))
    ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%d"))


def to_svg(fig: Figure, label: str) -> str:
    """Render a figure to an inline <svg> element with an accessible label."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    start = text.index("<svg")
    svg = text[start:]
    svg = re.sub(r"<svg ", f'<svg role="img" aria-label="{label}" class="chart" ', svg, count=1)
    return svg


def axis_formatter(value_format: str, decimals: int) -> FuncFormatter:
    """Tick labels in the metric's own unit."""
    return FuncFormatter(lambda value, _pos: fmt_number(value, value_format, decimals))


def trend_chart(
    title: str,
    monthly: pd.DataFrame,
    daily: pd.DataFrame | None,
    targets: pd.DataFrame | None,
    value_format: str,
    decimals: int,
) -> str:
    """Monthly series per geography against current and original target, plus the month's days.

    `monthly`: period_start, geo_code, value, is_mature. Immature (open cohort) months are drawn
    as hollow markers and labelled. `targets`: target_month, current_target, original_target.
    `daily`: period_start, value for the month under review (one geography).
    """
    panels = 2 if daily is not None and not daily.empty else 1
    fig, axes = plt.subplots(
        1, panels, figsize=(7.2 if panels == 2 else 4.6, 2.3),
        gridspec_kw={"width_ratios": [3, 2] if panels == 2 else [1]},
    )
    ax = axes[0] if panels == 2 else axes
    fmt = axis_formatter(value_format, decimals)
    for index, (geo, series) in enumerate(monthly.groupby("geo_code", sort=False)):
        colour = PALETTE[index % len(PALETTE)]
        x = pd.to_datetime(series["period_start"])
        ax.plot(x, series["value"], marker="o", markersize=3, color=colour, label=str(geo),
                linewidth=1.6 if index == 0 else 1.0)
        immature = series[~series["is_mature"].fillna(True).astype(bool)]
        if not immature.empty:
            ax.scatter(pd.to_datetime(immature["period_start"]), immature["value"], s=28,
                       facecolors="white", edgecolors=colour, zorder=3, linewidths=1.2)
    if monthly["is_mature"].eq(False).any():
        ax.scatter([], [], s=28, facecolors="white", edgecolors="#555", label="immature cohort")
    if targets is not None and not targets.empty:
        tx = pd.to_datetime(targets["target_month"])
        ax.step(tx, targets["current_target"], where="mid", color="#000000", linestyle="--",
                linewidth=1, label="current target")
        if not targets["original_target"].equals(targets["current_target"]):
            ax.step(tx, targets["original_target"], where="mid", color="#888888",
                    linestyle=":", linewidth=1, label="original target")
    ax.yaxis.set_major_formatter(fmt)
    ax.set_title(f"{title}: by month")
    month_axis(ax)
    ax.legend(loc="best", ncol=2)
    if panels == 2 and daily is not None:
        day_ax = axes[1]
        dx = pd.to_datetime(daily["period_start"])
        day_ax.plot(dx, daily["value"], color=PALETTE[0], linewidth=1)
        day_ax.yaxis.set_major_formatter(fmt)
        day_ax.set_title("by day, month under review")
        day_axis(day_ax)
        if dx.min() < dx.max():
            day_ax.set_xlim(dx.min(), dx.max())
    fig.tight_layout()
    return to_svg(fig, f"{title} trend")


def decomposition_chart(title: str, frame: pd.DataFrame, value_format: str, decimals: int) -> str:
    """Which markets drove a global ratio's change: mix and rate effect per market, stacked."""
    frame = frame.assign(order=frame["total_effect"].abs()).sort_values("order")
    fig, ax = plt.subplots(figsize=(4.6, 0.25 * len(frame) + 0.9))
    y = np.arange(len(frame))
    ax.barh(y, frame["rate_effect"], color=PALETTE[0], label="rate effect")
    ax.barh(y, frame["mix_effect"], left=np.where(
        np.sign(frame["mix_effect"]) == np.sign(frame["rate_effect"]), frame["rate_effect"], 0),
        color=PALETTE[1], label="mix effect")
    ax.set_yticks(y, frame["market_code"])
    ax.axvline(0, color="#333", linewidth=0.6)
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda v, _p: fmt_number(v, value_format, decimals + 1)
                      if value_format != "percent" else f"{v * 100:+.{decimals}f} pp")
    )
    ax.set_title(title)
    ax.legend(loc="lower right")
    fig.tight_layout()
    return to_svg(fig, title)


def burnup_chart(
    months: Sequence[pd.Timestamp],
    cumulative_actual: Sequence[float],
    cumulative_budget: Sequence[float],
    run_rate: float | None,
    full_year_budget: float | None,
) -> str:
    """Year-to-date spend against budget, with the full-year run-rate projection."""
    fig, ax = plt.subplots(figsize=(5.2, 2.4))
    ax.plot(months, cumulative_budget, color="#000000", linestyle="--", label="cumulative budget")
    ax.plot(months, cumulative_actual, color=PALETTE[0], marker="o", markersize=3,
            label="cumulative actual")
    if run_rate is not None and len(months):
        year_end = pd.Timestamp(year=months[-1].year, month=12, day=1)
        ax.plot([months[-1], year_end], [cumulative_actual[-1], run_rate], color=PALETTE[5],
                linestyle=":", label="full-year run-rate")
    if full_year_budget is not None and len(months):
        ax.axhline(full_year_budget, color="#888", linewidth=0.8, label="full-year budget")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"${v / 1000:,.0f}k"))
    month_axis(ax)
    ax.set_title("Spend burn-up, year to date")
    ax.legend(loc="upper left")
    fig.tight_layout()
    return to_svg(fig, "Spend burn-up")


def lines_chart(title: str, frame: pd.DataFrame, value_format: str, decimals: int) -> str:
    """Simple monthly lines per geography (`period_start`, `geo_code`, `value`)."""
    fig, ax = plt.subplots(figsize=(5.2, 2.3))
    for index, (geo, series) in enumerate(frame.groupby("geo_code", sort=False)):
        ax.plot(pd.to_datetime(series["period_start"]), series["value"], marker="o",
                markersize=3, color=PALETTE[index % len(PALETTE)], label=str(geo))
    ax.yaxis.set_major_formatter(axis_formatter(value_format, decimals))
    month_axis(ax)
    ax.set_title(title)
    ax.legend(loc="best", ncol=3)
    fig.tight_layout()
    return to_svg(fig, title)


def heatmap_grid(title: str, panels: dict[str, pd.DataFrame], columns: int = 3) -> str:
    """Completeness (events / expected) as small multiples: one panel per key, rows x days.

    Grey cells have no baseline (no expected volume yet). One shared colour scale, `cividis`.
    """
    keys = list(panels)
    cols = min(columns, max(len(keys), 1))
    rows = max(1, -(-len(keys) // cols))
    first = panels[keys[0]] if keys else pd.DataFrame()
    panel_height = 0.07 * max(len(first), 1) + 0.45
    width = 9.0 if cols > 1 else 7.2  # fits an A4 landscape page (heading included)
    fig, axes = plt.subplots(rows, cols, figsize=(width, panel_height * rows + 0.5), squeeze=False)
    cmap = matplotlib.colormaps["cividis"].copy()
    cmap.set_bad("#dddddd")
    image = None
    for index, ax in enumerate(axes.flat):
        if index >= len(keys):
            ax.axis("off")
            continue
        matrix = panels[keys[index]]
        values = matrix.to_numpy(dtype=float)
        image = ax.imshow(np.ma.masked_invalid(values), aspect="auto", cmap=cmap, vmin=0,
                          vmax=1.2, interpolation="nearest")
        ax.set_yticks(range(len(matrix)), [str(k) for k in matrix.index], fontsize=4.5)
        ticks = list(range(0, len(matrix.columns), 7))
        ax.set_xticks(ticks, [pd.Timestamp(matrix.columns[t]).strftime("%d") for t in ticks],
                      fontsize=5)
        ax.set_title(keys[index], fontsize=6.5)
        for spine in ax.spines.values():
            spine.set_visible(False)
    fig.suptitle(title, fontsize=9, fontweight="bold")
    fig.tight_layout()
    if image is not None:
        bar = fig.colorbar(image, ax=axes.ravel().tolist(), fraction=0.02, pad=0.01)
        bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v * 100:.0f}%"))
        bar.set_label("events / expected", fontsize=6)
    return to_svg(fig, title)


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float]) -> str:
    """Horizontal bars with their counts written beside them."""
    fig, ax = plt.subplots(figsize=(4.6, 0.25 * len(labels) + 0.8))
    y = np.arange(len(labels))
    ax.barh(y, values, color=PALETTE[0])
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    for index, value in enumerate(values):
        ax.text(value, index, f" {value:,.0f}", va="center", fontsize=7)
    ax.set_title(title)
    fig.tight_layout()
    return to_svg(fig, title)
