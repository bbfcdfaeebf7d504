"""Cross-case checks MIS-01..MIS-04: signals that need more than one file to see.

They run over the whole month (``cases``) and over the digests of earlier months kept in the
database (``ctx.history``, see ``pipeline/store.py``). A finding is attached only to a case of this
month; ``related_cases`` names the others, earlier months' cases included. The messages say what
was seen, never that misconduct happened; a reviewer confirms or dismisses them (scoring.md §6:
they deduct nothing until confirmed).

Each check works on :class:`CaseDigest` records — the few values a cross-case check needs from a
file — so that this month's files and earlier months' digests are compared the same way.
``digest(case)`` builds one (``digests_for(cases)`` builds the month's once and caches them for
the four checks and for saving); ``CaseDigest.to_dict()/from_dict()`` is what the store keeps.
``match_register_row(case, rows)`` finds a case's 台账 row (by case number or case id, brackets
and whitespace normalised). Parameters: ``checks/data/cross.yaml`` (``load_cross_params()``),
overridden key by key by ``ctx.params(ID)``.

Speed: nothing compares all pairs. MIS-01 blocks by violation type and then by party (prefix
filtering on the characters of unmasked names, positional keys for masked names, id-number keys);
MIS-02 blocks with a one-permutation MinHash over each text's rarest character shingles (LSH
bands) and verifies the candidates with rapidfuzz (recall is probabilistic: a copy with edits
scattered all through the text may be missed; a copy identical after normalisation never is);
MIS-03 sorts each officer's intervals and sweeps them; MIS-04 joins the register by normalised
case number.

MIS-04 and register rows without a file: such a row has no case to attach to, so its finding is
yielded under the pseudo case id ``台账:<case_number>`` (``REGISTER_PREFIX``). ``run_cross_checks``
therefore returns these ids next to the real ones; the run lists them in summary.json
(``register_only_findings(result)`` picks them out).
"""
from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

import numpy as np
import yaml
from rapidfuzz import fuzz

from checks.registry import CheckContext, check
from pipeline.core.models import CaseFile, Citation, DocFields, Evidence, Finding

REGISTER_PREFIX = "台账:"
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

MASK_CHARS = frozenset("*×●○□■◯某")  # 某: pseudonymised names (张某, 某某公司)
ID_MASK_CHARS = frozenset("*×●○□■")
_PUNCT_RE = re.compile(r"[\s\u3000·•,，.。、;；:：!！?？'\"“”‘’()（）\[\]【】〔〕{}<>《》\-—_/\\|]+")


def _nfkc(text: str) -> str:
    if unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)


def norm_name(name: Any) -> str:
    """A party name for comparison: NFKC, no whitespace or punctuation (mask characters kept)."""
    if not name or not isinstance(name, str):
        return ""
    return _PUNCT_RE.sub("", _nfkc(name))


def has_mask(name: str) -> bool:
    return any(c in MASK_CHARS for c in name)


def names_match(a: str, b: str, similarity: float, min_visible: int) -> bool:
    """Two normalised names name the same party.

    Masked names (``张*``, ``张某``, ``上海**餐饮有限公司``) must have the same length and agree on
    every position where neither is masked, with at least ``min_visible`` such positions. Unmasked
    names match when the rapidfuzz ratio reaches ``similarity`` (0-100).
    """
    if not a or not b:
        return False
    if a == b:
        return True
    if has_mask(a) or has_mask(b):
        if len(a) != len(b):
            return False
        visible = 0
        for ca, cb in zip(a, b):
            if ca in MASK_CHARS or cb in MASK_CHARS:
                continue
            if ca != cb:
                return False
            visible += 1
        return visible >= min_visible
    return fuzz.ratio(a, b) >= similarity


def norm_id(id_number: Any) -> str:
    """An id number (身份证号 / 统一社会信用代码): NFKC, upper case, mask characters as ``*``.

    In a 身份证号 (digits apart from masks) an ``X`` before the last character is a mask; the
    last may be the check digit. In a 统一社会信用代码 letters are kept.
    """
    if not id_number or not isinstance(id_number, str):
        return ""
    s = re.sub(r"\s+", "", _nfkc(id_number)).upper()
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
    s = _PUNCT_RE.sub("", _nfkc(place))
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


def _place_args(p: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
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
    for r in sorted({_nfkc(x) for x in remove if x and isinstance(x, str) and len(x.strip()) >= 2},
                    key=lambda x: (-len(x), x)):
        if r in s:
            s = s.replace(r, "")
    s = _SCRUB_RE.sub("", s)
    return _NON_WORD_RE.sub("", s)


def norm_case_number(value: Any) -> str:
    """A case number / case id for joining the register: NFKC, no whitespace, brackets unified."""
    if value is None:
        return ""
    s = _nfkc(str(value))
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"[\[【〔(（]", "〔", s)
    s = re.sub(r"[\]】〕)）]", "〕", s)
    return s


def _parse_dt(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _parse_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = _nfkc(str(value)).strip()
    m = re.match(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", s)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _parse_money(value: Any) -> float | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    s = re.sub(r"[,，\s元¥￥]", "", _nfkc(str(value)))
    try:
        return float(s)
    except ValueError:
        return None


def _fmt_money(v: float | None) -> str:
    if v is None:
        return "—"
    return str(int(v)) if float(v).is_integer() else f"{v:.2f}"


# ---------------------------------------------------------------------------------------------
# digests
# ---------------------------------------------------------------------------------------------


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
    body_norm: str = ""  # normalised body (normalise_body), "" when none
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
    def from_dict(cls, d: Mapping[str, Any]) -> "RecordDigest":
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
    def from_dict(cls, d: Mapping[str, Any]) -> "CaseDigest":
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


def _span_of(case: CaseFile, name: str) -> tuple[str, int | None, str] | None:
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
        cert = re.sub(r"\s+", "", _nfkc(str(cert))).upper() if cert else None
        if name or cert:
            out.append((name, cert))
    return tuple(out)


def _str_or_none(v: Any) -> str | None:
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
            x for x in (_fmt_span(_str_or_none(start), _str_or_none(end)), d.value("place") or "") if x)
        page = body_page
        if page is None:
            sp = _doc_span(d, "start_time")
            page = sp[1] if sp else (d.doc.pages[0].number if d.doc.pages else None)
        records.append(RecordDigest(
            doc_id=d.doc.doc_id, doc_type=dt, page=page,
            place=d.value("place") if isinstance(d.value("place"), str) else None,
            start=_str_or_none(start), end=_str_or_none(end),
            officers=_officers(d.value("officers")) or officers_case,
            body_norm=body_norm,
            body_quote=re.sub(r"\s+", "", body or "")[:QUOTE_CHARS],
            time_quote=time_quote,
        ))

    vdate = case.value("violation_date") or case.value("filing_date") or case.value("decision_date")
    spans: dict[str, tuple[str, int | None, str]] = {}
    for key in ("party", "violation_place", "violation_date", "filing_date", "decision_date",
                "closing_date", "fine_yuan", "squad", "case_number", "violation_type"):
        sp = _span_of(case, key)
        if sp:
            spans[key] = sp
    fine = _parse_money(case.value("fine_yuan"))
    if fine is not None and fine.is_integer():
        fine = int(fine)
    return CaseDigest(
        case_id=case.case_id, source=case.source, month=None,
        case_number=_str_or_none(case.value("case_number")),
        procedure=_str_or_none(case.value("procedure")), squad=_str_or_none(case.value("squad")),
        party_name=_str_or_none(party_name), party_kind=_str_or_none(party_kind),
        party_id=_str_or_none(party_id), violation_type=_str_or_none(case.value("violation_type")),
        place=_str_or_none(place), date=_str_or_none(vdate), fine_yuan=fine,
        filing_date=_str_or_none(case.value("filing_date")),
        closing_date=_str_or_none(case.value("closing_date")),
        records=tuple(records), spans=spans,
    )


_LAST_DIGESTS: tuple[Any, list[CaseDigest]] | None = None


def digests_for(cases: Sequence[CaseFile]) -> list[CaseDigest]:
    """``[digest(c) for c in cases]``, computed once per ``cases`` object: the four checks share
    it, and the run may reuse it to save the month's digests (same list object, no recompute)."""
    return _digests_of(cases)


def _digests_of(cases: Sequence[CaseFile]) -> list[CaseDigest]:
    """Digests of this month's cases, computed once per ``cases`` object for the four checks."""
    global _LAST_DIGESTS
    last = _LAST_DIGESTS
    if last is not None and last[0] is cases and len(last[1]) == len(cases):
        return last[1]
    out = [digest(c) for c in cases]
    _LAST_DIGESTS = (cases, out)
    return out


def _history(ctx: CheckContext, current_ids: set[str]) -> list[CaseDigest]:
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


def _ev(doc: str, page: int | None, quote: str) -> Evidence:
    return Evidence(document=doc, page=page, quote=quote)


def _case_ev(d: CaseDigest, key: str, fallback: str) -> Evidence:
    sp = d.spans.get(key)
    if sp:
        return _ev(sp[0], sp[1], sp[2])
    return _ev(d.case_id, None, fallback)


def _violation_name(key: str | None) -> str:
    """The Chinese name of a violation-catalogue key (the key itself when unknown)."""
    if not key:
        return "—"
    try:
        from extractors.violations import load_catalogue

        v = load_catalogue().get(key)
    except Exception:  # the catalogue is optional here: a message must still be written
        v = None
    return v.name if v is not None else key


def _fmt_span(start: str | None, end: str | None) -> str:
    """'2024-03-05T09:00', '2024-03-05T10:00' -> '2024-03-05 09:00至10:00'."""
    s = (start or "?").replace("T", " ")
    e = (end or "?").replace("T", " ")
    if s[:10] == e[:10] and len(e) > 11:
        e = e[11:]
    return f"{s}至{e}"


def _label(d: CaseDigest) -> str:
    return f"{d.case_id}（{d.month}）" if d.month else d.case_id


# ---------------------------------------------------------------------------------------------
# MIS-01 case splitting
# ---------------------------------------------------------------------------------------------


class _PartyIndex:
    """Candidate generation for 'same party' within one block of digests (no all-pairs).

    - unmasked names: prefix filtering on character tokens; a pair with rapidfuzz ratio >= t
      shares at least ceil(t/(2-t)·|x|) characters, so indexing the |x|-ceil(α|x|)+1 rarest
      characters of each name finds every such pair;
    - masked names probe a positional index (length, position, character) with their rarest
      visible character;
    - id numbers: keys on (length, last 4) and (length, first 6) visible characters.
    """

    def __init__(self, names: Sequence[str], ids: Sequence[str], similarity: float) -> None:
        self.names, self.ids = names, ids
        n = len(names)
        self.cands: list[set[int]] = [set() for _ in range(n)]
        alpha = (similarity / 100.0) / (2.0 - similarity / 100.0)
        toks: list[list[tuple[str, int]]] = []
        df: dict[tuple[str, int], int] = {}
        for nm in names:
            t: list[tuple[str, int]] = []
            if nm and not has_mask(nm):
                seen: dict[str, int] = {}
                for c in nm:
                    seen[c] = seen.get(c, 0) + 1
                    t.append((c, seen[c]))
                for tok in t:
                    df[tok] = df.get(tok, 0) + 1
            toks.append(t)
        inverted: dict[Any, list[int]] = {}
        for i, t in enumerate(toks):
            if not t:
                continue
            t.sort(key=lambda tok: (df[tok], tok))
            plen = len(t) - math.ceil(alpha * len(t) - 1e-9) + 1
            for tok in t[:max(plen, 1)]:
                inverted.setdefault(("n", tok), []).append(i)
        positional: dict[tuple[int, int, str], list[int]] = {}
        for i, nm in enumerate(names):
            if not nm:
                continue
            for pos, c in enumerate(nm):
                if c not in MASK_CHARS:
                    positional.setdefault((len(nm), pos, c), []).append(i)
        for i, nm in enumerate(names):
            if nm and has_mask(nm):
                keys = [(len(nm), pos, c) for pos, c in enumerate(nm) if c not in MASK_CHARS]
                if keys:
                    best = min(keys, key=lambda k: (len(positional.get(k, ())), k))
                    for j in positional.get(best, ()):
                        if j != i:
                            self.cands[i].add(j)
                            self.cands[j].add(i)
        for i, idn in enumerate(ids):
            if not idn:
                continue
            if len(idn) >= 4 and "*" not in idn[-4:]:
                inverted.setdefault(("t", len(idn), idn[-4:]), []).append(i)
            if len(idn) >= 6 and "*" not in idn[:6]:
                inverted.setdefault(("h", len(idn), idn[:6]), []).append(i)
        for members in inverted.values():
            if len(members) < 2:
                continue
            for a in members:
                self.cands[a].update(members)
        for i in range(n):
            self.cands[i].discard(i)


def _same_party(a: CaseDigest, b: CaseDigest, na: str, nb: str, ia: str, ib: str,
                p: Mapping[str, Any]) -> bool:
    rel = ids_relation(ia, ib, int(p.get("id_min_visible", 8)))
    if rel == 1:
        return True
    if rel == -1 and "*" not in ia and "*" not in ib:
        return False  # two full id numbers that differ: two parties, whatever the names
    return names_match(na, nb, float(p.get("name_similarity", 90)), int(p.get("name_min_visible", 1)))


def _split_threshold(members: Sequence[CaseDigest], th: Mapping[str, Any], unknown_kind: str) -> float:
    kinds = [m.party_kind for m in members if m.party_kind in ("individual", "organisation")]
    kind = kinds[0] if kinds else unknown_kind
    return float(th.get(kind) if th.get(kind) is not None else th.get("individual"))


@check(id="MIS-01", name="case-splitting", title="拆分案件", severity="major", stage=None,
       citation=Citation(law="中华人民共和国行政处罚法", article="第二十九条",
                         note="另见第五十一条、第六十三条；《上海市城市管理综合行政执法重大执法决定法制审核办法》第三条"),
       cross=True)
def case_splitting(cases: Sequence[CaseFile], ctx: CheckContext) -> Iterator[tuple[str, Finding]]:
    """Flags several small cases against one party for one act that together reach a threshold.

    检查内容：同一当事人（名称模糊一致，或证件号一致）、同一违法行为类型、同一地点，在 30 日
    （window_days）内被分成两案以上处理，每案罚款都低于某一标准（简易程序 200/3,000 元；听证及
    重大法制审核 5,000/50,000 元，按个人/单位），合计却达到该标准。包括上月及更早月份的案件。
    法律依据：《行政处罚法》第二十九条（一事不再罚）、第五十一条、第六十三条；上海重大执法决定法制
    审核办法第三条。
    不通过示例：个人三案各罚 1,800 元，30 日内，合计 5,400 元 ≥ 5,000 元。
    通过示例：同一店铺两案各罚 400 元（合计未达标准）；同一当事人两案相隔 40 日。
    """
    spec = case_splitting.spec  # type: ignore[attr-defined]
    p = params_for("MIS-01", ctx)
    window = int(p.get("window_days", 30))
    prefixes, suffixes = _place_args(p)
    cur = _digests_of(cases)
    current_ids = {d.case_id for d in cur}
    allds = [d for d in cur] + _history(ctx, current_ids)
    n_cur = len(cur)

    by_type: dict[str, list[int]] = {}
    for i, d in enumerate(allds):
        if d.violation_type and _parse_date(d.date) and _parse_money(d.fine_yuan):
            by_type.setdefault(d.violation_type, []).append(i)

    names = [norm_name(d.party_name) for d in allds]
    ids = [norm_id(d.party_id) for d in allds]
    places = [norm_place(d.place, prefixes, suffixes) for d in allds]
    dates = [_parse_date(d.date) for d in allds]
    fines = [_parse_money(d.fine_yuan) for d in allds]
    psim, pmin = float(p.get("place_similarity", 85)), int(p.get("place_min_contained", 6))

    results: dict[int, tuple[set[int], list[str]]] = {}
    for vtype in sorted(by_type):
        block = by_type[vtype]
        if not any(i < n_cur for i in block):
            continue
        index = _PartyIndex([names[i] for i in block], [ids[i] for i in block],
                            float(p.get("name_similarity", 90)))
        for bi, i in enumerate(block):
            if i >= n_cur:
                continue
            di = dates[i]
            neigh = [i]
            for bj in sorted(index.cands[bi]):
                j = block[bj]
                dj = dates[j]
                if abs((dj - di).days) > window:  # type: ignore[operator]
                    continue
                if not places_match(places[i], places[j], psim, pmin):
                    continue
                if not _same_party(allds[i], allds[j], names[i], names[j], ids[i], ids[j], p):
                    continue
                neigh.append(j)
            if len(neigh) < 2:
                continue
            hit = _best_split(i, neigh, dates, fines, allds, p, window)
            if hit:
                results[i] = hit

    for i in sorted(results, key=lambda k: allds[k].case_id):
        members, labels = results[i]
        d = allds[i]
        group = sorted(members | {i}, key=lambda k: (dates[k], allds[k].case_id))
        fines_txt = "、".join(f"{_label(allds[k])} {_fmt_money(fines[k])}元" for k in group)
        total = sum(fines[k] or 0 for k in group)
        span_days = (max(dates[k] for k in group) - min(dates[k] for k in group)).days  # type: ignore
        msg = (f"疑似拆分案件：当事人“{d.party_name or '—'}”因同一类违法行为（{_violation_name(d.violation_type)}）"
               f"在同一地点（{d.place or '—'}）{span_days}日内被分为{len(group)}案处理（{fines_txt}），"
               f"单案罚款均未达到{'、'.join(labels)}，合计{_fmt_money(total)}元已达到。请人工核实是否属同一违法行为。")
        ev: list[Evidence] = []
        for k in group:
            o = allds[k]
            ev.append(_case_ev(o, "fine_yuan", f"罚款{_fmt_money(fines[k])}元"))
            ev.append(_case_ev(o, "violation_place", o.place or ""))
        yield d.case_id, spec.finding(msg, ev, related_cases=[allds[k].case_id for k in group if k != i])


def _best_split(i: int, neigh: Sequence[int], dates: Sequence[Any], fines: Sequence[Any],
                allds: Sequence[CaseDigest], p: Mapping[str, Any], window: int
                ) -> tuple[set[int], list[str]] | None:
    """For anchor ``i`` and its matching neighbours: the cases that, with ``i``, form a split
    within ``window`` days for some threshold, and the labels of the thresholds reached."""
    order = sorted(neigh, key=lambda k: (dates[k], allds[k].case_id))
    ds = [dates[k] for k in order]
    members: set[int] = set()
    labels: list[str] = []
    unknown_kind = str(p.get("unknown_party_kind") or "individual")
    for th in p.get("thresholds") or ():
        procs = th.get("procedures")
        kind = th.get("kind", "trigger")
        if procs and allds[i].procedure not in procs and allds[i].procedure is not None:
            continue
        limit = _split_threshold([allds[k] for k in order], th, unknown_kind)

        def below(k: int) -> bool:
            f = fines[k]
            if f is None or f <= 0:
                return False
            if procs and allds[k].procedure is not None and allds[k].procedure not in procs:
                return False
            return f <= limit if kind == "max" else f < limit

        if not below(i):
            continue
        reached = False
        di = dates[i]
        # every window [s, s + window] that contains the anchor, s at a member's date
        for s in ds:
            if s > di or (di - s).days > window:
                continue
            lo, hi = bisect_left(ds, s), bisect_right(ds, date.fromordinal(s.toordinal() + window))
            grp = [k for k in order[lo:hi] if below(k)]
            if i not in grp or len(grp) < 2:
                continue
            total = sum(fines[k] for k in grp)
            if (total > limit) if kind == "max" else (total >= limit):
                members.update(k for k in grp if k != i)
                reached = True
        if reached:
            labels.append(f"{th.get('label') or th.get('name')}（{_fmt_money(limit)}元）")
    return (members, labels) if members else None


# ---------------------------------------------------------------------------------------------
# MIS-02 duplicated record text
# ---------------------------------------------------------------------------------------------

def _all_shingles(texts: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """(owner, hash) of the distinct character k-shingles of every text, 32-bit hashes,
    sorted by owner then hash. Deterministic and vectorised over all texts at once."""
    sep = "\x00"
    joined = sep.join(texts) + sep
    cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(cp) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    is_sep = (cp == 0).astype(np.int64)
    csep = np.concatenate([[0], np.cumsum(is_sep)])
    valid = (csep[k:k + n] - csep[:n]) == 0  # no separator inside the window
    owner = csep[:n]  # number of separators before the window = index of its text
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * np.uint64(0x100000001B3) + cp[j:j + n] + np.uint64(j + 1)
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
    key = np.sort((owner[valid].astype(np.uint64) << np.uint64(32)) | (h[valid] >> np.uint64(32)))
    key = key[np.concatenate([[True], key[1:] != key[:-1]])]  # distinct (np.unique is slower here)
    return (key >> np.uint64(32)).astype(np.int64), key & np.uint64(0xFFFFFFFF)


def _lsh_candidates(texts: Sequence[str], k: int, bins: int, rows: int, keep_fraction: float,
                    keep_min: int, min_jaccard: float = 0.0) -> list[tuple[int, int]]:
    """Pairs of texts that share a band of their one-permutation MinHash signature.

    The signature of a text is taken over its rarest shingles only (shingles found in no other
    text dropped; then the ``keep_fraction`` rarest, at least ``keep_min``, ordered by the number
    of texts holding them and then by hash, the same order for every text). Boilerplate (the
    officers' opening formula, the rights statement, a squad's template) thus does not make
    every pair of texts a candidate, while two copies keep the same rare shingles. Empty bins
    are filled from the next bin to the right (rotation densification). Candidate pairs whose
    signatures agree on fewer than ``min_jaccard`` of the bins are dropped before verification.
    """
    n_texts = len(texts)
    if n_texts < 2:
        return []
    owner, allh = _all_shingles(texts, k)
    if len(allh) == 0:
        return []
    # df: the number of texts holding each shingle (sort-based; np.unique is slower here)
    by_hash = np.argsort(allh, kind="stable")
    hs = allh[by_hash]
    starts = np.flatnonzero(np.concatenate([[True], hs[1:] != hs[:-1]]))
    sizes = np.diff(np.concatenate([starts, [len(hs)]]))
    df = np.empty(len(allh), dtype=np.int64)
    df[by_hash] = np.repeat(sizes, sizes)
    shared = df > 1
    allh, owner, df = allh[shared], owner[shared], df[shared]
    if len(allh) == 0:
        return []
    # within each text (rows are by text, then hash): rarest first, ties by hash
    by_text_df = (owner.astype(np.uint64) << np.uint64(32)) | np.minimum(df, 2**32 - 1).astype(np.uint64)
    order = np.argsort(by_text_df, kind="stable")
    allh, owner = allh[order], owner[order]
    n_per = np.bincount(owner, minlength=n_texts)
    first = np.concatenate([[0], np.cumsum(n_per)[:-1]])
    rank = np.arange(len(owner)) - first[owner]
    limit = np.maximum(np.ceil(n_per * keep_fraction).astype(np.int64), keep_min)
    keep = rank < limit[owner]
    allh, owner = allh[keep], owner[keep]
    # one-permutation MinHash: the least value in each bin
    empty = np.uint64(np.iinfo(np.uint64).max)
    cell = owner * bins + (allh % np.uint64(bins)).astype(np.int64)
    val = allh // np.uint64(bins)
    composite = np.sort((cell.astype(np.uint64) << np.uint64(32)) | val)
    cell_s = (composite >> np.uint64(32)).astype(np.int64)
    val_s = composite & np.uint64(0xFFFFFFFF)
    head = np.concatenate([[True], cell_s[1:] != cell_s[:-1]])
    sig = np.full(n_texts * bins, empty, dtype=np.uint64)
    sig[cell_s[head]] = val_s[head]
    sig = sig.reshape(n_texts, bins)
    has_any = np.zeros(n_texts, dtype=bool)
    has_any[owner] = True
    # rotation densification: an empty bin takes the next filled bin to its right (circular)
    idx = np.arange(2 * bins)
    filled = np.concatenate([sig != empty, sig != empty], axis=1)
    pos = np.where(filled, idx, 4 * bins)
    nxt = np.minimum.accumulate(pos[:, ::-1], axis=1)[:, ::-1][:, :bins]
    with np.errstate(invalid="ignore"):
        src = np.where(nxt < 4 * bins, nxt % bins, 0)
        dist = np.where(nxt < 4 * bins, nxt - idx[:bins], 0).astype(np.uint64)
    with np.errstate(over="ignore"):
        sig = np.take_along_axis(sig, src, axis=1) + dist * np.uint64(1 << 40)
    live = np.nonzero(has_any)[0]
    sig = sig[live]
    cand: set[tuple[int, int]] = set()
    with np.errstate(over="ignore"):
        for band in range(bins // rows):
            key = np.zeros(len(live), dtype=np.uint64)
            for c in range(band * rows, (band + 1) * rows):
                key = (key ^ sig[:, c]) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(c + 1)
            order = np.argsort(key, kind="stable")
            ks = key[order]
            bounds = np.nonzero(np.diff(ks))[0] + 1
            starts = np.concatenate([[0], bounds])
            ends = np.concatenate([bounds, [len(ks)]])
            multi = (ends - starts) > 1
            for a, b in zip(starts[multi].tolist(), ends[multi].tolist()):
                members = sorted(order[a:b].tolist())
                for x in range(len(members)):
                    for y in range(x + 1, len(members)):
                        cand.add((members[x], members[y]))
    if not cand:
        return []
    # keep the pairs whose signatures agree on enough bins (an estimate of their Jaccard)
    pa = np.array(sorted(cand), dtype=np.int64)
    agree = (sig[pa[:, 0]] == sig[pa[:, 1]]).mean(axis=1)
    pa = pa[agree >= min_jaccard]
    return [(int(live[a]), int(live[b])) for a, b in pa.tolist()]


def _same_party_digest(a: CaseDigest, b: CaseDigest, p: Mapping[str, Any]) -> bool:
    """Same party by id number or (masked-aware, fuzzy) name, with MIS-01's name parameters."""
    return _same_party(a, b, norm_name(a.party_name), norm_name(b.party_name),
                       norm_id(a.party_id), norm_id(b.party_id), p)


@check(id="MIS-02", name="duplicated-record-text", title="笔录雷同", severity="major", stage=None,
       citation=Citation(law="中华人民共和国行政处罚法", article="第四十条", note="另见第四十六条"),
       cross=True)
def duplicated_record_text(cases: Sequence[CaseFile], ctx: CheckContext) -> Iterator[tuple[str, Finding]]:
    """Flags an inquiry or inspection record whose body is near-identical to one in another
    case with a different party.

    检查内容：询问笔录、现场检查笔录的正文在去除姓名、日期、数字、证件号、当事人地址和地点后，
    与另一案件（当事人不同，含以往月份）同类笔录的相似度 ≥ 0.90。提示“办假案”风险，须人工核实。
    法律依据：《行政处罚法》第四十条（查明事实）、第四十六条（证据须经查证属实）。
    不通过示例：两案询问笔录仅当事人姓名、日期、金额不同，其余逐字相同。
    通过示例：两案笔录内容不同；或同一当事人的两案。
    """
    spec = duplicated_record_text.spec  # type: ignore[attr-defined]
    p = params_for("MIS-02", ctx)
    threshold = float(p.get("similarity", 0.90)) * 100.0
    doc_types = set(p.get("doc_types") or ())
    min_chars = int(p.get("min_chars", 80))
    k = int(p.get("shingle_size", 4))
    bins = int(p.get("lsh_bins", 96))
    rows = max(1, int(p.get("lsh_rows", 6)))
    p_party = params_for("MIS-01", ctx)
    same_type = bool(p.get("same_doc_type_only", True))
    cur = _digests_of(cases)
    current_ids = {d.case_id for d in cur}
    allds = cur + _history(ctx, current_ids)
    n_cur = len(cur)

    recs: list[tuple[int, RecordDigest]] = []
    for ci, d in enumerate(allds):
        for r in d.records:
            if r.doc_type in doc_types and len(r.body_norm) >= min_chars:
                recs.append((ci, r))
    if not recs:
        return

    # exact duplicates first (one representative per distinct text), then LSH over distinct texts
    distinct: dict[str, list[int]] = {}
    for ri, (_, r) in enumerate(recs):
        distinct.setdefault(r.body_norm, []).append(ri)
    texts = sorted(distinct)
    pairs = _lsh_candidates(texts, k, bins, rows, float(p.get("lsh_keep_fraction", 0.3)),
                            int(p.get("lsh_keep_min", 24)), float(p.get("lsh_min_jaccard", 0.3)))

    sims: dict[tuple[int, int], float] = {}
    for ti, t in enumerate(texts):
        if len(distinct[t]) > 1:
            sims[(ti, ti)] = 100.0
    for a, b in pairs:
        la, lb = len(texts[a]), len(texts[b])
        if 2 * min(la, lb) / (la + lb) * 100.0 < threshold:  # ratio cannot reach the threshold
            continue
        s = fuzz.ratio(texts[a], texts[b], score_cutoff=threshold)
        if s >= threshold:
            sims[(a, b)] = s

    hits: dict[int, list[tuple[RecordDigest, int, RecordDigest, float]]] = {}
    for (a, b), s in sorted(sims.items()):
        ra_list, rb_list = distinct[texts[a]], distinct[texts[b]]
        for x in ra_list:
            for y in rb_list:
                if a == b and x >= y:
                    continue
                ci, r1 = recs[x]
                cj, r2 = recs[y]
                if ci == cj or (ci >= n_cur and cj >= n_cur):
                    continue
                if same_type and r1.doc_type != r2.doc_type:
                    continue
                if _same_party_digest(allds[ci], allds[cj], p_party):
                    continue
                if ci < n_cur:
                    hits.setdefault(ci, []).append((r1, cj, r2, s))
                if cj < n_cur:
                    hits.setdefault(cj, []).append((r2, ci, r1, s))

    for ci in sorted(hits, key=lambda c: allds[c].case_id):
        d = allds[ci]
        items = sorted(hits[ci], key=lambda h: (-h[3], allds[h[1]].case_id, h[0].doc_id, h[2].doc_id))
        ev: list[Evidence] = []
        parts: list[str] = []
        for mine, cj, theirs, s in items:
            ev.append(_ev(mine.doc_id, mine.page, mine.body_quote))
            ev.append(_ev(theirs.doc_id, theirs.page, theirs.body_quote))
            part = f"{mine.doc_id} 与 案件{_label(allds[cj])} 的 {theirs.doc_id}（相似度{s / 100:.0%}）"
            if part not in parts:
                parts.append(part)
        shown = "；".join(parts[:5]) + (f" 等{len(parts)}处" if len(parts) > 5 else "")
        msg = (f"疑似雷同笔录：{shown}，在去除姓名、日期、数字、证件号和地址后正文几乎相同，"
               f"而两案当事人不同。请人工核实笔录是否如实制作。")
        yield d.case_id, spec.finding(msg, ev, related_cases=sorted({allds[h[1]].case_id for h in items}))


# ---------------------------------------------------------------------------------------------
# MIS-03 officer double-booked
# ---------------------------------------------------------------------------------------------


# (start, end, index of the case digest, record, officer name, cert_no)
_Interval = tuple[datetime, datetime, int, RecordDigest, str | None, str | None]


@check(id="MIS-03", name="officer-double-booked", title="执法人员时间冲突", severity="major", stage=None,
       citation=Citation(law="中华人民共和国行政处罚法", article="第四十二条"), cross=True)
def officer_double_booked(cases: Sequence[CaseFile], ctx: CheckContext) -> Iterator[tuple[str, Finding]]:
    """Flags an officer recorded at two different places at overlapping times.

    检查内容：同一执法人员（执法证号相同；姓名加证号，或仅证号）在两份不同笔录中被记录于不同地点，
    起止时间重叠（> 0 分钟，min_overlap_minutes），包括以往月份的案件。
    法律依据：《行政处罚法》第四十二条（执法人员不得少于两人，应当亲自调查）。
    不通过示例：证号 31001 的执法人员 09:00–10:00 在甲地检查，09:30–10:30 在乙地询问。
    通过示例：09:00–10:00 在甲地，10:00–11:00 在乙地（首尾相接，不重叠）。
    """
    spec = officer_double_booked.spec  # type: ignore[attr-defined]
    p = params_for("MIS-03", ctx)
    min_overlap = float(p.get("min_overlap_minutes", 0))
    by_name = bool(p.get("match_name_only", False))
    prefixes, suffixes = _place_args(p)
    psim, pmin = float(p.get("place_similarity", 85)), int(p.get("place_min_contained", 6))
    cur = _digests_of(cases)
    current_ids = {d.case_id for d in cur}
    allds = cur + _history(ctx, current_ids)
    n_cur = len(cur)

    # (officer key) -> intervals (start, end, case index, record, officer name, cert)
    by_officer: dict[tuple[str, str], list[_Interval]] = {}
    for ci, d in enumerate(allds):
        for r in d.records:
            s, e = _parse_dt(r.start), _parse_dt(r.end)
            if s is None or e is None or e <= s or not r.place:
                continue
            seen: set[tuple[str, str]] = set()
            for name, cert in r.officers:
                key = ("c", cert) if cert else (("n", name) if by_name and name else None)
                if key is None or key in seen:
                    continue
                seen.add(key)
                by_officer.setdefault(key, []).append((s, e, ci, r, name, cert))

    hits: dict[int, list[tuple[RecordDigest, int, RecordDigest, str, int]]] = {}
    place_cache: dict[str, str] = {}

    def np_(x: str) -> str:
        if x not in place_cache:
            place_cache[x] = norm_place(x, prefixes, suffixes)
        return place_cache[x]

    for key in sorted(by_officer):
        ivs = sorted(by_officer[key], key=lambda t: (t[0], t[1], allds[t[2]].case_id, t[3].doc_id))
        active: list[_Interval] = []
        for iv in ivs:
            s, e, ci, r, name, cert = iv
            active = [a for a in active if a[1] > s]
            for a in active:
                overlap = (min(a[1], e) - s).total_seconds() / 60.0
                if overlap <= min_overlap:
                    continue
                if a[2] == ci and a[3].doc_id == r.doc_id:
                    continue  # the same record
                if a[2] >= n_cur and ci >= n_cur:
                    continue
                if places_match(np_(a[3].place or ""), np_(r.place or ""), psim, pmin):
                    continue
                who = f"{name or a[4] or '—'}（执法证号{cert or a[5] or '—'}）" if (cert or a[5]) else (name or "—")
                if a[2] < n_cur:
                    hits.setdefault(a[2], []).append((a[3], ci, r, who, int(round(overlap))))
                if ci < n_cur and (ci != a[2] or a[2] >= n_cur):
                    hits.setdefault(ci, []).append((r, a[2], a[3], who, int(round(overlap))))
            active.append(iv)

    for ci in sorted(hits, key=lambda c: allds[c].case_id):
        d = allds[ci]
        items = hits[ci]
        ev: list[Evidence] = []
        parts: list[str] = []
        for mine, cj, theirs, who, minutes in items:
            ev.append(_ev(mine.doc_id, mine.page, mine.time_quote))
            ev.append(_ev(theirs.doc_id, theirs.page, theirs.time_quote))
            other = "本案" if cj == ci else f"案件{_label(allds[cj])}"
            parts.append(f"执法人员{who}于{_fmt_span(mine.start, mine.end)}记录在“{mine.place}”（{mine.doc_id}），"
                         f"又于{_fmt_span(theirs.start, theirs.end)}记录在“{theirs.place}”"
                         f"（{other} {theirs.doc_id}），"
                         f"时间重叠{minutes}分钟")
        shown = "；".join(parts[:5]) + (f"；等{len(parts)}处" if len(parts) > 5 else "")
        msg = f"执法人员时间冲突：{shown}。请人工核实执法人员是否亲自到场。"
        related = sorted({allds[h[1]].case_id for h in items if h[1] != ci})
        yield d.case_id, spec.finding(msg, ev, related_cases=related)


# ---------------------------------------------------------------------------------------------
# MIS-04 register mismatch
# ---------------------------------------------------------------------------------------------

_FIELD_LABELS = {"filing_date": "立案日期", "closing_date": "结案日期", "fine_yuan": "罚款金额",
                 "squad": "承办中队"}


def _squad_norm(s: Any) -> str:
    t = _PUNCT_RE.sub("", _nfkc(str(s or "")))
    for w in ("上海市", "青浦区", "城市管理行政执法局", "城管执法局", "城管执法", "城管"):
        t = t.replace(w, "")
    return t


def _values_differ(key: str, reg: Any, case_val: Any, p: Mapping[str, Any]) -> bool | None:
    """True/False when both sides are known; None when one side is missing or unreadable."""
    if key in ("filing_date", "closing_date"):
        a, b = _parse_date(reg), _parse_date(case_val)
        return None if a is None or b is None else a != b
    if key == "fine_yuan":
        a, b = _parse_money(reg), _parse_money(case_val)
        return None if a is None or b is None else abs(a - b) > 0.005
    if key == "squad":
        a, b = _squad_norm(reg), _squad_norm(case_val)
        if not a or not b:
            return None
        if a == b or a in b or b in a:
            return False
        return fuzz.ratio(a, b) < float(p.get("squad_similarity", 85))
    a, b = _str_or_none(reg), _str_or_none(case_val)
    return None if a is None or b is None else a != b


def register_only_findings(result: Mapping[str, Sequence[Finding]]) -> dict[str, list[Finding]]:
    """The findings of ``run_cross_checks`` filed under ``台账:<case_number>`` pseudo ids
    (register rows without a file), for summary.json."""
    return {k: list(v) for k, v in sorted(result.items()) if k.startswith(REGISTER_PREFIX)}


def _case_keys(case: CaseFile) -> list[str]:
    keys = []
    for v in (case.value("case_number"), case.case_id):
        k = norm_case_number(v)
        if k and k not in keys:
            keys.append(k)
    return keys


_LAST_INDEX: tuple[Any, int, dict[str, list[int]]] | None = None


def _register_index(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[int]]:
    """Normalised case number / case id -> register row indices (cached for the last ``rows``)."""
    global _LAST_INDEX
    last = _LAST_INDEX
    if last is not None and last[0] is rows and last[1] == len(rows):
        return last[2]
    index: dict[str, list[int]] = {}
    for ri, row in enumerate(rows):
        for key in (row.get("case_number"), row.get("case_id")):
            k = norm_case_number(key)
            if k and ri not in index.setdefault(k, []):
                index[k].append(ri)
    _LAST_INDEX = (rows, len(rows), index)
    return index


def match_register_row(case: CaseFile, rows: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The register row of ``case``: its ``case_number`` (the decision number) or ``case_id``
    equal to the case's case number or case id, after normalising brackets and whitespace.
    Returns the row object itself (not a copy), or None."""
    index = _register_index(rows)
    for k in _case_keys(case):
        hits = index.get(k)
        if hits:
            return rows[hits[0]]
    return None


@check(id="MIS-04", name="register-mismatch", title="台账与案卷不符", severity="minor", stage=None,
       citation=Citation(law="青浦区城管执法系统2024年度执法监督工作方案", article="三（一）",
                         note="青城管执〔2024〕9号；重点检查不作为、办假案"),
       cross=True)
def register_mismatch(cases: Sequence[CaseFile], ctx: CheckContext) -> Iterator[tuple[str, Finding]]:
    """Flags a register row without a file, a file without a register row, and a register row
    that disagrees with its file on filing/closing date, fine or squad.

    检查内容：仅在提供台账时运行。台账行按案号（或案件编号）与案卷对应（括号、空格归一）。
    台账有而案卷无的，挂在伪案件号“台账:<案号>”下报告（summary.json 单列）；案卷有而台账无的、
    两者立案日期、结案日期、罚款金额、承办中队不一致的，挂在该案卷下。
    法律依据：青浦区 2024 年度执法监督工作方案（案卷评查；不作为、办假案）。
    不通过示例：台账立案日期 2024-03-01，案卷立案审批表 2024-03-04。
    通过示例：台账与案卷一致。
    """
    spec = register_mismatch.spec  # type: ignore[attr-defined]
    if ctx.register_rows is None:
        return
    p = params_for("MIS-04", ctx)
    compare = list(p.get("compare") or ())
    rows = list(ctx.register_rows)
    index = _register_index(rows)
    by_identity = {id(row): ri for ri, row in enumerate(rows)}

    used: set[int] = set()
    for case in sorted(cases, key=lambda c: c.case_id):
        row_i: int | None = None
        for k in _case_keys(case):
            row_i = next((ri for ri in index.get(k, ()) if ri not in used), None)
            if row_i is not None:
                break
        row: Mapping[str, Any] | None
        if row_i is None and case.register is not None:
            # a row the run attached itself (e.g. matched by another key): use it as given
            row_i = by_identity.get(id(case.register))
            if row_i is None:
                row_i = next((ri for ri, r in enumerate(rows) if ri not in used and r == case.register), None)
            row = case.register
        else:
            row = rows[row_i] if row_i is not None else None
        if row_i is not None:
            used.add(row_i)
        d = digest_light(case)
        if row is None:
            cn = d.case_number or "—"
            yield case.case_id, spec.finding(
                f"台账中未找到本案卷（案号{cn}）的登记记录。请核对台账是否漏登或案号有误。",
                [_case_ev(d, "case_number", cn)])
            continue
        diffs: list[str] = []
        ev: list[Evidence] = []
        rowlabel = _row_label(row, row_i)
        for key in compare:
            case_val = getattr(d, key, None)
            differ = _values_differ(key, row.get(key), case_val, p)
            if differ:
                rv = row.get(key)
                shown_r = _fmt_money(_parse_money(rv)) + "元" if key == "fine_yuan" else str(rv)
                shown_c = _fmt_money(_parse_money(case_val)) + "元" if key == "fine_yuan" else str(case_val)
                diffs.append(f"{_FIELD_LABELS.get(key, key)}台账为{shown_r}、案卷为{shown_c}")
                ev.append(_ev("台账", None, f"{rowlabel} {_FIELD_LABELS.get(key, key)}：{rv}"))
                ev.append(_case_ev(d, key, str(case_val)))
        if diffs:
            yield case.case_id, spec.finding(
                f"台账与案卷记载不一致：{'；'.join(diffs)}。请核对后更正台账或案卷。", ev)

    if not p.get("report_rows_without_file", True):
        return
    for ri, row in enumerate(rows):
        if ri in used:
            continue
        cn = _str_or_none(row.get("case_number")) or _str_or_none(row.get("case_id")) or f"第{ri + 1}行"
        party = _str_or_none(row.get("party")) or "—"
        yield f"{REGISTER_PREFIX}{cn}", spec.finding(
            f"台账登记的案件{cn}（当事人{party}）未找到对应案卷。请核对是否缺卷或台账登记有误。",
            [_ev("台账", None, f"{_row_label(row, ri)} 案号：{cn}")])


def _row_label(row: Mapping[str, Any], ri: int | None) -> str:
    n = row.get("row") or row.get("_row")
    if n is not None:
        return f"第{n}行"
    return f"第{ri + 1}条" if ri is not None else "台账"


def digest_light(case: CaseFile) -> CaseDigest:
    """The case-level part of a digest (no records): what MIS-04 compares."""
    spans: dict[str, tuple[str, int | None, str]] = {}
    for key in ("filing_date", "closing_date", "fine_yuan", "squad", "case_number"):
        sp = _span_of(case, key)
        if sp:
            spans[key] = sp
    return CaseDigest(
        case_id=case.case_id, source=case.source,
        case_number=_str_or_none(case.value("case_number")),
        squad=_str_or_none(case.value("squad")),
        fine_yuan=case.value("fine_yuan"),
        filing_date=_str_or_none(case.value("filing_date")),
        closing_date=_str_or_none(case.value("closing_date")),
        spans=spans,
    )


__all__ = [
    "CaseDigest", "RecordDigest", "REGISTER_PREFIX", "digest", "load_cross_params", "params_for",
    "normalise_body", "names_match", "places_match", "norm_case_number", "register_only_findings",
    "match_register_row", "digest_light", "digests_for",
    "case_splitting", "duplicated_record_text", "officer_double_booked", "register_mismatch",
]
