"""Throughput of ``anjuan review`` on N generated cases, with ``--jobs 1`` and ``--jobs 2``.

Prints, in one run:

- cases/s of the whole review (read, type, extract, assemble, checks, scoring, writing) per
  ``--jobs`` value, each run in a fresh process without a database (every case is read);
- peak memory (max RSS) of that process and of its largest worker (``RUSAGE_SELF`` and
  ``RUSAGE_CHILDREN`` of the run's own process, so the runs do not mix);
- our PDF reading time (``pipeline.read.readers.read_pdf``, in-process) against ``pdftotext``
  (poppler, one process per file, ``-q -enc UTF-8 FILE -``) on every PDF file on disk in the
  archive (PDFs inside zips are not counted).

Usage::

    python bench/throughput_bench.py                       # 1,000 cases, documents off
    python bench/throughput_bench.py --cases 200 --documents --jobs 1,2
    python bench/throughput_bench.py --archive DIR         # an existing archive

``--documents`` also writes the workbook, the opinions, letters and meeting material (the
figure without them is the reading-and-checking throughput). The generator makes at most 990
cases a month, so N > 990 cases are generated as several months and put in one archive.
POSIX only for the memory figures (``resource``); elsewhere they are printed as n/a.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MONTHS = ("2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12")


def build_archive(n: int, seed: int, work: Path) -> Path:
    """N generated cases in ``work/archive`` (several months when N > 990; no register)."""
    from pipeline.run.commands import generate_corpus

    archive = work / "archive"
    if archive.is_dir() and len(list(archive.iterdir())) == n:
        return archive
    archive.mkdir(parents=True, exist_ok=True)
    per_month = -(-n // -(-n // 990))
    left, k = n, 0
    while left > 0:
        m = min(per_month, left)
        part = work / f"gen-{MONTHS[k]}"
        if not (part / "truth.jsonl").exists():
            generate_corpus(m, MONTHS[k], seed + k, part)
        for entry in sorted((part / "archive").iterdir()):
            if "台账" in entry.name or "register" in entry.name.lower():
                continue
            dest = archive / entry.name
            if dest.exists():
                continue
            if entry.is_dir():
                shutil.copytree(entry, dest)
            else:
                shutil.copy2(entry, dest)
        left -= m
        k += 1
    return archive


def peak_mb() -> tuple[float | None, float | None]:
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return None, None
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e6
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale / 1e6
    return round(own, 1), round(kids, 1)


def child_run(archive: Path, jobs: int, documents: bool) -> dict:
    """One review in this (fresh) process; returns its figures."""
    from pipeline.run.review import ReviewSettings, review_archive

    out = Path(tempfile.mkdtemp(prefix="anjuan-throughput-"))
    try:
        t = time.perf_counter()
        s = review_archive(archive, out, ReviewSettings(db_path=None, jobs=jobs, progress=False,
                                                         write_documents=documents))
        elapsed = time.perf_counter() - t
    finally:
        shutil.rmtree(out, ignore_errors=True)
    own, kids = peak_mb()
    return {"jobs": jobs, "cases": s.data["counts"]["cases"], "documents": s.data["counts"]["documents"],
            "errors": s.data["counts"]["errors"], "seconds": round(elapsed, 2),
            "cases_per_s": round(s.data["counts"]["cases"] / elapsed, 2), "peak_parent_mb": own,
            "peak_worker_mb": kids, "read_extract_s": s.data["timing"]["read_extract_s"]}


def pdf_comparison(archive: Path) -> dict:
    from pipeline.read.readers import read_pdf

    pdfs = sorted(p for p in archive.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())
    tool = shutil.which("pdftotext")
    ours = 0.0
    pages = 0
    for p in pdfs:
        data = p.read_bytes()
        t = time.perf_counter()
        got, _ = read_pdf(data, p.name)
        ours += time.perf_counter() - t
        pages += len(got)
    theirs = None
    if tool:
        t = time.perf_counter()
        for p in pdfs:
            subprocess.run([tool, "-q", "-enc", "UTF-8", str(p), "-"], stdout=subprocess.DEVNULL, check=False)
        theirs = time.perf_counter() - t
    return {"pdf_files": len(pdfs), "pages": pages, "ours_s": round(ours, 2),
            "pdftotext_s": None if theirs is None else round(theirs, 2),
            "ratio": None if not theirs else round(ours / theirs, 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--jobs", default="1,2", help="comma-separated --jobs values")
    ap.add_argument("--documents", action="store_true", help="also write the documents (workbook, opinions …)")
    ap.add_argument("--work", type=Path, default=None, help="keep the generated corpus here (reused)")
    ap.add_argument("--archive", type=Path, default=None, help="an existing archive instead of generating")
    ap.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child is not None:  # one measured run, in its own process
        print(json.dumps(child_run(args.archive, args.child, args.documents)))
        return 0

    if args.archive is not None:
        archive = args.archive
    else:
        work = args.work or Path(tempfile.mkdtemp(prefix="anjuan-throughput-corpus-"))
        t = time.perf_counter()
        archive = build_archive(args.cases, args.seed, work)
        print(f"corpus: {len(list(archive.iterdir()))} cases in {archive} "
              f"({time.perf_counter() - t:.0f} s to generate or reuse)")
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"documents {'on' if args.documents else 'off (reading, checks, scoring, cases.jsonl, summary.json)'}")
    rows = []
    for jobs in [int(x) for x in args.jobs.split(",") if x.strip()]:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--archive", str(archive), "--child", str(jobs)]
        if args.documents:
            cmd.append("--documents")
        res = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", check=True)
        row = json.loads(res.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(f"--jobs {jobs}: {row['cases']} cases ({row['documents']} documents, {row['errors']} errors) "
              f"in {row['seconds']} s = {row['cases_per_s']} cases/s; read+extract {row['read_extract_s']} s; "
              f"peak RSS parent {row['peak_parent_mb']} MB, largest worker {row['peak_worker_mb']} MB")
    pdf = pdf_comparison(archive)
    print(f"PDF reading: {pdf['pdf_files']} files, {pdf['pages']} pages; read_pdf (pdfium) {pdf['ours_s']} s, "
          f"pdftotext {pdf['pdftotext_s']} s (one process per file); ratio ours/pdftotext = {pdf['ratio']}")
    peak = max((r["peak_parent_mb"] or 0) + (r["peak_worker_mb"] or 0) * max(1, r["jobs"] if r["jobs"] > 1 else 0)
               for r in rows)
    print(f"peak memory (parent + jobs × largest worker, worst run): {peak:.0f} MB (target < 1000 MB)")
    two = [r for r in rows if r["jobs"] == 2]
    if two:
        print(f"target >= 10 cases/s with 2 jobs: {'met' if two[0]['cases_per_s'] >= 10 else 'NOT met'} "
              f"({two[0]['cases_per_s']} cases/s)")
    print(json.dumps({"runs": rows, "pdf": pdf}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
