"""The Chinese words a reviewer reads for the schema's English keys (severity, procedure, outcome).

Every document and table takes its labels from here, so no English key reaches a page.
"""
from __future__ import annotations

from typing import Any

from checks.registry import all_checks
from extractors.violations import load_catalogue

SEVERITY_LABELS: dict[str, str] = {"veto": "否决项", "major": "重大", "minor": "轻微", "info": "提示"}
PROCEDURE_LABELS: dict[str, str] = {"general": "一般程序", "simple": "简易程序"}
OUTCOME_LABELS: dict[str, str] = {"penalized": "处罚", "not_penalized": "不予处罚", "withdrawn": "撤案",
                                  "transferred": "移送", "pending": "未结"}
PARTY_KIND_LABELS: dict[str, str] = {"individual": "个人", "organisation": "单位"}


def violation_name(key: Any) -> str | None:
    """The catalogue's Chinese name of a violation type key (``la_ji_wei_fen_lei`` → 未按规定分类投放生活垃圾),
    the value itself when it is not a key (案由 text), None for nothing."""
    if not key:
        return None
    entry = load_catalogue().get(str(key))
    return entry.name if entry is not None else str(key)


def value_label(key: str, value: Any) -> Any:
    """A case field's value in the reviewer's words where the schema keeps an English key
    (procedure, outcome, party kind, violation type); any other value as it is."""
    if value is None:
        return None
    if key == "procedure":
        return PROCEDURE_LABELS.get(str(value), value)
    if key == "outcome":
        return OUTCOME_LABELS.get(str(value), value)
    if key == "party.kind":
        return PARTY_KIND_LABELS.get(str(value), value)
    if key == "violation_type":
        return violation_name(value)
    return value



def check_title(check_id: str) -> str:
    """A check's Chinese name (``DEC-01`` → 办案超期), for documents that do not print internal codes;
    the id itself when the registry does not know it."""
    spec = all_checks().get(check_id)
    return spec.title if spec is not None and spec.title else check_id


def check_titles() -> dict[str, str]:
    """Every registered check's Chinese name, by id."""
    return {cid: spec.title for cid, spec in all_checks().items()}


__all__ = ["OUTCOME_LABELS", "PARTY_KIND_LABELS", "PROCEDURE_LABELS", "SEVERITY_LABELS", "check_title",
           "check_titles", "value_label", "violation_name"]
