"""Field extraction: per-field precision and recall against truth.jsonl, and speed.

    python bench/extraction_bench.py [--cases 300] [--seed 31337]

Targets (issue: field extraction): every field >= 0.98 precision and recall, dates and money
>= 0.995; >= 100 documents/s on one core for born-digital documents (extraction only).
"""
from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from _common import load_truth, make_corpus, read_extract, table

DATE_FIELDS = {"violation_date", "discovered_date", "filing_date", "notice_date", "notice_service_date",
               "legal_review_date", "extension_approved_date", "decision_date", "decision_service_date",
               "payment_date", "closing_date", "withdrawal_date"}
MONEY_FIELDS = {"proposed_fine_yuan", "fine_yuan"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--seed", type=int, default=31337)
    ap.add_argument("--month", default="2024-10")
    ap.add_argument("--keep", type=Path, default=None)
    ap.add_argument("--scanned-fraction", type=float, default=0.0,
                    help="make this share of the cases scans (OCR); only those cases are scored then")
    a = ap.parse_args()

    from extractors.assemble import case_fields
    from extractors.evaluate import evaluate

    t0 = time.perf_counter()
    work = make_corpus(a.cases, a.month, a.seed, a.keep, a.scanned_fraction)
    print(f"corpus: {a.cases} cases, seed {a.seed}, month {a.month}  ({time.perf_counter() - t0:.1f} s)")
    st = read_extract(work)
    truth = load_truth(work)
    if a.scanned_fraction:
        truth = {k: v for k, v in truth.items() if v.get("scanned")}
        ocr_pages = sum(1 for ci in st.inputs for d in ci.docs for p in d.pages if p.source == "ocr")
        print(f"scanned cases scored: {len(truth)}; OCR pages: {ocr_pages}; "
              f"reading (incl. OCR) {st.t_read / max(ocr_pages, 1):.2f} s per OCR page (upper bound)")
    pred = {c.case_id: case_fields(c) for c in st.cases if c.case_id in truth}
    res = evaluate(pred, {k: v["fields"] for k, v in truth.items()})
    rows, worst = [], []
    for name in sorted(res):
        r = res[name]
        base = name.split(".")[0]
        target = 0.995 if base in DATE_FIELDS | MONEY_FIELDS else 0.98
        p, rc = r["precision"], r["recall"]
        ok = (p is None or p >= target) and (rc is None or rc >= target)
        rows.append([name, r["tp"], r["fp"], r["fn"], "-" if p is None else f"{p:.4f}",
                     "-" if rc is None else f"{rc:.4f}", target, "ok" if ok else "BELOW"])
        if not ok:
            worst.append(name)
    print(table(rows, ["field", "tp", "fp", "fn", "precision", "recall", "target", ""]))
    print(f"fields below target: {len(worst)} {worst}")
    print(f"documents: {st.n_docs}  pages: {st.n_pages}")
    print(f"extraction: {st.t_extract:.2f} s  {st.n_docs / st.t_extract:.0f} documents/s on one core "
          f"(target >= 100)  assembly {st.t_assemble:.2f} s  reading+typing {st.t_read:.2f} s")
    if a.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
