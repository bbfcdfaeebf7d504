"""A document's identity: its 文号, the 案由 (and the violation type it names) and the squad."""
from __future__ import annotations

import re

from extractors.fields.labels import labels
from extractors.fields.text import (
    CJK,
    NORM,
    Out,
    Text,
)
from extractors.nlp import CASE_NO, CASE_NO_MIDYEAR, CASE_NO_SH_DIGITS, DOC_NO_ANY, SERIAL_NO
from extractors.violations import match_violation


def _number(t: Text, m: re.Match[str], lo: int) -> tuple[str, int, int, float]:
    """(value, start, end, confidence) of a number matched at ``lo + m.start()`` of the text."""
    n = t.norm
    s, e = lo + m.start(), lo + m.end()
    # a PDF title and number are joined: the number starts at a line start
    # (CASE_NO_SH_DIGITS has no year: its serial starts the number)
    first = m.start("year") if "year" in m.re.groupindex else m.start("serial")
    for b in t.breaks:
        if s < b < lo + first:
            s = b
    # trim a leading 编号/文号 label or stray punctuation
    while s < e and not re.match(r"[" + CJK + r"A-Za-z0-9(（〔\[［﹝【第]", n[s]):
        s += 1
    raw = t.raw[s:e]
    val = re.sub(r"\s+", "", raw)
    val = re.sub(r"^(?:文号|编号|案号)[:：]?", "", val)
    return val, s, e, 1.0 if re.search(_CLOSE_CHARS, raw) else 0.6


def _malformed(value: str) -> bool:
    """An opening bracket with no closing one (``青城管罚决字〔2024第12号``): a damaged number."""
    return bool(re.search(_OPEN_CHARS, value)) and not re.search(_CLOSE_CHARS, value)


def read_doc_number(t: Text, o: Out, decision: bool) -> None:
    """The number directly after the title (decision) or the first printed 文号; a damaged number
    there gives way to a clean decision number printed later in the document."""
    n = t.norm
    title = t.doc.title
    lo = 0
    if title:
        k = n.find(title.translate(NORM))
        if k != -1:
            lo = k + len(title)
    window = n[lo:lo + 160]
    bad = re.compile(r"责改|改通|先告|告字|通字|听告|送字|催字")
    rxs = ((CASE_NO_MIDYEAR, CASE_NO, CASE_NO_SH_DIGITS) if decision
           else (CASE_NO_MIDYEAR, DOC_NO_ANY, CASE_NO, CASE_NO_SH_DIGITS))
    for rx in rxs:
        for m in rx.finditer(window):
            if bad.search(m.group(0)) and decision:
                continue
            val, s, e, conf = _number(t, m, lo)
            if decision and _malformed(val):
                clean = next((c for c in (_number(t, m2, 0) for rx2 in rxs[:2] for m2 in rx2.finditer(n, lo + 1))
                              if c[1] > s and not _malformed(c[0]) and c[3] == 1.0 and not bad.search(c[0])), None)
                if clean is not None:
                    val, s, e, conf = clean
            o.emit("doc_number", val, s, e, "numbers", conf)
            return
    sm = SERIAL_NO.search(n, lo, lo + 160) or SERIAL_NO.search(n, 0, 300)
    if sm:  # a pre-printed serial (No.0012345 / 编号：…)
        o.emit("doc_number", t.raw[sm.start("serial"):sm.end("serial")], sm.start("serial"), sm.end("serial"),
               "numbers", 0.8)


_OPEN_CHARS = r"[〔\[［(（﹝【]"
_CLOSE_CHARS = r"[〕\]］)）﹞】]"


def read_case_cause(t: Text, o: Out) -> None:
    v = t.label_value(labels("case_cause"))
    if v:
        o.emit("case_cause", t.text(v[0], v[1]), v[0], v[1], "cause")
        key, score = match_violation(t.text(v[0], v[1]))
        if key:
            o.emit("violation_type", key, v[0], v[1], "cause", score)


def read_squad(t: Text, o: Out) -> None:
    v = t.label_value(labels("squad"))
    if v:
        o.emit("squad", t.raw[v[0]:v[1]], v[0], v[1], "squad")
        return
    m = re.search(r"[" + CJK + r"]{2,12}?(?:执法中队|中队)(?![" + CJK + r"]*(?:意见|负责人))", t.norm)
    if m:
        o.emit("squad", t.raw[m.start():m.end()], m.start(), m.end(), "squad", 0.8)


def read_labelled_squad(t: Text, o: Out) -> None:
    v = t.label_value(labels("squad"))
    if v:
        o.emit("squad", t.raw[v[0]:v[1]], v[0], v[1], "squad")
