"""Dates and times: a date inside a value, date-times of a record, the 落款 date, labelled dates."""
from __future__ import annotations

import re
from collections.abc import Sequence

from extractors.fields.labels import labels
from extractors.fields.marks import AGENCY_RE
from extractors.fields.text import (
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


def read_label_date(t: Text, o: Out, name: str, labels: Sequence[str], family: str = "dates") -> bool:
    """A date after one of ``labels``; True when a label was seen (blank or not)."""
    v = t.label_value(labels)
    if v is False:
        return False
    if v:
        d = date_at(t, *v)
        if d:
            o.emit(name, d.iso, d.start, d.end, family, d.confidence)
    return True


def end_of(o: Out, *names: str) -> int | None:
    """The furthest end offset of the named fields (None when none was found)."""
    ends = [e for e in (o.pos(n)[1] for n in names) if e is not None]
    return max(ends) if ends else None


def read_doc_date(t: Text, o: Out, after: int | None = None) -> DateHit | None:
    d = closing_date(t, after)
    if d:
        o.emit("doc_date", d.iso, d.start, d.end, "dates", d.confidence)
    return d
