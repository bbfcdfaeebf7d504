"""Marks on a document: signatures, a refusal note, the seal and the issuing agency."""
from __future__ import annotations

import re
from collections.abc import Sequence

from extractors.fields.text import (
    CJK,
    DATE_BLANK,
    Out,
    Text,
)
from extractors.nlp import spans_of


def read_signatures(t: Text, o: Out, sign_labels: Sequence[str], field: str) -> None:
    v = t.label_value(sign_labels)
    if v is False:
        return
    if v:
        seg = t.norm[v[0]:v[1]]
        if re.search(r"拒|未签|不签", seg):
            o.emit(field, False, v[0], v[1], "signatures")
        elif re.match(r"[" + CJK + r"*＊]{2,}", seg) and not DATE_BLANK.match(seg):
            o.emit(field, True, v[0], v[1], "signatures")
        else:
            o.emit(field, False, v[0], v[1], "signatures")
    else:
        lab = next(iter(t.label_iter(sign_labels)))
        o.emit(field, False, lab[0], lab[1], "signatures")


def read_refusal(t: Text, o: Out, sd) -> None:
    sp = spans_of(sd, "REFUSAL_NOTE")
    if sp:
        o.emit("refusal_note", True, sp[0].start_char, sp[0].end_char, "clauses")
    else:
        o.emit("refusal_note", False, None, None, "clauses")


def read_seal(t: Text, o: Out, sd) -> None:
    sp = [s for s in spans_of(sd, "SEAL")
          if not re.search(r"签(名|字)或?$", t.norm[max(0, s.start_char - 4):s.start_char])]
    if sp:
        s = sp[-1]
        o.emit("has_seal", True, s.start_char, s.end_char, "seal")
        # the seal's text: an agency name right after (or before) the mark on the same line
        after = re.match(r"\s*([" + CJK + r"()（）]{4,40}?(?:局|政府|办事处|中队|大队|科|室|委员会|所|中心))",
                         t.norm[s.end_char:s.end_char + 50])
        if after:
            a, b = s.end_char + after.start(1), s.end_char + after.end(1)
            o.emit("seal_text", t.raw[a:b], a, b, "seal")
        else:
            ls = t.line_start(s.start_char)
            before = re.search(r"([" + CJK + r"()（）]{4,40}?(?:局|政府|办事处|中队|大队|科|室|委员会|所|中心))\s*$",
                               t.norm[ls:s.start_char])
            if before:
                a, b = ls + before.start(1), ls + before.end(1)
                o.emit("seal_text", t.raw[a:b], a, b, "seal")
    else:
        o.emit("has_seal", False, None, None, "seal")


AGENCY_RE = re.compile(r"[" + CJK + r"]{2,30}?(?:城市管理行政执法局|城管执法局|综合行政执法局|"
                                    r"城市管理综合行政执法局|人民政府|街道办事处|城管执法大队|行政执法局)")


AGENCY_LINE = re.compile(r"[" + CJK + r"]{2,30}?(?:城市管理行政执法局|城管执法局|综合行政执法局|"
                                      r"人民政府|街道办事处|城管执法大队|行政执法局|执法大队)")


_LINE_NOISE = re.compile(r"[\s()（）\[\]【】:]|印章|公章|盖章|落款|日期")


_DATE_TEXT = re.compile(r"(?:19|20)\d{2}\D{0,2}\d{1,2}\D{0,2}\d{1,2}日?"
                        r"|[〇零○一二三四五六七八九十]{4}年[〇零○一二三四五六七八九十]{1,2}月[〇零○一二三四五六七八九十]{1,3}日")


def read_agency(t: Text, o: Out) -> None:
    """The issuer: a line that holds only an agency name (besides a seal mark or the date) —
    the last such line in the second half (落款), else the first (header); a name inside a
    sentence (…向上海市青浦区人民政府申请行政复议) is never taken."""
    n = t.norm
    found: list[tuple[int, int]] = []
    for m in AGENCY_LINE.finditer(n):
        ls, le = t.line_start(m.start()), t.line_end(m.end() - 1)
        rest = _DATE_TEXT.sub("", n[ls:m.start()] + n[m.end():le])
        if len(_LINE_NOISE.sub("", rest)) <= 2:
            found.append((m.start(), m.end()))
    if not found:
        return
    tail = found[-1]
    if tail[0] > len(n) // 2:
        o.emit("agency", t.raw[tail[0]:tail[1]], tail[0], tail[1], "agency")
    else:
        o.emit("agency", t.raw[found[0][0]:found[0][1]], found[0][0], found[0][1], "agency", 0.9)
