"""The spaCy pipeline used by the field extractors.

``build_nlp()`` returns ``spacy.blank("zh")`` (character segmenter by default; no model is ever
downloaded) with three registered, versioned components that write labelled spans to
``doc.spans["anjuan"]``:

- ``anjuan_regex_spans_v1``: DATE, MONEY, CITATION (H4's normalisers ``extractors.normalise.dates``,
  ``extractors.normalise.money``, ``extractors.normalise.citations`` run over ``doc.text``), CASE_NO, ID_NUMBER,
  OFFICER (an 执法证号 with its number), PARTY, ADDRESS and PLACE (label-anchored regexes).
- ``anjuan_clause_ruler_v1``: a spaCy ``SpanRuler`` loaded from ``patterns/clauses.jsonl``
  (validated on load). Labels starting with ``KW_`` are keyword anchors kept in
  ``doc.spans["anjuan_kw"]``; the others (SERVICE_METHOD, SIGNATURE, SEAL, EXTENSION_APPROVAL,
  LEGAL_REVIEW_OPINION) are copied to ``doc.spans["anjuan"]`` as they are.
- ``anjuan_clause_window_v1``: turns keyword anchors into clause labels when a cue word is found
  within a character window (casefile.md §8.7 "detect the rights by keywords within a window"),
  rules from ``patterns/windows.jsonl``: RIGHT_STATEMENT, RIGHT_HEARING, REMEDY_RECON,
  REMEDY_LITIG, REFUSAL_NOTE.

Every span keeps exact character offsets into ``doc.text`` (``span.start_char``/``end_char``).
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from extractors.normalise import citations, dates, money

PATTERN_DIR = Path(__file__).parent / "patterns"
SPANS_KEY = "anjuan"
KW_KEY = "anjuan_kw"
TEXT_KEY = "anjuan_text"
DATES_KEY = "anjuan_dates"

CLAUSE_LABELS = (
    "RIGHT_STATEMENT", "RIGHT_HEARING", "REMEDY_RECON", "REMEDY_LITIG", "EXTENSION_APPROVAL",
    "LEGAL_REVIEW_OPINION", "SERVICE_METHOD", "REFUSAL_NOTE", "SIGNATURE", "SEAL",
)
ENTITY_LABELS = (
    "DATE", "MONEY", "CASE_NO", "CITATION", "OFFICER", "PARTY", "ID_NUMBER", "ADDRESS", "PLACE",
)
ANCHOR_LABELS = ("KW_STATEMENT", "KW_HEARING", "KW_RECON", "KW_LITIG", "KW_REFUSAL")

# --- case numbers (casefile.md §7.2) ---------------------------------------------------------
_OPEN = r"[〔\[［(（﹝【]"
_CLOSE = r"[〕\]］)）﹞】]"
CASE_NO_MIDYEAR = re.compile(
    r"(?P<prefix>[\u4e00-\u9fa5A-Za-z()（）]{1,12}?)\s*" + _OPEN + r"\s*(?P<year>(?:19|20)\d{2})\s*"
    + _CLOSE + r"\s*(?P<mid>[\u4e00-\u9fa5]{0,4}(?:罚|处)[\u4e00-\u9fa5]{0,3}字)\s*第?\s*"
    r"(?P<serial>[0-9A-Za-z]+(?:[-－—][0-9A-Za-z]+)?)\s*号")
CASE_NO = re.compile(
    r"(?P<prefix>[\u4e00-\u9fa5A-Za-z()（）]{1,16}?(?:罚|处|决|案)[\u4e00-\u9fa5]{0,3}?)\s*" + _OPEN
    + r"\s*(?P<year>(?:19|20)\d{2})\s*" + _CLOSE + r"?\s*(?P<mid>[\u4e00-\u9fa5]{0,4}字)?\s*第?\s*"
    r"(?P<serial>[0-9A-Za-z]+(?:[-－—][0-9A-Za-z]+)?)\s*号?")
CASE_NO_SH_DIGITS = re.compile(r"第?\s*(?P<serial>2\d{9})\s*号")
# any printed document number: {prefix}〔YYYY〕{…}第N号 (used for non-decision documents)
DOC_NO_ANY = re.compile(
    r"(?P<prefix>[\u4e00-\u9fa5A-Za-z()（）]{1,16}?)\s*" + _OPEN + r"\s*(?P<year>(?:19|20)\d{2})\s*"
    + _CLOSE + r"\s*(?P<mid>[\u4e00-\u9fa5]{0,5})\s*第?\s*(?P<serial>[0-9A-Za-z]+(?:[-－—][0-9A-Za-z]+)?)\s*号")
SERIAL_NO = re.compile(r"(?:No|NO|№|编号|序号)\s*[.．:：]?\s*(?P<serial>[A-Za-z]{0,3}\d{4,14})")

ID_NUMBER_RE = re.compile(
    r"(?<![0-9A-Za-z*＊])(?:\d{6}[0-9*＊]{8}[0-9*＊]{3}[0-9Xx*＊]|[0-9A-HJ-NPQRTUWXY]{2}\d{6}"
    r"[0-9A-Za-z*＊]{10})(?![0-9A-Za-z*＊])")
CERT_RE = re.compile(
    r"(?:执法证件号码|执法证件号|执法证号码|执法证编号|执法证号|执法证|证件号码|证件号|证号)[ \t]*[:：]?[ \t]*"
    r"(?P<no>[A-Za-z0-9][A-Za-z0-9\-]{3,19})")
PARTY_RE = re.compile(
    r"(?:当事人|被处罚人|被检查人|被询问人|单位名称|姓名|名称)\s*[:：|]\s*"
    r"(?P<v>[\u4e00-\u9fa5A-Za-z（）()*＊]{2,40}?)(?=[\s,，;；。|]|$)")
ADDRESS_RE = re.compile(
    r"(?:地址|住址|住所|经营地址|注册地址|联系地址|户籍地址)\s*[:：|]\s*(?P<v>[^\s|,，;；。]{2,60})")
PLACE_RE = re.compile(
    r"(?:检查地点|勘验地点|询问地点|违法地点|发生地点|案发地点|地点)\s*[:：|]\s*(?P<v>[^\s|,，;；。]{2,60})")


def _jsonl(path: Path, errors: list[str]) -> Iterator[tuple[int, Any]]:
    """(line number, parsed value) of each non-blank line; a line that is not JSON is added to
    ``errors`` as ``file:line: message`` and skipped."""
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"{path.name}:{n}: {exc}")


def load_patterns(path: Path) -> list[dict[str, Any]]:
    """Load and validate a JSONL pattern file; every bad line is reported at once."""
    rows: list[dict[str, Any]] = []
    errors: list[str] = []
    allowed = set(CLAUSE_LABELS) | set(ANCHOR_LABELS)
    for n, row in _jsonl(path, errors):
        if not isinstance(row, dict) or row.get("label") not in allowed:
            errors.append(f"{path.name}:{n}: unknown label {row.get('label') if isinstance(row, dict) else row!r}")
            continue
        pat = row.get("pattern")
        if not (isinstance(pat, str) and pat) and not (isinstance(pat, list) and pat):
            errors.append(f"{path.name}:{n}: pattern must be a non-empty string or token list")
            continue
        rows.append({"label": row["label"], "pattern": pat})
    if errors:
        raise ValueError("invalid patterns:\n" + "\n".join(errors))
    return rows


def load_windows(path: Path) -> list[dict[str, Any]]:
    """Load and validate keyword-window rules (anchor label -> clause label)."""
    rules: list[dict[str, Any]] = []
    errors: list[str] = []
    for n, row in _jsonl(path, errors):
        if (row.get("anchor") not in ANCHOR_LABELS or row.get("label") not in CLAUSE_LABELS
                or not isinstance(row.get("window"), int) or row["window"] < 0
                or not all(isinstance(c, str) for c in row.get("cues", []))
                or not all(isinstance(c, str) for c in row.get("vetoes", []))):
            errors.append(f"{path.name}:{n}: bad rule {row!r}")
            continue
        rules.append({"anchor": row["anchor"], "label": row["label"], "window": row["window"],
                      "cues": tuple(row.get("cues", [])), "vetoes": tuple(row.get("vetoes", []))})
    if errors:
        raise ValueError("invalid window rules:\n" + "\n".join(errors))
    return rules


def _add(doc: Doc, spans: list[SpacySpan], start: int, end: int, label: str) -> None:
    if end <= start:
        return
    sp = doc.char_span(start, end, label=label, alignment_mode="expand")
    if sp is not None:
        spans.append(sp)


def _attr(obj: Any, *names: str) -> Any:
    for n in names:
        if hasattr(obj, n):
            return getattr(obj, n)
    return None


def regex_spans(doc: Doc) -> Doc:
    """Add DATE/MONEY/CITATION/CASE_NO/ID_NUMBER/OFFICER/PARTY/ADDRESS/PLACE spans."""

    text = doc.text
    doc.user_data[TEXT_KEY] = text
    spans: list[SpacySpan] = list(doc.spans.get(SPANS_KEY, []))
    found_dates = dates.find_dates(text)
    doc.user_data[DATES_KEY] = found_dates  # reused by extractors.fields (same text)
    for m in found_dates:
        _add(doc, spans, m.start, m.end, "DATE")
    for mm in money.find_amounts(text):
        _add(doc, spans, mm.start, mm.end, "MONEY")
    for c in citations.find_citations(text):
        _add(doc, spans, c.start, c.end, "CITATION")
    for rx in (CASE_NO_MIDYEAR, CASE_NO, CASE_NO_SH_DIGITS):
        for rm in rx.finditer(text):
            _add(doc, spans, rm.start(), rm.end(), "CASE_NO")
    for rm in ID_NUMBER_RE.finditer(text):
        _add(doc, spans, rm.start(), rm.end(), "ID_NUMBER")
    for rm in CERT_RE.finditer(text):
        _add(doc, spans, rm.start(), rm.end(), "OFFICER")
    for rx, label in ((PARTY_RE, "PARTY"), (ADDRESS_RE, "ADDRESS"), (PLACE_RE, "PLACE")):
        for rm in rx.finditer(text):
            _add(doc, spans, rm.start("v"), rm.end("v"), label)
    doc.spans[SPANS_KEY] = spans
    return doc


@Language.component("anjuan_regex_spans_v1")
def _regex_spans_component(doc: Doc) -> Doc:
    return regex_spans(doc)


@Language.factory("anjuan_clause_window_v1", default_config={"rules_path": None})
def _make_window(nlp: Language, name: str, rules_path: str | None) -> ClauseWindow:
    return ClauseWindow(load_windows(Path(rules_path) if rules_path else PATTERN_DIR / "windows.jsonl"))


class ClauseWindow:
    """Confirm keyword anchors by a cue word within ``window`` characters on either side.

    A veto word in the 6 characters before the anchor (``放弃``, ``未提出`` …) rejects it, so a
    waiver or a "did not make a statement" sentence is not read as a rights clause.
    """

    VETO_REACH = 6

    def __init__(self, rules: list[dict[str, Any]]) -> None:
        self.rules: dict[str, list[dict[str, Any]]] = {}
        for r in rules:
            self.rules.setdefault(r["anchor"], []).append(r)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.user_data.get(TEXT_KEY) or doc.text
        out: list[SpacySpan] = list(doc.spans.get(SPANS_KEY, []))
        for sp in doc.spans.get(KW_KEY, []):
            if not sp.label_.startswith("KW_"):
                out.append(sp)
                continue
            for rule in self.rules.get(sp.label_, ()):
                s, e = sp.start_char, sp.end_char
                before = text[max(0, s - self.VETO_REACH):s]
                if any(v in before for v in rule["vetoes"]):
                    continue
                if rule["window"] == 0 or not rule["cues"]:
                    ok = True
                else:
                    lo = max(0, s - rule["window"])
                    # stay inside the sentence: a cue across a full stop is another clause
                    lo = max(lo, text.rfind("。", lo, s) + 1)
                    hi = e + rule["window"]
                    stop = text.find("。", e, hi)
                    hi = stop if stop != -1 else min(hi, len(text))
                    ctx = text[lo:s] + "\u0000" + text[e:hi]
                    ok = any(c in ctx for c in rule["cues"])
                if ok:
                    sp = doc.char_span(s, e, label=rule["label"], alignment_mode="expand")
                    if sp is not None:
                        out.append(sp)
        doc.spans[SPANS_KEY] = out
        return doc


@lru_cache(maxsize=4)
def build_nlp(segmenter: str = "char") -> Language:
    """The extraction pipeline: ``spacy.blank("zh")`` plus the anjuan components (cached).

    segmenter (str): "char" (default, no dictionary) or "jieba".
    RETURNS (Language): the pipeline; ``nlp(text).spans["anjuan"]`` holds the labelled spans.
    """
    if segmenter not in ("char", "jieba"):
        raise ValueError(f"segmenter must be 'char' or 'jieba', not {segmenter!r}")
    if segmenter == "char":
        nlp = spacy.blank("zh")
    else:
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("anjuan_regex_spans_v1")
    ruler: Any = nlp.add_pipe("span_ruler", name="anjuan_clause_ruler_v1",
                         config={"spans_key": KW_KEY, "validate": True, "overwrite": False})
    ruler.add_patterns(load_patterns(PATTERN_DIR / "clauses.jsonl"))
    nlp.add_pipe("anjuan_clause_window_v1")
    return nlp


def spans_of(doc: Doc, *labels: str) -> list[SpacySpan]:
    """The ``anjuan`` spans with one of ``labels``, in text order."""
    want = set(labels)
    return sorted((s for s in doc.spans.get(SPANS_KEY, []) if s.label_ in want),
                  key=lambda s: (s.start_char, s.end_char))


def labels_in(doc: Doc) -> set[str]:
    return {s.label_ for s in doc.spans.get(SPANS_KEY, [])}


def iter_spans(doc: Doc) -> Iterable[tuple[str, int, int, str]]:
    for s in sorted(doc.spans.get(SPANS_KEY, []), key=lambda s: (s.start_char, s.label_)):
        yield s.label_, s.start_char, s.end_char, s.text
