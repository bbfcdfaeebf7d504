"""Working days and legal periods (procedure.md §2).

- 工作日: Monday–Friday, minus the 法定节假日 of the State Council's yearly notice, plus the
  weekend days that notice makes working days (调休).
- A period starts the day after its trigger (next-day start, CPL 85).
- A calendar-day period whose last day is not a working day ends on the next working day
  (holiday roll-over; default on, configurable).
- Years come from the ``chinese_calendar`` package (2004–2026 at the time of writing) plus any
  years given in the rules file (``calendar.years``). A date in a year neither covers raises
  ``CalendarMissingYear`` (E303) — never a guess.
"""
from __future__ import annotations

import calendar as _cal
import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from pipeline.core.errors import CalendarMissingYear

try:  # chinese_calendar ships the State Council tables
    import chinese_calendar as _cc

    _CC_HOLIDAYS: frozenset[dt.date] = frozenset(_cc.holidays)
    _CC_WORKDAYS: frozenset[dt.date] = frozenset(_cc.workdays)
except Exception:  # pragma: no cover - the package is a hard dependency
    _CC_HOLIDAYS = frozenset()
    _CC_WORKDAYS = frozenset()


def _cc_years() -> frozenset[int]:
    # A year is covered when the package lists at least one statutory holiday in it on a
    # weekday (its tables list every day; weekends alone would not prove coverage).
    return frozenset(d.year for d in _CC_HOLIDAYS if d.weekday() < 5)


@dataclass(frozen=True)
class WorkCalendar:
    """Holiday and make-up-day tables by year.

    ``holidays`` are non-working days (法定节假日, including the weekend days inside a holiday
    block); ``workdays`` are weekend days declared working days (调休).
    """

    holidays: frozenset[dt.date] = _CC_HOLIDAYS
    workdays: frozenset[dt.date] = _CC_WORKDAYS
    years: frozenset[int] = field(default_factory=_cc_years)
    rollover_weekends: bool = True

    @classmethod
    def default(cls) -> "WorkCalendar":
        return _DEFAULT

    def extended(self, years: Mapping[int, Mapping[str, Iterable[str | dt.date]]]) -> "WorkCalendar":
        """A calendar with extra or replaced years: ``{2027: {"holidays": [...], "workdays": [...]}}``."""
        hol = set(self.holidays)
        wrk = set(self.workdays)
        ys = set(self.years)
        for year, table in years.items():
            year = int(year)
            hol = {d for d in hol if d.year != year}
            wrk = {d for d in wrk if d.year != year}
            hol |= {_as_date(x) for x in table.get("holidays", ())}
            wrk |= {_as_date(x) for x in table.get("workdays", ())}
            ys.add(year)
        return WorkCalendar(frozenset(hol), frozenset(wrk), frozenset(ys), self.rollover_weekends)

    def covers(self, year: int) -> bool:
        return year in self.years

    def _need(self, d: dt.date, what: str) -> None:
        if d.year not in self.years:
            raise CalendarMissingYear(d.year, what)

    def is_workday(self, d: dt.date) -> bool:
        self._need(d, f"判断 {d.isoformat()} 是否为工作日")
        if d in self.workdays:
            return True
        if d in self.holidays:
            return False
        return d.weekday() < 5

    def is_statutory_holiday(self, d: dt.date) -> bool:
        """A 法定节假日 of the State Council notice (weekend days inside a holiday block too)."""
        self._need(d, f"判断 {d.isoformat()} 是否为法定节假日")
        return d in self.holidays and d not in self.workdays

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after ``start`` (the trigger day itself is not counted)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        d = start
        count = 0
        while count < n:
            d += dt.timedelta(days=1)
            if self.is_workday(d):
                count += 1
        return d

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many working days after ``start`` ``end`` is."""
        if end <= start:
            return 0
        count = 0
        d = start
        while d < end:
            d += dt.timedelta(days=1)
            if self.is_workday(d):
                count += 1
        return count

    def rollover(self, d: dt.date) -> dt.date:
        """A last day that is not a working day moves to the next working day."""
        while not self._counts_as_open(d):
            d += dt.timedelta(days=1)
        return d

    def _counts_as_open(self, d: dt.date) -> bool:
        if self.is_workday(d):
            return True
        # with rollover_weekends off, only a 法定休假日 rolls over; a plain weekend day stays
        return not self.rollover_weekends and not self.is_statutory_holiday(d)

    def add_days(self, start: dt.date, n: int, rollover: bool = True) -> dt.date:
        """Last day of a calendar-day period of ``n`` days triggered on ``start``."""
        end = start + dt.timedelta(days=n)
        return self.rollover(end) if rollover else end

    def add_months(self, start: dt.date, months: int, rollover: bool = True) -> dt.date:
        y, m = divmod(start.month - 1 + months, 12)
        year, month = start.year + y, m + 1
        day = min(start.day, _cal.monthrange(year, month)[1])
        end = dt.date(year, month, day)
        return self.rollover(end) if rollover else end


def _as_date(x: str | dt.date) -> dt.date:
    if isinstance(x, dt.date):
        return x
    return dt.date.fromisoformat(str(x))


def add_years(start: dt.date, years: int) -> dt.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 Feb
        return start.replace(year=start.year + years, day=28)


_DEFAULT = WorkCalendar()
