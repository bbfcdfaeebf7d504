"""Build a ``CaseFile`` from the compact YAML dict used by ``tests/cases/<ID>.yml``.

    case:
      procedure: general            # case-level field shortcuts
      outcome: penalized
      fields: {filing_date: 2024-03-01, party: {name: 张三, kind: individual}}
      docs:
        - {type: decision, id: d.pdf, title: 行政处罚决定书, fields: {decision_date: 2024-06-10, has_seal: true}}
        - {type: decision, id: d2.pdf, fields: {fine_yuan: 2000}, extra: [[fine_yuan, 1000]]}
        - {type: filing_approval, id: f.pdf, fields: {violation_type: x}, confidence: {violation_type: 0.8}}
        - {type: decision, id: scan.pdf, ocr: true}             # pages read by OCR
        - {type: filing_approval, id: f.pdf, blank: [approver]}  # a label found with nothing after it
      read_errors: [E102]                                       # the case was not read in full
      register: {case_number: "2403001", av_record: true}       # the case's 台账 row

Every document field gets a span (page 1, quote ``name：value``) so evidence can be asserted. A
case-level field takes the span of the same-named field of a document when one exists, else of
the first document of the type that states that date (``checks.common.DATE_SOURCES``).
YAML dates become ISO strings. A name listed under ``blank`` becomes a Field with
``state="blank"`` and value None (quote ``name：``). ``read_errors`` (codes) are the errors met
reading the case (:func:`read_errors`, given to ``run_case_checks``).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from checks.common import DATE_SOURCES
from pipeline.core.models import CaseFile, DocFields, Field, InputError, Page, SourceDoc, Span


def iso(value: Any) -> Any:
    """YAML dates/date-times → ISO strings, recursively."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): iso(v) for k, v in value.items()}
    if isinstance(value, list):
        return [iso(v) for v in value]
    return value


def _field(doc_id: str, name: str, value: Any, confidence: float = 1.0) -> Field:
    quote = f"{name}：{value}"
    return Field(name=name, value=value, span=Span(doc_id, 1, 0, len(quote), quote), extractor_id="test",
                 confidence=confidence)


def build_doc(spec: Mapping[str, Any], index: int) -> DocFields:
    doc_id = str(spec.get("id") or f"doc{index}.pdf")
    path = doc_id.split("#", 1)[0]
    kind = "docx" if path.endswith(".docx") else "pdf"
    text = str(spec.get("text") or spec.get("title") or "")
    source = "ocr" if spec.get("ocr") else ("docx" if kind == "docx" else "pdf_text")
    src = SourceDoc(doc_id=doc_id, path=path, kind=kind, pages=(Page(1, text, source),),
                    part=int(spec.get("part", 0)), title=spec.get("title"), doc_type=str(spec["type"]))
    conf = spec.get("confidence") or {}
    fields = [_field(doc_id, str(k), iso(v), float(conf.get(k, 1.0))) for k, v in (spec.get("fields") or {}).items()]
    fields += [_field(doc_id, str(k), iso(v)) for k, v in (spec.get("extra") or [])]
    for name in spec.get("blank") or ():
        quote = f"{name}："
        fields.append(Field(name=str(name), value=None, span=Span(doc_id, 1, 0, len(quote), quote),
                            extractor_id="test", state="blank"))
    return DocFields(doc=src, fields=tuple(fields))


def read_errors(spec: Mapping[str, Any]) -> tuple[InputError, ...]:
    """The case's ``read_errors`` codes as InputError records."""
    return tuple(InputError(path="case", code=str(c), message=str(c)) for c in spec.get("read_errors") or ())


def build_case(spec: Mapping[str, Any], case_id: str = "T0001") -> CaseFile:
    docs = tuple(build_doc(d, i) for i, d in enumerate(spec.get("docs") or []))
    values: dict[str, Any] = dict(iso(spec.get("fields") or {}))
    for key in ("procedure", "outcome"):
        if key in spec:
            values[key] = spec[key]
    fields: dict[str, tuple[Field, ...]] = {}
    for key, value in values.items():
        fields[key] = (_case_field(key, value, docs),)
    register = iso(spec["register"]) if spec.get("register") else None
    return CaseFile(case_id=str(spec.get("case_id", case_id)), source=f"{case_id}/", docs=docs, fields=fields,
                    register=register)


def _case_field(key: str, value: Any, docs: tuple[DocFields, ...]) -> Field:
    for d in docs:
        f = d.get(key)
        if f is not None and f.value == value:
            return f
    types, _names, served = DATE_SOURCES.get(key, ((), (), ()))
    for d in docs:
        if d.doc.doc_type in types and (not served or d.value("served_doc") in served):
            return _field(d.doc.doc_id, key, value)
    return Field(name=key, value=value, span=None, extractor_id="test")
