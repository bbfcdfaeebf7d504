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


def read_doc_number(t: Text, o: Out, decision: bool) -> None:
    """The number directly after the title (decision) or the first printed 文号."""
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
            s, e = lo + m.start(), lo + m.end()
            # a PDF title and number are joined: the number starts at a line start
            for b in t.breaks:
                if s < b < lo + m.start("year"):
                    s = b
            # trim a leading 编号/文号 label or stray punctuation
            while s < e and not re.match(r"[" + CJK + r"A-Za-z0-9(（〔\[［﹝【第]", n[s]):
                s += 1
            raw = t.raw[s:e]
            val = re.sub(r"\s+", "", raw)
            val = re.sub(r"^(?:文号|编号|案号)[:：]?", "", val)
            conf = 1.0 if re.search(_CLOSE_CHARS, raw) else 0.6
            o.emit("doc_number", val, s, e, "numbers", conf)
            return
    sm = SERIAL_NO.search(n, lo, lo + 160) or SERIAL_NO.search(n, 0, 300)
    if sm:  # a pre-printed serial (No.0012345 / 编号：…)
        o.emit("doc_number", t.raw[sm.start("serial"):sm.end("serial")], sm.start("serial"), sm.end("serial"),
               "numbers", 0.8)


_CLOSE_CHARS = r"[〕\]］)）﹞】]"


def read_case_cause(t: Text, o: Out) -> None:
    v = t.label_value(labels("case_cause"))
    if v:
        o.emit("case_cause", t.raw[v[0]:v[1]], v[0], v[1], "cause")
        key, score = match_violation(t.raw[v[0]:v[1]])
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
