"""How fast the workbench answers: the case page of a 60-case month, over real HTTP.

Generates a month (60 cases by default; ``--scanned-fraction`` makes part of it scans, read by OCR
once during the review), reviews it with a database, starts ``anjuan serve --no-browser``
(waitress, on 127.0.0.1, a free port) in its own process and times, with ``urllib``:

- the case page (``/case/ID``, the first open finding selected: findings, fields, the 未能核实
  list, the quote's boxes on its page): the first visit of each case (the stored read result is
  decoded then), and a second visit;
- the same page with each other finding selected (``?f=N``);
- the page image of the selected quote (``/page.png``), first request (rendered) and second (cached);
- the month page (``/``);
- Regenerate (``pipeline.run.rerender.regenerate``, in-process) with nothing to read again.

Prints the median, 90th percentile and maximum in milliseconds. The goal is a case page under
300 ms (median) on the project's 2-core machine. Usage::

    python bench/serve_bench.py                  # 60 cases
    python bench/serve_bench.py --cases 60 --scanned-fraction 0.2 --keep /tmp/serve-bench
"""
from __future__ import annotations

import argparse
import json
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _get(url: str) -> tuple[float, bytes]:
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as resp:
        body = resp.read()
    return (time.perf_counter() - t) * 1000, body


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, proc: subprocess.Popen, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            _get(url)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"anjuan serve did not answer at {url}")


def _line(name: str, ms: list[float]) -> str:
    ms = sorted(ms)
    p90 = ms[min(len(ms) - 1, int(round(0.9 * (len(ms) - 1))))]
    return (f"{name:<34} n={len(ms):<4} median {statistics.median(ms):7.1f} ms   p90 {p90:7.1f} ms   "
            f"max {ms[-1]:7.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--cases", type=int, default=60)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--scanned-fraction", type=float, default=0.0)
    ap.add_argument("--keep", type=Path, default=None, help="work folder (kept; reused when it holds a review)")
    args = ap.parse_args()

    from pipeline.run.commands import generate_corpus
    from pipeline.run.review import ReviewSettings, review_archive

    work = args.keep or Path(tempfile.mkdtemp(prefix="anjuan-serve-bench-"))
    archive, out, db = work / "corpus" / "archive", work / "out", work / "anjuan.db"
    if not (out / "cases.jsonl").is_file():
        t = time.perf_counter()
        generate_corpus(args.cases, "2024-06", args.seed, work / "corpus", scanned_fraction=args.scanned_fraction)
        review_archive(archive, out, ReviewSettings(db_path=db, month="2024-06", jobs=2, progress=False))
        print(f"generated and reviewed {args.cases} cases in {time.perf_counter() - t:.1f} s ({work})")
    cases = [json.loads(line) for line in (out / "cases.jsonl").read_text(encoding="utf-8").splitlines()]

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", str(out), "--db", str(db),
                               "--port", str(port), "--no-browser"], stdout=subprocess.DEVNULL)
    try:
        _wait(base + "/", server)
        cold = []  # first visit: imports, the score sheet, the first decode of each stored case
        for c in cases:
            cold.append(_get(f"{base}/case/{c['case_id']}")[0])
        first, other, img_cold, img_warm, month = [], [], [], [], []
        for c in cases:
            ms, body = _get(f"{base}/case/{c['case_id']}")
            first.append(ms)
            for i in range(1, len(c["findings"])):
                other.append(_get(f"{base}/case/{c['case_id']}?f={i}")[0])
            m = re.search(rb'id="page-image"[^>]*src="([^"]+)"', body)
            if m:
                src = m.group(1).decode().replace("&amp;", "&")
                img_cold.append(_get(base + src)[0])
                img_warm.append(_get(base + src)[0])
        for _ in range(10):
            month.append(_get(base + "/")[0])
    finally:
        server.terminate()
        server.wait(timeout=30)
    n_find = sum(len(c["findings"]) for c in cases)
    print(f"{len(cases)} cases, {n_find} findings, {sum(len(c['documents']) for c in cases)} documents")
    print(_line("case page, first visit", cold))
    print(_line("case page (first open finding)", first))
    if other:
        print(_line("case page (?f=N, other findings)", other))
    if img_cold:
        print(_line("page image, first request", img_cold))
        print(_line("page image, cached", img_warm))
    print(_line("month page", month))
    from pipeline.run.rerender import regenerate

    t = time.perf_counter()
    done = regenerate(out, db_path=db, archive=archive)
    print(f"Regenerate (whole month from the store, nothing read again): {time.perf_counter() - t:.1f} s, "
          f"{len(done.changed)} of {len(done.outputs)} files changed")
    verdict = "under" if statistics.median(first) < 300 else "OVER"
    print(f"case page median {statistics.median(first):.1f} ms: {verdict} the 300 ms goal")


if __name__ == "__main__":
    main()
