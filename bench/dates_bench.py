"""Date extraction on one DOCX holding many dates: time per size, and the growth between sizes.

    python bench/dates_bench.py [--sizes 3000 6000 12000] [--stage all|read|nlp|extract]

Each size is a 询问笔录 DOCX whose paragraphs each hold one date (``2024年3月5日``); the script
reads it, types it and extracts its fields the way a worker does (``read_docx`` → ``type_file``
→ ``extract_document``) and prints the seconds per stage. Linear work doubles when the size
doubles (ratio ~2); a quadratic part shows as ~4.
"""
from __future__ import annotations

import argparse
import time

from _common import ROOT  # noqa: F401  (puts the repository on sys.path)


def _docx(n: int) -> bytes:
    from tests.hostile import make_docx

    lines = [("p", "询问笔录"), ("p", "被询问人：张三")]
    lines += [("p", f"检查{2020 + i % 5}年{1 + i % 12}月{1 + i % 28}日") for i in range(n)]
    return make_docx(lines)


def run(n: int) -> dict[str, float]:
    from extractors.fields import extract_document
    from extractors.nlp import build_nlp
    from pipeline.read.archive import type_file
    from pipeline.read.readers import read_docx

    data = _docx(n)
    nlp = build_nlp()
    t0 = time.perf_counter()
    pages = read_docx(data, "x.docx")
    docs = type_file("x.docx", "docx", pages)
    t1 = time.perf_counter()
    for d in docs:
        nlp(d.text)
    t2 = time.perf_counter()
    for d in docs:
        extract_document(d, nlp)
    t3 = time.perf_counter()
    return {"read+type": t1 - t0, "nlp": t2 - t1, "extract (nlp included)": t3 - t2}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[3000, 6000, 12000])
    args = ap.parse_args()
    prev: dict[str, float] | None = None
    print(f"{'dates':>7}  " + "  ".join(f"{k:>24}" for k in ("read+type", "nlp", "extract (nlp included)")))
    for n in args.sizes:
        r = run(n)
        cells = []
        for k, v in r.items():
            ratio = f" (×{v / prev[k]:.1f})" if prev and prev[k] > 0 else ""
            cells.append(f"{v:>15.2f} s{ratio:>7}")
        print(f"{n:>7}  " + "  ".join(cells))
        prev = r


if __name__ == "__main__":
    main()
