"""Working-day arithmetic against procedure.md §2.2–2.3 (worked examples checked by hand)."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.core.workdays import WorkCalendar

D = dt.date
CAL = WorkCalendar.default()

# 调休 working weekend days listed in procedure.md §2.2
MAKEUP_2024 = ["2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
               "2024-09-29", "2024-10-12"]
MAKEUP_2025 = ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]


@pytest.mark.parametrize("day", MAKEUP_2024 + MAKEUP_2025)
def test_workdays_makeup_weekend_days_are_working_days(day: str) -> None:
    d = D.fromisoformat(day)
    assert d.weekday() >= 5
    assert CAL.is_workday(d)


@pytest.mark.parametrize("day", ["2024-10-01", "2024-10-07", "2024-05-01", "2024-02-12", "2025-01-29"])
def test_workdays_statutory_holidays_are_not_working_days(day: str) -> None:
    d = D.fromisoformat(day)
    assert not CAL.is_workday(d)
    assert CAL.is_statutory_holiday(d)


@pytest.mark.parametrize("start,n,expected", [
    # 告知书 served Fri 2024-09-27; 09-29 (Sun, 调休) = 1, 09-30 = 2, holiday, 10-08 = 3, 10-09 = 4, 10-10 = 5
    ("2024-09-27", 5, "2024-10-10"),
    # 10 wd after 2024-09-25 ends on 2024-10-14 (10-12 Sat is a 调休 working day)
    ("2024-09-25", 10, "2024-10-14"),
    # next-day start: 1 wd after a Monday is the Tuesday
    ("2024-06-03", 1, "2024-06-04"),
    # 7 wd after Fri 2024-06-07: 06-10 is 端午 (holiday) → 11,12,13,14,17,18,19
    ("2024-06-07", 7, "2024-06-19"),
    ("2024-06-07", 0, "2024-06-07"),
])
def test_workdays_add_workdays(start: str, n: int, expected: str) -> None:
    assert CAL.add_workdays(D.fromisoformat(start), n) == D.fromisoformat(expected)


def test_workdays_between_counts_after_start() -> None:
    assert CAL.workdays_between(D(2024, 9, 27), D(2024, 10, 10)) == 5
    assert CAL.workdays_between(D(2024, 9, 27), D(2024, 9, 27)) == 0
    assert CAL.workdays_between(D(2024, 6, 3), D(2024, 6, 4)) == 1


@pytest.mark.parametrize("start,n,rollover,expected", [
    ("2024-07-04", 90, True, "2024-10-08"),   # day 90 = 10-02, National Day → next working day 10-08
    ("2024-07-04", 90, False, "2024-10-02"),
    ("2024-04-20", 15, True, "2024-05-06"),   # day 15 = 05-05 (Sun, 劳动节 block) → 05-06
    ("2024-06-03", 15, True, "2024-06-18"),   # a plain Tuesday stays
])
def test_workdays_calendar_periods_roll_over(start: str, n: int, rollover: bool, expected: str) -> None:
    assert CAL.add_days(D.fromisoformat(start), n, rollover=rollover) == D.fromisoformat(expected)


def test_workdays_plain_weekend_roll_over_is_configurable() -> None:
    # 2024-06-01 + 15 = 2024-06-16 (Sunday, not a statutory holiday)
    assert CAL.add_days(D(2024, 6, 1), 15) == D(2024, 6, 17)
    strict = WorkCalendar(CAL.holidays, CAL.workdays, CAL.years, rollover_weekends=False)
    assert strict.add_days(D(2024, 6, 1), 15) == D(2024, 6, 16)
    # a statutory holiday still rolls over
    assert strict.add_days(D(2024, 9, 16), 15) == D(2024, 10, 8)


def test_workdays_add_months() -> None:
    assert CAL.add_months(D(2024, 3, 31), 6, rollover=False) == D(2024, 9, 30)
    assert CAL.add_months(D(2024, 4, 1), 6) == D(2024, 10, 8)  # 10-01 holiday → 10-08


def test_workdays_missing_year_is_an_estimate_not_an_error() -> None:
    # 2031 is in no table: weekends plus statutory holidays, never E303 (issue 14 §1)
    assert CAL.is_estimated(2031) and not CAL.is_official(2031)
    assert CAL.is_workday(D(2031, 3, 3))            # Monday
    assert not CAL.is_workday(D(2031, 3, 1))        # Saturday
    assert not CAL.is_workday(D(2031, 10, 1))       # 国庆
    assert CAL.estimated_years(D(2030, 12, 30), D(2031, 1, 2)) == (2030, 2031)


def test_workdays_user_year_extends_the_calendar() -> None:
    cal = CAL.extended({2031: {"holidays": ["2031-01-01"], "workdays": ["2031-01-04"]}})
    assert cal.is_official(2031) and not cal.is_estimated(2031)
    assert not cal.is_workday(D(2031, 1, 1))   # Wednesday, holiday
    assert cal.is_workday(D(2031, 1, 4))       # Saturday, 调休
    assert cal.is_workday(D(2031, 1, 2))
