"""Dates and times: a date inside a value, date-times of a record, the 落款 date, labelled dates."""
from __future__ import annotations

import re
from collections.abc import Sequence

from extractors.fields.labels import label_set, labels
from extractors.fields.marks import AGENCY_RE
from extractors.fields.text import (
    DATE_BLANK,
    DateHit,
    Out,
    Text,
    cn_int,
)


def date_at(t: Text, s: int, e: int) -> DateHit | None:
    ds = t.dates_in(s, e)
    return ds[0] if ds else None


_TIME_RE = re.compile(r"\s*(?P<ap>上午|下午|早上|晚上|中午)?\s*(?P<h>\d{1,2}|"
                      r"[零〇一二两三四五六七八九十]{1,3})\s*(?:时|"
                      r":|点)\s*(?:(?P<m>\d{1,2}|[零〇一二三四五六七八九十]{1,3})\s*分?)?")


def time_after(t: Text, pos: int) -> tuple[str, int] | None:
    m = _TIME_RE.match(t.norm, pos)
    if not m:
        return None
    h = cn_int(m.group("h"))
    mi = cn_int(m.group("m")) if m.group("m") else 0
    if h is None or mi is None or h > 23 or mi > 59:
        return None
    if m.group("ap") in ("下午", "晚上") and h < 12:
        h += 12
    return f"{h:02d}:{mi:02d}", m.end()


def datetimes(t: Text, lo: int, hi: int) -> list[tuple[str, int, int]]:
    """Date-times inside [lo, hi): a date followed by a time, or a bare time after 至 (same day)."""
    out: list[tuple[str, int, int]] = []
    last_date: str | None = None
    ds = t.dates_in(lo, hi)
    for d in ds:
        tm = (d.time, d.end) if d.time else time_after(t, d.end)
        if tm:
            out.append((f"{d.iso}T{tm[0]}", d.start, tm[1]))
        last_date = d.iso
    # "至10时15分" without a date
    if last_date:
        for m in re.finditer(r"(?:至|到|-|—|~)\s*(?=(?:上午|下午|早上|"
                             r"晚上|中午)?\s*\d{1,2}\s*(?:时|:|点))", t.norm[lo:hi]):
            p = lo + m.end()
            if any(s <= p < e for _, s, e in out):
                continue
            tm = time_after(t, p)
            if tm:
                # date = the last date before this point
                prev = [d for d in ds if d.end <= p]
                if prev:
                    out.append((f"{prev[-1].iso}T{tm[0]}", p, tm[1]))
    out.sort(key=lambda x: x[1])
    return out


def read_times(t: Text, o: Out) -> None:
    """start_time/end_time from the 时间 label: "2024年3月5日9时30分至10时15分"."""
    for _s, e, _sep in t.label_iter(labels("record_time")):
        line_end = t.next_cut(e) if t.pdf else t.line_end(e)
        # stop at the next label on the same line
        dts = datetimes(t, e, line_end)
        if not dts:
            continue
        # nothing but separators between the label and the first date-time
        if t.norm[e:dts[0][1]].strip(" \t|:") != "":
            continue
        o.emit("start_time", dts[0][0], dts[0][1], dts[0][2], "dates")
        if len(dts) > 1:
            o.emit("end_time", dts[1][0], dts[1][1], dts[1][2], "dates")
        return


def standalone_date(t: Text, d: DateHit) -> bool:
    ls = t.line_start(d.start)
    le = t.line_end(d.end - 1)
    rest = (t.norm[ls:d.start] + t.norm[d.end:le])
    rest = AGENCY_RE.sub("", rest)
    rest = re.sub(r"[\s\t|:()（）【】\[\]]|印章|公章|盖章|日期|落款", "", rest)
    return len(rest) <= 4


def closing_date(t: Text, after: int | None = None) -> DateHit | None:
    """The 落款 date: a date on a line that holds little else (agency, seal, date).

    after (int | None): when given (the end of the closing clause of a decision or notice), the
        first such date after it — so a receipt glued on by a missed split does not lend its
        date; else the last date of the text, if it stands alone.
    """
    if after is not None:
        for d in t.dates:
            if d.start >= after and standalone_date(t, d):
                return d
        return None
    for d in reversed(t.dates):
        return d if standalone_date(t, d) else None
    return None


# words that say which of two dated events in one cell a date is: received, or sent
RECEIVED = ("签收", "收到", "收讫", "妥投", "送达", "收件", "领取")
SENT = ("寄出", "邮寄", "交寄", "发出", "寄送", "投寄")


def event_date(t: Text, lo: int, hi: int, want: Sequence[str], other: Sequence[str],
               named_only: bool = False) -> DateHit | None:
    """The date in [lo, hi) that the words ``want`` name; a date the words ``other`` name is never
    it. The words stand on one side of their dates, the same side for the cell (``6月5日寄出
    6月7日签收`` or ``邮寄6月5日，妥投6月7日``). With no date named either way: the first date
    (None when ``named_only``)."""
    ds = t.dates_in(lo, hi)
    if not ds:
        return None
    n = t.norm
    words = tuple(want) + tuple(other)
    gaps = [n[lo:ds[0].start]] + [n[a.end:b.start] for a, b in zip(ds, ds[1:])] + [n[ds[-1].end:hi]]
    # words after their dates when the text after the last date names an event, else before
    after = any(w in gaps[-1] for w in words)

    def says(k: int, vocab: Sequence[str]) -> bool:
        gap = gaps[k + 1][:6] if after else gaps[k][-6:]
        return any(w in gap for w in vocab)

    named = [d for k, d in enumerate(ds) if says(k, want) and not says(k, other)]
    if named or named_only:
        return named[0] if named else None
    rest = [d for k, d in enumerate(ds) if not says(k, other)]
    return rest[0] if rest else None


def read_label_date(t: Text, o: Out, name: str, labels: Sequence[str] | str, family: str = "dates",
                    events: tuple[Sequence[str], Sequence[str]] | None = None) -> bool:
    """A date after one of ``labels``; True when a label was seen (blank or not). A label with
    nothing after it, or an unfilled ``年 月 日``, records ``name`` as blank.

    labels (Sequence[str] | str): the labels, or the key of a labels.yaml field (then its
        ``priority: listed`` is honoured: the first synonym present wins, not the first in the text).
    events ((want, other) | None): when the value holds two dated events (寄出 … 签收 …), the
        date the ``want`` words name (``event_date``).
    """
    if isinstance(labels, str):
        ls = label_set(labels)
        groups = [(x,) for x in ls.synonyms] if ls.priority == "listed" else [ls.synonyms]
    else:
        groups = [tuple(labels)]
    seen = False
    blank: tuple[int, int] | None = None
    for group in groups:  # the first group with a value; else the first blank one
        v = t.label_value(group)
        if v is False:
            continue
        seen = True
        if v:
            d = event_date(t, v[0], v[1], *events) if events else date_at(t, *v)
            if d:
                o.emit(name, d.iso, d.start, d.end, family, d.confidence)
                return True
            if blank is None and DATE_BLANK.match(t.norm[v[0]:v[1]]):
                blank = v
            if len(groups) == 1:
                break
        elif blank is None:
            blank = t.blank_label(group)
    if blank is not None:
        o.blank(name, *blank, family)
    return seen


def end_of(o: Out, *names: str) -> int | None:
    """The furthest end offset of the named fields (None when none was found)."""
    ends = [e for e in (o.pos(n)[1] for n in names) if e is not None]
    return max(ends) if ends else None


def read_doc_date(t: Text, o: Out, after: int | None = None) -> DateHit | None:
    d = closing_date(t, after)
    if d:
        o.emit("doc_date", d.iso, d.start, d.end, "dates", d.confidence)
    return d
