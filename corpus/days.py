"""Calendar helpers of the corpus: working days (``pipeline.core.workdays``) and month bounds.

Every working-day computation of the generator goes through ``CAL`` (holiday roll-over, 调休 days).
"""
from __future__ import annotations

import datetime as dt
import random

from pipeline.core.workdays import WorkCalendar

CAL = WorkCalendar.default()
D = dt.date
TD = dt.timedelta


def wd_on_or_before(d: dt.date) -> dt.date:
    while not CAL.is_workday(d):
        d -= TD(days=1)
    return d


def wd_on_or_after(d: dt.date) -> dt.date:
    while not CAL.is_workday(d):
        d += TD(days=1)
    return d


def add_wd(d: dt.date, n: int) -> dt.date:
    return CAL.add_workdays(d, n) if n > 0 else (sub_wd(d, -n) if n < 0 else d)


def sub_wd(d: dt.date, n: int) -> dt.date:
    count = 0
    while count < n:
        d -= TD(days=1)
        if CAL.is_workday(d):
            count += 1
    return d


def month_workdays(month: str) -> list[dt.date]:
    y, m = (int(x) for x in month.split("-"))
    d = D(y, m, 1)
    out = []
    while d.month == m:
        if CAL.is_workday(d):
            out.append(d)
        d += TD(days=1)
    return out


def month_end(month: str) -> dt.date:
    y, m = (int(x) for x in month.split("-"))
    nxt = D(y + (m == 12), m % 12 + 1, 1)
    return nxt - TD(days=1)


def rand_wd_between(rng: random.Random, a: dt.date, b: dt.date) -> dt.date:
    if b <= a:
        return a
    days = [a + TD(days=i) for i in range((b - a).days + 1)]
    wds = [x for x in days if CAL.is_workday(x)]
    return rng.choice(wds) if wds else a
