"""The checks: per check id precision and recall against truth.jsonl, clean cases, and speed.

    python bench/checks_bench.py [--cases 500] [--seed 27182] [--timing-cases 1000]

Targets (issue: the checks): every id >= 0.95 precision and recall; no finding at all on the
clean cases; the checks on 1,000 cases (cross-case included) under 10 s.
"""
from __future__ import annotations

import argparse
import collections
import shutil
import time
from dataclasses import replace
from pathlib import Path

from _common import load_truth, make_corpus, read_extract, table


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=500)
    ap.add_argument("--seed", type=int, default=27182)
    ap.add_argument("--month", default="2024-11")
    ap.add_argument("--timing-cases", type=int, default=1000)
    ap.add_argument("--keep", type=Path, default=None)
    ap.add_argument("--show", type=int, default=3, help="examples of misses per id")
    a = ap.parse_args()

    from checks.registry import all_checks, run_case_checks, run_cross_checks
    from checks.rules import load_rules, make_context
    from pipeline.read.register import read_register
    from pipeline.core.months import first_day, next_month
    from pipeline.core.caseno import RegisterIndex
    from pipeline.run.review import attach_register

    t0 = time.perf_counter()
    work = make_corpus(a.cases, a.month, a.seed, a.keep)
    print(f"corpus: {a.cases} cases, seed {a.seed}, month {a.month}  ({time.perf_counter() - t0:.1f} s)")
    st = read_extract(work)
    truth = load_truth(work)
    rows_reg, _ = read_register(work / "archive" / "台账.xlsx")
    register = [dict(r.values, _row=r.row) for r in rows_reg]
    rules = load_rules(None)
    ctx = make_context(rules, review_date=first_day(next_month(a.month)).isoformat(), register_rows=register)
    index = RegisterIndex.of(register)
    cases = [attach_register(c, index) for c in st.cases]

    t = time.perf_counter()
    got: dict[str, list] = {c.case_id: run_case_checks(c, ctx) for c in cases}
    t_single = time.perf_counter() - t
    t = time.perf_counter()
    cross = run_cross_checks(cases, ctx)
    t_cross = time.perf_counter() - t
    for cid, fs in cross.items():
        got.setdefault(cid, []).extend(fs)

    ids = sorted(all_checks())
    tp, fp, fn = collections.Counter(), collections.Counter(), collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    clean_with_findings = []
    for cid, t in truth.items():
        exp = set(t["findings"])
        have = {f.check_id for f in got.get(cid, [])}
        for i in exp & have:
            tp[i] += 1
        for i in have - exp:
            fp[i] += 1
            msg = next(f.message for f in got[cid] if f.check_id == i)
            examples[i].append(f"FP {cid}: {msg[:110]}")
        for i in exp - have:
            fn[i] += 1
            examples[i].append(f"FN {cid}: expected, not found ({t['outcome']}, {t['procedure']})")
        if t.get("clean") and have:
            clean_with_findings.append((cid, sorted(have)))
    rows, below = [], []
    for i in ids:
        p = tp[i] / (tp[i] + fp[i]) if tp[i] + fp[i] else None
        r = tp[i] / (tp[i] + fn[i]) if tp[i] + fn[i] else None
        ok = (p is None or p >= 0.95) and (r is None or r >= 0.95) and (tp[i] + fn[i] > 0)
        rows.append([i, tp[i], fp[i], fn[i], "-" if p is None else f"{p:.3f}", "-" if r is None else f"{r:.3f}",
                     "ok" if ok else ("NO CASES" if tp[i] + fn[i] == 0 else "BELOW")])
        if not ok:
            below.append(i)
    print(table(rows, ["check", "tp", "fp", "fn", "precision", "recall", ""]))
    n_clean = sum(1 for t in truth.values() if t.get("clean"))
    print(f"ids below 0.95 (or without a seeded case): {len(below)} {below}")
    print(f"clean cases: {n_clean}; clean cases with any finding: {len(clean_with_findings)}")
    for cid, have in clean_with_findings[:10]:
        print(f"  {cid}: {have}")
    for i in below:
        for e in examples[i][: a.show]:
            print(f"  {i} {e}")
    print(f"checks on {len(cases)} cases: single-file {t_single:.2f} s, cross-case {t_cross:.2f} s")

    # speed on --timing-cases: the corpus's CaseFiles repeated with fresh ids (cross-case included)
    k = a.timing_cases
    big = [replace(c, case_id=f"{c.case_id}-{n}") for n in range((k + len(cases) - 1) // len(cases))
           for c in cases][:k]
    t = time.perf_counter()
    for c in big:
        run_case_checks(c, ctx)
    t1 = time.perf_counter() - t
    t = time.perf_counter()
    run_cross_checks(big, ctx)
    t2 = time.perf_counter() - t
    print(f"checks on {k} cases: single-file {t1:.2f} s + cross-case {t2:.2f} s = {t1 + t2:.2f} s (target < 10 s)")
    if a.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
