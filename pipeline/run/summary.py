"""The run's summary: ``summary.json`` (counts by squad, check, grade, status, document type, the
settings and versions) and the lines the terminal prints at the end of a review."""
from __future__ import annotations

import collections
import datetime as dt
import hashlib
import platform
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import __version__
from pipeline.core.models import CaseResult, Finding, InputError, dumps
from pipeline.core.workdays import WorkCalendar, estimate_notice
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
        unscored = d.get("unscored") or []
        if unscored:
            lines.append(f"不评分、需人工核对的案卷 {len(unscored)} 件（已列在评查评分表「汇总」的最前面）："
                         + "、".join(x["case_id"] for x in unscored[:SHOWN]) + ("等" if len(unscored) > SHOWN else ""))
        errors = d.get("read_errors") or []
        if errors:
            lines.append(f"读取错误（{len(errors)} 个）：")
            for e in errors[:SHOWN]:
                lines.append(f"  {e['code']}  {e['path']}  {_message(e)}")
            if len(errors) > SHOWN:
                lines.append(f"  ……另有 {len(errors) - SHOWN} 个未列出。")
            lines.append(f"  完整列表：{self.out / 'summary.json'} 的 read_errors，以及 cases.jsonl 中各案卷的 errors；"
                         "评查评分表「需人工核对」列逐案列出。")
        timing = d.get("timing") or {}
        if timing.get("cases_reused"):
            lines.append(f"其中 {timing['cases_reused']} 件案卷的文件未变化，沿用了数据库中的读取结果"
                         f"（新读取 {timing.get('cases_read', 0)} 件）。")
        replaced = d.get("replaced_cases") or []
        if replaced:
            more = "等" if len(replaced) > SHOWN else ""
            lines.append(f"{len(replaced)} 件案卷与数据库中以其他案卷编号保存的案卷案号相同、当事人一致，"
                         f"已按同一案卷替换（不重复计入跨案卷检查）：{'、'.join(replaced[:SHOWN])}{more}")
        if d.get("calendar_notice"):
            lines.append(d["calendar_notice"])
        lines.append(f"结果目录：{self.out}")
        for name in d.get("outputs", []):
            lines.append(f"  {name}")
        return "\n".join(lines)


SHOWN = 20  # read errors and unscored cases printed on the terminal (all are in summary.json)


def _message(error: dict[str, Any]) -> str:
    """The message without its ``[E123]`` prefix (the code is printed in its own column)."""
    text = str(error.get("message") or "")
    prefix = f"[{error.get('code')}] "
    return text[len(prefix):] if text.startswith(prefix) else text


def calendar_notice(calendar: WorkCalendar, month: str, review_date: str) -> str | None:
    """E310 once per run when the month, the review or its reply periods (a quarter on) fall in
    a year the calendar only estimates."""
    first = dt.date.fromisoformat(month + "-01")
    last = dt.date.fromisoformat(review_date) + dt.timedelta(days=92)
    return estimate_notice(calendar, range(first.year, last.year + 1))


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
            if r.score.has_points:  # scored on the 100-point sheet (simple-procedure files are not)
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
        "read_errors": [{"case_id": r.case_id, **e.to_dict()} for r in results for e in r.errors],
        "unscored": [{"case_id": r.case_id, "reasons": list(r.score.unscored)} for r in results
                     if r.score is not None and r.score.unscored],
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
