"""Personal data in outgoing text: the one masker every document uses (workbook, opinions, letters,
meeting material, bulletin, month view).

``mask_personal(text, known)`` masks every 身份证号 (first 6 and last 4 characters kept) and every
mobile number (first 3 and last 4 kept), then replaces each string of ``known`` (names, addresses)
by its replacement, longest first. ``mask_name`` gives the masked form of a person's name
(张三 → 张某).

Forms caught (issue 14 §5), ASCII or full-width digits alike:

- 身份证号 of 18 characters written together (``310101199003071234``, last one may be X), or written
  in groups with spaces or hyphens (``310101 19900307 1234``) when the birth date is a real date;
- mobile numbers together or in 3-4-4 groups (``139 1234 5678``, ``139-1234-5678``), with or without
  a country code (``+8613912345678``, ``+86 139 1234 5678``, ``0086-139…``); the code is kept as written.

Credit codes (统一社会信用代码: letters among the digits), landlines and case numbers are left alone.
The masked digits are written in ASCII, without the group separators.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

_D = "0-9０-９"  # ASCII and full-width digits
_SEP = " \u3000\\-－"  # separators people put inside a long number

_ID_TOGETHER = re.compile(rf"(?<![{_D}A-Za-z])[{_D}]{{17}}[{_D}XxＸｘ](?![{_D}A-Za-z])")
_ID_GROUPED = re.compile(rf"(?<![{_D}A-Za-z])[{_D}](?:[{_SEP}]?[{_D}]){{16}}[{_SEP}]?[{_D}XxＸｘ](?![{_D}A-Za-z])")
_BIRTH = re.compile(r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_MOBILE = re.compile(
    rf"(?<![{_D}])(?P<code>(?:[+＋]|00|００)?[8８][6６][{_SEP}]*)?"
    rf"(?P<number>[1１][3-9３-９][{_D}](?:[{_SEP}]?[{_D}]{{4}}){{2}})(?![{_D}])")
_NOT_DIGIT = re.compile(r"[^0-9Xx]")


def _digits(text: str) -> str:
    return _NOT_DIGIT.sub("", unicodedata.normalize("NFKC", text))


def _mask_id(m: re.Match[str]) -> str:
    raw = _digits(m.group())
    return raw[:6] + "*" * 8 + raw[-4:].upper()


def _mask_grouped_id(m: re.Match[str]) -> str:
    raw = _digits(m.group())
    if raw[0] not in "12345678" or not _BIRTH.fullmatch(raw[6:14]):
        return m.group()  # 18 grouped digits that are not an id (an account, a list of counts)
    return raw[:6] + "*" * 8 + raw[-4:].upper()


def _mask_mobile(m: re.Match[str]) -> str:
    number = _digits(m.group("number"))
    return (m.group("code") or "") + number[:3] + "****" + number[-4:]


def mask_personal(text: str | None, known: Mapping[str, str] | Iterable[tuple[str, str]] = (), *,
                  numbers: bool = True) -> str:
    """``text`` with 身份证号 and mobile numbers masked (unless ``numbers`` is False) and every
    ``known`` string (a name, an address) replaced by its mask, longest first."""
    if not text:
        return ""
    out = text
    if numbers:
        out = _ID_TOGETHER.sub(_mask_id, out)
        out = _ID_GROUPED.sub(_mask_grouped_id, out)
        out = _MOBILE.sub(_mask_mobile, out)
    pairs = known.items() if isinstance(known, Mapping) else known
    for name, repl in sorted(pairs, key=lambda kv: (-len(kv[0]), kv[0])):
        if name:
            out = out.replace(name, repl)
    return out


def mask_name(name: str) -> str:
    """A person's name as printed in documents that leave the office: 张三 → 张某 (empty stays empty)."""
    name = name.strip()
    return (name[0] + "某") if name else name


__all__ = ["mask_name", "mask_personal"]
