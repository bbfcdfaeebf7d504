"""The process pool of ``anjuan review --jobs N``: same output as one job, bounded work in flight,
and a worker that dies takes only its own case down (E900), the batch goes on."""
from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

import pipeline.run.workers as run
from pipeline.read.archive import CaseEntry
from pipeline.run.workers import WorkerConfig, decode_result, encode_result

ENTRIES = [CaseEntry(case_id=f"P{i:03d}", source=f"P{i:03d}.pdf", kind="pdf") for i in range(12)]


# --- tasks (module level: spawned workers import them by name) -------------------------------------

def ok_task(config: WorkerConfig, root: str, entry: CaseEntry) -> bytes:
    return encode_result((entry.case_id, None, None))


def dying_task(config: WorkerConfig, root: str, entry: CaseEntry) -> bytes:
    """Kills its worker process on case P002, as a crash in a native reader would; on case
    P001 tries to allocate 2 GB, which the worker's memory cap turns into a MemoryError."""
    if entry.case_id == "P002":
        os._exit(3)
    if entry.case_id == "P001":
        try:
            bytearray(2 * 1024 ** 3)
        except MemoryError:
            return encode_result((None, None, run.crash_error(entry, "MemoryError")))
    return ok_task(config, root, entry)


# --- a pool that runs in threads, to watch the scheduling ---------------------------------------------

class ThreadPool(ThreadPoolExecutor):
    created = 0
    submitted = 0
    collected = 0
    max_in_flight = 0
    lock = threading.Lock()

    def __init__(self, max_workers, mp_context=None, initializer=None, initargs=(), max_tasks_per_child=None):
        type(self).created += 1
        super().__init__(max_workers=max_workers)

    def submit(self, fn, *args):
        cls = type(self)
        with cls.lock:
            cls.submitted += 1
            cls.max_in_flight = max(cls.max_in_flight, cls.submitted - cls.collected)
        return super().submit(fn, *args)


def slow_task(config: WorkerConfig, root: str, entry: CaseEntry) -> bytes:
    time.sleep(0.005)
    return ok_task(config, root, entry)


def broken_task(config: WorkerConfig, root: str, entry: CaseEntry) -> bytes:
    if entry.case_id == "P005":
        raise BrokenProcessPool("worker died")
    return slow_task(config, root, entry)


def _collect(gen) -> dict[int, tuple]:
    out = {}
    for i, blob in gen:
        ThreadPool.collected += 1
        out[i] = decode_result(blob)
    return out


@pytest.fixture()
def thread_pool(monkeypatch: pytest.MonkeyPatch) -> type[ThreadPool]:
    monkeypatch.setattr(run, "ProcessPoolExecutor", ThreadPool)
    for k in ("created", "submitted", "collected", "max_in_flight"):
        setattr(ThreadPool, k, 0)
    return ThreadPool


def test_parallel_in_flight_is_bounded(thread_pool: type[ThreadPool]) -> None:
    got = _collect(run.pool_reads(Path("."), ENTRIES, WorkerConfig(), slow_task, 2))
    assert sorted(got) == list(range(12))
    assert [got[i][0] for i in range(12)] == [e.case_id for e in ENTRIES]
    assert thread_pool.submitted == 12 and 1 <= thread_pool.max_in_flight <= 4  # 2 × jobs


def test_parallel_dead_worker_isolated_to_its_case(thread_pool: type[ThreadPool]) -> None:
    got = _collect(run.pool_reads(Path("."), ENTRIES, WorkerConfig(), broken_task, 2))
    assert sorted(got) == list(range(12))
    crashed = [i for i, (ci, _, crash) in got.items() if crash is not None]
    assert crashed == [5]
    assert got[5][2].code == "E900" and "工作进程意外退出" in got[5][2].message
    assert all(got[i][0] == ENTRIES[i].case_id for i in range(12) if i != 5)
    assert thread_pool.created >= 2  # rebuilt after the break


def test_parallel_real_worker_death_with_spawn() -> None:
    """A real spawn pool (workers capped at 1 GB, replaced every 2 cases) whose worker calls
    os._exit on one case: every other case comes back; the 2 GB allocation fails in its worker."""
    entries = ENTRIES[:4]
    memory_mb = 1024 if hasattr(os, "fork") else None  # the cap is POSIX only
    config = WorkerConfig(max_tasks_per_child=2, memory_mb=memory_mb)
    got = {i: decode_result(b) for i, b in run.pool_reads(Path("."), entries, config, dying_task, 2)}
    assert sorted(got) == [0, 1, 2, 3]
    assert got[2][0] is None and got[2][2].code == "E900" and "工作进程意外退出" in got[2][2].message
    assert [got[i][0] for i in (0, 3)] == ["P000", "P003"]
    if memory_mb:
        assert got[1][0] is None and "MemoryError" in got[1][2].message

# jobs 1 and 2 giving the same cases.jsonl and summary: tests/test_review_e2e.py


def always_broken_task(config: WorkerConfig, root: str, entry: CaseEntry) -> bytes:
    raise BrokenProcessPool("cannot start")


def test_parallel_pool_that_never_works_is_an_error(thread_pool: type[ThreadPool]) -> None:
    from pipeline.core.errors import AnjuanError

    with pytest.raises(AnjuanError) as exc:
        _collect(run.pool_reads(Path("."), ENTRIES, WorkerConfig(), always_broken_task, 2))
    assert exc.value.code == "E900" and "--jobs 1" in str(exc.value)
    assert thread_pool.created <= 5  # gives up after three single-case deaths, not one per case


def test_parallel_workers_share_the_cores_for_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each worker gets cores // jobs OCR threads (2 workers × 2 threads would oversubscribe 2
    cores); a value the user set in ANJUAN_OCR_THREADS is kept."""
    monkeypatch.setenv("ANJUAN_OCR_THREADS", "")
    run.init_worker(WorkerConfig(ocr_threads=1))
    assert os.environ["ANJUAN_OCR_THREADS"] == "1"
    monkeypatch.setenv("ANJUAN_OCR_THREADS", "3")
    run.init_worker(WorkerConfig(ocr_threads=1))
    assert os.environ["ANJUAN_OCR_THREADS"] == "3"
    from pipeline.read.ocr import _threads

    assert _threads() == 3
