"""Working days and legal periods (procedure.md §2).

- 工作日: Monday–Friday, minus the 法定节假日 of the State Council's yearly notice, plus the
  weekend days that notice makes working days (调休).
- A period starts the day after its trigger (next-day start, CPL 85).
- A calendar-day period whose last day is not a working day ends on the next working day
  (holiday roll-over; default on, configurable).

Official years come from the ``chinese_calendar`` package (2004–2026 at the time of writing) plus
any years given in the rules file (``calendar.years``, see ``checks/data/rules.yaml``). A year
neither holds is never an error: it is **estimated** as weekends plus the statutory holidays the
``holidays`` package computes for China (its own rule for the days off; no 调休 working weekend
days, which only the State Council's notice can give). Every period that touches such a year is
an estimate: ``estimated_years(start, end)`` names the years, ``estimate_unverified`` turns them
into the 未能核实 entry a check lists, and ``estimate_notice`` is the one line a run prints (E310).
"""
from __future__ import annotations

import calendar as _cal
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.core.errors import msg
from pipeline.core.models import Evidence, Unverified

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


@lru_cache(maxsize=64)
def estimated_holidays(year: int) -> frozenset[dt.date]:
    """The statutory days off of ``year`` as the ``holidays`` package computes them for China
    (offline; weekends inside a holiday block included). Empty when the package is missing or
    knows nothing of the year: the estimate is then weekends only."""
    try:
        import holidays as _hol

        return frozenset(_hol.country_holidays("CN", years=[year]).keys())
    except Exception:  # noqa: BLE001 - an estimate never fails a run
        return frozenset()


@dataclass(frozen=True)
class WorkCalendar:
    """Holiday and make-up-day tables by year.

    ``holidays`` are non-working days (法定节假日, including the weekend days inside a holiday
    block); ``workdays`` are weekend days declared working days (调休). ``years`` are the years
    these tables hold officially; any other year is estimated (``is_estimated``).
    """

    holidays: frozenset[dt.date] = _CC_HOLIDAYS
    workdays: frozenset[dt.date] = _CC_WORKDAYS
    years: frozenset[int] = field(default_factory=_cc_years)
    rollover_weekends: bool = True
    # where each official year comes from (shown by the run's notice); year -> source text
    sources: Mapping[int, str] = field(default_factory=dict, compare=False)

    @classmethod
    def default(cls) -> WorkCalendar:
        return _DEFAULT

    def extended(self, years: Mapping[int, Mapping[str, Iterable[str | dt.date]]],
                 source: str = "") -> WorkCalendar:
        """A calendar with extra or replaced years: ``{2027: {"holidays": [...], "workdays": [...]}}``."""
        hol = set(self.holidays)
        wrk = set(self.workdays)
        ys = set(self.years)
        sources = dict(self.sources)
        for year, table in years.items():
            year = int(year)
            hol = {d for d in hol if d.year != year}
            wrk = {d for d in wrk if d.year != year}
            hol |= {_as_date(x) for x in table.get("holidays", ())}
            wrk |= {_as_date(x) for x in table.get("workdays", ())}
            ys.add(year)
            if source or table.get("source"):
                sources[year] = str(table.get("source") or source)
        return WorkCalendar(frozenset(hol), frozenset(wrk), frozenset(ys), self.rollover_weekends, sources)

    def covers(self, year: int) -> bool:
        """Whether the calendar answers for ``year``: always (officially or as an estimate)."""
        return 1 <= year <= 9999

    def is_official(self, year: int) -> bool:
        """``year`` comes from the State Council's notice (chinese_calendar or the rules data)."""
        return year in self.years

    def is_estimated(self, year: int) -> bool:
        """``year`` is computed as weekends plus statutory holidays, without 调休."""
        return year not in self.years

    def estimated_years(self, *dates: dt.date | None) -> tuple[int, ...]:
        """The estimated years in the span of ``dates`` (a period's start and end): a
        computation over that span touched them and its result is an estimate."""
        known = [d for d in dates if d is not None]
        if not known:
            return ()
        lo, hi = min(known).year, max(known).year
        return tuple(y for y in range(lo, hi + 1) if self.is_estimated(y))

    def is_workday(self, d: dt.date) -> bool:
        if d.year in self.years:
            if d in self.workdays:
                return True
            if d in self.holidays:
                return False
            return d.weekday() < 5
        return d.weekday() < 5 and d not in estimated_holidays(d.year)

    def is_statutory_holiday(self, d: dt.date) -> bool:
        """A 法定节假日 of the State Council notice (weekend days inside a holiday block too)."""
        if d.year in self.years:
            return d in self.holidays and d not in self.workdays
        return d in estimated_holidays(d.year)

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


class RecordingCalendar:
    """A calendar that notes every estimated year a computation touched (the registry gives each
    check one, so every period computed on an estimated year is marked, whichever check made it).

    It answers exactly as ``calendar`` does; ``touched`` holds the estimated years met since it was
    made (the inputs and the results of each period).
    """

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self.touched: set[int] = set()

    def _note(self, *dates: dt.date | None) -> None:
        self.touched.update(self.calendar.estimated_years(*dates))

    def __getattr__(self, name: str) -> object:  # everything else: the plain calendar
        return getattr(self.calendar, name)

    def is_workday(self, d: dt.date) -> bool:
        self._note(d)
        return self.calendar.is_workday(d)

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        end = self.calendar.add_workdays(start, n)
        self._note(start, end)
        return end

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        self._note(start, end)
        return self.calendar.workdays_between(start, end)

    def rollover(self, d: dt.date) -> dt.date:
        end = self.calendar.rollover(d)
        self._note(d, end)
        return end

    def add_days(self, start: dt.date, n: int, rollover: bool = True) -> dt.date:
        end = self.calendar.add_days(start, n, rollover=rollover)
        if rollover:  # a plain calendar-day count does not depend on any holiday table
            self._note(start + dt.timedelta(days=n), end)
        return end

    def add_months(self, start: dt.date, months: int, rollover: bool = True) -> dt.date:
        end = self.calendar.add_months(start, months, rollover=rollover)
        if rollover:
            self._note(end)
        return end


def estimate_note(years: Iterable[int]) -> str:
    """What a finding whose period touched an estimated year adds to its message."""
    ys = sorted(set(years))
    return f"（期间涉及 {_years_cn(ys)} 年，该年放假调休安排为估算，期限需人工核对）" if ys else ""


def _as_date(x: str | dt.date) -> dt.date:
    if isinstance(x, dt.date):
        return x
    return dt.date.fromisoformat(str(x))


def add_years(start: dt.date, years: int) -> dt.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 Feb
        return start.replace(year=start.year + years, day=28)


def _years_cn(years: Sequence[int]) -> str:
    return "、".join(str(y) for y in sorted(set(years)))


def estimate_reason(years: Sequence[int]) -> str:
    """Why a period is an estimate, in the reviewer's words."""
    return (f"期间涉及 {_years_cn(years)} 年，该年的放假调休安排尚无官方数据，已按周末及法定节假日估算"
            "（未含调休上班日），结果需人工核对")


def estimate_unverified(check_id: str, point: str, years: Sequence[int],
                        evidence: Iterable[Evidence] = ()) -> Unverified:
    """The 未能核实 entry for a period computed on an estimated year.

    A check that computed ``due = ctx.calendar.add_workdays(start, n)`` lists one when
    ``ctx.calendar.estimated_years(start, due)`` is not empty, and reports no defect that
    depends on that estimate::

        years = ctx.calendar.estimated_years(start, due)
        if years:
            yield estimate_unverified(spec.id, "告知书送达后的陈述申辩期", years, ev)
    """
    return Unverified(check_id=check_id, point=point, reason=estimate_reason(years), evidence=tuple(evidence))


def estimate_notice(calendar: WorkCalendar, years: Iterable[int]) -> str | None:
    """The run's one line (E310) naming which of ``years`` are estimated, or None."""
    est = sorted({y for y in years if calendar.is_estimated(y)})
    if not est:
        return None
    return msg("E310", years=_years_cn(est), year=est[0])


_DEFAULT = WorkCalendar()
