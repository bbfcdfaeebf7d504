"""Corpus generation and reading+typing speed (issue: foundation).

Prints: generation time for N cases (specs, then writing files), reading+typing time per case and
per page on one core, cases/s with a 2-process spawn pool, and typing accuracy against truth.jsonl, per
house style (all styles by default; ``--styles house`` for today's house style only).

    python bench/corpus_bench.py [--cases 500] [--seed 424242] [--keep DIR] [--styles all]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _read_one(args: tuple[str, object]) -> tuple[str, float, int, list[tuple[str, int, str]]]:
    from pipeline.read.archive import read_case

    root, entry = args
    t = time.perf_counter()
    ci = read_case(Path(root), entry)  # type: ignore[arg-type]
    dt = time.perf_counter() - t
    pages = sum(len(d.pages) for d in ci.docs)
    return ci.case_id, dt, pages, [(d.path, d.part, d.doc_type) for d in ci.docs]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=500)
    ap.add_argument("--seed", type=int, default=424242)
    ap.add_argument("--month", default="2024-09")
    ap.add_argument("--keep", type=Path, default=None)
    ap.add_argument("--styles", default="all", help="all (default), names separated by commas, or house")
    a = ap.parse_args()

    from corpus.generator import generate_cases, register_rows
    from corpus.styles import register_layout, resolve_styles
    from corpus.writer import write_corpus
    from pipeline.read.archive import list_cases

    work = a.keep or Path(tempfile.mkdtemp(prefix="anjuan-bench-"))
    t0 = time.perf_counter()
    styles = tuple(s for s in a.styles.split(",") if s.strip())
    cases = generate_cases(a.cases, a.month, a.seed, styles=styles)
    t_spec = time.perf_counter() - t0
    t0 = time.perf_counter()
    manifest = write_corpus(cases, register_rows(cases), work, register_layout=register_layout(resolve_styles(styles)))
    t_write = time.perf_counter() - t0
    print(f"generation: {a.cases} cases  specs {t_spec:.2f} s  writing {t_write:.2f} s  "
          f"total {t_spec + t_write:.2f} s  ({len(manifest['files'])} files)")

    archive = work / "archive"
    entries = list_cases(archive)
    # one core
    times, pages, typed = [], 0, {}
    t0 = time.perf_counter()
    for e in entries:
        cid, dt, n, docs = _read_one((str(archive), e))
        times.append(dt)
        pages += n
        for path, part, doc_type in docs:
            typed[(path, part)] = doc_type
    wall1 = time.perf_counter() - t0
    print(f"read+type, 1 process: {len(entries)} cases, {pages} pages in {wall1:.2f} s  "
          f"median {statistics.median(times) * 1000:.1f} ms/case  {wall1 / max(pages, 1) * 1000:.2f} ms/page  "
          f"{len(entries) / wall1:.1f} cases/s")
    # two processes (spawn, as on Windows)
    ctx = multiprocessing.get_context("spawn")
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as pool:
        list(pool.map(_read_one, [(str(archive), e) for e in entries], chunksize=8))
    wall2 = time.perf_counter() - t0
    print(f"read+type, 2 processes: {wall2:.2f} s  {len(entries) / wall2:.1f} cases/s "
          f"(includes pool start-up)  target >= 10 cases/s")

    truth = {}
    style: dict[tuple[str, int], str] = {}
    for line in (work / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        t = json.loads(line)
        for d in t["documents"]:
            truth[(d["path"], d["part"])] = d["doc_type"]
            style[(d["path"], d["part"])] = d.get("style", "house")
    correct = sum(1 for k, v in truth.items() if typed.get(k) == v)
    print(f"typing accuracy: {correct}/{len(truth)} = {correct / len(truth):.4f}  (target >= 0.99)")
    for name in sorted(set(style.values()), key=lambda s: (s != "house", s)):
        keys = [k for k in truth if style[k] == name]
        ok = sum(1 for k in keys if typed.get(k) == truth[k])
        print(f"  typing accuracy [{name}]: {ok}/{len(keys)} = {ok / len(keys):.4f}")
    wrong = [(k, v, typed.get(k)) for k, v in truth.items() if typed.get(k) != v][:10]
    for w in wrong:
        print("  wrong:", w)
    if a.keep is None:
        import shutil

        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
