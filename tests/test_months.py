"""Month arithmetic (pipeline.core.months): the one helper set every package uses."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.core.months import (
    add_months,
    first_day,
    is_month,
    last_day,
    month_at,
    month_cn,
    month_index,
    month_of,
    next_month,
    parse_month,
    previous_month,
    quarter_months,
)


@pytest.mark.parametrize("month, prev, nxt", [("2024-01", "2023-12", "2024-02"), ("2024-07", "2024-06", "2024-08"),
                                              ("2024-12", "2024-11", "2025-01")])
def test_months_previous_and_next_cross_the_year(month: str, prev: str, nxt: str) -> None:
    assert previous_month(month) == prev
    assert next_month(month) == nxt


@pytest.mark.parametrize("bad", ["2024-13", "2024-00", "2024-6", "2024/06", "24-06", "", "2024-06-01"])
def test_months_parse_refuses_what_is_not_yyyy_mm(bad: str) -> None:
    assert not is_month(bad)
    with pytest.raises(ValueError):
        parse_month(bad)


@pytest.mark.parametrize("month, last", [("2024-02", dt.date(2024, 2, 29)), ("2023-02", dt.date(2023, 2, 28)),
                                         ("2024-12", dt.date(2024, 12, 31)), ("2024-04", dt.date(2024, 4, 30))])
def test_months_last_day(month: str, last: dt.date) -> None:
    assert last_day(month) == last
    assert first_day(month) == dt.date(last.year, last.month, 1)


@pytest.mark.parametrize("month, quarter", [("2024-05", ("2024-04", "2024-05")), ("2024-01", ("2024-01",)),
                                            ("2024-12", ("2024-10", "2024-11", "2024-12"))])
def test_months_quarter_up_to_the_month(month: str, quarter: tuple[str, ...]) -> None:
    assert quarter_months(month) == quarter


def test_months_add_months_and_labels() -> None:
    assert add_months("2024-03", -3) == "2023-12"
    assert add_months("2024-03", 10) == "2025-01"
    assert month_cn("2024-06") == "2024年6月"
    assert month_cn("不是月份") == "不是月份"
    assert month_of("2024-06-30") == "2024-06"
    assert month_of(dt.date(2024, 6, 30)) == "2024-06"
    assert month_of("30/06/2024") is None and month_of(None) is None


@given(st.integers(min_value=1000 * 12, max_value=9998 * 12), st.integers(min_value=-400, max_value=400))
def test_months_index_round_trip(index: int, n: int) -> None:
    month = month_at(index)
    assert is_month(month) and month_index(month) == index
    if 1000 * 12 <= index + n <= 9999 * 12 + 11:
        assert month_index(add_months(month, n)) - month_index(month) == n
        assert first_day(month) < first_day(next_month(month))
