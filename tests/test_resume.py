"""Resumable and incremental reviews: a run killed with SIGKILL and started again ends with the
same outputs as an uninterrupted run, byte for byte, without reading a finished case again; an
unchanged case is not read again on the next run; the outputs appear atomically."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.read.archive import list_cases
from pipeline.read.readers import ReadLimits
from pipeline.run.fingerprint import case_fingerprint, code_key
from pipeline.run.review import ReviewSettings, review_archive
from pipeline.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
N_CASES = 6


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pipeline.run.commands import generate_corpus

    out = tmp_path_factory.mktemp("resume-corpus")
    generate_corpus(N_CASES, "2024-06", 23, out)
    return out / "archive"


def _cli(archive: Path, out: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", "review", str(archive), "--out", str(out), "--db", str(db),
            "--jobs", "1", "--quiet"]


def _stored(db: Path) -> dict[str, tuple[str, int]]:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return {}
    try:
        return {s: (fp, n) for s, fp, n in conn.execute("SELECT source, fingerprint, reads FROM case_results")}
    except sqlite3.Error:  # not created yet
        return {}
    finally:
        conn.close()


def _tree(out: Path) -> dict[str, bytes]:
    files = {}
    for p in sorted(out.rglob("*")):
        if p.is_file():
            data = p.read_bytes()
            if p.name == "summary.json":
                d = json.loads(data)
                d.pop("timing")
                d["settings"].pop("db")
                data = json.dumps(d, ensure_ascii=False, sort_keys=True).encode("utf-8")
            files[p.relative_to(out).as_posix()] = data
    return files


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="no SIGKILL on this OS")
def test_resume_after_sigkill_matches_clean_run(corpus: Path, tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    # the clean run, alongside
    clean = subprocess.Popen(_cli(corpus, tmp_path / "clean", tmp_path / "clean.db"), cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    db = tmp_path / "resumed.db"
    out = tmp_path / "resumed"
    victim = subprocess.Popen(_cli(corpus, out, db), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and victim.poll() is None:
        if len(_stored(db)) >= 2:
            break
        time.sleep(0.02)
    assert victim.poll() is None, "the run ended before it could be killed"
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    assert victim.returncode == -signal.SIGKILL
    before = _stored(db)
    assert 2 <= len(before) < N_CASES
    assert not (out / "summary.json").exists() and not (out / "cases.jsonl").exists()

    resumed = subprocess.run(_cli(corpus, out, db), cwd=ROOT, env=env, capture_output=True, text=True,
                             encoding="utf-8", timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"其中 {len(before)} 件案卷的文件未变化" in resumed.stdout
    assert clean.wait(timeout=300) == 0, clean.stderr.read().decode("utf-8", "replace")

    # every case read exactly once over the two runs; those done before the kill kept as they were
    after = _stored(db)
    assert len(after) == N_CASES and {n for _, n in after.values()} == {1}
    assert {s: after[s] for s in before} == before
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["timing"]["cases_reused"] == len(before)
    assert summary["timing"]["cases_read"] == N_CASES - len(before)

    got, want = _tree(out), _tree(tmp_path / "clean")
    assert sorted(got) == sorted(want)
    assert [name for name in want if got[name] != want[name]] == []
    assert "评查评分表.xlsx" in want and any(n.startswith("评查意见书/") for n in want)


def test_resume_unchanged_cases_not_read_again(corpus: Path, tmp_path: Path) -> None:
    import shutil

    archive = tmp_path / "archive"
    shutil.copytree(corpus, archive)
    db = tmp_path / "anjuan.db"
    settings = ReviewSettings(db_path=db, jobs=1, month="2024-06", progress=False, write_documents=False)
    first = review_archive(archive, tmp_path / "r1", settings)
    assert (first.data["timing"]["cases_read"], first.data["timing"]["cases_reused"]) == (N_CASES, 0)
    second = review_archive(archive, tmp_path / "r2", settings)
    assert (second.data["timing"]["cases_read"], second.data["timing"]["cases_reused"]) == (0, N_CASES)
    assert (tmp_path / "r1/cases.jsonl").read_bytes() == (tmp_path / "r2/cases.jsonl").read_bytes()

    # change one file of one case: only that case is read again
    entry = list_cases(archive)[3]
    victim = sorted(p for p in (archive / entry.source).rglob("*") if p.is_file())[0] \
        if (archive / entry.source).is_dir() else archive / entry.source
    victim.write_bytes(b"")
    third = review_archive(archive, tmp_path / "r3", settings)
    assert (third.data["timing"]["cases_read"], third.data["timing"]["cases_reused"]) == (1, N_CASES - 1)
    with Store.open(db) as st:
        reads = {s: n for s, (_, n) in st.case_fingerprints(str(archive.resolve())).items()}
    assert reads[entry.source] == 2 and sum(reads.values()) == N_CASES + 1
    line = [json.loads(x) for x in (tmp_path / "r3/cases.jsonl").read_text(encoding="utf-8").splitlines()
            if json.loads(x)["case_id"] == entry.case_id][0]
    assert "E101" in {e["code"] for e in line["errors"]}

    # --fresh reads everything again
    fresh = review_archive(archive, tmp_path / "r4", ReviewSettings(
        db_path=db, jobs=1, month="2024-06", progress=False, write_documents=False, fresh=True))
    assert (fresh.data["timing"]["cases_read"], fresh.data["timing"]["cases_reused"]) == (N_CASES, 0)
    assert (tmp_path / "r3/cases.jsonl").read_bytes() == (tmp_path / "r4/cases.jsonl").read_bytes()
    # a case removed from the archive is forgotten
    shutil.rmtree(archive / list_cases(archive)[0].source) if (archive / list_cases(archive)[0].source).is_dir() \
        else (archive / list_cases(archive)[0].source).unlink()
    review_archive(archive, tmp_path / "r5", settings)
    with Store.open(db) as st:
        assert len(st.case_fingerprints(str(archive.resolve()))) == N_CASES - 1


def test_resume_fingerprint_follows_content_names_and_code(tmp_path: Path) -> None:
    (tmp_path / "A1" / "sub").mkdir(parents=True)
    (tmp_path / "A1" / "a.docx").write_bytes(b"one")
    (tmp_path / "A1" / "sub" / "b.pdf").write_bytes(b"two")
    [entry] = list_cases(tmp_path)
    limits = ReadLimits()
    key = code_key(limits)
    fp = case_fingerprint(tmp_path, entry, key, limits)
    assert fp == case_fingerprint(tmp_path, entry, key, limits)  # stable
    os.utime(tmp_path / "A1" / "a.docx", (1, 1))  # a touched but unchanged file is still the same
    assert case_fingerprint(tmp_path, entry, key, limits) == fp
    assert case_fingerprint(tmp_path, entry, "other-code", limits) != fp
    assert code_key(ReadLimits(max_pages=3)) != key  # limits change what is read
    (tmp_path / "A1" / "sub" / "b.pdf").write_bytes(b"tw0")
    changed = case_fingerprint(tmp_path, entry, key, limits)
    assert changed != fp
    (tmp_path / "A1" / "sub" / "b.pdf").rename(tmp_path / "A1" / "sub" / "c.pdf")
    renamed = case_fingerprint(tmp_path, entry, key, limits)
    assert renamed not in (fp, changed)
    (tmp_path / "A1" / "c.txt").write_bytes(b"")
    assert case_fingerprint(tmp_path, entry, key, limits) != renamed


def test_resume_outputs_appear_atomically(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    stale = out / ".anjuan-staging"
    stale.mkdir(parents=True)
    (stale / "cases.jsonl").write_text("half a line", encoding="utf-8")  # left by a killed run
    review_archive(corpus, out, ReviewSettings(db_path=None, jobs=1, month="2024-06", progress=False,
                                               write_documents=False))
    assert not stale.exists()
    assert sorted(p.name for p in out.iterdir()) == ["cases.jsonl", "summary.json"]
    lines = (out / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == N_CASES and all(json.loads(x)["case_id"] for x in lines)


def test_resume_store_migrates_version_2_file_to_version_3(tmp_path: Path) -> None:
    from pipeline.store.db import MIGRATIONS, SCHEMA_VERSION

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("INSERT INTO meta VALUES('schema_version', '2')")
    for _version, statements in MIGRATIONS[:2]:
        for sql in statements:
            sql(conn) if callable(sql) else conn.execute(sql)
    conn.execute("INSERT INTO month_views(month, json) VALUES('2024-05', '{}')")
    conn.close()
    with Store.open(db) as st:
        assert st.schema_version == SCHEMA_VERSION == 4
        assert st.month_view("2024-05") == {}
        assert st.case_fingerprints("/a") == {}
        st.save_case_result("/a", "A1", "f1", b"blob1")
        st.save_case_result("/a", "A1", "f2", b"blob2")  # a changed case replaces its row
        st.save_case_result("/b", "A1", "f1", b"other archive")
        assert st.case_fingerprints("/a") == {"A1": ("f2", 2)}
        assert st.load_case_result("/a", "A1", "f1") is None
        assert st.load_case_result("/a", "A1", "f2") == b"blob2"
        assert st.forget_case_results("/a", keep=["A2"]) == 1
        assert st.case_fingerprints("/a") == {} and st.case_fingerprints("/b") == {"A1": ("f1", 1)}
