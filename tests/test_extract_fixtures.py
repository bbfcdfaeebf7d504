"""Fixture documents of issue 13, one or more per cause (tests/fixtures/<cause>-*.docx|pdf, built
by tests/fixtures/make_fixtures.py), each read as a case of its own — reader, typing, extraction,
assembly — and compared with its golden fields (tests/golden/<fixture>/fields.json): every
document's type and fields (a blank slot as ``{"blank": <label>}``) and the case-level fields it
states. Every golden value was checked by hand against its document.

Rewrite the golden files after a deliberate change with:
    ANJUAN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_extract_fixtures.py
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from extractors.assemble import assemble, case_fields
from extractors.fields import extract_case
from pipeline.read.archive import CaseEntry, read_case

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"
UPDATE_CMD = "ANJUAN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_extract_fixtures.py"
NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".docx", ".pdf"))


def _read(name: str) -> dict[str, Any]:
    path = FIXTURES / name
    entry = CaseEntry(case_id=path.stem, source=path.name, kind=path.suffix.lstrip("."))
    case, docs = extract_case(read_case(FIXTURES, entry))
    out_docs = []
    for df in docs:
        fields: dict[str, Any] = {}
        for f in df.fields:
            fields.setdefault(f.name, {"blank": f.span.quote if f.span else None} if f.blank else f.value)
        out_docs.append({"doc_id": df.doc.doc_id, "doc_type": df.doc.doc_type, "fields": fields})
    stated = {k: v for k, v in case_fields(assemble(case, docs)).items() if v not in (None, [], {})}
    for key in ("party", "remedy"):
        if key in stated and all(v is None for v in stated[key].values()):
            del stated[key]
    return {"documents": out_docs, "case": stated, "errors": [e.code for e in case.errors]}


def test_extract_fixtures_one_per_cause() -> None:
    causes = ("officers-", "labels-", "lookalike-", "datetime-", "squad-", "case-number-", "real-decision-")
    assert all(any(n.startswith(c) for n in NAMES) for c in causes), NAMES


@pytest.mark.parametrize("name", NAMES)
def test_extract_fixture_matches_golden(name: str) -> None:
    got = _read(name)
    golden = GOLDEN / Path(name).stem / "fields.json"
    if os.environ.get("ANJUAN_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert golden.exists(), f"no golden fields for {name}; run {UPDATE_CMD}"
    want = json.loads(golden.read_text(encoding="utf-8"))
    assert got == want, f"{name} reads differently from its golden fields; if deliberate run {UPDATE_CMD}"
