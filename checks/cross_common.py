"""Shared helpers of the cross-case checks MIS-01..MIS-04 (``checks/splitting.py``,
``checks/copied_text.py``, ``checks/double_booked.py``, ``checks/register_match.py``).

The cross-case checks run over the whole month (``cases``) and over the digests of earlier months
kept in the database (``ctx.history``, see ``pipeline/store/db.py``). A finding is attached only to
a case of this month; ``related_cases`` names the others, earlier months' cases included. The
messages say what was seen, never that misconduct happened; a reviewer confirms or dismisses them
(scoring.md §6: they deduct nothing until confirmed).

Each check works on :class:`pipeline.core.digest.CaseDigest` records — the few values a cross-case
check needs from a file — so that this month's files and earlier months' digests are compared the
same way. :func:`digest` builds one; the run builds the month's once (:func:`digests_for`) and
hands them to the checks in ``CheckContext.digests`` (:func:`month_digests` falls back to building
them when they are not given) and to the store. Parameters: ``checks/data/cross.yaml``
(:func:`load_cross_params`), overridden key by key by ``ctx.params(ID)``.

This module registers no check (``checks/__init__.py`` skips it in discovery).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from checks.registry import CheckContext
from extractors.normalise.names import names_match, norm_name
from extractors.violations import load_catalogue
from pipeline.core.digest import CaseDigest, RecordDigest
from pipeline.core.models import CaseFile, DocFields, Evidence

DATA_FILE = Path(__file__).parent / "data" / "cross.yaml"
QUOTE_CHARS = 40

# ---------------------------------------------------------------------------------------------
# parameters
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _load_cross_params_cached() -> dict[str, dict[str, Any]]:
    with DATA_FILE.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    out: dict[str, dict[str, Any]] = {}
    for check_id, params in (data.get("checks") or {}).items():
        out[check_id] = {k: v for k, v in (params or {}).items() if k != "status"}
    return out


def load_cross_params() -> dict[str, dict[str, Any]]:
    """The default parameters of MIS-01..MIS-04 from ``checks/data/cross.yaml`` (``status`` dropped)."""
    return {k: dict(v) for k, v in _load_cross_params_cached().items()}


def params_for(check_id: str, ctx: CheckContext | None = None) -> dict[str, Any]:
    """Defaults from cross.yaml, overridden key by key by ``ctx.params(check_id)``."""
    out = dict(_load_cross_params_cached().get(check_id, {}))
    if ctx is not None:
        for k, v in (ctx.params(check_id) or {}).items():
            if k != "status":
                out[k] = v
    return out



# ---------------------------------------------------------------------------------------------
# normalisation helpers (pure)
# ---------------------------------------------------------------------------------------------

ID_MASK_CHARS = frozenset("*×●○□■")
PUNCT_RE = re.compile(r"[\s\u3000·•,，.。、;；:：!！?？'\"“”‘’()（）\[\]【】〔〕{}<>《》\-—_/\\|]+")


def nfkc(text: str) -> str:
    if unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)



def norm_id(id_number: Any) -> str:
    """An id number (身份证号 / 统一社会信用代码): NFKC, upper case, mask characters as ``*``.

    In a 身份证号 (digits apart from masks) an ``X`` before the last character is a mask; the
    last may be the check digit. In a 统一社会信用代码 letters are kept.
    """
    if not id_number or not isinstance(id_number, str):
        return ""
    s = re.sub(r"\s+", "", nfkc(id_number)).upper()
    id_card = all(c.isdigit() or c in ID_MASK_CHARS or c == "X" for c in s)
    chars = []
    for i, c in enumerate(s):
        masked = c in ID_MASK_CHARS or (id_card and c == "X" and i < len(s) - 1)
        chars.append("*" if masked else c)
    return "".join(chars)


def ids_relation(a: str, b: str, min_visible: int) -> int | None:
    """+1 when two normalised ids match, -1 when they conflict, None when they cannot be compared."""
    if not a or not b or len(a) != len(b):
        return None
    visible = 0
    for ca, cb in zip(a, b):
        if ca == "*" or cb == "*":
            continue
        if ca != cb:
            return -1
        visible += 1
    return 1 if visible >= min_visible else None


def norm_place(place: Any, prefixes: Sequence[str] = (), suffixes: Sequence[str] = ()) -> str:
    """A place for comparison: NFKC, no whitespace/punctuation, without the configured prefixes
    (上海市, 青浦区 …) and trailing position words (门前, 附近 …)."""
    if not place or not isinstance(place, str):
        return ""
    s = PUNCT_RE.sub("", nfkc(place))
    changed = True
    while changed and s:
        changed = False
        for p in sorted(prefixes, key=len, reverse=True):
            if p and s.startswith(p) and len(s) > len(p):
                s = s[len(p):]
                changed = True
        for suf in sorted(suffixes, key=len, reverse=True):
            if suf and s.endswith(suf) and len(s) > len(suf):
                s = s[: -len(suf)]
                changed = True
    return s


_NUM_RE = re.compile(r"\d+")


def places_match(a: str, b: str, similarity: float, min_contained: int) -> bool:
    """Two normalised places are the same: equal, one contained in the other (long enough), or a
    rapidfuzz ratio >= ``similarity`` — never when both carry house numbers that differ."""
    if not a or not b:
        return False
    if a == b:
        return True
    na, nb = _NUM_RE.findall(a), _NUM_RE.findall(b)
    if na and nb and na != nb:
        return False
    if (a in b or b in a) and min(len(a), len(b)) >= min_contained:
        return True
    return fuzz.ratio(a, b) >= similarity


def place_args(p: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(p.get("place_strip_prefixes") or ()), tuple(p.get("place_strip_suffixes") or ())


_NUMERALS = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
# a 统一社会信用代码, or a run of digits / Chinese numerals with the date and time units between
# them: 2024年3月5日14时30分, 2024-03-05, 14:30, 五百, 310118199001011234, 13912345678
_SCRUB_RE = re.compile(
    r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}"
    rf"|[\d{_NUMERALS}]+(?:\s*[年月日号时点分:./\-]+\s*[\d{_NUMERALS}]*)*[Xx]?")
_NON_WORD_RE = re.compile(r"[\W_]+")


def normalise_body(text: str, remove: Iterable[str] = ()) -> str:
    """The text MIS-02 compares: the given names, addresses and places removed (longest first);
    then dates, times, id numbers, phone numbers and all numbers (Arabic and Chinese
    numerals, with the 年月日时分 units between them); then whitespace, punctuation and mask
    characters."""
    s = text or ""  # no NFKC: \d and \W below match full-width digits and punctuation too
    for r in sorted({nfkc(x) for x in remove if x and isinstance(x, str) and len(x.strip()) >= 2},
                    key=lambda x: (-len(x), x)):
        if r in s:
            s = s.replace(r, "")
    s = _SCRUB_RE.sub("", s)
    return _NON_WORD_RE.sub("", s)



def parse_dt(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def parse_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = nfkc(str(value)).strip()
    m = re.match(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", s)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_money(value: Any) -> float | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    s = re.sub(r"[,，\s元¥￥]", "", nfkc(str(value)))
    try:
        return float(s)
    except ValueError:
        return None


def fmt_money(v: float | None) -> str:
    if v is None:
        return "—"
    return str(int(v)) if float(v).is_integer() else f"{v:.2f}"



# ---------------------------------------------------------------------------------------------
# digests
# ---------------------------------------------------------------------------------------------

def span_of(case: CaseFile, name: str) -> tuple[str, int | None, str] | None:
    f = case.field(name)
    if f is None or f.span is None:
        return None
    return (f.span.doc_id, f.span.page, f.span.quote)


def _doc_span(d: DocFields, name: str) -> tuple[str, int | None, str] | None:
    f = d.get(name)
    if f is None or f.span is None:
        return None
    return (f.span.doc_id, f.span.page, f.span.quote)


def _officers(value: Any) -> tuple[tuple[str | None, str | None], ...]:
    out: list[tuple[str | None, str | None]] = []
    for o in value or ():
        if isinstance(o, Mapping):
            name, cert = o.get("name"), o.get("cert_no")
        elif isinstance(o, str):
            name, cert = o, None
        else:
            continue
        name = norm_name(name) or None
        cert = re.sub(r"\s+", "", nfkc(str(cert))).upper() if cert else None
        if name or cert:
            out.append((name, cert))
    return tuple(out)


def str_or_none(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    s = str(v).strip()
    return s or None


def digest(case: CaseFile) -> CaseDigest:
    """The cross-case digest of one case file (pure; the MIS-02 normalisation uses the
    default parameters of cross.yaml: ``doc_types``, ``max_chars``, ``fallback_to_text``)."""
    p2 = params_for("MIS-02")
    body_types = set(p2.get("doc_types") or ())
    max_chars = int(p2.get("max_chars") or 6000)
    party = case.value("party") or {}
    if not isinstance(party, Mapping):
        party = {"name": str(party)}
    party_name = party.get("name")
    party_kind = party.get("kind")
    party_id = party.get("id_number")
    party_addr = party.get("address")
    place = case.value("violation_place")
    officers_case = _officers(case.value("officers"))

    # names and addresses to remove from record bodies (all the case knows of)
    remove: set[str] = set()
    for v in (party_name, party_addr, place):
        if isinstance(v, str):
            remove.add(v)
    for n, _ in officers_case:
        if n:
            remove.add(n)
    for d in case.docs:
        for key in ("party_name", "party_representative", "party_address", "place", "witness",
                    "approver"):
            for f in d.all(key):
                if isinstance(f.value, str):
                    remove.add(f.value)
        for n, _ in _officers(d.value("officers")):
            if n:
                remove.add(n)

    records: list[RecordDigest] = []
    for d in case.docs:
        dt = d.doc.doc_type
        start, end = d.value("start_time"), d.value("end_time")
        body_field = d.get("body")
        body = body_field.value if body_field is not None and isinstance(body_field.value, str) else None
        body_page = body_field.span.page if body_field is not None and body_field.span else None
        if body is None and dt in body_types and p2.get("fallback_to_text", True):
            body = d.doc.text or None
        if not (start or end or body):
            continue
        if place is None and dt == "inspection_record" and d.value("place"):
            place = d.value("place")
        if party_name is None and d.value("party_name"):
            party_name = d.value("party_name")
        body_norm = normalise_body(body, remove)[:max_chars] if body else ""
        quotes = []
        for key in ("start_time", "end_time", "place"):
            sp = _doc_span(d, key)
            if sp and sp[2] and sp[2] not in quotes:
                quotes.append(sp[2])
        time_quote = "；".join(quotes) if quotes else "；".join(
            x for x in (fmt_span(str_or_none(start), str_or_none(end)), d.value("place") or "") if x)
        page = body_page
        if page is None:
            sp = _doc_span(d, "start_time")
            page = sp[1] if sp else (d.doc.pages[0].number if d.doc.pages else None)
        records.append(RecordDigest(
            doc_id=d.doc.doc_id, doc_type=dt, page=page,
            place=d.value("place") if isinstance(d.value("place"), str) else None,
            start=str_or_none(start), end=str_or_none(end),
            officers=_officers(d.value("officers")) or officers_case,
            body_norm=body_norm,
            body_quote=re.sub(r"\s+", "", body or "")[:QUOTE_CHARS],
            time_quote=time_quote,
        ))

    vdate = case.value("violation_date") or case.value("filing_date") or case.value("decision_date")
    spans: dict[str, tuple[str, int | None, str]] = {}
    for key in ("party", "violation_place", "violation_date", "filing_date", "decision_date",
                "closing_date", "fine_yuan", "squad", "case_number", "violation_type"):
        sp = span_of(case, key)
        if sp:
            spans[key] = sp
    fine = parse_money(case.value("fine_yuan"))
    if fine is not None and fine.is_integer():
        fine = int(fine)
    return CaseDigest(
        case_id=case.case_id, source=case.source, month=None,
        case_number=str_or_none(case.value("case_number")),
        procedure=str_or_none(case.value("procedure")), squad=str_or_none(case.value("squad")),
        party_name=str_or_none(party_name), party_kind=str_or_none(party_kind),
        party_id=str_or_none(party_id), violation_type=str_or_none(case.value("violation_type")),
        place=str_or_none(place), date=str_or_none(vdate), fine_yuan=fine,
        filing_date=str_or_none(case.value("filing_date")),
        closing_date=str_or_none(case.value("closing_date")),
        records=tuple(records), spans=spans,
    )




def digests_for(cases: Sequence[CaseFile]) -> list[CaseDigest]:
    """``[digest(c) for c in cases]``: the run builds the month's digests once, for the checks
    (``CheckContext.digests``) and for the store."""
    return [digest(c) for c in cases]


def month_digests(cases: Sequence[CaseFile], ctx: CheckContext) -> list[CaseDigest]:
    """This month's digests in the order of ``cases``: ``ctx.digests`` when the run gave them
    (one per case, same case ids), else built here."""
    given = ctx.digests
    if given is not None and len(given) == len(cases) and all(
            d.case_id == c.case_id for d, c in zip(given, cases)):
        return list(given)
    return digests_for(cases)


def history_digests(ctx: CheckContext, current_ids: set[str]) -> list[CaseDigest]:
    """Earlier months' digests, latest month per case id, without cases of this month."""
    best: dict[str, CaseDigest] = {}
    for h in ctx.history or ():
        d = h if isinstance(h, CaseDigest) else CaseDigest.from_dict(h)
        if d.case_id in current_ids:
            continue
        prev = best.get(d.case_id)
        if prev is None or (d.month or "") >= (prev.month or ""):
            best[d.case_id] = d
    return [best[k] for k in sorted(best)]


def evidence_at(doc: str, page: int | None, quote: str) -> Evidence:
    return Evidence(document=doc, page=page, quote=quote)


def case_ev(d: CaseDigest, key: str, fallback: str) -> Evidence:
    sp = d.spans.get(key)
    if sp:
        return evidence_at(sp[0], sp[1], sp[2])
    return evidence_at(d.case_id, None, fallback)


def violation_name(key: str | None) -> str:
    """The Chinese name of a violation-catalogue key (the key itself when unknown)."""
    if not key:
        return "—"
    try:
        v = load_catalogue().get(key)
    except Exception:  # the catalogue is optional here: a message must still be written
        v = None
    return v.name if v is not None else key


def fmt_span(start: str | None, end: str | None) -> str:
    """'2024-03-05T09:00', '2024-03-05T10:00' -> '2024-03-05 09:00至10:00'."""
    s = (start or "?").replace("T", " ")
    e = (end or "?").replace("T", " ")
    if s[:10] == e[:10] and len(e) > 11:
        e = e[11:]
    return f"{s}至{e}"


def label(d: CaseDigest) -> str:
    return f"{d.case_id}（{d.month}）" if d.month else d.case_id



def same_party(na: str, nb: str, ia: str, ib: str, p: Mapping[str, Any]) -> bool:
    """Same party by id number, or by name (masked-aware, fuzzy; ``names.names_match``), with
    MIS-01's parameters. Names and ids as given by ``norm_name`` / ``norm_id``."""
    rel = ids_relation(ia, ib, int(p.get("id_min_visible", 8)))
    if rel == 1:
        return True
    if rel == -1 and "*" not in ia and "*" not in ib:
        return False  # two full id numbers that differ: two parties, whatever the names
    return names_match(na, nb, similarity=float(p.get("name_similarity", 90)),
                       min_visible=int(p.get("name_min_visible", 1)))


def same_party_digest(a: CaseDigest, b: CaseDigest, p: Mapping[str, Any]) -> bool:
    """:func:`same_party` of two digests."""
    return same_party(norm_name(a.party_name), norm_name(b.party_name), norm_id(a.party_id),
                      norm_id(b.party_id), p)

