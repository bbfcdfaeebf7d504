"""Money: capitals, lower-case, Arabic and mixed forms, paired copies that may disagree, round trip."""
from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from extractors.normalise.money import MONEY_STYLES, can_format, find_amounts, format_money, parse_money


@pytest.mark.parametrize(
    "text, value, cn, ar",
    [
        ("伍佰元整", 500, 500, None),
        ("壹万贰仟元", 12000, 12000, None),
        ("壹万圆整(¥10000)", 10000, 10000, 10000),
        ("罚款人民币壹万圆整（¥10,000.00）", 10000, 10000, 10000),
        ("人民币5000元", 5000, None, 5000),
        ("¥3,000.00", 3000, None, 3000),
        ("￥500.00", 500, None, 500),
        ("5千元", 5000, None, 5000),
        ("1.2万元", 12000, None, 12000),
        ("5万元", 50000, None, 50000),
        ("两千元", 2000, 2000, None),
        ("二百元", 200, 200, None),
        ("壹佰元伍角", 100.5, 100.5, None),
        ("叁元肆角伍分", 3.45, 3.45, None),
        ("壹佰元零伍分", 100.05, 100.05, None),
        ("5,000元", 5000, None, 5000),
        ("5，000元", 5000, None, 5000),
        ("1000 元", 1000, None, 1000),
        ("罚款1000元整", 1000, None, 1000),
        ("１０００元", 1000, None, 1000),
        ("人民币 5000 元", 5000, None, 5000),
        ("处以罚款人民币贰仟元整。", 2000, 2000, None),
        ("罚款伍拾元", 50, 50, None),
        ("壹拾元", 10, 10, None),
        ("0.5元", 0.5, None, 0.5),
        ("5000元（大写：伍仟元整）", 5000, 5000, 5000),
        ("共计罚款人民币伍佰元整（￥500元）", 500, 500, 500),
        ("罚款人民币叁仟元（¥3000元）", 3000, 3000, 3000),
        ("罚款壹仟元整", 1000, 1000, None),
        ("￥1,234.56", 1234.56, None, 1234.56),
        ("罚款人民币伍万元整", 50000, 50000, None),
        ("罚款五百元", 500, 500, None),
        ("罚款3000.50元", 3000.5, None, 3000.5),
        ("壹万圆整", 10000, 10000, None),
        ("（小写：￥：500.00元）", 500, None, 500),
        ("人民币（大写）壹仟伍佰元整", 1500, 1500, None),
        ("罚款壹拾万元", 100000, 100000, None),
    ],
)
def test_norm_money_forms(text, value, cn, ar):
    found = find_amounts(text)
    assert len(found) == 1
    m = found[0]
    assert (m.value, m.cn_value, m.ar_value) == (value, cn, ar)
    assert type(m.value) is type(value)  # int yuan, float only with 角/分 or cents
    assert text[m.start:m.end] == m.text
    assert parse_money(text) == value


def test_norm_money_disagreeing_copies_are_both_kept():
    m = find_amounts("罚款人民币壹万圆整（¥1000.00）")[0]
    assert (m.cn_value, m.ar_value) == (10000, 1000)
    assert m.value == 10000  # the capital form governs
    assert m.confidence < 0.9
    m = find_amounts("5000元（大写：伍佰元整）")[0]
    assert (m.cn_value, m.ar_value) == (500, 5000)


@pytest.mark.parametrize(
    "text",
    ["", "壹份", "3件", "5平方米", "3%", "2024年元旦", "3单元502室", "送达回证壹份", "共3人，面积12.5平方米",
     "2024年5月6日", "身份证号310115199001011234", "案号2406015", "第二十五条第五款", "一万"],
)
def test_norm_money_not_money(text):
    assert find_amounts(text) == []
    assert parse_money(text) is None


def test_norm_money_several_in_order():
    text = "货值约200元，罚款五百元，逾期每日按罚款数额的3%加处罚款，已缴¥500.00"
    found = find_amounts(text)
    assert [m.value for m in found] == [200, 500, 500]
    assert [m.text for m in found] == ["200元", "五百元", "¥500.00"]
    for m in found:
        assert text[m.start:m.end] == m.text


@pytest.mark.parametrize(
    "value, style, text",
    [
        (500, "upper", "伍佰元整"),
        (12000, "upper", "壹万贰仟元整"),
        (100.5, "upper", "壹佰元伍角"),
        (3.45, "upper", "叁元肆角伍分"),
        (100.05, "upper", "壹佰元零伍分"),
        (10000, "upper_yuan_ar", "壹万圆整(¥10000)"),
        (10000, "upper_rmb_ar", "人民币壹万圆整（¥10,000.00）"),
        (5000, "ar_upper", "5000元（大写：伍仟元整）"),
        (5000, "rmb", "人民币5000元"),
        (3000, "yen", "¥3,000.00"),
        (500, "yen_full", "￥500.00"),
        (1000, "plain", "1000元"),
        (1000, "plain_space", "1000 元"),
        (5000, "comma", "5,000元"),
        (5000, "comma_full", "5，000元"),
        (12000, "wan", "1.2万元"),
        (5000, "qian", "5千元"),
        (2000, "lower", "两千元"),
        (200, "lower", "二百元"),
    ],
)
def test_norm_money_format_styles(value, style, text):
    assert format_money(value, style) == text


def test_norm_money_style_limits():
    assert not can_format(5000, "wan")
    assert not can_format(1250, "qian")
    with pytest.raises(ValueError):
        format_money(5000, "wan")
    with pytest.raises(ValueError):
        format_money(5, "dollars")


_amounts = st.one_of(
    st.integers(min_value=1, max_value=10_000_000),
    st.integers(min_value=1, max_value=1_000_000_000).map(lambda c: round(c / 100, 2)),
)


@settings(max_examples=300, deadline=None)
@given(_amounts, st.sampled_from(MONEY_STYLES))
def test_norm_money_round_trip(v, style):
    assume(can_format(v, style))
    text = format_money(v, style)
    assert parse_money(text) == v
    assert parse_money(f"处以罚款{text}。") == v
