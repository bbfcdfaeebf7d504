"""The one masker for outgoing documents (pipeline.core.masking), on the forms issue 14 §5 lists."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.core.masking import mask_name, mask_personal

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
# text around a number: Chinese characters and punctuation, never a digit or a Latin letter
around = st.text(alphabet="当事人联系电话身份证号码住址青浦区夏阳街道，。：；（）、 ", max_size=8)


def _digits(text: str) -> str:
    return re.sub(r"[^0-9X]", "", unicodedata.normalize("NFKC", text).upper())


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    region = draw(st.integers(1, 8)) * 100000 + draw(st.integers(0, 99999))
    born = draw(st.dates(dt.date(1930, 1, 1), dt.date(2010, 12, 31)))
    tail = draw(st.integers(0, 999))
    check = draw(st.sampled_from("0123456789X"))
    return f"{region:06d}{born:%Y%m%d}{tail:03d}{check}"


@st.composite
def mobiles(draw: st.DrawFn) -> str:
    return "1" + draw(st.sampled_from("3456789")) + "".join(draw(st.lists(st.sampled_from("0123456789"),
                                                                            min_size=9, max_size=9)))


def _spaced(number: str, cuts: list[int], sep: str) -> str:
    out, last = [], 0
    for c in sorted(set(cuts)):
        out.append(number[last:c])
        last = c
    out.append(number[last:])
    return sep.join(p for p in out if p)


@given(id_numbers(), around, around, st.booleans(), st.lists(st.integers(1, 17), max_size=4),
       st.sampled_from([" ", "\u3000", "-"]))
def test_masking_id_numbers_in_every_form(idn: str, before: str, after: str, full_width: bool,
                                          cuts: list[int], sep: str) -> None:
    shown = _spaced(idn, cuts, sep)
    if full_width:
        shown = shown.translate(FULL_WIDTH)
    out = mask_personal(before + shown + after)
    assert idn not in _digits(out)
    assert idn[:6] + "********" + idn[-4:] in out
    assert out.startswith(before) and out.endswith(after)


@given(mobiles(), around, around, st.sampled_from(["", "+86", "+86 ", "＋86", "0086-", "86"]),
       st.sampled_from(["{}", "{} {} {}", "{}-{}-{}"]), st.booleans())
def test_masking_mobiles_in_every_form(number: str, before: str, after: str, code: str, groups: str,
                                       full_width: bool) -> None:
    shown = groups.format(number[:3], number[3:7], number[7:]) if "{} " in groups or "-" in groups \
        else number
    if full_width:
        shown = shown.translate(FULL_WIDTH)
    out = mask_personal(before + code + shown + after)
    assert number not in _digits(out)
    assert number[:3] + "****" + number[7:] in out
    assert out.startswith(before + code) and out.endswith(after)


@pytest.mark.parametrize("text", [
    "统一社会信用代码91310118MA1JL6XX2K",  # public, letters among the digits
    "罚款2000元，案号青城管罚〔2024〕2406015号",
    "联系电话021-59731234",  # a landline
    "账号 1234 5678 9012 3456 78",  # 18 grouped digits that are no id (no birth date)
    "2024年6月15日 10:30",
])
def test_masking_leaves_what_is_not_personal(text: str) -> None:
    assert mask_personal(text) == text


@pytest.mark.parametrize("text, masked", [
    # the forms that leaked before the one masker (issue 14 §5)
    ("电话+8613912345678", "电话+86139****5678"),
    ("电话１３９１２３４５６７８", "电话139****5678"),
    ("身份证号 310101 19900307 1234", "身份证号 310101********1234"),
    # the forms that were already masked keep their output
    ("身份证310101199003071234，电话13812345678", "身份证310101********1234，电话138****5678"),
    ("电话 +86 139 1234 5678", "电话 +86 139****5678"),
])
def test_masking_known_leaks(text: str, masked: str) -> None:
    assert mask_personal(text) == masked


def test_masking_known_strings_longest_first_and_numbers_switch() -> None:
    known = {"张三": "张某", "张三丰": "张某", "上海市青浦区某路1号": "（住址已隐去）"}
    text = "张三丰与张三住上海市青浦区某路1号，电话13812345678"
    assert mask_personal(text, known) == "张某与张某住（住址已隐去），电话138****5678"
    assert mask_personal(text, known, numbers=False) == "张某与张某住（住址已隐去），电话13812345678"
    assert mask_personal(None) == "" and mask_personal("") == ""


@pytest.mark.parametrize("name, masked", [("张三", "张某"), (" 欧阳修 ", "欧某"), ("", "")])
def test_masking_names(name: str, masked: str) -> None:
    assert mask_name(name) == masked
