"""Chinese numerals: reading every form, writing the legal and financial styles, round trip."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.normalise.numerals import cn_to_int, cn_to_number, int_to_cn, int_to_cn_upper


@pytest.mark.parametrize(
    "text, value",
    [
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十五", 25),
        ("一百一十五", 115),
        ("一百零五", 105),
        ("两千", 2000),
        ("两千五", 2500),
        ("三百五", 350),
        ("一万二", 12000),
        ("二〇二四", 2024),
        ("二○二四", 2024),
        ("二零二四", 2024),
        ("壹万贰仟", 12000),
        ("伍佰", 500),
        ("壹拾", 10),
        ("贰仟零伍拾", 2050),
        ("零", 0),
        ("〇", 0),
        ("○", 0),
        ("１２", 12),
        ("１万２千", 12000),
        ("1万2千", 12000),
        ("5千", 5000),
        ("1.2万", 12000),
        ("十万", 100000),
        ("十万零五百", 100500),
        ("一千零一万", 10010000),
        ("一亿二千万", 120000000),
        ("一亿零五", 100000005),
        ("三十一", 31),
        ("2024", 2024),
        (" 二十 五 ", 25),
    ],
)
def test_norm_numerals_cn_to_int_reads_every_form(text, value):
    assert cn_to_int(text) == value


@pytest.mark.parametrize("text", ["", "百", "千元", "一二百", "abc", "十五条", "1.5", "1.2.3", "万"])
def test_norm_numerals_cn_to_int_rejects_malformed(text):
    assert cn_to_int(text) is None


def test_norm_numerals_cn_to_number_keeps_fractions():
    assert cn_to_number("1.5") * 2 == 3
    assert cn_to_number("1.25万") == 12500


@pytest.mark.parametrize(
    "n, lower, upper",
    [
        (0, "零", "零"),
        (10, "十", "壹拾"),
        (15, "十五", "壹拾伍"),
        (25, "二十五", "贰拾伍"),
        (105, "一百零五", "壹佰零伍"),
        (115, "一百一十五", "壹佰壹拾伍"),
        (1005, "一千零五", "壹仟零伍"),
        (1050, "一千零五十", "壹仟零伍拾"),
        (10500, "一万零五百", "壹万零伍佰"),
        (12000, "一万二千", "壹万贰仟"),
        (100000, "十万", "壹拾万"),
        (110000, "十一万", "壹拾壹万"),
        (10010000, "一千零一万", "壹仟零壹万"),
        (100000000, "一亿", "壹亿"),
        (100000005, "一亿零五", "壹亿零伍"),
    ],
)
def test_norm_numerals_int_to_cn_legal_and_financial_styles(n, lower, upper):
    assert int_to_cn(n) == lower
    assert int_to_cn_upper(n) == upper


def test_norm_numerals_negative_is_an_error():
    with pytest.raises(ValueError):
        int_to_cn(-1)


@settings(max_examples=1000, deadline=None)
@given(st.integers(min_value=0, max_value=99_999_999))
def test_norm_numerals_round_trip(n):
    assert cn_to_int(int_to_cn(n)) == n
    assert cn_to_int(int_to_cn_upper(n)) == n
