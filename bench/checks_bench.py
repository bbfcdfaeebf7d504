"""The checks: per check id precision and recall against truth.jsonl, per house style, clean cases,
未能核实 entries, and speed.

    python bench/checks_bench.py [--cases 500] [--seed 27182] [--timing-cases 1000] [--styles all]

The month is written in every house style by default (corpus/styles.py; ``--styles house`` for
today's house style only). Printed per style: each id's precision/recall, the false flags (ids a
file does not deserve), the clean cases with any finding, and the 未能核实 entries of the review
(``unverified`` of cases.jsonl, from ``anjuan review``'s own run; 0 while the review writes none).

Targets (issue: the checks): every id >= 0.95 precision and recall on every style; no finding at all
on the clean cases; the checks on 1,000 cases (cross-case included) under 10 s.
"""
from __future__ import annotations

import argparse
import collections
import json
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from _common import add_style_option, by_style, load_truth, make_corpus, ratio, read_extract, table


def unverified_counts(work: Path, month: str) -> dict[str, int]:
    """未能核实 entries per case from a review of the month (cases.jsonl ``unverified``)."""
    from pipeline.run.review import ReviewSettings, review_archive

    out = Path(tempfile.mkdtemp(prefix="anjuan-bench-review-"))
    try:
        review_archive(work / "archive", out / "result",
                       ReviewSettings(db_path=None, jobs=2, month=month, progress=False, write_documents=False))
        counts = {}
        for line in (out / "result" / "cases.jsonl").read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            counts[d["case_id"]] = len(d.get("unverified") or ())
        return counts
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=500)
    ap.add_argument("--seed", type=int, default=27182)
    ap.add_argument("--month", default="2024-11")
    ap.add_argument("--timing-cases", type=int, default=1000)
    ap.add_argument("--keep", type=Path, default=None)
    ap.add_argument("--show", type=int, default=3, help="examples of misses per id and style")
    ap.add_argument("--no-review", action="store_true", help="skip the review run that counts 未能核实 entries")
    add_style_option(ap)
    a = ap.parse_args()

    from checks.registry import all_checks, run_case_checks, run_cross_checks
    from checks.rules import load_rules, make_context
    from pipeline.core.caseno import RegisterIndex
    from pipeline.core.months import first_day, next_month
    from pipeline.read.register import read_register
    from pipeline.run.review import attach_register

    t0 = time.perf_counter()
    work = make_corpus(a.cases, a.month, a.seed, a.keep, styles=a.styles)
    print(f"corpus: {a.cases} cases, seed {a.seed}, month {a.month}, styles {a.styles}  "
          f"({time.perf_counter() - t0:.1f} s)")
    st = read_extract(work)
    truth = load_truth(work)
    rows_reg, _ = read_register(work / "archive" / "台账.xlsx")
    register = [dict(r.values, _row=r.row) for r in rows_reg]
    rules = load_rules(None)
    ctx = make_context(rules, review_date=first_day(next_month(a.month)).isoformat(), register_rows=register)
    index = RegisterIndex.of(register)
    cases = [attach_register(c, index) for c in st.cases]

    t = time.perf_counter()
    got: dict[str, list[Any]] = {c.case_id: run_case_checks(c, ctx) for c in cases}
    t_single = time.perf_counter() - t
    t = time.perf_counter()
    cross = run_cross_checks(cases, ctx)
    t_cross = time.perf_counter() - t
    for cid, fs in cross.items():
        got.setdefault(cid, []).extend(fs)

    ids = sorted(all_checks())
    groups = by_style(truth)
    styles = ["all"] + list(groups)
    style_of_case = {cid: s for s, cs in groups.items() for cid in cs}
    tp: dict[str, collections.Counter[str]] = {s: collections.Counter() for s in styles}
    fp: dict[str, collections.Counter[str]] = {s: collections.Counter() for s in styles}
    fn: dict[str, collections.Counter[str]] = {s: collections.Counter() for s in styles}
    examples: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    clean_with_findings: dict[str, list[tuple[str, list[str]]]] = {s: [] for s in styles}
    for cid, t in truth.items():
        exp = set(t["findings"])
        have = {f.check_id for f in got.get(cid, [])}
        for s in ("all", style_of_case[cid]):
            for i in exp & have:
                tp[s][i] += 1
            for i in have - exp:
                fp[s][i] += 1
            for i in exp - have:
                fn[s][i] += 1
            if t.get("clean") and have:
                clean_with_findings[s].append((cid, sorted(have)))
        s = style_of_case[cid]
        for i in have - exp:
            msg = next(f.message for f in got[cid] if f.check_id == i)
            examples[(i, s)].append(f"FP {cid}: {msg[:110]}")
        for i in exp - have:
            examples[(i, s)].append(f"FN {cid}: expected, not found ({t['outcome']}, {t['procedure']})")
    rows, below = [], {s: [] for s in styles}
    for i in ids:
        row = [i]
        for s in styles:
            n_tp, n_fp, n_fn = tp[s][i], fp[s][i], fn[s][i]
            p = n_tp / (n_tp + n_fp) if n_tp + n_fp else None
            r = n_tp / (n_tp + n_fn) if n_tp + n_fn else None
            if not ((p is None or p >= 0.95) and (r is None or r >= 0.95)):
                below[s].append(i)
            row.append("-" if n_tp + n_fp + n_fn == 0 else f"{ratio(p)}/{ratio(r)}")
        rows.append(row)
    print("cases per style: " + "  ".join(f"{n} {len(c)}" for n, c in groups.items()))
    print("precision/recall per check id and style ('-': no seeded case and no finding)")
    print(table(rows, ["check"] + styles))
    unverified = {} if a.no_review else unverified_counts(work, a.month)
    for s in styles:
        members = list(truth) if s == "all" else groups[s]
        n_clean = sum(1 for cid in members if truth[cid].get("clean"))
        seeded = sum(tp[s].values()) + sum(fn[s].values())
        found = sum(tp[s].values())
        print(f"[{s}] ids below 0.95: {len(below[s])} {below[s]}")
        print(f"[{s}] seeded findings found: {found}/{seeded}; false flags: {sum(fp[s].values())} "
              f"{dict(sorted(fp[s].items()))}")
        print(f"[{s}] clean cases: {n_clean}; clean cases with any finding: {len(clean_with_findings[s])}")
        if not a.no_review:
            print(f"[{s}] 未能核实 entries: {sum(unverified.get(cid, 0) for cid in members)} "
                  f"over {len(members)} cases")
    for s in groups:
        for cid, have in clean_with_findings[s][:5]:
            print(f"  [{s}] clean {cid}: {have}")
        for i in below[s]:
            for e in examples[(i, s)][: a.show]:
                print(f"  [{s}] {i} {e}")
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
