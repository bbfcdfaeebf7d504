"""Reviewers' corrections of case fields, applied to a case before its checks run (pure).

A reviewer who reads a page and sees that a field was read wrongly (a date one digit off, a
party name cut short) records a correction in the workbench (``anjuan serve``). The store keeps it
with who and when, and the value the extractors gave beside it; the next review applies it here,
so the checks, the score and every document written see the corrected value.

A correction names one of the case-field keys of the schema, or one key inside ``party`` or
``remedy`` (``party.name``, ``remedy.litigation_months``). Its value is JSON, parsed from the
reviewer's text by ``parse_value``; an empty text means "the file leaves this blank", which is
positive evidence (``Field.state == "blank"``). The corrected ``Field`` goes first among the key's
candidates (so ``CaseFile.value`` gives it) and keeps the span of the value it replaces, so a
finding still quotes the place in the file; the extracted candidates stay behind it.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from extractors.normalise.dates import parse_date
from pipeline.core.errors import AnjuanError
from pipeline.core.models import CASE_FIELD_KEYS, CaseFile, Field
from pipeline.supervise.labels import value_label

EXTRACTOR_ID = "reviewer.correction"

# the keys inside the two object fields a reviewer may correct one by one
PARTY_KEYS = ("name", "kind", "id_number", "address")
REMEDY_KEYS = ("reconsideration_body", "reconsideration_days", "litigation_months", "litigation_court")
INT_KEYS = frozenset({"remedy.reconsideration_days", "remedy.litigation_months"})
MONEY_KEYS = frozenset({"fine_yuan", "proposed_fine_yuan"})
STRING_LISTS = frozenset({"violated_provisions", "penalty_basis", "penalty_kinds"})
CHOICES: dict[str, tuple[str, ...]] = {
    "procedure": ("general", "simple"),
    "outcome": ("penalized", "not_penalized", "withdrawn", "transferred", "pending"),
    "party.kind": ("individual", "organisation"),
}
_LIST_SPLIT = re.compile(r"[、；;，,\n]+")
_YES = frozenset({"是", "true", "1", "yes", "y"})
_NO = frozenset({"否", "false", "0", "no", "n"})


def correctable_keys() -> tuple[str, ...]:
    """Every key a correction may name, in schema order (object fields by their inner keys)."""
    out: list[str] = []
    for key in CASE_FIELD_KEYS:
        if key == "party":
            out.extend(f"party.{k}" for k in PARTY_KEYS)
        elif key == "remedy":
            out.extend(f"remedy.{k}" for k in REMEDY_KEYS)
        else:
            out.append(key)
    return tuple(out)


CORRECTABLE: frozenset[str] = frozenset(correctable_keys())


@dataclass(frozen=True, slots=True)
class FieldCorrection:
    """One reviewer's correction of one field of one case.

    ``value`` is the corrected JSON value (None with ``blank`` True: the file leaves it blank);
    ``extracted`` is what the extractors had given, kept for the record.
    """

    case_id: str
    key: str
    value: Any
    extracted: Any
    reason: str
    who: str
    at: str
    blank: bool = False
    seq: int = 0

    def __post_init__(self) -> None:
        if self.key not in CORRECTABLE:
            raise AnjuanError("E604", field=self.key, known="、".join(correctable_keys()))

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "key": self.key, "value": self.value, "extracted": self.extracted,
                "blank": self.blank, "reason": self.reason, "who": self.who, "at": self.at, "seq": self.seq}


def form_of(key: str) -> str:
    """How the reviewer should write a value for ``key`` (shown beside the input and in E306)."""
    if key.endswith("_date"):
        return "日期，如 2024-06-17 或 2024年6月17日"
    if key in MONEY_KEYS:
        return "金额（元），如 2000"
    if key in INT_KEYS:
        return "整数，如 60"
    if key == "hearing_waived":
        return "是 或 否"
    if key == "officers":
        return "姓名 执法证号，多人用顿号分隔，如 张三 31001234、李四 31005678"
    if key in STRING_LISTS:
        return "多项用顿号分隔"
    if key in CHOICES:
        return " 或 ".join(str(value_label(key, c)) for c in CHOICES[key])
    return "文字"


def parse_value(key: str, text: str) -> tuple[Any, bool]:
    """``(value, blank)`` from what the reviewer typed for ``key``; an empty text is a blank.

    Raises ``AnjuanError`` E604 for a key that cannot be corrected, E306 for a value not in the
    key's form.
    """
    if key not in CORRECTABLE:
        raise AnjuanError("E604", field=key, known="、".join(correctable_keys()))
    raw = (text or "").strip()
    if not raw:
        return ([] if key in STRING_LISTS or key == "officers" else None), True

    def bad() -> AnjuanError:
        return AnjuanError("E306", value=raw, what=f"要素 {key} 的更正值", form=form_of(key))

    if key.endswith("_date"):
        iso = raw if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw) else parse_date(raw)
        if not iso:
            raise bad()
        return iso, False
    if key in MONEY_KEYS:
        try:
            number = float(raw.replace(",", "").replace("元", ""))
        except ValueError as exc:
            raise bad() from exc
        return (int(number) if number.is_integer() else number), False
    if key in INT_KEYS:
        if not raw.isdigit():
            raise bad()
        return int(raw), False
    if key == "hearing_waived":
        low = raw.lower()
        if low in _YES:
            return True, False
        if low in _NO:
            return False, False
        raise bad()
    if key in CHOICES:  # the reviewer's word (简易程序) or the schema's key (simple)
        by_word = {str(value_label(key, c)): c for c in CHOICES[key]}
        choice = by_word.get(raw) or (raw if raw in CHOICES[key] else None)
        if choice is None:
            raise bad()
        return choice, False
    if key in STRING_LISTS:
        return [x.strip() for x in _LIST_SPLIT.split(raw) if x.strip()], False
    if key == "officers":
        people = []
        for item in _LIST_SPLIT.split(raw):
            parts = item.split()
            if not parts:
                continue
            if len(parts) > 2:
                raise bad()
            people.append({"name": parts[0], "cert_no": parts[1] if len(parts) == 2 else None})
        return people, False
    return raw, False


def latest(corrections: Sequence[FieldCorrection]) -> dict[str, FieldCorrection]:
    """The correction in force per key: the one with the highest ``seq``."""
    out: dict[str, FieldCorrection] = {}
    for c in sorted(corrections, key=lambda c: c.seq):
        out[c.key] = c
    return out


def apply_to_case(case: CaseFile, corrections: Sequence[FieldCorrection]) -> CaseFile:
    """``case`` with each correction in force placed first among its key's candidates."""
    if not corrections:
        return case
    fields = dict(case.fields)
    by_field: dict[str, list[FieldCorrection]] = {}
    for c in latest(corrections).values():
        by_field.setdefault(c.key.split(".", 1)[0], []).append(c)
    for name in sorted(by_field):
        cands = tuple(fields.get(name) or ())
        base = cands[0] if cands else None
        if name in ("party", "remedy"):
            merged = dict(base.value) if base is not None and isinstance(base.value, Mapping) else {}
            for c in sorted(by_field[name], key=lambda c: c.key):
                merged[c.key.split(".", 1)[1]] = c.value
            value: Any = merged
            blank = all(v is None for v in merged.values())
        else:
            (c,) = by_field[name]
            value, blank = c.value, c.blank
        corrected = Field(name=name, value=None if blank and name not in ("party", "remedy") else value,
                          span=base.span if base is not None else None, extractor_id=EXTRACTOR_ID,
                          confidence=1.0, state="blank" if blank else "found")
        fields[name] = (corrected,) + cands
    return replace(case, fields=fields)


def apply_corrections(cases: Sequence[CaseFile],
                      corrections: Mapping[str, Sequence[FieldCorrection]]) -> list[CaseFile]:
    """Every case with its corrections applied (cases without any come back unchanged)."""
    return [apply_to_case(c, corrections.get(c.case_id) or ()) for c in cases]


__all__ = ["CORRECTABLE", "EXTRACTOR_ID", "FieldCorrection", "apply_corrections", "apply_to_case",
           "correctable_keys", "form_of", "latest", "parse_value"]
