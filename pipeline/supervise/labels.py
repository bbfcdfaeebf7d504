"""The Chinese words a reviewer reads for the schema's English keys (severity, procedure, outcome).

Every document and table takes its labels from here, so no English key reaches a page.
"""
from __future__ import annotations

from checks.registry import all_checks

SEVERITY_LABELS: dict[str, str] = {"veto": "否决项", "major": "重大", "minor": "轻微", "info": "提示"}
PROCEDURE_LABELS: dict[str, str] = {"general": "一般程序", "simple": "简易程序"}
OUTCOME_LABELS: dict[str, str] = {"penalized": "处罚", "not_penalized": "不予处罚", "withdrawn": "撤案",
                                  "transferred": "移送", "pending": "未结"}



def check_title(check_id: str) -> str:
    """A check's Chinese name (``DEC-01`` → 办案超期), for documents that do not print internal codes;
    the id itself when the registry does not know it."""
    spec = all_checks().get(check_id)
    return spec.title if spec is not None and spec.title else check_id


def check_titles() -> dict[str, str]:
    """Every registered check's Chinese name, by id."""
    return {cid: spec.title for cid, spec in all_checks().items()}


__all__ = ["OUTCOME_LABELS", "PROCEDURE_LABELS", "SEVERITY_LABELS", "check_title", "check_titles"]
