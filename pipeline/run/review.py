"""Orchestration of a review: read → type → extract → assemble → check → score → write.

This is the library behind ``anjuan review``. The reading runs in parallel (``pipeline.run.workers``);
checks, scoring and writing run here, on the whole month, in case-id order.

Resume and incremental runs (with a database, ``--db``): before reading, each case gets a
fingerprint (``pipeline.run.fingerprint``). Each case read is committed to the ``case_results``
table as it arrives; a case whose stored fingerprint is equal is taken from the table instead of
being read again. A run killed at any point and started again therefore reads only the cases not
yet stored. Single-file and cross-case checks, scoring and writing always run on the whole month
after all cases are in, in case-id order, so the outputs are identical to those of an
uninterrupted run. ``ReviewSettings.fresh`` ignores the stored results (every case is read and
stored again).

Outputs are written into a hidden staging folder inside ``--out`` and moved into place file by
file with ``os.replace``; ``summary.json`` is moved last. A run killed while writing leaves no
half-written file under its final name.
"""
from __future__ import annotations

import collections
import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import click

from checks.cross_common import digests_for
from checks.registry import CheckContext, low_confidence_quotes, run_case_checks, run_cross_checks
from checks.rules import build_calendar, calendar_from_rules, load_rules
from extractors.assemble import case_fields, field_provenance
from extractors.normalise.names import names_match
from pipeline import __version__
from pipeline.core.caseno import RegisterIndex, case_key, match_register_row
from pipeline.core.digest import CaseDigest
from pipeline.core.errors import AnjuanError
from pipeline.core.models import CaseFile, CaseResult, DocumentEntry, Finding, InputError, dumps, empty_case_fields
from pipeline.core.months import first_day, next_month, previous_month, require_date, require_month
from pipeline.core.workdays import WorkCalendar
from pipeline.read.archive import CaseEntry, display_path, find_register, list_cases
from pipeline.read.readers import ReadLimits
from pipeline.read.register import read_register
from pipeline.run.fingerprint import case_fingerprint, code_key, db_key
from pipeline.run.summary import ReviewSummary, build_summary, calendar_notice
from pipeline.run.workers import ReadResult, WorkerConfig, decode_result, iter_reads
from pipeline.store.corrections import load_corrections
from pipeline.store.db import Store
from pipeline.store.letterdb import ensure_schema, list_letters, month_counts, run_month
from pipeline.supervise.corrections import apply_corrections
from pipeline.supervise.letters import load_settings as letter_settings
from pipeline.supervise.monthview import month_view
from pipeline.supervise.sampling import closed_counts
from pipeline.supervise.scoring import ScoreSheet, load_sheet, score_case
from pipeline.write.letterdocs import letter_filename, render_letter
from pipeline.write.meeting import write_bulletin, write_meeting_material
from pipeline.write.opinion import render_opinion
from pipeline.write.workbook import write_workbook

STAGING_DIR = ".anjuan-staging"


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
    fresh: bool = False  # ignore the cases stored in the database: read every case again
    limits: ReadLimits | None = None  # None: the defaults
    max_tasks_per_child: int = 100  # a worker is replaced after this many cases (bounded memory)
    worker_memory_mb: int | None = None  # address-space cap per worker (POSIX only; None: none)

    def worker_config(self) -> WorkerConfig:
        return WorkerConfig(debug=self.debug, limits=self.limits, memory_mb=self.worker_memory_mb,
                            max_tasks_per_child=self.max_tasks_per_child)


@dataclass(frozen=True)
class Register:
    """The archive's 台账, when it holds one: its path, its rows (with ``_row``) and its errors."""

    path: Path | None = None
    rows: tuple[dict[str, Any], ...] | None = None
    errors: tuple[InputError, ...] = ()


@dataclass(frozen=True)
class ReviewJob:
    """What one review works on, fixed before the first case is read."""

    archive: Path
    out: Path
    settings: ReviewSettings
    rules: Mapping[str, Any]
    sheet: ScoreSheet
    entries: tuple[CaseEntry, ...]
    register: Register
    started: float


# ---------------------------------------------------------------------------------------------
# the whole archive
# ---------------------------------------------------------------------------------------------

def review_archive(archive: Path, out: Path, settings: ReviewSettings = ReviewSettings()) -> ReviewSummary:
    """Review every case of ``archive`` into ``out`` (see the module docstring for resume)."""
    started = time.perf_counter()
    if settings.month is not None:
        require_month(settings.month)
    if settings.review_date is not None:
        require_date(settings.review_date)
    archive = Path(archive)
    if not archive.is_dir():
        raise AnjuanError("E100", path=str(archive))
    out = Path(out)
    if _inside(out, archive):
        raise AnjuanError("E100", path=f"{out}（输出目录不能位于案卷目录内，以免改动原始案卷）")
    out.mkdir(parents=True, exist_ok=True)

    rules = load_rules(settings.rules_path)
    if settings.limits is None:
        settings = replace(settings, limits=ReadLimits())
    job = ReviewJob(archive=archive, out=out, settings=settings, rules=rules, sheet=load_sheet(_sheet_path(rules)),
                    entries=tuple(list_cases(archive)), register=_read_archive_register(archive),
                    started=started)
    store = Store.open(settings.db_path) if settings.db_path is not None else None
    try:
        return _review(job, store)
    finally:
        if store is not None:
            store.close()


def _read_archive_register(archive: Path) -> Register:
    path = find_register(archive)
    if path is None:
        return Register()
    rows, errors = read_register(path)
    return Register(path=path, rows=tuple(dict(r.values, _row=r.row) for r in rows), errors=tuple(errors))


def _read_all(job: ReviewJob, store: Store | None) -> tuple[list[ReadResult], int]:
    """Every case read (or taken from the database when its fingerprint is unchanged), in entry
    order; and how many were read now."""
    entries, settings = job.entries, job.settings
    results: list[ReadResult | None] = [None] * len(entries)
    to_read = list(range(len(entries)))
    fingerprints: list[str] = []
    archive_key = str(job.archive.resolve())
    if store is not None:
        key = code_key(settings.limits)
        fingerprints = [case_fingerprint(job.archive, e, key, settings.limits) for e in entries]
        to_read = []
        stored = {} if settings.fresh else store.case_fingerprints(archive_key)
        for i, e in enumerate(entries):
            src = db_key(e.source)
            blob = (store.load_case_result(archive_key, src, fingerprints[i])
                    if stored.get(src, ("",))[0] == fingerprints[i] else None)
            if blob is not None:
                try:
                    results[i] = decode_result(blob)
                    continue
                except Exception:  # noqa: BLE001 - an unreadable blob is simply read again
                    pass
            to_read.append(i)
        store.forget_case_results(archive_key, keep=[db_key(e.source) for e in entries])
    pending = [entries[i] for i in to_read]
    with _progress(settings, len(pending), "读取案卷") as tick:
        for j, blob in iter_reads(job.archive, pending, settings.worker_config(), settings.jobs):
            i = to_read[j]
            result = decode_result(blob)
            if store is not None and result[2] is None:  # a crash (E900) is not kept: retried next time
                store.save_case_result(archive_key, db_key(entries[i].source), fingerprints[i], blob)
            results[i] = result
            tick()
    return [r if r is not None else (None, None, None) for r in results], len(to_read)


@contextlib.contextmanager
def _progress(settings: ReviewSettings, length: int, label: str) -> Iterator[Callable[[], None]]:
    """A progress bar on the terminal (stderr) for ``length`` steps, or nothing when the output is not
    a terminal (set ANJUAN_PROGRESS to force it); yields the function that advances it by one."""
    if not (settings.progress and length and (sys.stderr.isatty() or os.environ.get("ANJUAN_PROGRESS"))):
        yield lambda: None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield lambda: bar.update(1)


def _review(job: ReviewJob, store: Store | None) -> ReviewSummary:
    settings, rules, sheet = job.settings, job.rules, job.sheet
    register_rows = list(job.register.rows) if job.register.rows is not None else None

    # read, type, extract, assemble (parallel); cases stored with the same fingerprint are reused
    t_read = time.perf_counter()
    read_results, n_read = _read_all(job, store)
    read = list(zip(job.entries, read_results))
    t_read = time.perf_counter() - t_read

    casefiles = [r[1] for r in read_results if r[1] is not None]
    month = settings.month or _infer_month(casefiles)
    review_date = settings.review_date or first_day(next_month(month)).isoformat()
    if register_rows is not None:
        register_index = RegisterIndex.of(register_rows)
        casefiles = [attach_register(c, register_index) for c in casefiles]
    if store is not None:  # reviewers' field corrections (anjuan serve) come before the checks
        casefiles = apply_corrections(casefiles, load_corrections(store.conn))
    checked = {c.case_id: c for c in casefiles}  # with the corrections: what cases.jsonl reports

    history: list[Any] = []
    decisions: dict[tuple[str, str], Any] = {}
    digests = digests_for(casefiles)
    superseded: list[str] = []
    if store is not None:
        by_id = {c.case_id for c in casefiles}
        earlier = store.load_digests(before_month=month)
        superseded = superseded_ids(digests, earlier + store.digests_of_month(month))
        history = [d for d in earlier if d.case_id not in by_id and d.case_id not in superseded]
        decisions = store.decisions()
    ctx = CheckContext(rules=rules, calendar=calendar_from_rules(rules), review_date=review_date,
                       register_rows=register_rows, history=history, digests=digests)

    # checks: single-file, then cross-case over this month and the months kept in the database
    t_checks = time.perf_counter()
    errors_of = {cf.case_id: ci.errors for _e, (ci, cf, _c) in read if cf is not None and ci is not None}
    outcomes = {c.case_id: run_case_checks(c, ctx, debug=settings.debug, read_errors=errors_of.get(c.case_id, ()))
                for c in casefiles}
    single = {c.case_id: mark_low_confidence(c, list(outcomes[c.case_id].findings), ctx) for c in casefiles}
    cross = run_cross_checks(casefiles, ctx, debug=settings.debug)
    t_checks = time.perf_counter() - t_checks

    # results, in case-id order; the points the checks could not verify go to CaseResult.unverified
    results: list[CaseResult] = []
    for entry, result in read:
        checked_result = (result[0], checked.get(entry.case_id, result[1]), result[2])  # with corrections
        case_result = _case_result(entry, checked_result, single.get(entry.case_id, []),
                                   list(cross[entry.case_id].findings) if entry.case_id in cross else [],
                                   sheet, decisions)
        points = [u for o in (outcomes.get(entry.case_id), cross.get(entry.case_id)) if o for u in o.unverified]
        results.append(replace(case_result, unverified=tuple(sorted(points, key=lambda u: u.check_id))))
    entry_ids = {e.case_id for e in job.entries}
    orphan = {cid: list(o.findings) for cid, o in cross.items() if cid not in entry_ids}

    # write: everything goes to a staging folder first, then moves into place file by file
    staging = job.out / STAGING_DIR
    if staging.exists():
        shutil.rmtree(staging)  # left by a run killed while writing
    staging.mkdir()
    with (staging / "cases.jsonl").open("w", encoding="utf-8", newline="\n") as fh:
        for r in results:
            fh.write(r.to_json() + "\n")
    outputs = ["cases.jsonl", "summary.json"]
    conn = store.conn if store is not None else _memory_db()
    try:
        if settings.write_documents:
            steps = 1 + sum(1 for r in results if r.status != "error") + 3  # workbook, opinions, letters, month
            with _progress(settings, steps, "写出文书") as tick:
                outputs += _write_documents(staging, results, sheet, settings, review_date, tick,
                                                    ctx.calendar)
                outputs += _write_month(staging, results, month, review_date, conn, store, rules, settings,
                                        decisions)
                for _ in range(3):
                    tick()
        if store is not None:
            run_id = store.start_run(archive=job.archive.name, month=month, version=__version__,
                                     settings_hash=hashlib.sha256(dumps(rules).encode("utf-8")).hexdigest())
            store.delete_digests(superseded)  # the same case reviewed again under another id: replaced
            store.save_digests(month, digests, run_id)
            if register_rows is not None:
                store.save_register_counts(closed_counts(register_rows))
            store.finish_run(run_id, {"cases": len(results)})
    finally:
        if store is None:
            conn.close()

    elapsed = time.perf_counter() - job.started
    summary = build_summary(job.archive, job.out, results, orphan, job.register.path, job.register.errors,
                            settings, rules, sheet, month, review_date, outputs,
                            {"total_s": round(elapsed, 3), "read_extract_s": round(t_read, 3),
                             "checks_s": round(t_checks, 3), "cases_read": n_read,
                             "cases_reused": len(job.entries) - n_read})
    if superseded:
        summary["replaced_cases"] = superseded
    notice = calendar_notice(ctx.calendar, month, review_date)
    if notice:
        summary["calendar_notice"] = notice
    (staging / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, sort_keys=True, indent=2) + "\n",
        encoding="utf-8", newline="\n")
    _publish(staging, job.out)
    return ReviewSummary(out=job.out, data=summary)


def _publish(staging: Path, out: Path) -> None:
    """Move every file of ``staging`` to the same place under ``out`` (``os.replace``: each file
    appears complete or not at all), ``summary.json`` last, then remove ``staging``."""
    files = sorted((p for p in staging.rglob("*") if p.is_file()),
                   key=lambda p: (p.relative_to(staging).as_posix() == "summary.json",
                                  p.relative_to(staging).as_posix()))
    for src in files:
        dest = out / src.relative_to(staging)
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dest)
        except OSError as exc:
            raise AnjuanError("E404", path=str(dest), detail=f"{type(exc).__name__}: {exc}") from exc
    shutil.rmtree(staging, ignore_errors=True)


def mark_low_confidence(case: CaseFile, findings: list[Finding], ctx: Any) -> list[Finding]:
    """A finding whose evidence quotes a field read from a scan below the confidence bar says so
    (「需人工核对」): an OCR reading is never used silently to fail a case."""
    bar = float(ctx.params("OCR-01").get("confidence_bar", 0.85))
    weak = low_confidence_quotes(case, bar)
    if not weak:
        return findings
    out = []
    for f in findings:
        if f.check_id != "OCR-01" and any((e.document, e.quote) in weak for e in f.evidence):
            f = replace(f, message=f.message + "（需人工核对：所依据的要素取自扫描件，识别置信度较低）")
        out.append(f)
    return out


def _case_result(entry: CaseEntry, read: ReadResult, findings: list[Finding], cross_findings: list[Finding],
                 sheet: ScoreSheet, decisions: Mapping[tuple[str, str], Any]) -> CaseResult:
    case_input, casefile, crash = read
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
    score = score_case(fields, all_findings, sheet, decisions=decisions, case_id=entry.case_id,
                       documents=[d.doc_type for d in documents], error_codes=[e.code for e in errors])
    if not documents:
        status = "error"
    elif errors:
        status = "partial"
    else:
        status = "ok"
    provenance: dict[str, Any] = {"fields": field_provenance(casefile)} if casefile is not None else {}
    if case_input is not None and case_input.files:
        provenance["files"] = list(case_input.files)
    return CaseResult(case_id=entry.case_id, source=display_path(entry.source)[0], status=status,
                      documents=tuple(documents), fields=fields, findings=all_findings, score=score,
                      errors=tuple(errors), provenance=provenance)


_SEV_ORDER = {"veto": 0, "major": 1, "minor": 2, "info": 3}


def _finding_key(f: Finding) -> tuple[Any, ...]:
    return (_SEV_ORDER.get(f.severity, 9), f.check_id, f.message)


def _write_documents(out: Path, results: Sequence[CaseResult], sheet: ScoreSheet, settings: ReviewSettings,
                     review_date: str, tick: Callable[[], None] = lambda: None,
                     calendar: WorkCalendar | None = None) -> list[str]:
    """评查评分表.xlsx and one 评查意见书 per case (numbered in case-id order); ``tick`` after each file;
    reply deadlines on the run's ``calendar``."""
    written = []
    write_workbook(out / "评查评分表.xlsx", results, title="案卷评查评分表", sheet=sheet)
    written.append("评查评分表.xlsx")
    tick()
    op_dir = out / "评查意见书"
    op_dir.mkdir(exist_ok=True)
    number = 0
    for r in results:
        if r.status == "error":
            continue
        number += 1
        opinion_settings = {"issue_date": review_date, "score_sheet": sheet,
                            "opinion_number": number, "opinion_year": int(review_date[:4]),
                            "calendar": calendar}
        render_opinion(r, settings=opinion_settings, out_path=op_dir / f"{_safe_name(r.case_id)}.docx",
                       templates_dir=settings.templates_dir)
        tick()
    written.append("评查意见书/")
    return written


def _write_month(out: Path, results: Sequence[CaseResult], month: str, review_date: str,
                 conn: sqlite3.Connection, store: Store | None, rules: Mapping[str, Any],
                 settings: ReviewSettings, decisions: Mapping[tuple[str, str], Any]) -> list[str]:
    """两单两书 (drafted, issued, escalated in the database), 讲评会材料 and 月通报."""
    written = []
    lsettings = letter_settings(settings.letters_path)
    month_letters = run_month(conn, results, month, review_date, settings=lsettings, calendar=build_calendar(rules),
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

    previous = store.month_view(previous_month(month)) if store is not None else None
    view = month_view(results, month=month, letters=month_counts(conn, month), previous=previous,
                      issue_date=review_date)
    write_meeting_material(view, out, templates_dir=settings.templates_dir)
    write_bulletin(view, out / "月通报.docx", templates_dir=settings.templates_dir)
    if store is not None:
        store.save_month_view(month, view)
    written += ["讲评会材料.docx", "讲评会材料.html", "月通报.docx"]
    return written


def _memory_db() -> sqlite3.Connection:
    """An in-memory database for a review without --db (letters are numbered within the run)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    ensure_schema(conn)
    return conn


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------

def superseded_ids(current: Sequence[CaseDigest], stored: Sequence[CaseDigest]) -> list[str]:
    """The stored cases this review's cases replace: the same canonical case number (and, where
    both name one, a compatible party) under another case id — an archive reviewed again with new
    folder names is the same cases, never new ones."""
    by_key: dict[str, list[CaseDigest]] = {}
    for d in current:
        key = case_key(d.case_number)
        if key:
            by_key.setdefault(key, []).append(d)
    ids = {d.case_id for d in current}
    out = set()
    for old in stored:
        if old.case_id in ids:
            continue
        for new in by_key.get(case_key(old.case_number), ()):
            if not (old.party_name and new.party_name) or names_match(old.party_name, new.party_name):
                out.add(old.case_id)
    return sorted(out)


def attach_register(case: CaseFile, index: RegisterIndex) -> CaseFile:
    """The case with its row of the 台账, when one matches (one canonical case-number key)."""
    row = match_register_row(case.value("case_number"), case.case_id, index)
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


__all__ = ["Register", "ReviewJob", "ReviewSettings", "ReviewSummary", "STAGING_DIR", "attach_register",
           "mark_low_confidence", "review_archive"]
