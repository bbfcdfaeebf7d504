"""The Chinese words a reviewer reads for the schema's English keys (severity, procedure, outcome).

Every document and table takes its labels from here, so no English key reaches a page.
"""
from __future__ import annotations

SEVERITY_LABELS: dict[str, str] = {"veto": "否决项", "major": "重大", "minor": "轻微", "info": "提示"}
PROCEDURE_LABELS: dict[str, str] = {"general": "一般程序", "simple": "简易程序"}
OUTCOME_LABELS: dict[str, str] = {"penalized": "处罚", "not_penalized": "不予处罚", "withdrawn": "撤案",
                                  "transferred": "移送", "pending": "未结"}

__all__ = ["OUTCOME_LABELS", "PROCEDURE_LABELS", "SEVERITY_LABELS"]
