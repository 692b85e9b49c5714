"""Numbers as a reader wants them, driven by the catalogue's value_format and display_decimals."""

from __future__ import annotations

import datetime as dt
import html
import math

import pandas as pd

# Okabe-Ito: distinguishable with every common colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def is_missing(value: object) -> bool:
    """True for None, NaN and pandas NA."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def is_true(value: object) -> bool:
    """True only for a real true: null (unknown, not judged) is not true."""
    return not is_missing(value) and bool(value)


def is_false(value: object) -> bool:
    """True only for a real false."""
    return not is_missing(value) and not bool(value)


def fmt_number(value: object, value_format: str, decimals: int) -> str:
    """One figure with its unit: 12,345 / $1,234.56 / 4.21% / 3.95 / 12.3 h / 4.0 per 1k."""
    if is_missing(value):
        return "–"
    number = float(value)  # type: ignore[arg-type]
    if math.isinf(number):
        return "∞"
    if value_format == "percent":
        return f"{number * 100:,.{decimals}f}%"
    if value_format == "usd":
        sign = "−" if number < 0 else ""
        return f"{sign}${abs(number):,.{decimals}f}"
    if value_format == "hours":
        return f"{number:,.{decimals}f} h"
    if value_format == "seconds":
        return f"{number:,.{decimals}f} s"
    if value_format == "per_1k":
        return f"{number:,.{decimals}f} per 1k"
    return f"{number:,.{decimals}f}"


def fmt_change(value: object, value_format: str, decimals: int) -> str:
    """A change with its sign; percent metrics change in percentage points."""
    if is_missing(value):
        return "–"
    number = float(value)  # type: ignore[arg-type]
    sign = "+" if number > 0 else ("−" if number < 0 else "±")
    if value_format == "percent":
        return f"{sign}{abs(number) * 100:,.{decimals}f} pp"
    return sign + fmt_number(abs(number), value_format, decimals)


def fmt_ratio_pct(value: object, decimals: int = 1) -> str:
    """A share or attainment ratio as a percentage."""
    if is_missing(value):
        return "–"
    return f"{float(value) * 100:,.{decimals}f}%"  # type: ignore[arg-type]


def fmt_usd(value: object, decimals: int = 0) -> str:
    """Money in USD."""
    return fmt_number(value, "usd", decimals)


def fmt_int(value: object) -> str:
    """A count with thousands separators."""
    return fmt_number(value, "integer", 0)


def fmt_month(value: dt.date | pd.Timestamp) -> str:
    """September 2026."""
    return pd.Timestamp(value).strftime("%B %Y")


def raw_attr(value: object) -> str:
    """The exact stored number for a data attribute (repr keeps every digit); '' for null."""
    if is_missing(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(float(value))  # type: ignore[arg-type]


def esc(text: object) -> str:
    """HTML-escape any value."""
    return html.escape("" if is_missing(text) else str(text), quote=True)
