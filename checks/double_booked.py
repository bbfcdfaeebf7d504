"""MIS-03 officer double-booked: one officer recorded at two places at overlapping times.

Sorts each officer's intervals (keyed by 执法证号, or by name when configured) and sweeps them; a
pair overlaps by more than ``min_overlap_minutes`` at two places that do not match. Shared helpers:
``checks/cross_common.py``.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from checks.cross_common import (
    evidence_at,
    fmt_span,
    history_digests,
    label,
    month_digests,
    norm_place,
    params_for,
    parse_dt,
    place_args,
    places_match,
)
from checks.registry import CheckContext, check
from pipeline.core.digest import RecordDigest
from pipeline.core.models import CaseFile, Citation, Evidence, Finding

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
    spec = officer_double_booked.spec
    p = params_for("MIS-03", ctx)
    min_overlap = float(p.get("min_overlap_minutes", 0))
    by_name = bool(p.get("match_name_only", False))
    prefixes, suffixes = place_args(p)
    psim, pmin = float(p.get("place_similarity", 85)), int(p.get("place_min_contained", 6))
    cur = month_digests(cases, ctx)
    current_ids = {d.case_id for d in cur}
    allds = cur + history_digests(ctx, current_ids)
    n_cur = len(cur)

    # (officer key) -> intervals (start, end, case index, record, officer name, cert)
    by_officer: dict[tuple[str, str], list[_Interval]] = {}
    for ci, d in enumerate(allds):
        for r in d.records:
            s, e = parse_dt(r.start), parse_dt(r.end)
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
            ev.append(evidence_at(mine.doc_id, mine.page, mine.time_quote))
            ev.append(evidence_at(theirs.doc_id, theirs.page, theirs.time_quote))
            other = "本案" if cj == ci else f"案件{label(allds[cj])}"
            parts.append(f"执法人员{who}于{fmt_span(mine.start, mine.end)}记录在“{mine.place}”（{mine.doc_id}），"
                         f"又于{fmt_span(theirs.start, theirs.end)}记录在“{theirs.place}”"
                         f"（{other} {theirs.doc_id}），"
                         f"时间重叠{minutes}分钟")
        shown = "；".join(parts[:5]) + (f"；等{len(parts)}处" if len(parts) > 5 else "")
        msg = f"执法人员时间冲突：{shown}。请人工核实执法人员是否亲自到场。"
        related = sorted({allds[h[1]].case_id for h in items if h[1] != ci})
        yield d.case_id, spec.finding(msg, ev, related_cases=related)
