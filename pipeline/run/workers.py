"""The parallel part of a review: read, type, extract and assemble one case per task.

Parallelism uses a ``spawn`` process pool (works on Windows). Every task gets the run's
``WorkerConfig`` (a small frozen record, also given to the pool initializer for the process-wide
settings: the memory cap and the OCR threads); a worker keeps nothing else but its spaCy pipeline,
built on its first case. A task returns its case serialised (pickle protocol 5, zlib).

At most ``2 × jobs`` cases are in flight and a worker is replaced after ``max_tasks_per_child``
cases, so memory stays bounded on big archives. A worker that dies (a crash in a native reader)
breaks the pool: the pool is rebuilt and the cases that were in flight are retried one at a time,
so the case that kills a worker alone gets an E900 error and the batch goes on.
"""
from __future__ import annotations

import collections
import functools
import multiprocessing
import os
import pickle
import zlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from extractors.assemble import assemble
from extractors.fields import extract_document
from extractors.nlp import build_nlp
from extractors.ocrconf import with_ocr_confidence
from pipeline.core.errors import AnjuanError, msg
from pipeline.core.models import CaseFile, CaseInput, InputError
from pipeline.read.archive import CaseEntry, display_path, read_case
from pipeline.read.readers import ReadLimits

BLOB_MAGIC = b"AJR1"

# (CaseInput, CaseFile, crash): what reading one case gives; a crash leaves the first two None
ReadResult = tuple[CaseInput | None, CaseFile | None, InputError | None]


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    """What every worker needs to know, the same for the whole run."""

    debug: bool = False
    limits: ReadLimits | None = None  # None: the defaults
    memory_mb: int | None = None  # address-space cap per worker (POSIX only)
    ocr_threads: int | None = None  # OCR threads per worker (ANJUAN_OCR_THREADS wins)
    max_tasks_per_child: int = 100  # a worker is replaced after this many cases


# A task reads one case: ``task(config, root, entry) -> bytes``. It must be a module-level function
# (spawned workers find it by name).
Task = Callable[[WorkerConfig, str, CaseEntry], bytes]


def init_worker(config: WorkerConfig) -> None:
    """The pool initializer: the process-wide settings of a worker."""
    if config.memory_mb:
        _cap_memory(config.memory_mb)
    if config.ocr_threads and not os.environ.get("ANJUAN_OCR_THREADS"):
        os.environ["ANJUAN_OCR_THREADS"] = str(config.ocr_threads)  # N workers × 2 threads would oversubscribe


def _cap_memory(memory_mb: int) -> None:
    """Cap this process's address space (POSIX); a case that needs more gets a MemoryError,
    which becomes that case's E900 error. No-op where ``resource`` is missing (Windows)."""
    try:
        import resource  # POSIX only
    except ImportError:  # pragma: no cover - Windows
        return
    limit = int(memory_mb) * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


@functools.lru_cache(maxsize=1)
def _nlp() -> Any:
    """The worker's spaCy pipeline, built on its first case (kept for the worker's life)."""
    return build_nlp()


def read_one(config: WorkerConfig, root: str, entry: CaseEntry) -> tuple[CaseInput, CaseFile]:
    """Read, type, extract and assemble one case (the expensive, parallel part)."""
    case_input = read_case(Path(root), entry, limits=config.limits or ReadLimits())
    nlp = _nlp()
    docfields = [with_ocr_confidence(extract_document(d, nlp)) for d in case_input.docs]
    return case_input, assemble(case_input, docfields, None)


def crash_error(entry: CaseEntry, detail: str) -> InputError:
    """The E900 error of a case whose reading crashed."""
    source = display_path(entry.source)[0]
    return InputError(source, "E900", msg("E900", path=source, detail=detail))


def read_one_safe(config: WorkerConfig, root: str, entry: CaseEntry) -> ReadResult:
    """A crash on one case becomes an E900 error for that case; the batch goes on."""
    try:
        case_input, casefile = read_one(config, root, entry)
        return case_input, casefile, None
    except Exception as exc:  # noqa: BLE001 - isolation is the point (MemoryError included)
        if config.debug:
            raise
        return None, None, crash_error(entry, f"{type(exc).__name__}: {exc}")


def encode_result(result: ReadResult | tuple[Any, Any, Any]) -> bytes:
    """One case's (CaseInput, CaseFile, crash) as bytes: pickle protocol 5, zlib-compressed.
    Only ever decoded by the same code (the code hash is part of the case fingerprint)."""
    return BLOB_MAGIC + zlib.compress(pickle.dumps(result, protocol=5), 1)


def decode_result(blob: bytes) -> ReadResult:
    if not blob.startswith(BLOB_MAGIC):
        raise ValueError("not an anjuan case result")
    result: ReadResult = pickle.loads(zlib.decompress(blob[len(BLOB_MAGIC):]))
    return result


def read_one_blob(config: WorkerConfig, root: str, entry: CaseEntry) -> bytes:
    """The worker's task: one case read and serialised (so the parent can store it as is)."""
    return encode_result(read_one_safe(config, root, entry))


def iter_reads(root: Path, entries: Sequence[CaseEntry], config: WorkerConfig, jobs: int,
               task: Task = read_one_blob) -> Iterator[tuple[int, bytes]]:
    """(index into ``entries``, serialised result) for every entry, in completion order.

    ``jobs`` 0 means one per core. With one job the cases are read in this process (never capped)."""
    if not entries:
        return
    jobs = jobs or os.cpu_count() or 1
    jobs = max(1, min(jobs, len(entries)))
    if jobs == 1:
        init_worker(replace(config, memory_mb=None, ocr_threads=None))
        for i, entry in enumerate(entries):
            yield i, task(config, str(root), entry)
        return
    # OCR threads per worker: the cores shared out among the workers
    config = replace(config, ocr_threads=max(1, (os.cpu_count() or 1) // jobs))
    yield from pool_reads(root, entries, config, task, jobs)


def pool_reads(root: Path, entries: Sequence[CaseEntry], config: WorkerConfig, task: Task, jobs: int
               ) -> Iterator[tuple[int, bytes]]:
    """``iter_reads`` over a spawn pool of ``jobs`` workers (see the module docstring)."""
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
                pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=init_worker,
                                           initargs=(config,),
                                           max_tasks_per_child=max(1, config.max_tasks_per_child))
            if not inflight:
                alone = False
            # suspects run alone, so a worker death is attributed to exactly one case
            if suspects:
                if not inflight:
                    i = suspects.popleft()
                    inflight[pool.submit(task, config, str(root), entries[i])] = i
                    alone = True
            else:
                while todo and len(inflight) < window:
                    i = todo.popleft()
                    inflight[pool.submit(task, config, str(root), entries[i])] = i
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
                    raise AnjuanError("E900", path=str(root), detail=(
                        "并行工作进程无法启动或反复意外退出；可改用 --jobs 1 重试"))
                yield broken[0], encode_result((None, None, crash_error(
                    entries[broken[0]], "读取该案卷的工作进程意外退出（文件可能触发了读取组件的崩溃）")))
            else:
                suspects.extend(sorted(set(broken)))
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


__all__ = ["BLOB_MAGIC", "ReadResult", "Task", "WorkerConfig", "crash_error", "decode_result", "encode_result",
           "init_worker", "iter_reads", "pool_reads", "read_one", "read_one_blob", "read_one_safe"]
