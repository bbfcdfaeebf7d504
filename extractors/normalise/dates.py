"""Dates in case-file text: find, parse, format (casefile.md §8.2).

Accepted: ``2024年5月6日``, ``2024年05月06日``, ``2024 年 5 月 6 日``, ``二〇二四年五月六日`` (also with ○ or
零), ``2024.5.6``, ``2024-05-06``, ``2024/5/6``, full-width digits, mixed forms, with a time
(``14时30分``, ``14:30``, ``下午2时``). A blank form (``2024年 月 日``, ``年  月  日``) is a match with
value None; an impossible date (``2024年2月30日``) is a match with value None and low confidence; a
masked date (``19**年**月**日``) is never a match. Digits run together by a lost separator
(``2023112112时``, ``2022613日``) are split into the valid calendar dates and marked low-confidence.
Nothing is matched inside a longer digit string (id numbers, case numbers).
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from extractors.normalise.numerals import cn_to_int, int_to_cn

DATE_STYLES: tuple[str, ...] = (
    "cn", "cn_pad", "cn_space", "cn_upper", "cn_upper_o", "dot", "dash", "slash", "fullwidth",
)

# confidences
CONF_CLEAN = 1.0
CONF_NUMERIC = 0.95
CONF_BLANK = 0.5
CONF_RUN_TOGETHER = 0.4
CONF_RUN_TOGETHER_AMBIGUOUS = 0.3
CONF_INVALID = 0.2


@dataclass(frozen=True, slots=True)
class DateMatch:
    start: int
    end: int
    text: str
    value: str | None  # ISO YYYY-MM-DD; None for a blank or impossible date
    time: str | None  # HH:MM when a time follows the date
    confidence: float


# one-to-one character map (offsets stay valid): full-width digits/punctuation, zero variants
_FOLD = {chr(0xFF10 + i): str(i) for i in range(10)}
_FOLD.update({"．": ".", "－": "-", "／": "/", "：": ":", "○": "〇", "◯": "〇", "\u3000": " ", "＿": "_",
              "＊": "*", "﹡": "*", "—": "-", "–": "-"})
_FOLD_TABLE = str.maketrans(_FOLD)

_CN_DIGIT = "〇零一二三四五六七八九"
_CN_NUM = "〇零一二两三四五六七八九十"
_GAP = r"[ \t_]*"  # blanks inside a date (no newline: a date does not span lines)

_TIME = (
    r"(?:[ \t]*(?P<ampm>上午|下午|晚上|傍晚|凌晨|早上|中午)?[ \t]*"
    r"(?:(?P<h>\d{1,2}|[" + _CN_NUM + r"]{1,3})[ \t]*(?:时|点)"
    r"(?:[ \t]*(?P<mi>\d{1,2}|[" + _CN_NUM + r"]{1,3})[ \t]*分)?"
    r"|(?P<h2>\d{1,2})[ \t]*:[ \t]*(?P<mi2>\d{2})(?![\d]))"
    r")?"
)

# Y年M月D日 with any part blank; digits Arabic or Chinese
_CN_DATE = re.compile(
    r"(?<![\d" + _CN_DIGIT + r"*])"
    r"(?P<y>(?:19|20)\d{2}|[" + _CN_DIGIT + r"]{4})?" + _GAP + r"年"
    + _GAP + r"(?P<m>\d{1,2}|[" + _CN_NUM + r"]{1,3})?" + _GAP + r"月"
    + _GAP + r"(?P<d>\d{1,2}|[" + _CN_NUM + r"]{1,4})?" + _GAP + r"(?:日|号)"
    + _TIME
)

_NUM_DATE = re.compile(
    r"(?<![\d.\-/])(?P<y>(?:19|20)\d{2})(?P<sep>[.\-/])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d])(?!\.\d)"
    + _TIME
)

# a run of digits with lost separators, ending in 日 or 时/点
_RUN = re.compile(
    r"(?<![\d*])(?P<y>(?:19|20)\d{2})(?P<rest>[年月\d]{2,8}?)[ \t]*(?P<unit>日|号|时|点)"
    r"(?:[ \t]*(?P<mi>\d{1,2})[ \t]*分)?"
)

# masked dates: any * among date digits
_MASKED = re.compile(r"[\d*]*\*[\d*]*[ \t]*年(?:[ \t]*[\d*]{0,2}[ \t]*月(?:[ \t]*[\d*]{0,2}[ \t]*日)?)?"
                     r"|(?:19|20)\d{2}[ \t]*年[ \t]*[\d*]*\*[\d*]*[ \t]*月(?:[ \t]*[\d*]{0,2}[ \t]*日)?"
                     r"|(?:19|20)\d{2}[ \t]*年[ \t]*\d{1,2}[ \t]*月[ \t]*[\d*]*\*[\d*]*[ \t]*日")


def _num(s: str | None) -> int | None:
    if s is None:
        return None
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if all(ch in _CN_DIGIT for ch in s) and len(s) == 4:  # year digit by digit
        return cn_to_int(s)
    v = cn_to_int(s)
    if v is None:
        return None
    # reject digit-wise readings of month/day such as 一二 (would be 12): require unit form above 9
    if len(s) > 1 and "十" not in s:
        return None
    return v


def _iso(y: int | None, m: int | None, d: int | None) -> str | None:
    if y is None or m is None or d is None:
        return None
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _time(match: re.Match[str]) -> str | None:
    gd = match.groupdict()
    h_raw, mi_raw = gd.get("h"), gd.get("mi")
    if gd.get("h2") is not None:
        h_raw, mi_raw = gd["h2"], gd["mi2"]
    if h_raw is None:
        return None
    h = int(h_raw) if h_raw.isdigit() else _num(h_raw)
    mi: int | None = 0
    if mi_raw:
        mi = int(mi_raw) if mi_raw.isdigit() else _num(mi_raw)
    if h is None or mi is None:
        return None
    ampm = gd.get("ampm")
    if ampm in ("下午", "晚上", "傍晚") and h < 12:
        h += 12
    if ampm == "中午" and h < 11:
        h += 12
    if not (0 <= h <= 24 and 0 <= mi < 60) or (h == 24 and mi):
        return None
    return f"{h:02d}:{mi:02d}"


def _overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def _run_splits(y: int, rest: str, unit: str) -> list[tuple[str, int | None]]:
    """Possible (iso, hour) readings of run-together digits after the year."""
    rest = rest.lstrip("年")
    if "年" in rest:
        return []
    fixed_month: str | None = None
    if "月" in rest:
        fixed_month, _, rest = rest.partition("月")
        if "月" in rest or not fixed_month:
            return []
    out: list[tuple[str, int | None]] = []
    with_hour = unit in ("时", "点")
    m_lens = [len(fixed_month)] if fixed_month is not None else [1, 2]
    for ml in m_lens:
        ms = fixed_month if fixed_month is not None else rest[:ml]
        tail = rest if fixed_month is not None else rest[ml:]
        for dl in (1, 2):
            ds, hs = tail[:dl], tail[dl:]
            if len(ds) != dl or not ds or (ml == 1 and ms.startswith("0")):
                continue
            if with_hour:
                if not (1 <= len(hs) <= 2):
                    continue
            elif hs:
                continue
            iso = _iso(y, int(ms), int(ds))
            if iso is None:
                continue
            hour = int(hs) if with_hour else None
            if hour is not None and hour > 24:
                continue
            out.append((iso, hour))
    return out


def find_dates(text: str) -> list[DateMatch]:
    """Every date in ``text``, in order, non-overlapping; offsets index the original text."""
    if not text:
        return []
    t = text.translate(_FOLD_TABLE)
    masked = [m.span() for m in _MASKED.finditer(t)]
    taken: list[tuple[int, int]] = list(masked)
    found: list[DateMatch] = []

    for m in _CN_DATE.finditer(t):
        span = m.span()
        if _overlaps(span, taken):
            continue
        y_raw, mo_raw, d_raw = m.group("y"), m.group("m"), m.group("d")
        if y_raw is None and mo_raw is None and d_raw is None:
            # fully blank: only a form field with visible gaps (not 出生年月日)
            between = t[m.start():m.end()]
            if not re.search(r"年[ \t_]+月[ \t_]+(?:日|号)", between):
                continue
        if y_raw is None and (mo_raw is not None or d_raw is not None):
            continue  # 月/日 without a year: not handled here (年 alone is prose, e.g. 每年5月1日)
        y, mo, d = _num(y_raw), _num(mo_raw), _num(d_raw)
        end = m.end()
        if (y_raw and y is None) or (mo_raw and mo is None) or (d_raw and d is None):
            continue
        if y is not None and not (1900 <= y <= 2099):
            continue
        blank = None in (y, mo, d)
        iso = _iso(y, mo, d)
        if blank:
            conf = CONF_BLANK
            tm = None
        else:
            conf = CONF_CLEAN if iso else CONF_INVALID
            tm = _time(m)
        start = m.start()
        while t[start] in " \t":  # a blank year's leading spaces are not part of the match
            start += 1
        found.append(DateMatch(start, end, text[start:end], iso, tm if iso else None, conf))
        taken.append((start, end))

    for m in _NUM_DATE.finditer(t):
        span = m.span()
        if _overlaps(span, taken):
            continue
        iso = _iso(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if iso is None:
            continue  # 2024.13.45 is not a date written by anyone; leave it
        end = m.end()
        found.append(DateMatch(m.start(), end, text[m.start():end], iso, _time(m), CONF_NUMERIC))
        taken.append((m.start(), end))

    clean_dates = [f.value for f in found if f.value]
    for m in _RUN.finditer(t):
        span = m.span()
        if _overlaps(span, taken):
            continue
        rest = m.group("rest")
        readings = _run_splits(int(m.group("y")), rest, m.group("unit"))
        if not readings:
            continue
        iso, hour = _closest(readings, clean_dates)
        conf = CONF_RUN_TOGETHER if len(readings) == 1 else CONF_RUN_TOGETHER_AMBIGUOUS
        tm = None
        if hour is not None:
            mi = int(m.group("mi")) if m.group("mi") else 0
            tm = f"{hour:02d}:{mi:02d}" if mi < 60 else None
        end = m.end()
        found.append(DateMatch(m.start(), end, text[m.start():end], iso, tm, conf))
        taken.append((m.start(), end))

    found.sort(key=lambda f: f.start)
    return found


def _closest(readings: list[tuple[str, int | None]], others: list[str]) -> tuple[str, int | None]:
    """The reading nearest to a clean date of the same text (first reading when there is none)."""
    if len(readings) == 1 or not others:
        return readings[0]
    refs = [_dt.date.fromisoformat(o) for o in others]

    def dist(r: tuple[str, int | None]) -> int:
        d = _dt.date.fromisoformat(r[0])
        return min(abs((d - x).days) for x in refs)

    return min(readings, key=dist)  # min is stable: ties keep the first reading


def parse_date(text: str) -> str | None:
    """ISO value of the first date expression in ``text`` (None if it is blank/impossible, or none)."""
    matches = find_dates(text)
    return matches[0].value if matches else None


def _cn_digits(n: int, zero: str) -> str:
    return "".join(zero if ch == "0" else _CN_DIGIT[int(ch) + 1] for ch in str(n))


_FULLWIDTH_DIGITS: dict[int, int] = {ord(str(i)): 0xFF10 + i for i in range(10)}


def format_date(iso: str, style: str) -> str:
    """Write an ISO date in one of DATE_STYLES (see module docstring for the shapes)."""
    d = _dt.date.fromisoformat(iso)
    y, m, dd = d.year, d.month, d.day
    if style == "cn":
        return f"{y}年{m}月{dd}日"
    if style == "cn_pad":
        return f"{y}年{m:02d}月{dd:02d}日"
    if style == "cn_space":
        return f"{y} 年 {m} 月 {dd} 日"
    if style in ("cn_upper", "cn_upper_o"):
        zero = "〇" if style == "cn_upper" else "○"
        return f"{_cn_digits(y, zero)}年{int_to_cn(m)}月{int_to_cn(dd)}日"
    if style == "dot":
        return f"{y}.{m}.{dd}"
    if style == "dash":
        return f"{y}-{m:02d}-{dd:02d}"
    if style == "slash":
        return f"{y}/{m}/{dd}"
    if style == "fullwidth":
        return f"{y}年{m}月{dd}日".translate(_FULLWIDTH_DIGITS)
    raise ValueError(f"unknown date style {style!r}; known: {', '.join(DATE_STYLES)}")
