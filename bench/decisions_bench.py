"""Single documents (e.g. published 行政处罚决定书): labelled fields right, as ``anjuan extract`` reads them.

    python bench/decisions_bench.py DIR [DIR …]

Each DIR holds documents and a ``truth.jsonl`` with one line per document:
``{"path": "x.docx", "fields": {case_number, party: {name, kind, id_number, address}, violation_date, …}}``
(only the fields the document states, schema names). Every labelled field counts: right when the
value read equals the truth (``extractors.evaluate`` rules), wrong or missing otherwise. Printed per
directory: the share of labelled fields right, per field, and the misses (field, read, truth).
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path
from typing import Any

from _common import table

SUBKEYED = ("party", "remedy")


def _flat(fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in fields.items():
        if k in SUBKEYED and isinstance(v, dict):
            out.update({f"{k}.{s}": x for s, x in v.items()})
        else:
            out[k] = v
    return out


def score_dir(folder: Path) -> tuple[int, int, collections.Counter[str], collections.Counter[str], list[str]]:
    from extractors.evaluate import _eq
    from pipeline.run.commands import extract_file

    right = total = 0
    per_ok: collections.Counter[str] = collections.Counter()
    per_all: collections.Counter[str] = collections.Counter()
    misses: list[str] = []
    for line in (folder / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        t = json.loads(line)
        try:
            got = _flat(extract_file(folder / t["path"])["fields"])
        except Exception as exc:  # noqa: BLE001 - a crash is a miss of every field, reported
            got = {}
            misses.append(f"{t['path']}: CRASH {type(exc).__name__}: {exc}")
        for k, want in _flat(t["fields"]).items():
            if want is None or want == []:
                continue
            total += 1
            per_all[k] += 1
            if _eq(got.get(k), want):
                right += 1
                per_ok[k] += 1
            else:
                misses.append(f"{t['path']}: {k}: read {got.get(k)!r}, truth {want!r}")
    return right, total, per_ok, per_all, misses


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="+", type=Path)
    ap.add_argument("--show", type=int, default=40, help="misses to print per directory")
    a = ap.parse_args()
    for folder in a.dirs:
        right, total, ok, every, misses = score_dir(folder)
        print(f"== {folder}: labelled fields right {right}/{total} = {right / total if total else 0:.3f}")
        print(table([[k, f"{ok[k]}/{n}"] for k, n in sorted(every.items())], ["field", "right"]))
        for m in misses[: a.show]:
            print("  " + m)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
