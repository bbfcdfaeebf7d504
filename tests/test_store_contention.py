"""Issue 14 §3: writers on one database wait for each other instead of failing with E502.

Three spawned processes share one SQLite file, as two reviews and a reviewer would: each review
stores its cases one transaction at a time and then drafts, issues and escalates the month's
letters (``run_month``, which reads the letters before it writes); the reviewer meanwhile
records decisions and replies to whatever letters exist. Before ``BEGIN IMMEDIATE`` the
read-then-write transactions failed at once with ``database is locked`` whenever another writer
committed between their read and their write. Spawn-safe (no fork), bounded (< 30 s here).
"""
from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import sqlite3
import time
from pathlib import Path

from pipeline.core.models import CaseResult, Finding, empty_case_fields

MONTH, TODAY = "2024-03", "2024-04-01"
SQUADS = ("夏阳中队", "朱家角中队", "金泽中队", "练塘中队")
CHECKS = ("FIL-02", "OFF-02", "CON-01", "DOC-01")


def _results() -> list[CaseResult]:
    out = []
    for i in range(24):
        f = empty_case_fields()
        f.update(squad=SQUADS[i % len(SQUADS)], case_number=f"青城管罚〔2024〕{i + 1}号")
        findings = tuple(Finding(CHECKS[(i + k) % len(CHECKS)], "major" if k else "minor",
                                 f"问题{k}。", "《中华人民共和国行政处罚法》第五十四条") for k in range(1 + i % 3))
        out.append(CaseResult(f"2403{i + 1:03d}", f"2403{i + 1:03d}", "ok", (), f, findings, None, ()))
    return out


def _review(db: str, tag: str, cases: int) -> int:
    """One review's writes: a run, each case stored in its own transaction, the month's letters."""
    from pipeline.store.db import Store
    from pipeline.store.letterdb import run_month

    with Store.open(db) as store:
        run_id = store.start_run(archive=f"archive-{tag}", month=MONTH)
        for i in range(cases):
            store.save_case_result(f"archive-{tag}", f"case-{i:03d}", f"fp-{i}", b"x" * 2048)
            if i % 10 == 0:
                run_month(store.conn, _results(), MONTH, TODAY)
        run_month(store.conn, _results(), MONTH, TODAY)
        store.save_month_view(MONTH, {"by": tag})
        store.finish_run(run_id, {"cases": cases})
    return cases


def _reviewer(db: str, rounds: int) -> int:
    """Decisions on other cases and replies to every letter that can take one."""
    from pipeline.core.errors import AnjuanError
    from pipeline.store.db import Store
    from pipeline.store.letterdb import list_letters, record_decision, reply

    done = 0
    with Store.open(db) as store:
        for k in range(rounds):
            record_decision(store.conn, f"2402{k % 50:03d}", "FIL-02", ("confirmed", "dismissed")[k % 2],
                            reason="复核", who="监督科", at=f"2024-04-01T10:{k % 60:02d}:00")
            done += 1
            for rec in list_letters(store.conn):
                if rec.state in ("issued", "due"):
                    try:
                        reply(store.conn, rec.id, date="2024-04-02", note="已整改", who="中队")
                    except AnjuanError as exc:  # E511: another reply got there first
                        if exc.code != "E511":
                            raise
                    done += 1
    return done


def _letters(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT number, squad, rung, matter_key, cases FROM letters ORDER BY number").fetchall()
    finally:
        conn.close()


def _serial_reference(tmp: Path) -> list[tuple]:
    db = tmp / "serial.db"
    _review(str(db), "a", 3)
    return _letters(db)


def test_store_contention_two_reviews_and_a_reviewer_zero_e502(tmp_path: Path) -> None:
    from pipeline.store.db import Store

    reference = _serial_reference(tmp_path)
    assert len(reference) >= 4  # every squad gets at least one letter
    started = time.monotonic()
    for order in (("a", "b"), ("b", "a")):  # either review may end first
        db = tmp_path / f"shared-{order[0]}.db"
        Store.open(db).close()
        ctx = multiprocessing.get_context("spawn")
        with cf.ProcessPoolExecutor(max_workers=3, mp_context=ctx) as pool:
            jobs = [pool.submit(_review, str(db), order[0], 60),
                    pool.submit(_reviewer, str(db), 150),
                    pool.submit(_review, str(db), order[1], 30)]
            done = [j.result(timeout=60) for j in jobs]  # an E502 in any process re-raises here
        assert done[0] == 60 and done[2] == 30 and done[1] >= 150
        assert _letters(db) == reference, order
        with Store.open(db) as store:
            assert len(store.decisions()) == 50
            assert {s for s in store.case_fingerprints("archive-a")} == {f"case-{i:03d}" for i in
                                                                        range(60 if order[0] == "a" else 30)}
    assert time.monotonic() - started < 30


def test_store_contention_threads_on_one_file(tmp_path: Path) -> None:
    """The same with threads (one connection each): a reply never fails a concurrent month run."""
    from pipeline.store.db import Store

    db = tmp_path / "threads.db"
    Store.open(db).close()
    with cf.ThreadPoolExecutor(max_workers=3) as pool:
        jobs = [pool.submit(_review, str(db), "a", 40), pool.submit(_reviewer, str(db), 80),
                pool.submit(_review, str(db), "b", 40)]
        for j in jobs:
            j.result(timeout=60)
    assert _letters(db) == _serial_reference(tmp_path)


def test_store_contention_coded_errors_survive_pickling() -> None:
    """A worker's coded error reaches the parent as itself (it came back as a KeyError before)."""
    import pickle

    from pipeline.core.errors import AnjuanError, ReadError

    for err in (AnjuanError("E502", path="a.db", detail="database is locked"), ReadError("E102", "a.pdf", detail="x")):
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is type(err) and back.code == err.code and str(back) == str(err)
    assert pickle.loads(pickle.dumps(ReadError("E102", "a.pdf", detail="x"))).path == "a.pdf"
