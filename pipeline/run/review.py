"""Orchestration of a review: read → type → extract → assemble → check → score → write.

This is the library behind ``anjuan review``. Only this module (and the other ``pipeline``
modules) touches files; the stages it calls are pure.

Parallelism uses a ``spawn`` process pool (works on Windows); each worker reads, types, extracts
and assembles one case at a time and returns it serialised (pickle protocol 5, zlib). At most
``2 × jobs`` cases are in flight and a worker is replaced after ``max_tasks_per_child`` cases, so
memory stays bounded on big archives. A worker that dies (a crash in a native reader) breaks the
pool: the pool is rebuilt and the cases that were in flight are retried one at a time, so the
case that kills a worker alone gets an E900 error and the batch goes on.

Resume and incremental runs (with a database, ``--db``): before reading, each case gets a
fingerprint — sha256 over its file names and contents (as the reader will see them: symlinks,
unreadable and special files included) and over the code and settings that read them (the source
of ``pipeline/`` and ``extractors/`` with their data files, library versions, ``ReadLimits``).
Each case read is committed to the ``case_results`` table as it arrives; a case whose stored
fingerprint is equal is taken from the table instead of being read again. A run killed at any
point and started again therefore reads only the cases not yet stored. Single-file and cross-case
checks, scoring and writing always run on the whole month after all cases are in, in case-id
order, so the outputs are identical to those of an uninterrupted run. ``ReviewSettings.fresh``
ignores the stored results (every case is read and stored again).

Outputs are written into a hidden staging folder inside ``--out`` and moved into place file by
file with ``os.replace``; ``summary.json`` is moved last. A run killed while writing leaves no
half-written file under its final name.
"""
from __future__ import annotations

import collections
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import pickle
import platform
import shutil
import sys
import time
import zlib
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from pipeline import __version__
from pipeline.core.models import (
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
    fresh: bool = False  # ignore the cases stored in the database: read every case again
    limits: Any = None  # pipeline.read.readers.ReadLimits (None: the defaults)
    max_tasks_per_child: int = 100  # a worker is replaced after this many cases (bounded memory)
    worker_memory_mb: int | None = None  # address-space cap per worker (POSIX only; None: none)


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


# ---------------------------------------------------------------------------------------------
# one case (runs in a worker process)
# ---------------------------------------------------------------------------------------------

_WORKER_STATE: dict[str, Any] = {}


def _worker_init(debug: bool, limits: Any = None, memory_mb: int | None = None,
                 ocr_threads: int | None = None) -> None:
    if memory_mb:
        _cap_memory(memory_mb)
    if ocr_threads and not os.environ.get("ANJUAN_OCR_THREADS"):
        os.environ["ANJUAN_OCR_THREADS"] = str(ocr_threads)  # N workers × 2 threads would oversubscribe
    _WORKER_STATE["debug"] = debug
    _WORKER_STATE["limits"] = limits


def _nlp() -> Any:
    """The worker's spaCy pipeline, built on its first case (kept for the worker's life)."""
    if "nlp" not in _WORKER_STATE:
        from extractors.nlp import build_nlp

        _WORKER_STATE["nlp"] = build_nlp()
    return _WORKER_STATE["nlp"]


def _cap_memory(memory_mb: int) -> None:
    """Cap this process's address space (POSIX); a case that needs more gets a MemoryError,
    which becomes that case's E900 error. No-op where ``resource`` is missing (Windows)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return
    limit = int(memory_mb) * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _read_one(root: str, entry: Any) -> tuple[Any, CaseFile]:
    """Read, type, extract and assemble one case (the expensive, parallel part)."""
    from extractors.assemble import assemble
    from extractors.fields import extract_document
    from pipeline.read.archive import read_case
    from pipeline.read.readers import ReadLimits

    case_input = read_case(Path(root), entry, limits=_WORKER_STATE.get("limits") or ReadLimits())
    from extractors.ocrconf import with_ocr_confidence

    nlp = _nlp()
    docfields = [with_ocr_confidence(extract_document(d, nlp)) for d in case_input.docs]
    return case_input, assemble(case_input, docfields, None)


def _read_one_safe(root: str, entry: Any) -> tuple[Any, CaseFile | None, InputError | None]:
    """A crash on one case becomes an E900 error for that case; the batch goes on."""
    try:
        case_input, casefile = _read_one(root, entry)
        return case_input, casefile, None
    except Exception as exc:  # noqa: BLE001 - isolation is the point (MemoryError included)
        if _WORKER_STATE.get("debug"):
            raise
        return None, None, _crash_error(entry, f"{type(exc).__name__}: {exc}")


def _crash_error(entry: Any, detail: str) -> InputError:
    from pipeline.read.archive import display_path
    from pipeline.core.errors import msg

    source = display_path(entry.source)[0]
    return InputError(source, "E900", msg("E900", path=source, detail=detail))


_BLOB_MAGIC = b"AJR1"


def encode_result(result: tuple[Any, CaseFile | None, InputError | None]) -> bytes:
    """One case's (CaseInput, CaseFile, crash) as bytes: pickle protocol 5, zlib-compressed.
    Only ever decoded by the same code (the code hash is part of the case fingerprint)."""
    return _BLOB_MAGIC + zlib.compress(pickle.dumps(result, protocol=5), 1)


def decode_result(blob: bytes) -> tuple[Any, CaseFile | None, InputError | None]:
    if not blob.startswith(_BLOB_MAGIC):
        raise ValueError("not an anjuan case result")
    return pickle.loads(zlib.decompress(blob[len(_BLOB_MAGIC):]))


def _read_one_blob(root: str, entry: Any) -> bytes:
    """The worker's task: one case read and serialised (so the parent can store it as is)."""
    return encode_result(_read_one_safe(root, entry))


def _iter_reads(root: Path, entries: Sequence[Any], settings: ReviewSettings,
                task: Callable[[str, Any], bytes] = _read_one_blob) -> Iterator[tuple[int, bytes]]:
    """(index into ``entries``, serialised result) for every entry, in completion order.

    ``task`` must be a module-level function (it is sent to spawned workers by reference).
    """
    if not entries:
        return
    jobs = settings.jobs or os.cpu_count() or 1
    jobs = max(1, min(jobs, len(entries)))
    # OCR threads per worker: the cores shared out among the workers (ANJUAN_OCR_THREADS wins)
    ocr_threads = max(1, (os.cpu_count() or 1) // max(jobs, 1))
    init_args = (settings.debug, settings.limits, settings.worker_memory_mb, ocr_threads)
    if jobs == 1:
        _worker_init(settings.debug, settings.limits, None)  # in-process: never cap the parent
        for i, entry in enumerate(entries):
            yield i, task(str(root), entry)
        return
    yield from _pool_reads(root, entries, settings, task, jobs, init_args)


def _pool_reads(root: Path, entries: Sequence[Any], settings: ReviewSettings,
                task: Callable[[str, Any], bytes], jobs: int, init_args: tuple[Any, ...]
                ) -> Iterator[tuple[int, bytes]]:
    ctx = multiprocessing.get_context("spawn")
    window = 2 * jobs  # cases in flight: never the whole archive at once
    todo = collections.deque(range(len(entries)))
    suspects: collections.deque[int] = collections.deque()  # in flight when a worker died
    pool: ProcessPoolExecutor | None = None
    inflight: dict[Future[bytes], int] = {}
    alone = False  # True while one suspect runs by itself
    successes = deaths = 0
    try:
        while todo or suspects or inflight:
            if pool is None:
                pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init,
                                           initargs=init_args,
                                           max_tasks_per_child=max(1, settings.max_tasks_per_child))
            if not inflight:
                alone = False
            # suspects run alone, so a worker death is attributed to exactly one case
            if suspects:
                if not inflight:
                    i = suspects.popleft()
                    inflight[pool.submit(task, str(root), entries[i])] = i
                    alone = True
            else:
                while todo and len(inflight) < window:
                    i = todo.popleft()
                    inflight[pool.submit(task, str(root), entries[i])] = i
            done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
            broken: list[int] = []
            for fut in sorted(done, key=lambda f: inflight[f]):
                i = inflight.pop(fut)
                try:
                    result = fut.result()
                except BrokenProcessPool:
                    broken.append(i)
                    continue
                successes += 1
                yield i, result
            if not broken:
                continue
            # every other future of a broken pool fails too: take them all back, rebuild the pool
            broken.extend(inflight.values())
            inflight.clear()
            pool.shutdown(wait=True, cancel_futures=True)
            pool = None
            if alone and len(broken) == 1:
                deaths += 1
                if successes == 0 and deaths >= 3:  # nothing ever came back: the pool itself fails
                    from pipeline.core.errors import AnjuanError

                    raise AnjuanError("E900", path=str(root), detail=(
                        "并行工作进程无法启动或反复意外退出；可改用 --jobs 1 重试"))
                yield broken[0], encode_result((None, None, _crash_error(
                    entries[broken[0]], "读取该案卷的工作进程意外退出（文件可能触发了读取组件的崩溃）")))
            else:
                suspects.extend(sorted(set(broken)))
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------------------------------------
# the whole archive
# ---------------------------------------------------------------------------------------------

def review_archive(archive: Path, out: Path, settings: ReviewSettings = ReviewSettings()) -> ReviewSummary:
    """Review every case of ``archive`` into ``out`` (see the module docstring for resume)."""
    from checks.rules import load_rules
    from pipeline.read.archive import find_register, list_cases
    from pipeline.core.errors import AnjuanError
    from pipeline.read.register import read_register
    from pipeline.supervise.scoring import load_sheet

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
    if settings.limits is None:
        from pipeline.read.readers import ReadLimits

        settings = replace(settings, limits=ReadLimits())

    # register (台账)
    register_path = find_register(archive)
    register_rows: list[dict[str, Any]] | None = None
    register_errors: list[InputError] = []
    if register_path is not None:
        rows, register_errors = read_register(register_path)
        register_rows = [dict(r.values, _row=r.row) for r in rows]

    store = None
    if settings.db_path is not None:
        from pipeline.store.db import Store

        store = Store.open(settings.db_path)
    try:
        return _review(archive, out, settings, started, rules, sheet, entries, register_path, register_rows,
                       register_errors, store)
    finally:
        if store is not None:
            store.close()


def _review(archive: Path, out: Path, settings: ReviewSettings, started: float, rules: Mapping[str, Any],
            sheet: Any, entries: Sequence[Any], register_path: Path | None,
            register_rows: list[dict[str, Any]] | None, register_errors: list[InputError],
            store: Any) -> ReviewSummary:
    from checks.registry import CheckContext, run_case_checks, run_cross_checks
    from checks.rules import calendar_from_rules
    from extractors.assemble import case_fields, field_provenance
    from pipeline.supervise.scoring import score_case

    # read, type, extract, assemble (parallel); cases stored with the same fingerprint are reused
    t_read = time.perf_counter()
    read_results: list[Any] = [None] * len(entries)
    to_read = list(range(len(entries)))
    fingerprints: list[str] = []
    archive_key = str(archive.resolve())
    if store is not None:
        key = code_key(settings.limits)
        fingerprints = [case_fingerprint(archive, e, key, settings.limits) for e in entries]
        to_read = []
        stored = {} if settings.fresh else store.case_fingerprints(archive_key)
        for i, e in enumerate(entries):
            src = _db_key(e.source)
            blob = (store.load_case_result(archive_key, src, fingerprints[i])
                    if stored.get(src, ("",))[0] == fingerprints[i] else None)
            if blob is not None:
                try:
                    read_results[i] = decode_result(blob)
                    continue
                except Exception:  # noqa: BLE001 - an unreadable blob is simply read again
                    pass
            to_read.append(i)
        store.forget_case_results(archive_key, keep=[_db_key(e.source) for e in entries])
    n_reused = len(entries) - len(to_read)
    pending = [entries[i] for i in to_read]
    iterator = _iter_reads(archive, pending, settings)
    bar = None
    if settings.progress and pending and (sys.stderr.isatty() or os.environ.get("ANJUAN_PROGRESS")):
        import click

        bar = click.progressbar(length=len(pending), label="评查案卷", file=sys.stderr)
        bar.__enter__()
    try:
        for j, blob in iterator:
            i = to_read[j]
            result = decode_result(blob)
            if store is not None and result[2] is None:  # a crash (E900) is not kept: retried next time
                store.save_case_result(archive_key, _db_key(entries[i].source), fingerprints[i], blob)
            read_results[i] = result
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    read = list(zip(entries, read_results))
    t_read = time.perf_counter() - t_read

    casefiles = [r[1][1] for r in read if r[1][1] is not None]
    month = settings.month or _infer_month(casefiles)
    review_date = settings.review_date or _first_of_next_month(month)
    if register_rows is not None:
        casefiles = [_attach_register(c, register_rows) for c in casefiles]
    if store is not None:  # reviewers' field corrections (anjuan serve) come before the checks
        from pipeline.store.corrections import load_corrections
        from pipeline.supervise.corrections import apply_corrections

        casefiles = apply_corrections(casefiles, load_corrections(store.conn))
    by_id = {c.case_id: c for c in casefiles}

    history: list[Any] = []
    decisions: dict[tuple[str, str], Any] = {}
    if store is not None:
        history = [d for d in store.load_digests(before_month=month) if d.case_id not in by_id]
        decisions = store.decisions()
    ctx = CheckContext(rules=rules, calendar=calendar_from_rules(rules), review_date=review_date,
                       register_rows=register_rows, history=history)

    # checks: single-file, then cross-case over this month and the months kept in the database
    t_checks = time.perf_counter()
    single = {c.case_id: mark_low_confidence(c, run_case_checks(c, ctx, debug=settings.debug), ctx)
              for c in casefiles}
    cross = run_cross_checks(casefiles, ctx, debug=settings.debug)
    t_checks = time.perf_counter() - t_checks

    # results, in case-id order
    results: list[CaseResult] = []
    for entry, (case_input, casefile, crash) in read:
        casefile = by_id.get(entry.case_id, casefile)  # as checked: with the reviewers' corrections
        results.append(_case_result(entry, case_input, casefile, single.get(entry.case_id, []),
                                    cross.get(entry.case_id, []), crash, sheet, score_case,
                                    case_fields, field_provenance, decisions))
    entry_ids = {e.case_id for e in entries}
    orphan = {cid: fs for cid, fs in cross.items() if cid not in entry_ids}

    # write: everything goes to a staging folder first, then moves into place file by file
    staging = out / STAGING_DIR
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
            outputs += _write_documents(staging, results, sheet, settings, review_date, decisions)
            outputs += _write_month(staging, results, month, review_date, conn, store, rules, settings,
                                    decisions)
        if store is not None:
            from checks.cross import digests_for

            run_id = store.start_run(archive=archive.name, month=month, version=__version__,
                                     settings_hash=hashlib.sha256(dumps(rules).encode("utf-8")).hexdigest())
            store.save_digests(month, digests_for(casefiles), run_id)
            if register_rows is not None:
                store.save_register_counts(_closed_counts(register_rows))
            store.finish_run(run_id, {"cases": len(results)})
    finally:
        if store is None:
            conn.close()

    elapsed = time.perf_counter() - started
    summary = _summary(archive, out, results, orphan, register_path, register_errors, settings, rules, sheet,
                       month, review_date, outputs,
                       {"total_s": round(elapsed, 3), "read_extract_s": round(t_read, 3),
                        "checks_s": round(t_checks, 3), "cases_read": len(to_read),
                        "cases_reused": n_reused})
    (staging / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, sort_keys=True, indent=2) + "\n",
        encoding="utf-8", newline="\n")
    _publish(staging, out)
    return ReviewSummary(out=out, data=summary)


STAGING_DIR = ".anjuan-staging"


def _publish(staging: Path, out: Path) -> None:
    """Move every file of ``staging`` to the same place under ``out`` (``os.replace``: each file
    appears complete or not at all), ``summary.json`` last, then remove ``staging``."""
    from pipeline.core.errors import AnjuanError

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


# ---------------------------------------------------------------------------------------------
# fingerprints of cases (what makes a stored result reusable)
# ---------------------------------------------------------------------------------------------

_CODE_PACKAGES = ("pipeline", "extractors")
_CODE_SUFFIXES = frozenset({".py", ".yaml", ".yml", ".json", ".jsonl", ".txt"})
_CODE_KEYS: dict[str, str] = {}


def code_key(limits: Any) -> str:
    """sha256 over what turns files into a stored result: the source and data files of
    ``pipeline/`` and ``extractors/``, the versions of Python and the reading libraries, the pickle
    protocol and the reading limits. Any change there makes every stored result stale."""
    cache_key = repr(limits)
    if cache_key in _CODE_KEYS:
        return _CODE_KEYS[cache_key]
    import importlib

    h = hashlib.sha256()
    for pkg in _CODE_PACKAGES:
        folder = Path(importlib.import_module(pkg).__file__).resolve().parent
        for p in sorted(folder.rglob("*")):
            if p.is_file() and p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts:
                rel = p.relative_to(folder.parent).as_posix()
                h.update(rel.encode("utf-8") + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    versions = [__version__, platform.python_version(), str(pickle.HIGHEST_PROTOCOL), _BLOB_MAGIC.decode()]
    for mod in ("docx", "pypdfium2", "pdfplumber", "spacy", "PIL", "lxml"):
        try:
            m = importlib.import_module(mod)
            versions.append(f"{mod}={getattr(m, '__version__', getattr(m, 'V_PYPDFIUM2', '?'))}")
        except Exception:  # noqa: BLE001
            versions.append(f"{mod}=none")
    h.update("|".join(versions).encode("utf-8"))
    h.update(repr(limits).encode("utf-8"))
    _CODE_KEYS[cache_key] = h.hexdigest()
    return _CODE_KEYS[cache_key]


def case_fingerprint(root: Path, entry: Any, key: str, limits: Any) -> str:
    """sha256 of one case's inputs as the reader will meet them, plus ``key`` (``code_key``).

    Every path below the case (sorted, as ``read_case`` walks it) with: the content hash of a
    regular file (size and mtime only above ``limits.max_file_bytes``, which is not read anyway),
    the target of a symlink and what it points at, or what kept it from being opened (permission,
    special file, unlistable folder).
    """
    from pipeline.read.archive import _walk

    root = Path(root)
    real_root = root.resolve()
    h = hashlib.sha256()
    h.update(key.encode("ascii"))
    for source, kind in entry.sources():
        h.update(_bytes_of(f"{entry.case_id}\0{source}\0{kind}"))
        top = root / source
        if kind == "folder":
            unlistable: list[Path] = []
            paths = list(_walk(top, unlistable))
        else:
            unlistable, paths = [], [top]
        for p in paths:
            h.update(b"\1" + _bytes_of(p.relative_to(root).as_posix()) + b"\0")
            h.update(_describe(p, real_root, limits).encode("utf-8"))
        for p in unlistable:
            h.update(b"\2" + _bytes_of(p.relative_to(root).as_posix()))
    return h.hexdigest()


def _bytes_of(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def _describe(p: Path, real_root: Path, limits: Any) -> str:
    import stat as stat_mod

    parts = []
    if p.is_symlink():
        try:
            target = p.resolve(strict=True)
        except (OSError, RuntimeError):
            return "link:broken"
        try:
            target.relative_to(real_root)
        except ValueError:
            return "link:outside"
        parts.append("link:" + target.relative_to(real_root).as_posix())
    try:
        st = p.stat()
    except PermissionError:
        return "|".join(parts + ["noperm"])
    except OSError as exc:
        return "|".join(parts + [f"oserror:{type(exc).__name__}"])
    if stat_mod.S_ISDIR(st.st_mode):
        return "|".join(parts + ["dir"])
    if not stat_mod.S_ISREG(st.st_mode):
        return "|".join(parts + ["special"])
    if st.st_size > limits.max_file_bytes:
        return "|".join(parts + [f"big:{st.st_size}:{st.st_mtime_ns}"])
    h = hashlib.sha256()
    try:
        with p.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except PermissionError:
        return "|".join(parts + ["noperm"])
    except OSError as exc:
        return "|".join(parts + [f"oserror:{type(exc).__name__}"])
    return "|".join(parts + [f"sha256:{h.hexdigest()}"])


def _db_key(source: str) -> str:
    """A case's top-level name as database text (an undecodable name keeps its bytes as \\xNN)."""
    return source.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def mark_low_confidence(case: CaseFile, findings: list[Finding], ctx: Any) -> list[Finding]:
    """A finding whose evidence quotes a field read from a scan below the confidence bar says so
    (「需人工核对」): an OCR reading is never used silently to fail a case."""
    from checks.ocr import low_confidence_quotes

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
    from pipeline.read.archive import display_path

    return CaseResult(case_id=entry.case_id, source=display_path(entry.source)[0], status=status, documents=tuple(documents),
                      fields=fields, findings=all_findings, score=score, errors=tuple(errors),
                      provenance=provenance)


_SEV_ORDER = {"veto": 0, "major": 1, "minor": 2, "info": 3}


def _finding_key(f: Finding) -> tuple[Any, ...]:
    return (_SEV_ORDER.get(f.severity, 9), f.check_id, f.message)


def _write_documents(out: Path, results: Sequence[CaseResult], sheet: Any, settings: ReviewSettings,
                     review_date: str, decisions: Mapping[tuple[str, str], Any]) -> list[str]:
    """评查评分表.xlsx and one 评查意见书 per case (numbered in case-id order)."""
    from pipeline.write.opinion import render_opinion
    from pipeline.write.workbook import write_workbook

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
    from pipeline.store.letterdb import list_letters, month_counts, run_month
    from pipeline.write.letterdocs import letter_filename, render_letter
    from pipeline.supervise.letters import load_settings as letter_settings
    from pipeline.write.meeting import month_view, write_bulletin, write_meeting_material

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

    from pipeline.store.letterdb import ensure_schema

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
    from pipeline.read.archive import CaseEntry, read_case

    path = Path(path)
    entry = CaseEntry(case_id=path.stem, source=path.name, kind=path.suffix.lower().lstrip("."))
    case_input = read_case(path.parent, entry)
    from extractors.ocrconf import with_ocr_confidence

    nlp = build_nlp()
    docfields = [with_ocr_confidence(extract_document(d, nlp)) for d in case_input.docs]
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


def generate_corpus(n: int, month: str, seed: int, out: Path, *, scanned_fraction: float = 0.0) -> dict[str, Any]:
    from corpus.generator import generate_cases, register_rows
    from corpus.writer import write_corpus

    cases = generate_cases(n, month, seed, scanned_fraction=scanned_fraction)
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
