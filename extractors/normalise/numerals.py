"""Chinese numerals ⇄ int, written by hand (cn2an mis-reads 两 and 角/分; we do not use it).

``cn_to_int`` reads lower-case (一二三…十百千万亿), financial capitals (壹贰叁…拾佰仟), 两, the zero
forms 零/〇/○, ASCII and full-width digits, and mixtures such as ``1万2千``. A string with no unit
character is read digit by digit (``二〇二四`` → 2024). ``int_to_cn`` writes the standard legal style
(``十五``, ``一百一十五``, ``一百零五``); ``int_to_cn_upper`` writes the financial style (``壹万贰仟``).
"""
from __future__ import annotations

from fractions import Fraction

# every digit form -> its value
DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "◯": 0, "Ｏ": 0, "洞": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2, "弍": 2,
    "三": 3, "叁": 3, "參": 3, "叄": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
for _i in range(10):
    DIGITS[str(_i)] = _i
    DIGITS[chr(0xFF10 + _i)] = _i  # full-width ０-９

# small units (inside a 4-digit section) and section units
SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS: dict[str, int] = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}

NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)

_LOWER = "零一二三四五六七八九"
_UPPER = "零壹贰叁肆伍陆柒捌玖"
_LOWER_UNITS = ("", "十", "百", "千")
_UPPER_UNITS = ("", "拾", "佰", "仟")


def _is_ascii_digit(ch: str) -> bool:
    return ch in DIGITS and not ("\u4e00" <= ch <= "\u9fff") and ch not in "〇○◯Ｏ"


def cn_to_int(s: str) -> int | None:
    """The integer written in ``s``, or None when ``s`` is not a well-formed numeral.

    s (str): e.g. ``十二``, ``一百一十五``, ``两千``, ``二〇二四``, ``壹万贰仟``, ``１２``, ``1万2千``.
    RETURNS (int | None): the value; None for empty or malformed input (``一二百``, ``百百``) or a
    value that is not whole (``1.5``).
    """
    v = cn_to_number(s)
    if v is None or v.denominator != 1:
        return None
    return int(v)


def cn_to_number(s: str) -> Fraction | None:
    """Exact value of a numeral that may carry a decimal point (``1.2万`` → 12000, ``1.5`` → 3/2)."""
    if s is None:
        return None
    s = "".join(s.split())  # spaces inside numbers happen in converted text
    s = s.replace(",", "").replace("，", "")
    if not s:
        return None
    if any(ch not in DIGITS and ch not in SMALL_UNITS and ch not in BIG_UNITS and ch != "." for ch in s):
        return None
    has_unit = any(ch in SMALL_UNITS or ch in BIG_UNITS for ch in s)
    if not has_unit:
        if "." in s:
            well_formed = s.count(".") == 1 and s[0] != "." and s[-1] != "."
            if not well_formed or not all(_is_ascii_digit(c) or c == "." for c in s):
                return None
            return Fraction("".join(str(DIGITS[c]) if c != "." else "." for c in s))
        value = 0
        for ch in s:
            value = value * 10 + DIGITS[ch]
        return Fraction(value)
    return _parse_with_units(s)


def _read_number_token(s: str, i: int) -> tuple[Fraction | None, int, bool]:
    """Read an Arabic run (with optional decimal point) or one Chinese digit at ``s[i]``.

    RETURNS (value, next index, was_zero_char) — value None when s[i] is not a digit.
    """
    ch = s[i]
    if _is_ascii_digit(ch):
        j = i
        text = ""
        while j < len(s) and (_is_ascii_digit(s[j]) or (s[j] == "." and "." not in text)):
            text += str(DIGITS[s[j]]) if s[j] != "." else "."
            j += 1
        if text.endswith(".") or text.startswith("."):
            return None, i, False
        return Fraction(text), j, False
    if ch in DIGITS:
        return Fraction(DIGITS[ch]), i + 1, DIGITS[ch] == 0
    return None, i, False


def _parse_with_units(s: str) -> Fraction | None:
    result = Fraction(0)  # completed 亿 sections
    wan = Fraction(0)  # completed 万 part of the current 亿 section
    section = Fraction(0)  # completed part below 万
    num: Fraction | None = None  # pending digit(s)
    last_unit = 0  # value of the last small/big unit seen (for 一万二 shorthand)
    zero_seen = False  # a 零 appeared since the last unit
    i = 0
    n = len(s)
    if s[0] == ".":
        return None
    while i < n:
        ch = s[i]
        if ch in SMALL_UNITS:
            u = SMALL_UNITS[ch]
            if num is None:
                # a bare unit: only 十 may stand alone (十五, 二百十) ; 百/千 need a digit
                if u != 10:
                    return None
                num = Fraction(1)
            section += num * u
            num = None
            last_unit = u
            zero_seen = False
            i += 1
            continue
        if ch in BIG_UNITS:
            u = BIG_UNITS[ch]
            part = section + (num or 0)
            if part == 0 and wan == 0 and u == 100_000_000 and result == 0:
                return None
            if u == 10_000:
                if part == 0:
                    return None
                wan += part * 10_000
            else:
                result = (result + wan + part) * 100_000_000
                wan = Fraction(0)
            section = Fraction(0)
            num = None
            last_unit = u
            zero_seen = False
            i += 1
            continue
        value, j, is_zero = _read_number_token(s, i)
        if value is None:
            return None
        if is_zero:
            zero_seen = True
            i = j
            continue
        if num is not None:
            return None  # two digits in a row inside a unit expression (一二百)
        num = value
        i = j
    if num is not None:
        single = num < 10 and num.denominator == 1
        if last_unit >= 100 and not zero_seen and single and _ends_with_single_digit(s):
            # colloquial shorthand: 两千五 = 2500, 一万二 = 12000, 三百五 = 350
            num = num * (last_unit // 10 if last_unit < 10_000 else 1000)
        section += num
    return result + wan + section


def _ends_with_single_digit(s: str) -> bool:
    return len(s) >= 2 and s[-1] in DIGITS and not _is_ascii_digit(s[-1]) and (
        s[-2] in SMALL_UNITS or s[-2] in BIG_UNITS
    )


def _section(n: int, digits: str, units: tuple[str, ...]) -> str:
    """0 < n < 10000 → e.g. 一千零五 (no leading zero)."""
    out: list[str] = []
    zero_pending = False
    for pos in (3, 2, 1, 0):
        d = (n // 10**pos) % 10
        if d == 0:
            if out:
                zero_pending = True
            continue
        if zero_pending:
            out.append(digits[0])
            zero_pending = False
        out.append(digits[d] + units[pos])
    return "".join(out)


def _to_cn(n: int, digits: str, units: tuple[str, ...], big: tuple[str, str]) -> str:
    if n < 0:
        raise ValueError(f"negative number: {n}")
    if n == 0:
        return digits[0]
    if n >= 100_000_000:
        high, low = divmod(n, 100_000_000)
        text = _to_cn(high, digits, units, big) + big[1]
        if low:
            text += (digits[0] if low < 10_000_000 else "") + _to_cn(low, digits, units, big)
        return text
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        text = _section(high, digits, units) + big[0]
        if low:
            text += (digits[0] if low < 1000 else "") + _section(low, digits, units)
        return text
    return _section(n, digits, units)


def int_to_cn(n: int) -> str:
    """Standard legal style: 十, 十五, 二十五, 一百零五, 一百一十五, 十万, 一万零五百."""
    text = _to_cn(n, _LOWER, _LOWER_UNITS, ("万", "亿"))
    if text.startswith("一十"):
        text = text[1:]
    return text


def int_to_cn_upper(n: int) -> str:
    """Financial capitals (no 元): 壹万贰仟, 伍佰, 壹拾, 壹仟零伍."""
    return _to_cn(n, _UPPER, _UPPER_UNITS, ("万", "亿"))
