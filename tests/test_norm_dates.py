"""Dates: every printed form, times, blanks, masks, impossible dates, run-together digits, round trip."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.normalise.dates import DATE_STYLES, find_dates, format_date, parse_date


@pytest.mark.parametrize(
    "text, value, time",
    [
        ("2024年5月6日", "2024-05-06", None),
        ("2024年05月06日", "2024-05-06", None),
        ("2024 年 5 月 6 日", "2024-05-06", None),
        ("二〇二四年五月六日", "2024-05-06", None),
        ("二○二四年五月六日", "2024-05-06", None),
        ("二零二四年三月五日", "2024-03-05", None),
        ("二〇二四年十二月三十一日", "2024-12-31", None),
        ("二〇二三年十月二十日", "2023-10-20", None),
        ("2024.5.6", "2024-05-06", None),
        ("2024.05.06", "2024-05-06", None),
        ("2024-05-06", "2024-05-06", None),
        ("2024/5/6", "2024-05-06", None),
        ("２０２４年５月６日", "2024-05-06", None),
        ("２０２４－０５－０６", "2024-05-06", None),
        ("2024年5月六日", "2024-05-06", None),
        ("2024年5月6号", "2024-05-06", None),
        ("2024年5月6日14时30分", "2024-05-06", "14:30"),
        ("2024年5月6日 14:30", "2024-05-06", "14:30"),
        ("2024年5月6日14时", "2024-05-06", "14:00"),
        ("2024年5月6日14时许", "2024-05-06", "14:00"),
        ("2024年5月6日下午2时30分", "2024-05-06", "14:30"),
        ("2024年5月6日上午9点", "2024-05-06", "09:00"),
        ("二〇二四年五月六日十四时", "2024-05-06", "14:00"),
        ("2024-05-06 14:30", "2024-05-06", "14:30"),
        ("2024.05.06 9：05", "2024-05-06", "09:05"),
        ("检查时间：2024年3月5日9时05分至9时40分", "2024-03-05", "09:05"),
        ("1990年1月1日出生", "1990-01-01", None),
        ("２０２４年５月６日１４时３０分", "2024-05-06", "14:30"),
        ("2024年2月29日", "2024-02-29", None),
        ("落款：上海市青浦区城市管理行政执法局 2024年12月31日", "2024-12-31", None),
        ("于 2024 年 05 月 06 日 送达", "2024-05-06", None),
    ],
)
def test_norm_dates_clean_forms(text, value, time):
    found = find_dates(text)
    assert len(found) == 1
    d = found[0]
    assert (d.value, d.time) == (value, time)
    assert d.confidence >= 0.9
    assert text[d.start:d.end] == d.text
    assert parse_date(text) == value


@pytest.mark.parametrize(
    "text, matched",
    [
        ("2024年 月 日", "2024年 月 日"),
        ("年  月  日", "年  月  日"),
        ("日期：    年    月    日", "年    月    日"),
        ("____年__月__日", "____年__月__日"),
        ("2024年5月 日", "2024年5月 日"),
    ],
)
def test_norm_dates_blank_is_a_match_without_value(text, matched):
    found = find_dates(text)
    assert [(d.text, d.value, d.time) for d in found] == [(matched, None, None)]
    assert found[0].confidence <= 0.5
    assert parse_date(text) is None


@pytest.mark.parametrize(
    "text",
    ["19**年**月**日", "出生日期：19**年**月**日", "2024年**月**日", "19**年", "1985年**月12日"],
)
def test_norm_dates_masked_is_skipped(text):
    assert find_dates(text) == []


@pytest.mark.parametrize("text", ["2024年2月30日", "2023年2月29日", "2024年13月5日", "二〇二四年五月三十二日"])
def test_norm_dates_impossible_date_is_none_with_low_confidence(text):
    found = find_dates(text)
    assert len(found) == 1
    assert found[0].value is None
    assert found[0].confidence < 0.5


@pytest.mark.parametrize(
    "text, value, time",
    [
        ("2023112112时", "2023-11-21", "12:00"),
        ("2022613日", "2022-06-13", None),
        ("2023年1121日", "2023-11-21", None),
        ("2023年11月2112时", "2023-11-21", "12:00"),
        ("2023112112时30分", "2023-11-21", "12:30"),
    ],
)
def test_norm_dates_run_together_digits_low_confidence(text, value, time):
    found = find_dates(text)
    assert [(d.value, d.time) for d in found] == [(value, time)]
    assert found[0].confidence < 0.5


def test_norm_dates_run_together_ambiguous_prefers_date_near_clean_ones():
    # 2022111日 = 2022-01-11 or 2022-11-01; the clean date 2022年1月1日 decides
    found = find_dates("立案2022年1月1日，询问2022111日")
    assert [d.value for d in found] == ["2022-01-01", "2022-01-11"]
    assert found[1].confidence < found[0].confidence
    found = find_dates("立案2022年10月25日，询问2022111日")
    assert found[1].value == "2022-11-01"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "当事人未提出陈述申辩",
        "案号2406015",
        "青城管罚决字〔2024〕第2406015号",
        "身份证号310115199001011234",
        "共计3件，面积5平方米",
        "2024年度执法计划",
        "出生年月日",
        "每年5月1日",
        "编号2024-001",
        "版本1.2.3",
    ],
)
def test_norm_dates_no_date(text):
    assert find_dates(text) == []
    assert parse_date(text) is None


def test_norm_dates_several_in_order_with_offsets():
    text = "于2024年5月6日9时至2024年5月6日10时30分在现场检查，2024-05-08送达，落款二〇二四年五月九日"
    found = find_dates(text)
    assert [(d.value, d.time) for d in found] == [
        ("2024-05-06", "09:00"), ("2024-05-06", "10:30"), ("2024-05-08", None), ("2024-05-09", None),
    ]
    assert [d.text for d in found] == ["2024年5月6日9时", "2024年5月6日10时30分", "2024-05-08", "二〇二四年五月九日"]
    for d in found:
        assert text[d.start:d.end] == d.text
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


def test_norm_dates_parse_date_takes_the_first_expression():
    assert parse_date("签收日期：    年  月  日；送达日期：2024年5月6日") is None
    assert parse_date("2024年5月6日作出，2024年5月8日送达") == "2024-05-06"


@pytest.mark.parametrize(
    "style, text",
    [
        ("cn", "2024年5月6日"),
        ("cn_pad", "2024年05月06日"),
        ("cn_space", "2024 年 5 月 6 日"),
        ("cn_upper", "二〇二四年五月六日"),
        ("cn_upper_o", "二○二四年五月六日"),
        ("dot", "2024.5.6"),
        ("dash", "2024-05-06"),
        ("slash", "2024/5/6"),
        ("fullwidth", "２０２４年５月６日"),
    ],
)
def test_norm_dates_format_styles(style, text):
    assert format_date("2024-05-06", style) == text


def test_norm_dates_format_upper_two_digit_parts():
    assert format_date("2024-12-31", "cn_upper") == "二〇二四年十二月三十一日"
    assert format_date("2020-10-20", "cn_upper_o") == "二○二○年十月二十日"


def test_norm_dates_unknown_style_is_an_error():
    with pytest.raises(ValueError):
        format_date("2024-05-06", "roman")


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)), st.sampled_from(DATE_STYLES))
def test_norm_dates_round_trip(d, style):
    iso = d.isoformat()
    text = format_date(iso, style)
    assert parse_date(text) == iso
    assert parse_date(f"于{text}作出") == iso
