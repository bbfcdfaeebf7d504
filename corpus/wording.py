"""Printing helpers for the synthetic corpus: numerals, dates, times, amounts, citations.

Every function that varies its output takes a ``random.Random`` so the corpus stays
deterministic for a seed. The *normalised* forms (ISO dates, int yuan, citations as
``《上海市市容环境卫生管理条例》第二十五条第五款``) are what the truth records; the printed
forms are what a parser meets in real files.
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

_LOWER = "〇一二三四五六七八九"
_UPPER = "零壹贰叁肆伍陆柒捌玖"

# Short names a real file sometimes uses for a law (printed only; truth uses the full name).
SHORT_LAW_NAMES: dict[str, tuple[str, ...]] = {
    "上海市市容环境卫生管理条例": ("市容条例", "上海市市容环境卫生管理条例"),
    "上海市住宅物业管理规定": ("上海市住宅物业管理规定",),
    "上海市生活垃圾管理条例": ("上海市生活垃圾管理条例",),
    "中华人民共和国大气污染防治法": ("大气污染防治法", "中华人民共和国大气污染防治法"),
    "中华人民共和国行政处罚法": ("行政处罚法", "中华人民共和国行政处罚法"),
}


def cn_int(n: int) -> str:
    """Lower-case Chinese numeral for 0 <= n < 10000 as used in article numbers: 115 -> 一百一十五."""
    if n < 0 or n >= 10000:
        raise ValueError(f"cn_int supports 0..9999, not {n}")
    if n == 0:
        return "零"
    digits = "零一二三四五六七八九"
    units = ["", "十", "百", "千"]
    s = str(n)
    out: list[str] = []
    zero = False
    for i, ch in enumerate(s):
        d = int(ch)
        pos = len(s) - 1 - i
        if d == 0:
            zero = True
            continue
        if zero and out:
            out.append("零")
        zero = False
        out.append(digits[d] + units[pos])
    text = "".join(out)
    if 10 <= n < 20:
        text = text[1:]  # 十五, not 一十五
    return text


def cn_upper_amount(n: int) -> str:
    """Financial capitals for a whole yuan amount: 500 -> 伍佰, 10000 -> 壹万, 10500 -> 壹万零伍佰."""
    if n <= 0 or n >= 100_000_000:
        raise ValueError(f"cn_upper_amount supports 1..99999999, not {n}")
    units = ["", "拾", "佰", "仟"]

    def four(x: int) -> str:
        s = f"{x:04d}"
        out: list[str] = []
        zero = False
        for i, ch in enumerate(s):
            d = int(ch)
            if d == 0:
                zero = True
                continue
            if zero and out:
                out.append("零")
            zero = False
            out.append(_UPPER[d] + units[3 - i])
        return "".join(out)

    high, low = divmod(n, 10000)
    if high:
        text = four(high) + "万"
        if low:
            if low < 1000:
                text += "零"
            text += four(low)
        return text.lstrip("零")
    return four(low).lstrip("零")


def cn_year(y: int, zero: str = "〇") -> str:
    return "".join(zero if c == "0" else _LOWER[int(c)] for c in str(y))


def cn_small(n: int) -> str:
    """Month/day numerals: 10 -> 十, 21 -> 二十一."""
    return cn_int(n)


DATE_STYLES_PROSE = ("ymd", "ymd0", "cn", "cn_o")
DATE_STYLES_TABLE = ("ymd", "ymd0", "cn", "dot", "iso", "ymd")


def fmt_date(d: dt.date, style: str) -> str:
    if style == "ymd":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "ymd0":
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    if style == "cn":
        return f"{cn_year(d.year)}年{cn_small(d.month)}月{cn_small(d.day)}日"
    if style == "cn_o":
        return f"{cn_year(d.year, '○')}年{cn_small(d.month)}月{cn_small(d.day)}日"
    if style == "dot":
        return f"{d.year}.{d.month}.{d.day}"
    if style == "iso":
        return d.isoformat()
    raise ValueError(f"unknown date style {style!r}")


def fmt_time(hour: int, minute: int, style: str) -> str:
    if style == "colon":
        return f"{hour:02d}:{minute:02d}"
    return f"{hour}时{minute:02d}分"


def fmt_datetime(d: dt.date, hour: int, minute: int, dstyle: str, tstyle: str) -> str:
    ds = fmt_date(d, dstyle)
    sep = "" if ds.endswith("日") else " "
    return f"{ds}{sep}{fmt_time(hour, minute, tstyle)}"


AMOUNT_STYLES = ("upper", "rmb_arabic", "yen", "upper_yen", "plain")


def fmt_amount(n: int, style: str) -> str:
    """A fine as printed. ``plain`` gives ``1000元`` (callers write 罚款 before it)."""
    if style == "upper":
        return f"人民币{cn_upper_amount(n)}元整"
    if style == "rmb_arabic":
        return f"人民币{n}元"
    if style == "yen":
        return f"¥{n:,}.00"
    if style == "upper_yen":
        return f"人民币{cn_upper_amount(n)}圆整(¥{n})"
    if style == "plain":
        return f"{n}元"
    raise ValueError(f"unknown amount style {style!r}")


# --- citations -------------------------------------------------------------------------

Cite = tuple[str, int, int | None, int | None]  # (law full name, article, paragraph, item)


def cite_norm(c: Cite) -> str:
    """The normalised citation the truth records."""
    law, art, para, item = c
    s = f"《{law}》第{cn_int(art)}条"
    if para:
        s += f"第{cn_int(para)}款"
    if item:
        s += f"第（{cn_int(item)}）项"
    return s


def cite_print(c: Cite, style: str, law_name: str | None = None) -> str:
    """A citation as printed. ``style``: cn (Chinese numerals), arabic (第25条第5款),
    half (第（二）项 written 第(二)项). ``law_name`` overrides the printed law name."""
    law, art, para, item = c
    name = law_name or law
    if style == "arabic":
        s = f"《{name}》第{art}条"
        if para:
            s += f"第{para}款"
        if item:
            s += f"第({cn_int(item)})项"
        return s
    s = f"《{name}》第{cn_int(art)}条"
    if para:
        s += f"第{cn_int(para)}款"
    if item:
        s += "第(" + cn_int(item) + ")项" if style == "half" else f"第（{cn_int(item)}）项"
    return s


def cites_print(cs: Sequence[Cite], rng: random.Random, allow_short: bool = True) -> str:
    style = rng.choice(("cn", "cn", "cn", "arabic", "half"))
    parts = []
    for c in cs:
        name = None
        if allow_short and rng.random() < 0.12:
            name = SHORT_LAW_NAMES.get(c[0], (c[0],))[0]
        parts.append(cite_print(c, style, name))
    return "、".join(parts)


def colon(rng: random.Random) -> str:
    return "：" if rng.random() < 0.8 else ":"


def paren(rng: random.Random, text: str) -> str:
    return f"（{text}）" if rng.random() < 0.75 else f"({text})"


BRACKETS = (("〔", "〕"), ("〔", "〕"), ("[", "]"), ("（", "）"), ("［", "］"), ("(", ")"))


def doc_number(prefix: str, year: int, serial: int, width: int, brackets: tuple[str, str],
               space: bool = False, di: bool = True) -> str:
    left, right = brackets
    s = f"{serial:0{width}d}"
    if space:
        s = f" {s} "
    return f"{prefix}{left}{year}{right}{'第' if di else ''}{s}号"
