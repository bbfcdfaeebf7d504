"""Text repair of what OCR misreads in dates and document numbers (used by OCR and by assembly).

- :func:`pair_brackets`: the year brackets of a 文号 whose closing bracket does not match the
  opening one (OCR reads the closing 〕 as ] or 」): ``〔2024]`` → ``〔2024〕``.
- :func:`fix_years`: a year in Chinese numerals whose zero OCR read as ○, O or 0, or dropped:
  ``二○二四年`` / ``二二四年`` → ``二〇二四年``.

``BRACKETS`` is every character a 文号's brackets may be printed or read as
(``pipeline.core.caseno.BRACKET_CHARS``). Pure functions of text.
"""
from __future__ import annotations

import re

from pipeline.core.caseno import BRACKET_CHARS, BRACKET_PAIRS

__all__ = ["BRACKETS", "fix_years", "pair_brackets"]

BRACKETS = BRACKET_CHARS

_ZERO_LIKE = "〇○OoＯ0０零"
_CN_DIGIT = "一二三四五六七八九" + _ZERO_LIKE
_CN_YEAR = re.compile(f"(?<![{_CN_DIGIT}十])([一二][{_CN_DIGIT}]{{3}})(?=年)")
_CN_YEAR_SHORT = re.compile(f"(?<![{_CN_DIGIT}十])二二([一二三四五六七八九〇])(?=年)")


def fix_years(text: str) -> str:
    """Repair years written in Chinese numerals the way OCR misreads them: the zero read as ○, O
    or 0 (``二○二四年`` → ``二〇二四年``) or dropped (``二二四年`` → ``二〇二四年``; a three-numeral
    year does not occur in a case file)."""
    text = _CN_YEAR_SHORT.sub(lambda m: "二〇二" + m.group(1), text)
    return _CN_YEAR.sub(lambda m: "".join("〇" if ch in _ZERO_LIKE else ch for ch in m.group(1)), text)


_YEAR_IN_BRACKETS = re.compile(
    f"([{re.escape(''.join(BRACKET_PAIRS))}])(\\s*\\d{{4}}\\s*)([{re.escape(''.join(BRACKET_PAIRS.values()) + '」')}])")


def pair_brackets(text: str) -> str:
    """Mend the year brackets of a 文号 whose closing bracket does not match the opening one —
    OCR reads the closing 〕 as ] or 」 (``〔2024]`` → ``〔2024〕``); matched pairs stay."""
    return _YEAR_IN_BRACKETS.sub(lambda m: m.group(1) + m.group(2) + BRACKET_PAIRS[m.group(1)], text)
