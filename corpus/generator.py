"""Synthetic Qingpu 城管 case files with known truth: the test bed every later stage is measured against.

``generate_cases(n, month, seed)`` returns ``n`` CaseSpecs (documents as blocks, files, container,
truth); ``register_rows(cases)`` returns the 台账 rows. Deterministic for a seed: only
``random.Random(seed)`` is used, and every working-day computation goes through
``pipeline.core.workdays.WorkCalendar.default()``.

The month is made in steps, each in its own module:

- ``corpus.plan`` — what the month holds: kinds and their shares, clean cases, seeded defects and
  cross-case pairs, parties (``corpus.parties``), violation types (``corpus.vtypes``), fines, optional
  documents, numbers; dates (``corpus.timeline``) and officers' time slots (``corpus.schedule``);
- ``corpus.defects`` — the defect catalogue, and where each seeded defect bites on the documents
  (edits on named places, and the place its quote is taken from);
- ``corpus.documents`` — each document family's content (wording as data in
  ``corpus/data/wording/<doc_type>.yaml``), written from the plan with the defects' edits applied;
- ``corpus.files`` — how the case lands in the archive;
- ``corpus.truth`` — the truth records (conventions in its docstring);
- ``corpus.register`` — the 台账 rows.

Defect counts: each check id of checks.md is seeded ``max(1, round(2 * n / 100))`` times
(MIS-01/02/03 in pairs, ``per // 2 + 1`` pairs; each pair counts for both cases). For ``n >= 100``
every id therefore occurs at least twice; for smaller ``n`` ids are placed in order of scarcity
of compatible cases while they fit (at most 4 defects per case), so a small corpus may miss some
(n = 50 holds all 40 ids, n = 20 about 30). About half of the cases are clean (clean shares per
kind in ``corpus.plan.CLEAN_SHARE``). How each id is seeded: ``corpus/defects.py``.

Clean files hold every document their procedure needs (casefile.md §2–5) and pass every check:
all working-day and calendar-day periods are computed with ``WorkCalendar.default()``
(holiday roll-over, 调休 days), officers are scheduled so that nobody is in two places at once
(every timed record: inspection, inquiry, and the hearing the case investigators attend),
and record bodies are varied enough (< 0.9 similarity) not to look copied. Rare documents are
guaranteed in clean files of a large enough corpus: a held hearing, a coercive measure, an
extension, an evidence preservation, a statement with its 复核.
"""
from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Mapping, Sequence
from typing import Any

from corpus.case import Plan
from corpus.defects import document_edits
from corpus.documents import build_docs, text_of
from corpus.documents.bodies import inquiry_qa, inspection_body
from corpus.files import place_files
from corpus.plan import plan_month
from corpus.register import attach_phantoms, register_row, register_rows
from corpus.spec import Block, CaseSpec
from corpus.truth import case_truth, truth_fields

__all__ = ["generate_cases", "register_rows", "spec_to_json", "text_of"]


def generate_cases(n: int, month: str, seed: int, *, scanned_fraction: float = 0.0) -> list[CaseSpec]:
    """n cases of the month 'YYYY-MM' (Qingpu district), deterministic for a seed.

    ``scanned_fraction`` of the cases (drawn with their own seeded generator, so the cases
    themselves do not change) are marked ``truth["scanned"] = True``: the writer renders their PDF
    files as image-only scans (corpus/scan.py).
    """
    if not 0.0 <= scanned_fraction <= 1.0:
        raise ValueError("scanned_fraction must be between 0 and 1")
    cases = _generate(n, month, seed)
    k = round(len(cases) * scanned_fraction)
    if k:
        chosen = set(random.Random(f"{seed}:scanned").sample(range(len(cases)), k))
        cases = [dataclasses.replace(c, truth={**c.truth, "scanned": True}) if i in chosen else c
                 for i, c in enumerate(cases)]
    return cases



def _generate(n: int, month: str, seed: int) -> list[CaseSpec]:
    plans, rng = plan_month(n, month, seed)
    if not plans:
        return []
    by_id = {p.case_id: p for p in plans}
    edits = {p.case_id: document_edits(p.defects, p.variant) for p in plans}
    for p in plans:
        if p.kind != "sp":
            p.insp_body, p.insp_marks = inspection_body(p, rng, edits[p.case_id])
            if "inquiry" in p.d:
                p.qa = inquiry_qa(p, rng)
    # MIS-02: the second case gets the first one's inquiry body with its own names
    for p in plans:
        v = p.variant.get("MIS-02", "")
        if v.startswith("second:"):
            _copy_inquiry(by_id[v.split(":", 1)[1]], p)
    cases = [_case_spec(p, rng, edits[p.case_id]) for p in plans]
    return attach_phantoms(cases, rng, month)


def _copy_inquiry(first: Plan, p: Plan) -> None:
    fp, pp = first.party, p.party
    assert fp is not None and pp is not None

    def sub(s: str) -> str:
        for a, b in ((fp.name, pp.name), (fp.rep or "\0", pp.rep or "\0")):
            s = s.replace(a, b)
        return s

    p.qa = [(sub(q), sub(a)) for q, a in first.qa]


def _case_spec(p: Plan, rng: random.Random, edits: Mapping[str, str]) -> CaseSpec:
    built = build_docs(p, rng, edits)
    files, where = place_files(p, built.docs, rng)
    fields = truth_fields(p, built.remedy)
    register, note = register_row(p, fields, rng)
    return CaseSpec(p.case_id, p.container, files, case_truth(p, built, where, fields, register, note))


def spec_to_json(cases: Sequence[CaseSpec]) -> str:
    """A stable JSON dump of whole specs (for determinism tests and debugging)."""
    def blk(b: Block) -> dict[str, Any]:
        return {"kind": b.kind, "text": b.text, "rows": [list(r) for r in b.rows]}
    out = []
    for c in cases:
        out.append({"case_id": c.case_id, "container": c.container, "truth": c.truth,
                    "files": [{"name": f.name, "fmt": f.fmt,
                               "docs": [{"doc_type": d.doc_type, "title": d.title,
                                         "blocks": [blk(b) for b in d.blocks]} for d in f.docs]}
                              for f in c.files]})
    return json.dumps(out, ensure_ascii=False, sort_keys=True)
