"""Regenerate a month's outputs from the stored read results and the reviewers' decisions.

The workbench's Regenerate button. The month is reviewed again into its own results folder with
the settings recorded in ``summary.json`` (rules, month, review date) and the same database: every
case whose files are unchanged is taken from the store (``case_results``) instead of being read
again (a case whose files changed since is read again, in parallel), the reviewers' corrections
are applied before the checks, and the decisions in force decide the scores. Checking, scoring
and writing are those of ``anjuan review`` itself, so the opinions, the workbook, the letters and
the meeting material are exactly what the command would write with the same decisions (an opinion
whose case did not change comes out byte-identical).

``regenerate`` reports which output files changed, so the workbench can offer them first.
"""
from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.errors import AnjuanError

_LOCK = threading.Lock()  # one regeneration at a time per process


@dataclass(frozen=True, slots=True)
class Regenerated:
    """Every output file of the results folder (relative paths), and those whose bytes changed."""

    outputs: tuple[str, ...]
    changed: tuple[str, ...]
    report: str


def output_hashes(results: Path) -> dict[str, str]:
    """sha256 of every file below ``results`` (relative '/'-separated path -> hex digest)."""
    out = {}
    for p in sorted(results.rglob("*")):
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(results).parts):
            out[p.relative_to(results).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def regenerate(results: Path, *, db_path: Path, archive: Path, templates_dir: Path | None = None) -> Regenerated:
    """Review ``archive`` again into ``results`` with the settings its summary.json records."""
    from pipeline.run.review import ReviewSettings, review_archive

    results = Path(results)
    summary_path = results / "summary.json"
    if not summary_path.is_file():
        raise AnjuanError("E602", path=str(results))
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    recorded = summary.get("settings") or {}
    settings = ReviewSettings(
        rules_path=Path(recorded["rules"]) if recorded.get("rules") else None, db_path=Path(db_path), jobs=0,
        month=summary.get("month"), review_date=summary.get("review_date"), templates_dir=templates_dir,
        progress=False)
    with _LOCK:
        before = output_hashes(results)
        done = review_archive(Path(archive), results, settings)
        after = output_hashes(results)
    changed = tuple(k for k in after if before.get(k) != after[k] and k != "summary.json")
    return Regenerated(outputs=tuple(after), changed=changed, report=done.report())


__all__ = ["Regenerated", "output_hashes", "regenerate"]
