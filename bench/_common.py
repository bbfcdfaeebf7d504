"""Shared helpers for the bench scripts: build a corpus, run the stages in-process with timings."""
from __future__ import annotations

import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def make_corpus(n: int, month: str, seed: int, keep: Path | None = None, scanned_fraction: float = 0.0) -> Path:
    from pipeline.run.commands import generate_corpus

    work = keep or Path(tempfile.mkdtemp(prefix="anjuan-bench-"))
    if not (work / "truth.jsonl").exists():
        generate_corpus(n, month, seed, work, scanned_fraction=scanned_fraction)
    return work


def load_truth(work: Path) -> dict[str, dict[str, Any]]:
    out = {}
    for line in (work / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        t = json.loads(line)
        out[t["case_id"]] = t
    return out


@dataclass
class Stages:
    cases: list[Any] = field(default_factory=list)       # CaseFile
    inputs: list[Any] = field(default_factory=list)      # CaseInput
    t_read: float = 0.0
    t_extract: float = 0.0
    t_assemble: float = 0.0
    n_docs: int = 0
    n_pages: int = 0


def read_extract(work: Path) -> Stages:
    """Read, type, extract and assemble every case of ``work/archive`` on one core."""
    from extractors.assemble import assemble
    from extractors.fields import extract_document
    from extractors.ocrconf import with_ocr_confidence
    from extractors.nlp import build_nlp
    from pipeline.read.archive import list_cases, read_case

    nlp = build_nlp()
    st = Stages()
    archive = work / "archive"
    for entry in list_cases(archive):
        t = time.perf_counter()
        ci = read_case(archive, entry)
        st.t_read += time.perf_counter() - t
        t = time.perf_counter()
        docs = [with_ocr_confidence(extract_document(d, nlp)) for d in ci.docs]
        st.t_extract += time.perf_counter() - t
        t = time.perf_counter()
        st.cases.append(assemble(ci, docs, None))
        st.t_assemble += time.perf_counter() - t
        st.inputs.append(ci)
        st.n_docs += len(ci.docs)
        st.n_pages += sum(len(d.pages) for d in ci.docs)
    return st


def table(rows: list[list[Any]], header: list[str]) -> str:
    cols = [header] + [[str(c) for c in r] for r in rows]
    widths = [max(len(str(r[i])) for r in cols) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)) for r in cols]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
