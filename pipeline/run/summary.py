"""The run's summary: ``summary.json`` (counts by squad, check, grade, status, document type, the
settings and versions) and the lines the terminal prints at the end of a review."""
from __future__ import annotations

import collections
import hashlib
import platform
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import __version__
from pipeline.core.models import CaseResult, Finding, InputError, dumps
from pipeline.supervise.monthview import GRADES

if TYPE_CHECKING:
    from pipeline.run.review import ReviewSettings


@dataclass
class ReviewSummary:
    out: Path
    data: dict[str, Any] = field(default_factory=dict)

    def report(self) -> str:
        d = self.data
        lines = [
            f"评查完成：{d['counts']['cases']} 件案卷，{d['counts']['documents']} 份文书，"
            f"{d['counts']['findings']} 个问题，{d['counts']['errors']} 个读取错误。",
        ]
        grades = d.get("by_grade") or {}
        if grades:
            lines.append("等级分布：" + "，".join(f"{g} {n}" for g, n in grades.items()))
        timing = d.get("timing") or {}
        if timing.get("cases_reused"):
            lines.append(f"其中 {timing['cases_reused']} 件案卷的文件未变化，沿用了数据库中的读取结果"
                         f"（新读取 {timing.get('cases_read', 0)} 件）。")
        lines.append(f"结果目录：{self.out}")
        for name in d.get("outputs", []):
            lines.append(f"  {name}")
        return "\n".join(lines)


def _grade_order(grade: str) -> tuple[int, str]:
    return (GRADES.index(grade) if grade in GRADES else 9, grade)


def build_summary(archive: Path, out: Path, results: Sequence[CaseResult], orphan: Mapping[str, list[Finding]],
             register_path: Path | None, register_errors: Sequence[InputError], settings: ReviewSettings,
             rules: Mapping[str, Any], sheet: Any, month: str, review_date: str, outputs: list[str],
             timing: Mapping[str, Any]) -> dict[str, Any]:
    by_squad: dict[str, dict[str, Any]] = {}
    by_check: collections.Counter[str] = collections.Counter()
    by_grade: collections.Counter[str] = collections.Counter()
    by_status: collections.Counter[str] = collections.Counter()
    by_doc_type: collections.Counter[str] = collections.Counter()
    n_docs = n_findings = n_errors = 0
    for r in results:
        squad = r.fields.get("squad") or "（未识别）"
        s = by_squad.setdefault(squad, {"cases": 0, "findings": 0, "vetoed": 0, "score_sum": 0.0, "scored": 0})
        s["cases"] += 1
        s["findings"] += len(r.findings)
        by_status[r.status] += 1
        for f in r.findings:
            by_check[f.check_id] += 1
        for d in r.documents:
            by_doc_type[d.doc_type] += 1
        n_docs += len(r.documents)
        n_findings += len(r.findings)
        n_errors += len(r.errors)
        if r.score is not None:
            by_grade[r.score.grade] += 1
            if r.score.vetoed:
                s["vetoed"] += 1
            if r.score.stages:  # scored on the 100-point sheet (simple-procedure files are not)
                s["score_sum"] += r.score.total
                s["scored"] += 1
    for s in by_squad.values():
        s["average_score"] = round(s["score_sum"] / s["scored"], 2) if s["scored"] else None
        del s["score_sum"]
    versions: dict[str, str | None] = {"anjuan": __version__, "python": platform.python_version()}
    for mod in ("docx", "pdfplumber", "spacy", "rapidfuzz", "openpyxl", "reportlab", "chinese_calendar"):
        try:
            m = __import__(mod)
            versions[mod] = getattr(m, "__version__", "?")
        except Exception:  # pragma: no cover
            versions[mod] = None
    register_info = None
    if register_path is not None:
        register_info = {
            "path": register_path.relative_to(archive).as_posix(),
            "sha256": hashlib.sha256(register_path.read_bytes()).hexdigest(),
            "errors": [e.to_dict() for e in register_errors],
        }
    return {
        "month": month,
        "review_date": review_date,
        "counts": {"cases": len(results), "documents": n_docs, "findings": n_findings, "errors": n_errors},
        "by_status": dict(sorted(by_status.items())),
        "by_squad": dict(sorted(by_squad.items())),
        "by_check": dict(sorted(by_check.items())),
        "by_grade": {g: by_grade[g] for g in sorted(by_grade, key=_grade_order)},
        "by_doc_type": dict(sorted(by_doc_type.items())),
        "register": register_info,
        "register_only_findings": {cid: [f.to_dict() for f in fs] for cid, fs in sorted(orphan.items())},
        "inputs": {"archive": archive.name, "cases": len(results)},
        "settings": {
            "rules": str(settings.rules_path) if settings.rules_path else None,
            "rules_sha256": hashlib.sha256(dumps(rules).encode("utf-8")).hexdigest(),
            "score_sheet": getattr(sheet, "id", None),
            "db": str(settings.db_path) if settings.db_path else None,
        },
        "versions": versions,
        "outputs": outputs,
        "timing": dict(timing),  # the only key that differs between identical runs
    }


__all__ = ["ReviewSummary", "build_summary"]
