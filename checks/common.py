"""Helpers shared by the check families: dates of a case, evidence from spans, party-kind
thresholds, applicability by procedure, Chinese formatting of dates and money.

Pure functions of ``CaseFile`` and ``CheckContext``; nothing here reads files.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pipeline.core.errors import CalendarMissingYear
from pipeline.core.models import CaseFile, DocFields, Evidence, Field, Finding

DECISION_TYPES = ("decision", "simple_decision", "non_penalty_decision")
GENERAL_TYPES = ("filing_approval", "prior_notice", "decision", "investigation_report",
                 "non_penalty_decision", "closing_approval", "withdrawal_approval")

# case-level date key -> (doc types holding it, doc-level names in preference order, served_doc filter)
DATE_SOURCES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "discovered_date": (("case_source",), ("discovered_date", "doc_date"), ()),
    "filing_date": (("filing_approval",), ("filing_date", "approval_date", "doc_date"), ()),
    "notice_date": (("prior_notice",), ("doc_date",), ()),
    "notice_service_date": (("service_receipt",), ("service_date",), ("prior_notice",)),
    "legal_review_date": (("legal_review",), ("legal_review_date", "doc_date"), ()),
    "extension_approved_date": (("extension_approval",),
                                ("extension_approved_date", "approval_date", "doc_date"), ()),
    "decision_date": (DECISION_TYPES, ("decision_date", "doc_date"), ()),
    "decision_service_date": (("service_receipt",), ("service_date",), DECISION_TYPES),
    "payment_date": (("payment_receipt",), ("payment_date", "doc_date"), ()),
    "closing_date": (("closing_approval",), ("closing_date", "approval_date", "doc_date"), ()),
    "withdrawal_date": (("withdrawal_approval",), ("withdrawal_date", "approval_date", "doc_date"), ()),
    "violation_date": ((), ("violation_date",), ()),
}

DOC_NAMES: dict[str, str] = {
    "case_source": "案件来源登记", "filing_approval": "立案审批表", "inspection_record": "现场检查笔录",
    "inquiry_record": "询问笔录", "correction_order": "责令改正通知书", "evidence_preservation": "证据先行登记保存文书",
    "coercive_measure": "查封（扣押）决定书", "av_record": "视音频记录", "investigation_report": "案件调查终结审批表",
    "legal_review": "法制审核意见", "collective_discussion": "集体讨论记录", "prior_notice": "行政处罚事先告知书",
    "defence_record": "陈述申辩笔录", "hearing_notice": "听证通知书", "hearing_record": "听证笔录",
    "decision_approval": "行政处罚决定审批表", "decision": "行政处罚决定书", "simple_decision": "当场行政处罚决定书",
    "non_penalty_decision": "不予行政处罚决定书", "service_receipt": "送达回证", "payment_receipt": "罚没款缴款凭证",
    "extension_approval": "延长办案期限审批表", "withdrawal_approval": "撤销立案审批表",
    "closing_approval": "结案审批表",
    "other": "其他文书",
}


# --- values ------------------------------------------------------------------------------------------

def to_date(value: Any) -> dt.date | None:
    """An ISO date (or the date part of an ISO date-time); None for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def to_money(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return value
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return None


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def cn_money(x: float) -> str:
    if float(x).is_integer():
        return f"{int(x)}元"
    return f"{x:.2f}元"


def doc_name(d: DocFields) -> str:
    """The document's Chinese name: its title when read, else the name of its type."""
    return d.doc.title or DOC_NAMES.get(d.doc.doc_type, d.doc.doc_type)


# --- evidence ------------------------------------------------------------------------------------------

def field_evidence(f: Field | None) -> list[Evidence]:
    if f is None or f.span is None:
        return []
    s = f.span
    return [Evidence(document=s.doc_id, page=s.page, quote=s.quote)]


def doc_evidence(d: DocFields, *names: str) -> Evidence:
    """Evidence from the first of ``names`` the document has with a span; else the document itself
    (its first page, its title or first line as the quote)."""
    for n in names:
        f = d.get(n)
        if f is not None and f.span is not None:
            return field_evidence(f)[0]
    page = d.doc.pages[0].number if d.doc.pages else None
    quote = d.doc.title or ""
    if not quote and d.doc.pages:
        quote = next((ln.strip() for ln in d.doc.pages[0].text.splitlines() if ln.strip()), "")[:60]
    return Evidence(document=d.doc.doc_id, page=page, quote=quote or doc_name(d))


def any_doc_evidence(case: CaseFile, *doc_types: str) -> list[Evidence]:
    """Evidence of the first document of the given types (in preference order), else the first document."""
    for t in doc_types:
        for d in case.docs:
            if d.doc.doc_type == t:
                return [doc_evidence(d)]
    return [doc_evidence(case.docs[0])] if case.docs else []


# --- dates of a case -----------------------------------------------------------------------------------

def served_docs(case: CaseFile, served: Sequence[str]) -> list[DocFields]:
    out = []
    for d in case.docs_of("service_receipt"):
        sd = d.value("served_doc")
        if not served or sd in served:
            out.append(d)
    return out


def case_date(case: CaseFile, key: str) -> tuple[dt.date | None, list[Evidence]]:
    """The case's date ``key``: the assembled case-level field first, then the documents that state it.
    Returns (date or None, evidence)."""
    f = case.field(key)
    if f is not None:
        d = to_date(f.value)
        if d is not None:
            ev = field_evidence(f)
            if not ev:
                ev = _date_doc_evidence(case, key)
            return d, ev
    types, names, served = DATE_SOURCES.get(key, ((), (key,), ()))
    docs = served_docs(case, served) if served else (case.docs_of(*types) if types else case.docs)
    for doc in docs:
        for n in names:
            g = doc.get(n)
            if g is not None and to_date(g.value) is not None:
                return to_date(g.value), (field_evidence(g) or [doc_evidence(doc)])
    return None, []


def _date_doc_evidence(case: CaseFile, key: str) -> list[Evidence]:
    types, names, served = DATE_SOURCES.get(key, ((), (key,), ()))
    docs = served_docs(case, served) if served else case.docs_of(*types)
    return [doc_evidence(docs[0], *names)] if docs else []


def doc_date(d: DocFields, *names: str) -> dt.date | None:
    """The first of ``names`` (default: doc_date, decision_date, approval_date, start_time) that parses."""
    for n in names or ("doc_date", "decision_date", "approval_date", "start_time"):
        v = to_date(d.value(n))
        if v is not None:
            return v
    return None


def doc_value_any(case: CaseFile, name: str, *doc_types: str) -> Any:
    for d in (case.docs_of(*doc_types) if doc_types else case.docs):
        f = d.get(name)
        if f is not None and f.value is not None:
            return f.value
    return None


def flag_true(case: CaseFile, name: str, *doc_types: str) -> bool:
    """Some document (of the given types) states the flag ``name`` as True."""
    return any(f.value is True for d in (case.docs_of(*doc_types) if doc_types else case.docs)
               for f in d.all(name))


# --- procedure, outcome, applicability ------------------------------------------------------------------

def procedure(case: CaseFile) -> str | None:
    p = case.value("procedure")
    if p in ("general", "simple"):
        return p
    if case.has(*GENERAL_TYPES):
        return "general"
    if case.has("simple_decision"):
        return "simple"
    return None


def outcome(case: CaseFile) -> str | None:
    o = case.value("outcome")
    if o:
        return o
    if case.has("decision", "simple_decision"):
        return "penalized"
    if case.has("non_penalty_decision"):
        return "not_penalized"
    if case.has("withdrawal_approval"):
        return "withdrawn"
    if case.has("filing_approval"):
        return "pending"
    return None


def applies(check_id: str, case: CaseFile, ctx: Any) -> bool:
    """Whether the check runs on this file: simple-procedure files get only the configured checks."""
    if procedure(case) != "simple":
        return True
    pats = ((ctx.rules.get("applicability") or {}).get("simple_procedure_checks")) or []
    return any(fnmatch.fnmatchcase(check_id, p) for p in pats)


def general_only(check_id: str, case: CaseFile, ctx: Any) -> bool:
    """True for a general-procedure file (or one whose procedure cannot be told but that has general
    documents), or a simple one when the configuration applies the check to simple files."""
    p = procedure(case)
    if p == "general":
        return True
    if p == "simple":
        return applies(check_id, case, ctx)
    return False


# --- party kind and thresholds ---------------------------------------------------------------------------

def party_kind(case: CaseFile, rules: Mapping[str, Any]) -> str | None:
    """individual | organisation | None. A 个体工商户 (credit code prefix 92 by default) counts as
    ``party.individual_business_as``."""
    party = case.value("party") or {}
    kind = party.get("kind") if isinstance(party, dict) else None
    idn = party.get("id_number") if isinstance(party, dict) else None
    if kind is None:
        kind = doc_value_any(case, "party_kind")
    if idn is None:
        idn = doc_value_any(case, "party_id_number")
    cfg = rules.get("party") or {}
    if isinstance(idn, str) and any(idn.strip().upper().startswith(p)
                                    for p in cfg.get("individual_business_id_prefixes") or ()):
        return cfg.get("individual_business_as") or kind
    return kind if kind in ("individual", "organisation") else None


KIND_CN = {"individual": "公民个人", "organisation": "法人或其他组织"}


def by_kind(table: Mapping[str, Any], kind: str | None) -> Any:
    return table.get(kind) if kind else None


def hearing_level(case: CaseFile, ctx: Any, fines: Iterable[float | None],
                  kinds: Iterable[str] = ()) -> tuple[bool | None, str]:
    """(True/False/None, reason): whether the penalty reaches the hearing level. None = cannot tell
    (party kind unknown and a fine between the two thresholds)."""
    th = (ctx.rules.get("thresholds") or {}).get("hearing") or {}
    heavy = [k for k in kinds if str(k).strip()
             and any(h in str(k) or str(k) in h for h in th.get("penalty_kinds") or ())]
    if heavy:
        return True, f"处罚种类为{'、'.join(heavy)}"
    values = [x for x in (to_money(f) for f in fines) if x is not None]
    if not values:
        return False, ""
    fine = max(values)
    kind = party_kind(case, ctx.rules)
    lo, hi = th.get("individual"), th.get("organisation")
    if kind is not None:
        limit = th.get(kind)
        if limit is not None and fine >= limit:
            return True, f"罚款{cn_money(fine)}达到{KIND_CN[kind]}{cn_money(limit)}的听证标准"
        return False, ""
    if hi is not None and fine >= hi:
        return True, f"罚款{cn_money(fine)}达到{cn_money(hi)}的听证标准"
    if lo is not None and fine < lo:
        return False, ""
    return None, f"罚款{cn_money(fine)}，当事人类型不明"


def hearing_level_of_case(case: CaseFile, ctx: Any) -> tuple[bool | None, str]:
    """Hearing level judged on the proposed and the decided penalty (waived hearings included)."""
    kinds = (list(case.value("penalty_kinds") or doc_value_any(case, "penalty_kinds", "decision") or [])
             + list(doc_value_any(case, "proposed_penalty_kinds", "prior_notice") or []))
    return hearing_level(case, ctx, [case.value("proposed_fine_yuan"), case.value("fine_yuan"),
                                     doc_value_any(case, "proposed_fine_yuan", "prior_notice"),
                                     doc_value_any(case, "fine_yuan", "decision")], kinds)


# --- findings -------------------------------------------------------------------------------------------

def finding(spec: Any, ctx: Any, message: str, evidence: Iterable[Evidence] = (), **kw: Any) -> Finding:
    """``spec.finding`` with the configured severity override (``checks.<ID>.severity``)."""
    if kw.get("severity") is None:
        kw.pop("severity", None)
        sev = ctx.params(spec.id).get("severity")
        if sev:
            kw["severity"] = sev
    return spec.finding(message, _dedupe(evidence), **kw)


def calendar_info(spec: Any, exc: CalendarMissingYear, evidence: Iterable[Evidence] = ()) -> Finding:
    """The explicit 'cannot compute' finding for a year the calendar does not cover (E303)."""
    return spec.finding(f"无法计算{spec.title}所涉期间：{exc}", _dedupe(evidence), severity="info")


def _dedupe(evidence: Iterable[Evidence]) -> list[Evidence]:
    seen: set[tuple[str, Any, str]] = set()
    out = []
    for e in evidence:
        k = (e.document, e.page, e.quote)
        if k not in seen:
            seen.add(k)
            out.append(e)
    return out


def missing(case_or_doc: Any, name: str) -> bool:
    """A clause flag stated as False (absent = unknown, not missing)."""
    f = case_or_doc.get(name) if isinstance(case_or_doc, DocFields) else None
    return f is not None and f.value is False


def empty_value(d: DocFields, name: str) -> bool | None:
    """True when the document has the field and it is empty; None when the field is absent."""
    f = d.get(name)
    if f is None:
        return None
    v = f.value
    return v is None or v == "" or v == [] or v == {}
