"""Case assembly: the case-level ``fields`` from every document's fields.

``assemble(case, docs, register_row)`` returns a ``CaseFile`` whose ``fields[key]`` lists every
candidate for a schema key in precedence order — the first is the chosen value, the others are
kept so that conflicts between documents (CON-01/02) stay visible. A candidate is the document's
own ``Field`` renamed to the case key (its Span and extractor id unchanged); values derived from
the set of documents (procedure, outcome, hearing_waived) carry the Span of the document they rest
on, or none.

Where each key takes its candidates from, in precedence order, is data:
``extractors/data/precedence.yaml`` (``extractors.precedence.PRECEDENCE``): the document types and
the field of each step, and in words what the code adds (derived values, agreement, fall-backs).
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from extractors.normalise import party as P
from extractors.normalise.brackets import BRACKETS, pair_brackets
from extractors.precedence import PRECEDENCE, Step
from extractors.squads import SQUADS
from extractors.violations import match_violation, violation_by_provisions
from pipeline.core.models import (
    CASE_FIELD_KEYS,
    LIST_FIELDS,
    CaseFile,
    CaseInput,
    DocFields,
    Field,
    Page,
    Span,
    empty_case_fields,
)

PARTY_ORDER = PRECEDENCE["party"].doc_types
# keys whose candidates are taken step by step from precedence.yaml, renamed to the key
_STEP_KEYS = ("violation_place", "violation_date", "officers", "discovered_date", "filing_date", "notice_date",
              "notice_service_date", "legal_review_date", "extension_approved_date", "decision_date",
              "decision_service_date", "payment_date", "closing_date", "withdrawal_date", "violated_provisions",
              "penalty_basis", "penalty_kinds", "fine_yuan", "remedy", "proposed_fine_yuan")


def _as(f: Field, key: str, value: Any = dataclasses.MISSING) -> Field:
    v = f.value if value is dataclasses.MISSING else value
    return dataclasses.replace(f, name=key, value=v)


def _fields_of(docs: Iterable[DocFields], doc_types: Sequence[str], name: str) -> list[Field]:
    """Fields ``name`` from documents of ``doc_types``, in the order of ``doc_types``."""
    out: list[Field] = []
    for dt in doc_types:
        for d in docs:
            if d.doc.doc_type == dt:
                out.extend(d.found(name))
    return out




def _page_of(docs: Sequence[DocFields], span: Span | None) -> Page | None:
    if span is None:
        return None
    for d in docs:
        if d.doc.doc_id == span.doc_id:
            return next((p for p in d.doc.pages if p.number == span.page), None)
    return None


def _printed_case_number(cands: list[Field], docs: Sequence[DocFields]) -> list[Field]:
    """The case number as printed when the chosen one was read by OCR.

    Brackets are what OCR misreads in a 文号 (〔〕 as ] or 」, ［］ as []). When the same number,
    brackets aside, is printed on a page with a text layer (a DOCX or born-digital PDF of the case:
    a receipt, the closing form), that reading is put first; otherwise a closing bracket that
    does not match the opening one is mended (``pipeline.read.ocr.pair_brackets``). The OCR candidate stays
    behind it, so the evidence of both is kept."""
    if not cands:
        return cands
    first = cands[0]
    page = _page_of(docs, first.span)
    if not isinstance(first.value, str) or page is None or page.source != "ocr":
        return cands
    parts = re.split(f"[{re.escape(BRACKETS)}]", first.value)
    if len(parts) < 2:
        return cands
    pattern = re.compile(f"[{re.escape(BRACKETS)}]".join(re.escape(p) for p in parts))
    for d in docs:
        for pg in d.doc.pages:
            if pg.source == "ocr":
                continue
            m = pattern.search(pg.text.replace(" ", "").replace("\u3000", ""))
            if m and m.group(0) != first.value:
                span = Span(d.doc.doc_id, pg.number, m.start(), m.end(), m.group(0))
                return [Field("case_number", m.group(0), span, "assemble.case_number.printed.v1", 1.0)] + cands
            if m:
                return cands
    mended = pair_brackets(first.value)
    if mended == first.value:
        return cands
    return [dataclasses.replace(first, value=mended, extractor_id="assemble.case_number.paired.v1")] + cands[1:]


def _first_inspection(docs: Sequence[DocFields]) -> list[DocFields]:
    recs = [d for d in docs if d.doc.doc_type == "inspection_record"]
    return sorted(recs, key=lambda d: (d.value("start_time") or d.value("doc_date") or "9999",))


def _party_candidates(docs: Sequence[DocFields]) -> list[Field]:
    ordered: list[DocFields] = []
    for dt in PARTY_ORDER:
        ordered.extend(d for d in docs if d.doc.doc_type == dt)
    ordered.extend(d for d in docs if d.doc.doc_type not in PARTY_ORDER)
    cands: list[Field] = []
    for i, d in enumerate(ordered):
        nf = next(iter(d.found("party_name")), None)
        if nf is None:
            continue
        val = {"name": nf.value, "kind": None,
               "id_number": d.value("party_id_number"), "address": d.value("party_address")}
        # fill a missing sub-key from a later document naming a compatible party
        for later in ordered[i + 1:]:
            ln = later.value("party_name")
            if ln is None or not _compatible(nf.value, ln):
                continue
            if val["id_number"] is None and later.value("party_id_number"):
                val["id_number"] = later.value("party_id_number")
            if val["address"] is None and later.value("party_address"):
                val["address"] = later.value("party_address")
        val["kind"] = P.party_kind(id_number=val["id_number"], name=val["name"])
        cands.append(_as(nf, "party", val))
    # the name most documents agree on wins (a one-off spelling in one document stays a
    # visible conflict, CON-01); ties keep the precedence order
    counts: dict[str, int] = {}
    for c in cands:
        counts[c.value["name"]] = counts.get(c.value["name"], 0) + 1
    if cands:
        best = max(range(len(cands)), key=lambda i: (counts[cands[i].value["name"]], -i))
        cands.insert(0, cands.pop(best))
    return cands


def _compatible(a: str, b: str) -> bool:
    fn = getattr(P, "names_compatible", None)
    if fn is None:
        return a == b
    res = fn(a, b)
    return bool(res[0] if isinstance(res, tuple) else res)


def _violation_type(docs: Sequence[DocFields]) -> list[Field]:
    out: list[Field] = []
    steps = PRECEDENCE["violation_type"].steps
    causes = _fields_of(docs, steps[0].doc_types, steps[0].field)
    for step in steps:
        if step.match == "provision":
            if not out:  # the cited article decides only when no wording matched
                for f in _fields_of(docs, step.doc_types, step.field):
                    key, _score = violation_by_provisions(f.value)
                    if key:
                        out.append(_as(f, "violation_type", key))
                        break
            continue
        for f in causes if step is steps[0] else _fields_of(docs, step.doc_types, step.field):
            if step.match == "violation":
                key, _score = match_violation(f.value)
                if key:
                    out.append(_as(f, "violation_type", key))
            else:
                out.append(_as(f, "violation_type"))
    if not out and causes:
        out.append(_as(causes[0], "violation_type", causes[0].value))
    return out


def _step_candidates(docs: Sequence[DocFields], key: str, step: Step, simple: bool) -> list[Field]:
    """The candidates one step of precedence.yaml gives for ``key``, renamed to it."""
    if step.when == "simple" and not simple:
        return []
    if step.served:
        return [_as(f, key) for f in _served(docs, step.served)]
    if step.order == "start_time":
        src = [f for d in _first_inspection([d for d in docs if d.doc.doc_type in step.doc_types])
               for f in d.found(step.field)]
    else:
        src = _fields_of(docs, step.doc_types, step.field)
    if step.field == "start_time":  # a date key read from a date-time
        return [_as(f, key, f.value[:10]) for f in src]
    return [_as(f, key) for f in src]


def _gazetteer_name(f: Field) -> Field:
    """A squad as a document names it (短称 金泽中队, or the full name) under the gazetteer's name
    for it; a name the gazetteer does not know stays as written."""
    hit = SQUADS.find(str(f.value))
    return f if hit is None or hit[2] == f.value else dataclasses.replace(f, value=hit[2])


def _gazetteer_squads(case: CaseInput, docs: Sequence[DocFields],
                      register_row: Mapping[str, Any] | None) -> list[Field]:
    """Squads the gazetteer finds where no squad label is: the head and foot of each document (its
    agency line, 落款), then the folder name, then the register row."""
    out: list[Field] = []
    order = PRECEDENCE["squad"].doc_types
    ranked = sorted(docs, key=lambda d: order.index(d.doc.doc_type) if d.doc.doc_type in order else len(order))
    for d in ranked:
        text = d.doc.text
        for lo in (0, max(0, len(text) - _EDGE)):
            hit = _squad_line(text, lo, min(len(text), lo + _EDGE))
            if hit:
                s, e, name = hit
                span = Span(d.doc.doc_id, d.doc.page_of(s), s, e, text[s:e])
                out.append(Field("squad", name, span, "assemble.squad.gazetteer.v1", 0.8))
                break
    for where, text in (("folder", case.source), ("register", str((register_row or {}).get("squad") or ""))):
        hit = SQUADS.find(text)
        if hit:
            out.append(Field("squad", hit[2], None, f"assemble.squad.{where}.v1", 0.7))
    return out


_EDGE = 200  # characters of a document's head and foot searched for a squad name
# what may stand beside a squad name on its own line: the agency, a seal mark, brackets, a date
_LINE_REST = re.compile(r"[\s()（）〔〕\[\]【】:：]|上海市|青浦区|城市管理行政执法局|城管执法局|印章|公章|盖章|"
                        r"[0-9０-９〇零一二三四五六七八九十年月日./-]")


def _squad_line(text: str, lo: int, hi: int) -> tuple[int, int, str] | None:
    """A squad the gazetteer knows on a line of [lo, hi) that names nothing else (an agency line,
    a 落款): (start, end, squad name). A squad named inside a sentence or a field is not taken."""
    pos = lo
    while pos < hi:
        end = text.find("\n", pos, hi)
        end = hi if end == -1 else end
        line = text[pos:end]
        hit = SQUADS.find(line)
        if hit and len(_LINE_REST.sub("", line[:hit[0]] + line[hit[1]:])) <= 2:
            return pos + hit[0], pos + hit[1], hit[2]
        pos = end + 1
    return None


def _derived(key: str, value: Any, basis: Field | None = None, eid: str | None = None) -> Field:
    return Field(key, value, basis.span if basis else None, eid or f"assemble.{key}.v1", 1.0)


def _served(docs: Sequence[DocFields], targets: Sequence[str]) -> list[Field]:
    out: list[Field] = []
    for d in docs:
        if d.doc.doc_type != "service_receipt" or d.value("served_doc") not in targets:
            continue
        out.extend(d.found("service_date"))
    return out


def assemble(case: CaseInput, docs: Sequence[DocFields],
             register_row: Mapping | None = None) -> CaseFile:
    """The CaseFile of ``case``: per schema key, every candidate in precedence order.

    case (CaseInput): the case as read.
    docs (Sequence[DocFields]): one DocFields per document (``extract_document``).
    register_row (Mapping | None): the case's 台账 row, kept on the CaseFile as it is.
    RETURNS (CaseFile): ``fields[key]`` candidates (first = chosen) for every key that has any.
    """
    docs = tuple(docs)
    types = {d.doc.doc_type for d in docs}
    simple = "simple_decision" in types
    F: dict[str, list[Field]] = {k: [] for k in CASE_FIELD_KEYS}

    cn = PRECEDENCE["case_number"]
    F["case_number"] = _printed_case_number(_fields_of(docs, cn.doc_types, cn.field), docs)

    if docs:
        sd = next((d for d in docs if d.doc.doc_type == "simple_decision"), None)
        basis = sd.get("doc_number") or sd.get("decision_date") if sd else None
        F["procedure"] = [_derived("procedure", "simple" if simple else "general", basis)]

    # outcome
    if types & {"decision", "simple_decision"}:
        F["outcome"] = [_derived("outcome", "penalized")]
    elif "non_penalty_decision" in types:
        F["outcome"] = [_derived("outcome", "not_penalized")]
    elif "withdrawal_approval" in types:
        wd = next(d for d in docs if d.doc.doc_type == "withdrawal_approval")
        tr = wd.get("transferred")
        if tr is not None and tr.value:
            F["outcome"] = [_derived("outcome", "transferred", tr)]
        else:
            F["outcome"] = [_derived("outcome", "withdrawn", wd.get("withdrawal_date"))]
    elif docs:
        F["outcome"] = [_derived("outcome", "pending")]

    sq = PRECEDENCE["squad"]
    F["squad"] = [_gazetteer_name(f) for f in _fields_of(docs, sq.doc_types, sq.field)] \
        + _gazetteer_squads(case, docs, register_row)

    F["party"] = _party_candidates(docs)
    F["violation_type"] = _violation_type(docs)

    for key in _STEP_KEYS:
        for step in PRECEDENCE[key].steps:
            F[key].extend(_step_candidates(docs, key, step, simple))

    waivers = [f for d in docs for f in d.all("hearing_waived") if f.value is True]
    if waivers:
        F["hearing_waived"] = [_as(waivers[0], "hearing_waived", True)]
    else:
        hw = PRECEDENCE["hearing_waived"]
        told = [f for f in _fields_of(docs, hw.doc_types, hw.field) if f.value is True]
        if told:
            F["hearing_waived"] = [_as(told[0], "hearing_waived", False)]

    fields = {k: tuple(v) for k, v in F.items() if v}
    return CaseFile(case_id=case.case_id, source=case.source, docs=docs, fields=fields,
                    register=dict(register_row) if register_row is not None else None)


def case_fields(case: CaseFile) -> dict[str, Any]:
    """The schema's ``fields`` object: every key present, chosen values, JSON-ready."""
    out = empty_case_fields()
    for key in CASE_FIELD_KEYS:
        v = case.value(key)
        if v is None:
            continue
        if key in ("party", "remedy"):
            merged = dict(out[key])
            merged.update({k: v.get(k) for k in merged})
            out[key] = merged
        elif key in LIST_FIELDS:
            out[key] = [dict(x) if isinstance(x, Mapping) else x for x in v]
        else:
            out[key] = v
    return out


def field_provenance(case: CaseFile) -> dict[str, dict[str, Any]]:
    """{key: {document, part, page, quote}} for every chosen value that has a Span."""
    by_id = {d.doc.doc_id: d.doc for d in case.docs}
    out: dict[str, dict[str, Any]] = {}
    for key in CASE_FIELD_KEYS:
        f = case.field(key)
        if f is None or f.span is None:
            continue
        doc = by_id.get(f.span.doc_id)
        out[key] = {"document": doc.path if doc else f.span.doc_id,
                    "part": doc.part if doc else 0,
                    "page": f.span.page, "quote": f.span.quote}
    return out
