"""Month arithmetic on ``'YYYY-MM'`` strings: the one set of helpers every package uses.

A month is written ``'2024-06'`` (four-digit year, two-digit month). ``parse_month`` is the only
parser; everything else is built on it, so ``'2024-13'`` or ``'2024/06'`` fail the same way
everywhere (``ValueError``; the command line turns it into E306).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

_MONTH_RE = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def parse_month(month: str) -> tuple[int, int]:
    """``'2024-06'`` → ``(2024, 6)``; anything else raises ValueError."""
    m = _MONTH_RE.fullmatch(month or "") if isinstance(month, str) else None
    if m is None:
        raise ValueError(f"month must be 'YYYY-MM', not {month!r}")
    return int(m.group(1)), int(m.group(2))


def is_month(text: Any) -> bool:
    """True for a well-formed ``'YYYY-MM'``."""
    return isinstance(text, str) and _MONTH_RE.fullmatch(text) is not None


def month_index(month: str) -> int:
    """Months since year 0 (``year × 12 + month − 1``): months compare and subtract as numbers."""
    y, m = parse_month(month)
    return y * 12 + m - 1


def month_at(index: int) -> str:
    """The month of a ``month_index``."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def add_months(month: str, n: int) -> str:
    """``add_months('2024-01', -1) == '2023-12'``."""
    return month_at(month_index(month) + n)


def previous_month(month: str) -> str:
    return add_months(month, -1)


def next_month(month: str) -> str:
    return add_months(month, 1)


def first_day(month: str) -> dt.date:
    y, m = parse_month(month)
    return dt.date(y, m, 1)


def last_day(month: str) -> dt.date:
    return first_day(next_month(month)) - dt.timedelta(days=1)


def quarter_months(month: str) -> tuple[str, ...]:
    """The months of ``month``'s quarter up to and including it."""
    y, m = parse_month(month)
    first = (m - 1) // 3 * 3 + 1
    return tuple(f"{y:04d}-{k:02d}" for k in range(first, m + 1))


def month_cn(month: str) -> str:
    """``'2024-06'`` → ``'2024年6月'``; text that is not a month comes back as it is."""
    if not is_month(month):
        return str(month)
    y, m = parse_month(month)
    return f"{y}年{m}月"


def month_of(value: Any) -> str | None:
    """The ``'YYYY-MM'`` of a date, a datetime or an ISO date text; None when there is none."""
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%Y-%m")
    s = str(value)
    return s[:7] if len(s) >= 7 and s[4] == "-" else None


__all__ = ["add_months", "first_day", "is_month", "last_day", "month_at", "month_cn", "month_index", "month_of",
           "next_month", "parse_month", "previous_month", "quarter_months"]
