"""One key for a case number: how the register, the cross-case checks and the run join files.

A case number is written many ways for one case: ``青城管罚字〔2024〕第123号`` in the decision,
``青城管罚字2024第123号`` or ``青城管罚字[2024]第 0123 号`` in a hand-kept register, ``［2024］`` from a
scan, full-width digits from a form. :func:`case_key` maps all of them to one canonical text:

- NFKC (full-width digits, letters and brackets become half-width), upper case;
- every whitespace removed;
- every bracket dropped (〔〕［］[]()（）【】﹝﹞「」 — a register often prints the year bare);
- ``第`` before the serial and the closing ``号`` dropped (``第2011706255号`` → ``2011706255``);
- dashes unified (``－—–`` → ``-``);
- in ``{prefix}{year}{serial}`` the serial's leading zeros dropped (``2024第0123号`` = ``2024第123号``).

A file is keyed by its case number (the 文号 of its decision) and by its case id (often the
10-digit 处罚文书号 or the register's 案件编号), so either form in the register joins
(:func:`match_register_row`). Pure: nothing here reads files.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BRACKET_CHARS", "BRACKET_PAIRS", "RegisterIndex", "case_key", "case_keys", "match_register_row"]

# the brackets a 文号's year is printed in, opening → closing
BRACKET_PAIRS = {"〔": "〕", "［": "］", "[": "]", "(": ")", "（": "）", "【": "】", "﹝": "﹞"}
# every bracket a case number is printed or read with (OCR reads a closing 〕 as ] or 」)
BRACKET_CHARS = "".join(BRACKET_PAIRS) + "".join(BRACKET_PAIRS.values()) + "「」"
_DROP = re.compile("[" + re.escape(BRACKET_CHARS) + r"\s]+")
_DASHES = re.compile(r"[‐‑‒–—―－]")
_SERIAL_MARK = re.compile(r"第(?=[0-9A-Z])")
_YEAR_SERIAL = re.compile(r"(.*\D)((?:19|20)\d{2})0*(\d+)")


def case_key(value: Any) -> str:
    """The canonical form of a case number or case id ("" for None or a blank)."""
    if value is None:
        return ""
    s = unicodedata.normalize("NFKC", str(value)).upper()
    s = _DROP.sub("", s)
    s = _DASHES.sub("-", s)
    s = _SERIAL_MARK.sub("", s)
    s = s.removesuffix("号")
    m = _YEAR_SERIAL.fullmatch(s)
    if m:
        s = m.group(1) + m.group(2) + m.group(3)
    return s


def case_keys(case_number: Any, case_id: Any) -> tuple[str, ...]:
    """The keys of one file: its case number's, then its case id's (each once, blanks left out)."""
    out: list[str] = []
    for v in (case_number, case_id):
        k = case_key(v)
        if k and k not in out:
            out.append(k)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class RegisterIndex:
    """The register's rows by key: built once per run (:meth:`of`) and then looked up per file.

    A row is keyed by its ``case_number`` and its ``case_id`` column (either may hold the 文号 or
    the 10-digit number)."""

    rows: tuple[Mapping[str, Any], ...]
    by_key: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, rows: Sequence[Mapping[str, Any]]) -> RegisterIndex:
        index: dict[str, list[int]] = {}
        for ri, row in enumerate(rows):
            for k in case_keys(row.get("case_number"), row.get("case_id")):
                index.setdefault(k, []).append(ri)
        return cls(rows=tuple(rows), by_key={k: tuple(v) for k, v in index.items()})

    def candidates(self, case_number: Any, case_id: Any) -> tuple[int, ...]:
        """Indices of the rows a file may be, those matching its case number first, each once."""
        out: list[int] = []
        for k in case_keys(case_number, case_id):
            out.extend(ri for ri in self.by_key.get(k, ()) if ri not in out)
        return tuple(out)


def match_register_row(case_number: Any, case_id: Any,
                       rows: RegisterIndex | Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The register row of a file, by :func:`case_key` of its case number, else of its case id.

    ``rows`` is a :class:`RegisterIndex` (build it once when matching many files) or the rows
    themselves. Returns the row object itself (not a copy), or None."""
    index = rows if isinstance(rows, RegisterIndex) else RegisterIndex.of(rows)
    hits = index.candidates(case_number, case_id)
    return index.rows[hits[0]] if hits else None
