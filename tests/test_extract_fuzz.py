"""No crash costs a case (issue 13, item 1): every registered extractor runs over mutated
documents — dropped lines, swapped labels, joined lines, half-width punctuation, spaced titles —
and no exception escapes it (``debug=True`` re-raises, so a crash fails the test). A document
whose extractor does fail keeps no fields and carries an E210 error naming it.

Bounded: few examples per test, no deadline; a failure prints the minimal mutation (hypothesis
shrinks it): add it as an ``@example`` to keep it.
"""
from __future__ import annotations

import functools
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from extractors.fields import all_extractors, extract_case, extract_document
from extractors.fields.labels import LABEL_SETS
from pipeline.core.models import CaseInput, Page, SourceDoc

FUZZ = settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

FIXTURES = Path(__file__).parent / "fixtures"
# one plausible document per form: {doc_type: (title, text)}
SEEDS: dict[str, tuple[str, str]] = {
    k: (v["title"], v["text"])
    for k, v in yaml.safe_load((FIXTURES / "fuzz_seeds.yaml").read_text(encoding="utf-8")).items()}
for _spec in all_extractors().values():  # every form has a seed
    assert _spec.fallback or set(_spec.doc_types) <= set(SEEDS), _spec.name

_LABELS = sorted({x for s in LABEL_SETS.values() for x in s.synonyms})
_HALF = str.maketrans({"：": ":", "，": ",", "；": ";", "（": "(", "）": ")", "。": ".", "〔": "[", "〕": "]"})


@functools.cache
def _nlp():
    from extractors.nlp import build_nlp

    return build_nlp()


def _doc(doc_type: str, text: str, kind: str, title: str | None) -> SourceDoc:
    source = "docx" if kind == "docx" else "pdf_text"
    return SourceDoc(doc_id=f"x.{kind}", path=f"x.{kind}", kind=kind, pages=(Page(1, text, source),),
                     doc_type=doc_type, title=title)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str, str, str | None]:
    doc_type = draw(st.sampled_from(sorted(SEEDS)))
    title, text = SEEDS[doc_type]
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(("drop", "swap_label", "join", "half", "space_title", "cut", "blank_cells")))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "drop":
            del lines[i]
        elif op == "swap_label":
            here = [x for x in _LABELS if x in lines[i]]
            if here:
                lines[i] = lines[i].replace(draw(st.sampled_from(here)), draw(st.sampled_from(_LABELS)), 1)
        elif op == "join" and i + 1 < len(lines):
            lines[i:i + 2] = [lines[i] + draw(st.sampled_from(("", " ", "\t"))) + lines[i + 1]]
        elif op == "half":
            lines[i] = lines[i].translate(_HALF)
        elif op == "space_title":
            lines[i] = " ".join(lines[i])
        elif op == "cut":
            lines[i] = lines[i][:draw(st.integers(0, max(0, len(lines[i]) - 1)))]
        else:
            lines[i] = "\t".join(part.split("：")[0] for part in lines[i].split("\t"))
    kind = draw(st.sampled_from(("docx", "pdf")))
    return doc_type, "\n".join(lines), kind, draw(st.sampled_from((title, None)))


@FUZZ
@given(mutated())
@example(("decision", SEEDS["decision"][1], "pdf", "行政处罚决定书"))  # issue 13: 第2024058812号 has no year group
def test_extract_fuzz_no_exception_escapes_an_extractor(case: tuple[str, str, str, str | None]) -> None:
    doc_type, text, kind, title = case
    df = extract_document(_doc(doc_type, text, kind, title), _nlp(), debug=True)
    for f in df.fields:
        assert f.span is None or 0 <= f.span.start <= f.span.end <= len(text)
        assert f.state in ("found", "blank") and (f.value is None) == f.blank


@pytest.mark.parametrize("doc_type", sorted(SEEDS))
@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_extract_fuzz_seed_documents_read_without_error(doc_type: str, kind: str) -> None:
    title, text = SEEDS[doc_type]
    df = extract_document(_doc(doc_type, text, kind, title), _nlp(), debug=True)
    assert df.errors == () and df.fields


def test_extract_fuzz_a_failing_extractor_costs_one_document_not_the_case(monkeypatch: pytest.MonkeyPatch) -> None:
    import extractors.fields as F

    def boom(t, o, sd):  # noqa: ANN001 - the registered signature
        raise IndexError("no such group")

    spec = F.extractor_for("decision")
    monkeypatch.setitem(F._BY_TYPE, "decision", type(spec)(spec.name, spec.doc_types, spec.fields, boom))
    title, text = SEEDS["decision"]
    notice_title, notice_text = SEEDS["prior_notice"]
    case = CaseInput(case_id="C1", source="C1", docs=(
        _doc("decision", text, "docx", title),
        SourceDoc(doc_id="n.docx", path="n.docx", kind="docx", pages=(Page(1, notice_text, "docx"),),
                  doc_type="prior_notice", title=notice_title)))
    case2, docs = extract_case(case, _nlp())
    assert docs[0].fields == () and [e.code for e in docs[0].errors] == ["E210"]
    assert docs[1].errors == () and docs[1].value("proposed_fine_yuan") == 200
    (err,) = case2.errors
    assert err.code == "E210" and err.path == "x.docx" and "x.docx《行政处罚决定书》" in err.message
    assert "IndexError: no such group" in err.message
    with pytest.raises(IndexError):
        extract_document(case.docs[0], _nlp(), debug=True)
