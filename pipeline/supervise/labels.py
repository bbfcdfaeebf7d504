"""The Chinese words a reviewer reads for the schema's English keys (severity, procedure, outcome).

Every document and table takes its labels from here, so no English key reaches a page.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
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



_EXTENSION = re.compile(r"\.(docx?|wps|pdf|ofd|jpe?g|png|tiff?)$", re.I)


def file_name(path: str) -> str:
    """A document's file name without folder or part (``2403017.zip!/2403017/询问笔录.pdf#2`` → ``询问笔录.pdf``)."""
    return re.split(r"[/\\]|!/", path)[-1].split("#")[0]


def file_stem(path: str) -> str:
    """A document's file name without folder, part or extension (… → ``询问笔录``)."""
    return _EXTENSION.sub("", file_name(path))


def document_titles(documents: Iterable[Any]) -> dict[str, str]:
    """Each document's title by the name its findings' evidence gives it (``path``, or
    ``path#part`` for a part of a combined file), from a result's ``documents``."""
    out: dict[str, str] = {}
    for d in documents:
        if d.title:
            out[f"{d.path}#{d.part}" if d.part else d.path] = str(d.title)
    return out


def document_label(path: str, titles: Mapping[str, str] | None = None) -> str:
    """How a document is named to a reader: its file name when that names it (``询问笔录.pdf`` →
    询问笔录), else its title with the file after it (``scan-0010.pdf`` titled 询问笔录 →
    询问笔录（scan-0010.pdf）): a squad finds 「询问笔录」 in its file, not 「scan-0010」."""
    stem = file_stem(path)
    title = (titles or {}).get(path)
    if not title or "".join(title.split()) in "".join(stem.split()):
        return stem
    return f"{title}（{file_name(path)}）"


def evidence_place(path: str, page: int | None, titles: Mapping[str, str] | None = None) -> str:
    """Where a quote stands: the document's label and its page (``询问笔录（第2页）``)."""
    label = document_label(path, titles)
    if not page:
        return label
    if label.endswith("）"):
        return label[:-1] + f"，第{page}页）"
    return label + f"（第{page}页）"


def check_title(check_id: str) -> str:
    """A check's Chinese name (``DEC-01`` → 办案超期), for documents that do not print internal codes;
    the id itself when the registry does not know it."""
    spec = all_checks().get(check_id)
    return spec.title if spec is not None and spec.title else check_id


def check_titles() -> dict[str, str]:
    """Every registered check's Chinese name, by id."""
    return {cid: spec.title for cid, spec in all_checks().items()}


__all__ = ["OUTCOME_LABELS", "PARTY_KIND_LABELS", "PROCEDURE_LABELS", "SEVERITY_LABELS", "check_title",
           "check_titles", "document_label", "document_titles", "evidence_place", "file_name", "file_stem",
           "value_label", "violation_name"]
