"""Amounts of money in case-file text: find, parse, format (casefile.md §8.3). Written by hand (no cn2an).

Accepted: capitals (``伍佰元整``, ``壹万贰仟元``, ``壹佰元伍角``, ``叁元肆角伍分``, 圆 as well as 元), lower-case
Chinese (``两千元``, ``二百元``), Arabic (``1000元``, ``1000 元``, ``5,000元``, ``5，000元``), mixed (``5千元``,
``1.2万元``), ``人民币5000元``, ``¥3,000.00``, ``￥500.00``, full-width digits, and a capital form with an
Arabic copy in brackets in either order (``壹万圆整(¥10000)``, ``5000元（大写：伍仟元整）``). Both copies
are kept (``cn_value``/``ar_value``) and may disagree — CON-02 reports that. Counts (``壹份``, ``3件``),
areas (``5平方米``) and percentages are never money: an amount needs 元/圆 or ¥.

Values follow the shared convention: int yuan, or a float with two decimals when 角/分 (or cents) appear.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from extractors.normalise.numerals import DIGITS, cn_to_number, int_to_cn, int_to_cn_upper

MONEY_STYLES: tuple[str, ...] = (
    "upper", "upper_yuan_ar", "upper_rmb_ar", "ar_upper", "rmb", "yen", "yen_full", "plain",
    "plain_space", "comma", "comma_full", "wan", "qian", "lower",
)

CONF_CLEAN = 1.0
CONF_LOWER_CN = 0.9
CONF_DISAGREE = 0.5


@dataclass(frozen=True, slots=True)
class MoneyMatch:
    start: int
    end: int
    text: str
    value: int | float  # the capital form when both copies are present (大写 governs)
    confidence: float
    cn_value: int | float | None  # value of the Chinese-numeral copy, if any
    ar_value: int | float | None  # value of the Arabic-digit copy, if any


_FOLD = {chr(0xFF10 + i): str(i) for i in range(10)}
_FOLD.update({"．": ".", "：": ":", "\u3000": " ", "○": "〇", "◯": "〇", "﹙": "(", "﹚": ")"})
_FOLD_TABLE = str.maketrans(_FOLD)

_CN_CHARS = "零〇壹贰貳叁參肆伍陆陸柒捌玖拾佰仟万萬亿億一二两兩三四五六七八九十百千"
_CN_DIGIT_CHARS = "零〇壹贰貳叁參肆伍陆陸柒捌玖一二两兩三四五六七八九"
_CAPITAL_CHARS = set("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟")
_JF = "[" + _CN_DIGIT_CHARS + r"\d]"  # one digit of 角 / 分

_AR = r"(?<![\d.,，])(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d{1,2})?(?![\d])"
# Chinese (or mixed) amount before 元: must hold at least one Chinese numeral character
_CN = r"(?<![\d.," + _CN_CHARS + r"])[\d.]*[" + _CN_CHARS + r"][\d." + _CN_CHARS + r"]*"
_CN_TAIL = (
    r"[ \t]*[元圆](?:[ \t]*零?[ \t]*(?P<jiao>" + _JF + r")[ \t]*角)?"
    r"(?:[ \t]*零?[ \t]*(?P<fen>" + _JF + r")[ \t]*分)?"
    r"(?:[ \t]*(?:整|正))?"
)
_RMB = r"(?:人民币[ \t]*)?"
_OPEN, _CLOSE = r"[ \t]*[(（][ \t]*", r"[ \t]*[)）]"

_CN_AMOUNT = _RMB + r"(?P<cn>" + _CN + r")" + _CN_TAIL
_CN_THEN_AR = re.compile(
    _CN_AMOUNT + _OPEN + r"(?:小写[ \t]*:?[ \t]*)?" + _RMB
    + r"(?:[¥￥][ \t]*)?(?P<ar>" + _AR + r")[ \t]*(?:元|圆)?"
    r"(?:[ \t]*整)?" + _CLOSE
)
_AR_THEN_CN = re.compile(
    _RMB + r"(?:(?P<yen>[¥￥])[ \t]*)?(?P<ar>" + _AR + r")[ \t]*(?P<unit>元|圆)?" + _OPEN
    + r"(?:大写[ \t]*:?[ \t]*)?" + _RMB + r"(?P<cn>" + _CN + r")" + _CN_TAIL + _CLOSE
)
_CN_ALONE = re.compile(_CN_AMOUNT)
_AR_ALONE = re.compile(_RMB + r"(?P<ar>" + _AR + r")[ \t]*[元圆](?:[ \t]*(?:整|正))?")
_YEN_ALONE = re.compile(_RMB + r"[¥￥][ \t]*:?[ \t]*(?P<ar>" + _AR + r")(?:[ \t]*[元圆])?(?:[ \t]*(?:整|正))?")

# after 元: words in which 元 is not the currency (单元 is excluded by needing digits before 元)
_NOT_CURRENCY_AFTER = ("元旦", "元素", "元宵", "元月", "元件", "元器件", "元代", "元朝")


def _value(x: Fraction | Decimal) -> int | float:
    if isinstance(x, Decimal):
        x = Fraction(x)
    if x.denominator == 1:
        return int(x)
    return round(float(x), 2)


def _ar_number(s: str) -> Fraction | None:
    s = s.replace(",", "").replace("，", "")
    try:
        return Fraction(Decimal(s))
    except Exception:  # noqa: BLE001 - any malformed number is simply not an amount
        return None


def _cn_number(s: str, jiao: str | None, fen: str | None) -> Fraction | None:
    base = cn_to_number(s)
    if base is None:
        return None
    total = base
    for raw, scale in ((jiao, Fraction(1, 10)), (fen, Fraction(1, 100))):
        if raw:
            total += DIGITS[raw] * scale
    return total


def _is_chinese_copy(s: str) -> bool:
    """True when the amount is written with Chinese digits (a capital/lower-case copy), not 5千 / 1.2万."""
    return any(ch in _CN_DIGIT_CHARS or ch in _CAPITAL_CHARS for ch in s) or not any(ch.isdigit() for ch in s)


def _followed_by_word(t: str, m: re.Match[str]) -> bool:
    i = t.rfind("元", m.start(), m.end())
    if i < 0:
        i = t.rfind("圆", m.start(), m.end())
    return i >= 0 and any(t.startswith(w, i) for w in _NOT_CURRENCY_AFTER)


def find_amounts(text: str) -> list[MoneyMatch]:
    """Every amount in ``text``, in order and non-overlapping; offsets index the original text."""
    if not text:
        return []
    t = text.translate(_FOLD_TABLE)
    taken: list[tuple[int, int]] = []
    out: list[MoneyMatch] = []

    def free(a: int, b: int) -> bool:
        return not any(a < e and s < b for s, e in taken)

    def add(m: re.Match[str], value: int | float, conf: float,
            cn: int | float | None, ar: int | float | None) -> None:
        out.append(MoneyMatch(m.start(), m.end(), text[m.start():m.end()], value, conf, cn, ar))
        taken.append(m.span())

    for rx in (_CN_THEN_AR, _AR_THEN_CN):
        for m in rx.finditer(t):
            if not free(*m.span()):
                continue
            if rx is _AR_THEN_CN and not (m.group("yen") or m.group("unit")):
                continue
            cnv = _cn_number(m.group("cn"), m.group("jiao"), m.group("fen"))
            arv = _ar_number(m.group("ar"))
            if cnv is None or arv is None:
                continue
            cn_val, ar_val = _value(cnv), _value(arv)
            add(m, cn_val, CONF_CLEAN if cnv == arv else CONF_DISAGREE, cn_val, ar_val)

    for m in _CN_ALONE.finditer(t):
        if not free(*m.span()) or _followed_by_word(t, m):
            continue
        raw = m.group("cn")
        v = _cn_number(raw, m.group("jiao"), m.group("fen"))
        if v is None:
            continue
        val = _value(v)
        if _is_chinese_copy(raw):
            capital = any(ch in _CAPITAL_CHARS for ch in raw)
            add(m, val, CONF_CLEAN if capital else CONF_LOWER_CN, val, None)
        else:
            add(m, val, CONF_CLEAN, None, val)

    for rx in (_YEN_ALONE, _AR_ALONE):
        for m in rx.finditer(t):
            if not free(*m.span()) or (rx is _AR_ALONE and _followed_by_word(t, m)):
                continue
            v = _ar_number(m.group("ar"))
            if v is None:
                continue
            val = _value(v)
            add(m, val, CONF_CLEAN, None, val)

    out.sort(key=lambda x: x.start)
    return out


def parse_money(text: str) -> int | float | None:
    """Value of the first amount in ``text`` (None when there is none)."""
    found = find_amounts(text)
    return found[0].value if found else None


# --- formatting ---------------------------------------------------------------------------------

def _split(v: int | float) -> tuple[int, int, int, Decimal]:
    """(yuan, jiao, fen, exact Decimal) of a value rounded to cents."""
    d = Decimal(str(v)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if d < 0:
        raise ValueError(f"negative amount: {v}")
    cents = int(d * 100)
    return cents // 100, (cents // 10) % 10, cents % 10, d


def _decimal_text(d: Decimal, comma: str | None = None) -> str:
    """1000 / 1000.50 — two decimals only when there are cents; optional thousands separator."""
    whole = d == d.to_integral_value()
    if comma is None:
        return f"{int(d)}" if whole else f"{d:.2f}"
    text = f"{int(d):,}" if whole else f"{d:,.2f}"
    return text.replace(",", comma)


def _cn_tail(yuan: int, jiao: int, fen: int, to_cn, unit: str = "元", whole_mark: str = "整") -> str:
    text = to_cn(yuan) + unit
    if jiao == 0 and fen == 0:
        return text + whole_mark
    if jiao:
        text += to_cn(jiao) + "角"
    elif fen:
        text += "零"
    if fen:
        text += to_cn(fen) + "分"
    return text


def _lower(n: int) -> str:
    text = int_to_cn(n)
    # spoken/legal habit: 两 before 千/万/亿 at the start (两千元), 二 elsewhere (二百元)
    if len(text) > 1 and text[0] == "二" and text[1] in "千万亿":
        text = "两" + text[1:]
    return text


def can_format(v: int | float, style: str) -> bool:
    """True when ``style`` can write ``v`` exactly.

    ``wan`` needs ≥ 10,000; ``qian`` needs whole hundreds ≥ 1,000; the other styles write any amount.
    """
    if style not in MONEY_STYLES:
        return False
    yuan, jiao, fen, d = _split(v)
    if style == "wan":
        return d >= 10000
    if style == "qian":
        return d >= 1000 and d % 100 == 0
    return True


def format_money(v: int | float, style: str) -> str:
    """Write ``v`` yuan in one of MONEY_STYLES:

    upper 伍佰元整 · upper_yuan_ar 壹万圆整(¥10000) · upper_rmb_ar 人民币壹万圆整（¥10,000.00） ·
    ar_upper 10000元（大写：壹万元整） · rmb 人民币5000元 · yen ¥3,000.00 · yen_full ￥500.00 · plain 1000元 ·
    plain_space 1000 元 · comma 5,000元 · comma_full 5，000元 · wan 1.2万元 · qian 5千元 · lower 两千元 / 二百元.
    """
    if style not in MONEY_STYLES:
        raise ValueError(f"unknown money style {style!r}; known: {', '.join(MONEY_STYLES)}")
    if not can_format(v, style):
        raise ValueError(f"style {style!r} cannot express {v}")
    yuan, jiao, fen, d = _split(v)
    if style == "upper":
        return _cn_tail(yuan, jiao, fen, int_to_cn_upper)
    if style == "upper_yuan_ar":
        return _cn_tail(yuan, jiao, fen, int_to_cn_upper, unit="圆") + f"(¥{_decimal_text(d)})"
    if style == "upper_rmb_ar":
        return "人民币" + _cn_tail(yuan, jiao, fen, int_to_cn_upper, unit="圆") + f"（¥{d:,.2f}）"
    if style == "ar_upper":
        return f"{_decimal_text(d)}元（大写：{_cn_tail(yuan, jiao, fen, int_to_cn_upper)}）"
    if style == "rmb":
        return f"人民币{_decimal_text(d)}元"
    if style == "yen":
        return f"¥{d:,.2f}"
    if style == "yen_full":
        return f"￥{d:.2f}"
    if style == "plain":
        return f"{_decimal_text(d)}元"
    if style == "plain_space":
        return f"{_decimal_text(d)} 元"
    if style == "comma":
        return f"{_decimal_text(d, ',')}元"
    if style == "comma_full":
        return f"{_decimal_text(d, '，')}元"
    if style == "wan":
        w = (d / 10000).normalize()
        return f"{w:f}万元"
    if style == "qian":
        q = (d / 1000).normalize()
        return f"{q:f}千元"
    # lower
    return _cn_tail(yuan, jiao, fen, _lower, whole_mark="")
