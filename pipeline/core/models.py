"""Typed, frozen records passed between the stages of a review.

reader -> SourceDoc (text, no interpretation)
typing -> SourceDoc with doc_type set (dataclasses.replace)
extract -> DocFields (one per document: Field records with provenance)
assemble -> CaseFile (the single object the checks receive)
checks -> Finding
scoring -> Score
output -> CaseResult (one line of cases.jsonl)

Every record is ``@dataclass(frozen=True, slots=True)``; stages return new records and never
mutate. ``to_dict()`` gives plain JSON-compatible data with a stable key order.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# The contract's doc_type keys (../shared/contract/archive.md), in archive order.
DOC_TYPES: tuple[str, ...] = (
    "case_source",
    "filing_approval",
    "inspection_record",
    "inquiry_record",
    "correction_order",
    "evidence_preservation",
    "coercive_measure",
    "av_record",
    "investigation_report",
    "legal_review",
    "collective_discussion",
    "prior_notice",
    "defence_record",
    "hearing_notice",
    "hearing_record",
    "decision_approval",
    "decision",
    "simple_decision",
    "non_penalty_decision",
    "service_receipt",
    "payment_receipt",
    "extension_approval",
    "withdrawal_approval",
    "closing_approval",
    "other",
)

TEXT_SOURCES = ("docx", "pdf_text", "ocr")
# What an extractor knows of a slot: "found" (a value was read) or "blank" (the label or cell was
# found and holds nothing: positive evidence that the value is missing). A slot that was not found
# at all has no Field. Checks report a defect only on "blank" or on a found value that breaks a rule.
FIELD_STATES = ("found", "blank")
SEVERITIES = ("veto", "major", "minor", "info")
STATUSES = ("ok", "partial", "error")

# Case-level field keys of case-result.schema.json, in schema order.
CASE_FIELD_KEYS: tuple[str, ...] = (
    "case_number", "procedure", "outcome", "squad", "party", "violation_type",
    "violation_place", "violation_date", "officers", "discovered_date", "filing_date",
    "notice_date", "notice_service_date", "hearing_waived", "legal_review_date",
    "extension_approved_date", "decision_date", "decision_service_date", "payment_date",
    "closing_date", "withdrawal_date", "violated_provisions", "penalty_basis", "penalty_kinds",
    "proposed_fine_yuan", "fine_yuan", "remedy",
)
LIST_FIELDS = frozenset({"officers", "violated_provisions", "penalty_basis", "penalty_kinds"})


def empty_case_fields() -> dict[str, Any]:
    """The schema's ``fields`` object with every key present and nothing known."""
    out: dict[str, Any] = {}
    for key in CASE_FIELD_KEYS:
        if key in LIST_FIELDS:
            out[key] = []
        elif key == "party":
            out[key] = {"name": None, "kind": None, "id_number": None, "address": None}
        elif key == "remedy":
            out[key] = {"reconsideration_body": None, "reconsideration_days": None,
                        "litigation_months": None, "litigation_court": None}
        else:
            out[key] = None
    return out


def dumps(obj: Any) -> str:
    """Deterministic JSON: sorted keys, no ASCII escaping, compact separators."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Page:
    """One page of text as read. ``number`` is 1-based within its file.

    ``line_boxes`` (OCR) holds one ``(x0, y0, x1, y1)`` per line of ``text``, as fractions of the
    (levelled) page's width and height, so a quote can be shown on the scan; empty for a text layer.
    """

    number: int
    text: str
    source: str = "docx"  # one of TEXT_SOURCES
    confidence: float | None = None  # OCR confidence (0..1), None for a text layer
    line_confidence: tuple[float, ...] = ()  # OCR: one value per line of ``text`` (may be empty)
    line_boxes: tuple[tuple[float, float, float, float], ...] = ()  # OCR: one box per line of ``text``
    rotation: int = 0  # OCR: degrees the page lay turned clockwise (0/90/180/270), corrected before reading
    skew: float = 0.0  # OCR: the page's small tilt in degrees (counter-clockwise positive), corrected too

    def __post_init__(self) -> None:
        if self.source not in TEXT_SOURCES:
            raise ValueError(f"Page.source must be one of {TEXT_SOURCES}, not {self.source!r}")


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """One logical document read from the archive, before interpretation.

    A single file gives one SourceDoc; a combined PDF/DOCX gives one per document title
    (``part`` counts from 1 then; 0 means the whole file is one document).
    ``doc_id`` is unique within the case: the path, plus ``#part`` for parts.
    """

    doc_id: str
    path: str  # relative to the archive root, '/'-separated
    kind: str  # docx | pdf | image
    pages: tuple[Page, ...]
    part: int = 0
    title: str | None = None
    doc_type: str = "other"
    type_confidence: float | None = None

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pages)

    @property
    def text_source(self) -> str:
        sources = {p.source for p in self.pages}
        if "ocr" in sources:
            return "ocr"
        return "docx" if self.kind == "docx" else "pdf_text"

    def page_of(self, offset: int) -> int | None:
        """1-based page number that holds character ``offset`` of ``self.text``."""
        pos = 0
        for p in self.pages:
            end = pos + len(p.text)
            if offset <= end:
                return p.number
            pos = end + 1
        return self.pages[-1].number if self.pages else None


@dataclass(frozen=True, slots=True)
class InputError:
    """A file (or part of one) that could not be read fully. ``code`` like ``E104``."""

    path: str
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class CaseInput:
    """What the reader found for one case: its documents and the errors met reading them."""

    case_id: str
    source: str
    docs: tuple[SourceDoc, ...]
    errors: tuple[InputError, ...] = ()
    files: tuple[str, ...] = ()  # every input file of the case, relative paths


@dataclass(frozen=True, slots=True)
class Span:
    """Provenance of a value: which document, which page, and the quoted text."""

    doc_id: str
    page: int | None
    start: int
    end: int
    quote: str

    def evidence(self, document: str | None = None) -> Evidence:
        return Evidence(document=document or self.doc_id, page=self.page, quote=self.quote)


@dataclass(frozen=True, slots=True)
class Field:
    """One extracted value with its provenance.

    ``value`` is JSON-compatible: str, int, float, bool, None, list or dict. Dates are ISO
    ``YYYY-MM-DD`` strings; date-times ``YYYY-MM-DDTHH:MM``.

    ``state`` is ``"found"`` for a value read, ``"blank"`` for a label or cell found empty (then
    ``value`` is None and ``span`` quotes the label). A slot not found at all has no Field.
    """

    name: str
    value: Any
    span: Span | None
    extractor_id: str
    confidence: float = 1.0
    state: str = "found"

    def __post_init__(self) -> None:
        if self.state not in FIELD_STATES:
            raise ValueError(f"Field.state must be one of {FIELD_STATES}, not {self.state!r}")

    @property
    def blank(self) -> bool:
        return self.state == "blank"


@dataclass(frozen=True, slots=True)
class DocFields:
    """A typed document together with the fields extracted from it.

    ``fields`` holds found and blank slots (``Field.state``); ``get`` returns either, ``value``
    is None for a blank one, ``found`` skips blanks and ``state`` tells which (None: not found).
    ``errors`` holds the E2xx error of an extractor that failed on this document (its fields are
    then empty; the rest of the case is read and checked).
    """

    doc: SourceDoc
    fields: tuple[Field, ...] = ()
    errors: tuple[InputError, ...] = ()

    def get(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None

    def value(self, name: str, default: Any = None) -> Any:
        f = self.get(name)
        return default if f is None or f.blank else f.value

    def all(self, name: str) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.name == name)

    def found(self, name: str) -> tuple[Field, ...]:
        """The fields ``name`` read with a value (blank slots left out)."""
        return tuple(f for f in self.fields if f.name == name and not f.blank)

    def state(self, name: str) -> str | None:
        """"found", "blank" or None (not found) for the first slot ``name``."""
        f = self.get(name)
        return None if f is None else f.state


@dataclass(frozen=True, slots=True)
class CaseFile:
    """The single object that checks receive.

    ``fields`` maps a case-field key to its candidates in precedence order (first = chosen);
    conflicting values between documents are all kept. ``docs`` keeps each document's own
    fields for checks that look at one document (seal, signatures, rights clauses ...).
    ``register`` is the case's row of the 台账, when a register was given.
    """

    case_id: str
    source: str
    docs: tuple[DocFields, ...]
    fields: Mapping[str, tuple[Field, ...]] = field(default_factory=dict)
    register: Mapping[str, Any] | None = None

    def value(self, name: str, default: Any = None) -> Any:
        cands = self.fields.get(name) or ()
        return cands[0].value if cands else default

    def field(self, name: str) -> Field | None:
        cands = self.fields.get(name) or ()
        return cands[0] if cands else None

    def docs_of(self, *doc_types: str) -> tuple[DocFields, ...]:
        return tuple(d for d in self.docs if d.doc.doc_type in doc_types)

    def has(self, *doc_types: str) -> bool:
        return any(d.doc.doc_type in doc_types for d in self.docs)


@dataclass(frozen=True, slots=True)
class Citation:
    """A structured legal citation: law, article and optional paragraph/item."""

    law: str
    article: str
    paragraph: str | None = None
    item: str | None = None
    note: str | None = None  # e.g. "UNCONFIRMED: local assumption"

    def __str__(self) -> str:
        s = f"《{self.law}》{self.article}"
        if self.paragraph:
            s += self.paragraph
        if self.item:
            s += self.item
        return s


@dataclass(frozen=True, slots=True)
class Evidence:
    document: str
    page: int | None
    quote: str

    def to_dict(self) -> dict[str, Any]:
        return {"document": self.document, "page": self.page, "quote": self.quote}


@dataclass(frozen=True, slots=True)
class Finding:
    check_id: str
    severity: str
    message: str
    citation: str
    evidence: tuple[Evidence, ...] = ()
    related_cases: tuple[str, ...] = ()
    stage: str | None = None
    occurrences: int = 1  # DEC-02 deducts per missing element

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"Finding.severity must be one of {SEVERITIES}, not {self.severity!r}")

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "check_id": self.check_id,
            "severity": self.severity,
            "message": self.message,
            "citation": self.citation,
            "evidence": [e.to_dict() for e in self.evidence],
        }
        if self.related_cases:
            d["related_cases"] = list(self.related_cases)
        if self.stage:
            d["stage"] = self.stage
        if self.occurrences != 1:
            d["occurrences"] = self.occurrences
        return d


@dataclass(frozen=True, slots=True)
class Unverified:
    """A point a check could not verify (未能核实，需人工核对): the value it needs was not found.

    Listed for the reviewer with the check that needed it; never a defect, never scored.
    ``point`` says what could not be verified and ``reason`` why, both in Chinese.
    """

    check_id: str
    point: str
    reason: str
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"check_id": self.check_id, "point": self.point, "reason": self.reason,
                "evidence": [e.to_dict() for e in self.evidence]}


@dataclass(frozen=True, slots=True)
class Deduction:
    item: str
    points: float
    check_id: str
    stage: str | None = None
    basis: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"item": self.item, "points": self.points, "check_id": self.check_id}
        if self.stage:
            d["stage"] = self.stage
        if self.basis:
            d["basis"] = self.basis
        return d


# What a finding does to the score (FindingEffect.status), with the words the documents print.
DEDUCTED, VETO, DISMISSED, PENDING, INFO, UNMAPPED, REPEAT = (
    "deducted", "veto", "dismissed", "pending", "info", "unmapped", "repeat")
EFFECT_LABELS = {
    DEDUCTED: "已扣分",
    VETO: "否决",
    DISMISSED: "已排除",
    PENDING: "待人工确认（不扣分）",
    INFO: "提示（不扣分）",
    UNMAPPED: "评分表未列（不扣分）",
    REPEAT: "同一检查项已扣分（每卷只扣一次）",
}


@dataclass(frozen=True, slots=True)
class FindingEffect:
    """What one finding does to the score: shown in the workbook and the review opinion.

    ``status``: deducted | veto | dismissed | pending (cross-case, not confirmed) | info | unmapped |
    repeat. One finding may have several effects (DEC-02: the plain elements and the seal element);
    ``index`` is the finding's position in the findings that were scored.
    """

    finding: Finding
    status: str
    item: str = ""
    points: float = 0.0
    stage: str | None = None
    basis: str = ""
    mode: str | None = None  # veto mode when status == veto
    decision: str | None = None  # confirmed | dismissed | None
    reason: str | None = None
    index: int = 0

    @property
    def label(self) -> str:
        text = EFFECT_LABELS.get(self.status, self.status)
        if self.decision == "confirmed":
            text += "（已确认）"
        return text


UNSCORED_GRADE = "不评分"


@dataclass(frozen=True, slots=True)
class Score:
    """A file's score. ``effects`` holds every finding's effect (in finding order), so the writers
    print what scoring decided and never compute it again; it is not part of ``to_dict``.

    ``unscored`` holds the reasons a file is not scored at all (grade 不评分: read errors, no
    documents, a file that is not finished …); such a file is listed first for manual review.
    A file has points only when it was scored on the 100-point sheet (``has_points``): not an
    unscored file, not a simple-procedure file the sheet does not score.
    """

    total: float
    grade: str
    vetoed: bool
    deductions: tuple[Deduction, ...] = ()
    stages: Mapping[str, float] = field(default_factory=dict)
    sheet_id: str | None = None
    effects: tuple[FindingEffect, ...] = ()
    unscored: tuple[str, ...] = ()

    @property
    def has_points(self) -> bool:
        return bool(self.stages) and not self.unscored

    def effects_of(self, index: int) -> tuple[FindingEffect, ...]:
        """The effects of the finding at ``index``."""
        return tuple(e for e in self.effects if e.index == index)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "total": self.total,
            "grade": self.grade,
            "vetoed": self.vetoed,
            "deductions": [x.to_dict() for x in self.deductions],
        }
        if self.stages:
            d["stages"] = dict(self.stages)
        if self.sheet_id:
            d["sheet_id"] = self.sheet_id
        if self.unscored:
            d["unscored"] = list(self.unscored)
        return d


@dataclass(frozen=True, slots=True)
class DocumentEntry:
    """One document line of the output (the schema's ``documents`` items)."""

    path: str
    doc_type: str
    pages: int | None
    text_source: str
    confidence: float | None
    title: str | None = None
    part: int = 0

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "path": self.path,
            "doc_type": self.doc_type,
            "pages": self.pages,
            "text_source": self.text_source,
            "confidence": self.confidence,
        }
        if self.title is not None:
            d["title"] = self.title
        if self.part:
            d["part"] = self.part
        return d


@dataclass(frozen=True, slots=True)
class CaseResult:
    """One line of cases.jsonl (contract/case-result.schema.json)."""

    case_id: str
    source: str
    status: str
    documents: tuple[DocumentEntry, ...]
    fields: Mapping[str, Any]
    findings: tuple[Finding, ...]
    score: Score | None
    errors: tuple[InputError, ...]
    provenance: Mapping[str, Any] = field(default_factory=dict)
    unverified: tuple[Unverified, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"CaseResult.status must be one of {STATUSES}, not {self.status!r}")

    def to_dict(self) -> dict[str, Any]:
        score = self.score.to_dict() if self.score else {
            "total": 0, "grade": UNSCORED_GRADE, "vetoed": False, "deductions": []}
        d: dict[str, Any] = {
            "case_id": self.case_id,
            "source": self.source,
            "status": self.status,
            "documents": [x.to_dict() for x in self.documents],
            "fields": dict(self.fields),
            "findings": [f.to_dict() for f in self.findings],
            "score": score,
            "errors": [e.to_dict() for e in self.errors],
        }
        if self.provenance:
            d["provenance"] = dict(self.provenance)
        d["unverified"] = [u.to_dict() for u in self.unverified]  # always present, possibly empty
        return d

    def to_json(self) -> str:
        return dumps(self.to_dict())
