"""The cross-case digest of a case file: the few values the cross-case checks compare.

A digest is what the cross-case checks (MIS-01..MIS-04) need of a file, so that this month's
files and earlier months' files kept in the database are compared the same way. The checks build
them (``checks.cross_common.digest``); the store keeps them as JSON (``to_dict`` / ``from_dict``)
and gives them back with ``month`` set. Pure records: nothing here reads files.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CaseDigest", "RecordDigest"]


@dataclass(frozen=True, slots=True)
class RecordDigest:
    """One record of a file as the cross-case checks see it (times, place, officers, body)."""

    doc_id: str
    doc_type: str
    page: int | None = None
    place: str | None = None
    start: str | None = None  # YYYY-MM-DDTHH:MM
    end: str | None = None
    officers: tuple[tuple[str | None, str | None], ...] = ()  # (name, cert_no)
    body_norm: str = ""  # normalised body (checks.cross_common.normalise_body), "" when none
    body_quote: str = ""  # the first characters of the raw body
    time_quote: str = ""  # quote of the start/end/place as printed, for evidence

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id, "doc_type": self.doc_type, "page": self.page, "place": self.place,
            "start": self.start, "end": self.end,
            "officers": [{"name": n, "cert_no": c} for n, c in self.officers],
            "body_norm": self.body_norm, "body_quote": self.body_quote, "time_quote": self.time_quote,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> RecordDigest:
        return cls(
            doc_id=d["doc_id"], doc_type=d.get("doc_type") or "other", page=d.get("page"),
            place=d.get("place"), start=d.get("start"), end=d.get("end"),
            officers=tuple((o.get("name"), o.get("cert_no")) for o in d.get("officers") or ()),
            body_norm=d.get("body_norm") or "", body_quote=d.get("body_quote") or "",
            time_quote=d.get("time_quote") or "",
        )


@dataclass(frozen=True, slots=True)
class CaseDigest:
    """The values of one case file that MIS-01..MIS-04 compare across files and months.

    ``date`` is the date of the act (violation_date, else filing_date, else decision_date).
    ``spans`` keeps evidence for the case-level values: field -> (doc_id, page, quote).
    ``month`` is set by the store ('YYYY-MM'); None for this month's files.
    """

    case_id: str
    source: str = ""
    month: str | None = None
    case_number: str | None = None
    procedure: str | None = None
    squad: str | None = None
    party_name: str | None = None
    party_kind: str | None = None
    party_id: str | None = None
    violation_type: str | None = None
    place: str | None = None
    date: str | None = None
    fine_yuan: float | int | None = None
    filing_date: str | None = None
    closing_date: str | None = None
    records: tuple[RecordDigest, ...] = ()
    spans: Mapping[str, tuple[str, int | None, str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id, "source": self.source, "month": self.month,
            "case_number": self.case_number, "procedure": self.procedure, "squad": self.squad,
            "party_name": self.party_name, "party_kind": self.party_kind, "party_id": self.party_id,
            "violation_type": self.violation_type, "place": self.place, "date": self.date,
            "fine_yuan": self.fine_yuan, "filing_date": self.filing_date,
            "closing_date": self.closing_date,
            "records": [r.to_dict() for r in self.records],
            "spans": {k: list(v) for k, v in sorted(self.spans.items())},
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> CaseDigest:
        return cls(
            case_id=d["case_id"], source=d.get("source") or "", month=d.get("month"),
            case_number=d.get("case_number"), procedure=d.get("procedure"), squad=d.get("squad"),
            party_name=d.get("party_name"), party_kind=d.get("party_kind"),
            party_id=d.get("party_id"), violation_type=d.get("violation_type"),
            place=d.get("place"), date=d.get("date"), fine_yuan=d.get("fine_yuan"),
            filing_date=d.get("filing_date"), closing_date=d.get("closing_date"),
            records=tuple(RecordDigest.from_dict(r) for r in d.get("records") or ()),
            spans={k: (v[0], v[1], v[2]) for k, v in (d.get("spans") or {}).items()},
        )
