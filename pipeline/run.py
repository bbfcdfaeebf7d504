"""Orchestration of a review: read → type → extract → assemble → check → score → write.

This is the library behind ``anjuan review``. Only this module (and the other ``pipeline``
modules) touches files; the stages it calls are pure.

Parallelism uses a ``spawn`` process pool (works on Windows); each worker reads, extracts and
checks one case at a time and returns frozen records. Cross-case checks, scoring and writing
happen in the parent, in case-id order, so the output does not depend on ``--jobs``.
"""
from __future__ import annotations

import collections
import datetime as dt
import hashlib
import multiprocessing
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from pipeline import __version__
from pipeline.models import (
    CaseFile,
    CaseResult,
    DocumentEntry,
    Finding,
    InputError,
    dumps,
    empty_case_fields,
)

GRADES = ("优秀", "良好", "合格", "不合格")


@dataclass(frozen=True)
class ReviewSettings:
    rules_path: Path | None = None
    db_path: Path | None = Path("anjuan.db")
    jobs: int = 0  # 0 = number of cores
    month: str | None = None
    review_date: str | None = None
    templates_dir: Path | None = None
    debug: bool = False
    progress: bool = True
    write_documents: bool = True  # workbook, opinions, letters, meeting material, bulletin
    letters_path: Path | None = None  # user letters.yaml


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
        lines.append(f"结果目录：{self.out}")
        for name in d.get("outputs", []):
            lines.append(f"  {name}")
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# one case (runs in a worker process)
# ---------------------------------------------------------------------------------------------

_WORKER_STATE: dict[str, Any] = {}


def _worker_init(debug: bool) -> None:
    from extractors.nlp import build_nlp

    _WORKER_STATE["nlp"] = build_nlp()
    _WORKER_STATE["debug"] = debug


def _read_one(root: str, entry: Any) -> tuple[Any, CaseFile]:
    """Read, type, extract and assemble one case (the expensive, parallel part)."""
    from extractors.assemble import assemble
    from extractors.fields import extract_document
    from pipeline.archive import read_case

    case_input = read_case(Path(root), entry)
    nlp = _WORKER_STATE["nlp"]
    docfields = [extract_document(d, nlp) for d in case_input.docs]
    return case_input, assemble(case_input, docfields, None)


def _read_one_safe(root: str, entry: Any) -> tuple[Any, CaseFile | None, InputError | None]:
    """A crash on one case becomes an E900 error for that case; the batch goes on."""
    from pipeline.errors import msg

    try:
        case_input, casefile = _read_one(root, entry)
        return case_input, casefile, None
    except Exception as exc:  # noqa: BLE001 - isolation is the point
        if _WORKER_STATE.get("debug"):
            raise
        err = InputError(entry.source, "E900", msg("E900", path=entry.source, detail=f"{type(exc).__name__}: {exc}"))
        return None, None, err


def _iter_reads(root: Path, entries: Sequence[Any], settings: ReviewSettings) -> Iterator[tuple[Any, Any]]:
    jobs = settings.jobs or os.cpu_count() or 1
    jobs = max(1, min(jobs, len(entries) or 1))
    init_args = (settings.debug,)
    if jobs == 1:
        _worker_init(*init_args)
        for entry in entries:
            yield entry, _read_one_safe(str(root), entry)
        return
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init, initargs=init_args) as pool:
        futures = [pool.submit(_read_one_safe, str(root), e) for e in entries]
        for entry, fut in zip(entries, futures):
            yield entry, fut.result()


# ---------------------------------------------------------------------------------------------
# the whole archive
# ---------------------------------------------------------------------------------------------

def review_archive(archive: Path, out: Path, settings: ReviewSettings = ReviewSettings()) -> ReviewSummary:
    from checks.registry import CheckContext, run_case_checks, run_cross_checks
    from checks.rules import calendar_from_rules, load_rules
    from extractors.assemble import case_fields, field_provenance
    from pipeline.archive import find_register, list_cases
    from pipeline.errors import AnjuanError
    from pipeline.register import read_register
    from pipeline.scoring import load_sheet, score_case

    started = time.perf_counter()
    archive = Path(archive)
    if not archive.is_dir():
        raise AnjuanError("E100", path=str(archive))
    out = Path(out)
    if _inside(out, archive):
        raise AnjuanError("E100", path=f"{out}（输出目录不能位于案卷目录内，以免改动原始案卷）")
    out.mkdir(parents=True, exist_ok=True)

    rules = load_rules(settings.rules_path)
    sheet = load_sheet(_sheet_path(rules))
    entries = list_cases(archive)

    # register (台账)
    register_path = find_register(archive)
    register_rows: list[dict[str, Any]] | None = None
    register_errors: list[InputError] = []
    if register_path is not None:
        rows, register_errors = read_register(register_path)
        register_rows = [dict(r.values, _row=r.row) for r in rows]

    # read, type, extract, assemble (parallel)
    t_read = time.perf_counter()
    iterator = _iter_reads(archive, entries, settings)
    if settings.progress and (sys.stderr.isatty() or os.environ.get("ANJUAN_PROGRESS")):
        import click

        with click.progressbar(iterator, length=len(entries), label="评查案卷", file=sys.stderr) as bar:
            read = list(bar)
    else:
        read = list(iterator)
    t_read = time.perf_counter() - t_read

    casefiles = [r[1][1] for r in read if r[1][1] is not None]
    month = settings.month or _infer_month(casefiles)
    review_date = settings.review_date or _first_of_next_month(month)
    if register_rows is not None:
        casefiles = [_attach_register(c, register_rows) for c in casefiles]
    by_id = {c.case_id: c for c in casefiles}

    store = None
    history: list[Any] = []
    decisions: dict[tuple[str, str], Any] = {}
    if settings.db_path is not None:
        from pipeline.store import Store

        store = Store.open(settings.db_path)
        history = [d for d in store.load_digests(before_month=month) if d.case_id not in by_id]
        decisions = store.decisions()
    ctx = CheckContext(rules=rules, calendar=calendar_from_rules(rules), review_date=review_date,
                       register_rows=register_rows, history=history)

    # checks: single-file, then cross-case over this month and the months kept in the database
    t_checks = time.perf_counter()
    single = {c.case_id: run_case_checks(c, ctx, debug=settings.debug) for c in casefiles}
    cross = run_cross_checks(casefiles, ctx, debug=settings.debug)
    t_checks = time.perf_counter() - t_checks

    # results, in case-id order
    results: list[CaseResult] = []
    for entry, (case_input, casefile, crash) in read:
        results.append(_case_result(entry, case_input, casefile, single.get(entry.case_id, []),
                                    cross.get(entry.case_id, []), crash, sheet, score_case,
                                    case_fields, field_provenance, decisions))
    entry_ids = {e.case_id for e in entries}
    orphan = {cid: fs for cid, fs in cross.items() if cid not in entry_ids}

    # write
    cases_path = out / "cases.jsonl"
    with cases_path.open("w", encoding="utf-8", newline="\n") as fh:
        for r in results:
            fh.write(r.to_json() + "\n")
    outputs = ["cases.jsonl", "summary.json"]
    conn = store.conn if store is not None else _memory_db()
    try:
        if settings.write_documents:
            outputs += _write_documents(out, results, sheet, settings, review_date, decisions)
            outputs += _write_month(out, results, month, review_date, conn, store, rules, settings, decisions)
        if store is not None:
            from checks.cross import digests_for

            run_id = store.start_run(archive=archive.name, month=month, version=__version__,
                                     settings_hash=hashlib.sha256(dumps(rules).encode("utf-8")).hexdigest())
            store.save_digests(month, digests_for(casefiles), run_id)
            if register_rows is not None:
                store.save_register_counts(_closed_counts(register_rows))
            store.finish_run(run_id, {"cases": len(results)})
    finally:
        if store is not None:
            store.close()
        else:
            conn.close()

    elapsed = time.perf_counter() - started
    summary = _summary(archive, out, results, orphan, register_path, register_errors, settings, rules, sheet,
                       month, review_date, outputs,
                       {"total_s": round(elapsed, 3), "read_extract_s": round(t_read, 3),
                        "checks_s": round(t_checks, 3)})
    (out / "summary.json").write_text(
        __import__("json").dumps(summary, ensure_ascii=False, sort_keys=True, indent=2) + "\n",
        encoding="utf-8", newline="\n")
    return ReviewSummary(out=out, data=summary)


def _case_result(entry: Any, case_input: Any, casefile: CaseFile | None, findings: list[Finding],
                 cross_findings: list[Finding], crash: InputError | None, sheet: Any, score_case: Any,
                 case_fields: Any, field_provenance: Any,
                 decisions: Mapping[tuple[str, str], Any]) -> CaseResult:
    errors: list[InputError] = []
    documents: list[DocumentEntry] = []
    if case_input is not None:
        errors.extend(case_input.errors)
        for d in case_input.docs:
            documents.append(DocumentEntry(path=d.path, doc_type=d.doc_type, pages=len(d.pages),
                                           text_source=d.text_source, confidence=d.type_confidence,
                                           title=d.title, part=d.part))
    if crash is not None:
        errors.append(crash)
    all_findings = tuple(sorted(list(findings) + list(cross_findings), key=_finding_key))
    fields = case_fields(casefile) if casefile is not None else empty_case_fields()
    score = (score_case(fields, all_findings, sheet, decisions=decisions, case_id=entry.case_id)
             if casefile is not None else None)
    if not documents:
        status = "error"
    elif errors:
        status = "partial"
    else:
        status = "ok"
    provenance = {"fields": field_provenance(casefile)} if casefile is not None else {}
    if case_input is not None and case_input.files:
        provenance["files"] = list(case_input.files)
    return CaseResult(case_id=entry.case_id, source=entry.source, status=status, documents=tuple(documents),
                      fields=fields, findings=all_findings, score=score, errors=tuple(errors),
                      provenance=provenance)


_SEV_ORDER = {"veto": 0, "major": 1, "minor": 2, "info": 3}


def _finding_key(f: Finding) -> tuple[Any, ...]:
    return (_SEV_ORDER.get(f.severity, 9), f.check_id, f.message)


def _write_documents(out: Path, results: Sequence[CaseResult], sheet: Any, settings: ReviewSettings,
                     review_date: str, decisions: Mapping[tuple[str, str], Any]) -> list[str]:
    """评查评分表.xlsx and one 评查意见书 per case (numbered in case-id order)."""
    from pipeline.opinion import render_opinion
    from pipeline.workbook import write_workbook

    written = []
    write_workbook(out / "评查评分表.xlsx", results, title="案卷评查评分表", sheet=sheet, decisions=decisions)
    written.append("评查评分表.xlsx")
    op_dir = out / "评查意见书"
    op_dir.mkdir(exist_ok=True)
    number = 0
    for r in results:
        if r.status == "error":
            continue
        number += 1
        opinion_settings = {"issue_date": review_date, "score_sheet": sheet, "decisions": decisions,
                            "opinion_number": number, "opinion_year": int(review_date[:4])}
        render_opinion(r, settings=opinion_settings, out_path=op_dir / f"{_safe_name(r.case_id)}.docx",
                       templates_dir=settings.templates_dir)
    written.append("评查意见书/")
    return written


def _write_month(out: Path, results: Sequence[CaseResult], month: str, review_date: str, conn: Any,
                 store: Any, rules: Mapping[str, Any], settings: ReviewSettings,
                 decisions: Mapping[tuple[str, str], Any]) -> list[str]:
    """两单两书 (drafted, issued, escalated in the database), 讲评会材料 and 月通报."""
    from checks.rules import build_calendar
    from pipeline.letterdb import list_letters, month_counts, run_month
    from pipeline.letterdocs import letter_filename, render_letter
    from pipeline.letters import load_settings as letter_settings
    from pipeline.report import month_view, write_bulletin, write_meeting_material

    written = []
    lsettings = letter_settings(settings.letters_path)
    cal = build_calendar(rules)
    month_letters = run_month(conn, results, month, review_date, settings=lsettings, calendar=cal,
                              decisions=decisions)
    letters_dir = out / "监督文书"
    letters_dir.mkdir(exist_ok=True)
    to_render = {rec.id: rec for rec in list_letters(conn, month=month)}
    for _parent, child in month_letters.escalated:
        to_render[child.id] = child
    for rec in sorted(to_render.values(), key=lambda x: x.id):
        render_letter(rec, letters_dir / letter_filename(rec), settings=lsettings,
                      templates_dir=settings.templates_dir)
    written.append("监督文书/")

    previous = store.month_view(_previous_month(month)) if store is not None else None
    view = month_view(results, month=month, letters=month_counts(conn, month), previous=previous)
    write_meeting_material(view, out, templates_dir=settings.templates_dir)
    write_bulletin(view, out / "月通报.docx")
    if store is not None:
        store.save_month_view(month, view)
    written += ["讲评会材料.docx", "讲评会材料.html", "月通报.docx"]
    return written


def _memory_db() -> Any:
    """An in-memory database for a review without --db (letters are numbered within the run)."""
    import sqlite3

    from pipeline.letterdb import ensure_schema

    conn = sqlite3.connect(":memory:", isolation_level=None)
    ensure_schema(conn)
    return conn


def _closed_counts(rows: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Closed cases per month and squad from a register (kept for the yearly sampling pace)."""
    out: dict[str, dict[str, int]] = {}
    for r in rows:
        closing = str(r.get("closing_date") or "")
        if len(closing) < 7 or "未" in str(r.get("status") or ""):
            continue
        squad = str(r.get("squad") or "")
        m = out.setdefault(closing[:7], {})
        m[squad] = m.get(squad, 0) + 1
    return out


def _previous_month(month: str) -> str:
    y, m = (int(x) for x in month.split("-"))
    y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return f"{y:04d}-{m:02d}"


def _summary(archive: Path, out: Path, results: Sequence[CaseResult], orphan: Mapping[str, list[Finding]],
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
    versions = {"anjuan": __version__, "python": platform.python_version()}
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
        "by_grade": {g: by_grade[g] for g in sorted(by_grade, key=lambda g: (GRADES.index(g) if g in GRADES else 9, g))},
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


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------

def _attach_register(case: CaseFile, rows: Sequence[Mapping[str, Any]]) -> CaseFile:
    from checks.cross import match_register_row

    row = match_register_row(case, rows)
    return replace(case, register=row) if row is not None else case


def _infer_month(cases: Iterable[CaseFile]) -> str:
    months: collections.Counter[str] = collections.Counter()
    for c in cases:
        d = c.value("decision_date") or c.value("closing_date") or c.value("withdrawal_date") or c.value("filing_date")
        if d:
            months[str(d)[:7]] += 1
    if not months:
        return dt.date.today().strftime("%Y-%m")
    return sorted(months.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _first_of_next_month(month: str) -> str:
    y, m = (int(x) for x in month.split("-"))
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return f"{y:04d}-{m:02d}-01"


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.resolve().relative_to(parent.resolve())
        return True
    except ValueError:
        return False


def _safe_name(name: str) -> str:
    return "".join("_" if ch in '<>:"/\\|?*' else ch for ch in name)


def _sheet_path(rules: Mapping[str, Any]) -> Path | None:
    p = (rules.get("scoring") or {}).get("sheet")
    return Path(p) if p else None


# ---------------------------------------------------------------------------------------------
# other commands
# ---------------------------------------------------------------------------------------------

def extract_file(path: Path) -> dict[str, Any]:
    """``anjuan extract FILE``: the fields of each document of one file, and the case-level
    fields they give together (only those stated)."""
    from extractors.assemble import assemble, case_fields
    from extractors.fields import extract_document
    from extractors.nlp import build_nlp
    from pipeline.archive import CaseEntry, read_case

    path = Path(path)
    entry = CaseEntry(case_id=path.stem, source=path.name, kind=path.suffix.lower().lstrip("."))
    case_input = read_case(path.parent, entry)
    nlp = build_nlp()
    docfields = [extract_document(d, nlp) for d in case_input.docs]
    docs_out = []
    for df in docfields:
        fields: dict[str, Any] = {}
        for f in df.fields:
            fields.setdefault(f.name, f.value)
        docs_out.append({"path": df.doc.doc_id, "doc_type": df.doc.doc_type, "title": df.doc.title,
                         "pages": len(df.doc.pages), "fields": fields})
    casefile = assemble(case_input, docfields, None)
    stated = {k: v for k, v in case_fields(casefile).items() if v not in (None, [], {})}
    for key in ("party", "remedy"):
        if key in stated and all(v is None for v in stated[key].values()):
            del stated[key]
    return {"documents": docs_out, "fields": stated, "errors": [e.to_dict() for e in case_input.errors]}


def generate_corpus(n: int, month: str, seed: int, out: Path) -> dict[str, Any]:
    from corpus.generator import generate_cases, register_rows
    from corpus.writer import write_corpus

    cases = generate_cases(n, month, seed)
    return write_corpus(cases, register_rows(cases), Path(out))


def run_demo(out: Path, n: int = 60, seed: int = 2024) -> str:
    """Generate a month of case files into OUT/语料, review it into OUT/评查结果, and say what to
    open first."""
    out = Path(out)
    corpus_dir = out / "语料"
    result_dir = out / "评查结果"
    manifest = generate_corpus(n, "2024-06", seed, corpus_dir)
    db = out / "anjuan.db"
    if db.exists():
        db.unlink()
    summary = review_archive(corpus_dir / "archive", result_dir,
                             ReviewSettings(db_path=db, month="2024-06", progress=True))
    first_opinion = sorted((result_dir / "评查意见书").glob("*.docx"))
    lines = [
        f"演示完成：生成 {manifest['cases']} 件合成案卷并完成评查。",
        summary.report(),
        "",
        "建议先打开：",
        f"  1. {result_dir / '评查评分表.xlsx'}  （汇总表：每案得分、等级和问题数）",
    ]
    if first_opinion:
        lines.append(f"  2. {first_opinion[0]}  （一份评查意见书）")
    lines.append(f"  3. {result_dir / 'cases.jsonl'}  （每案的要素、问题、证据和评分）")
    lines.append(f"  合成案卷原件：{corpus_dir / 'archive'}")
    return "\n".join(lines)
