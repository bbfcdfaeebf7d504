"""MIS-01 case splitting: several small cases against one party for one act (拆分案件).

Blocks by violation type and then by party (``_PartyIndex``: prefix filtering on the characters
of unmasked names, visible-character keys for masked names, id-number keys), so nothing compares
all pairs; a group is a split when, within the window, each fine stays below a threshold while
their sum reaches it. Shared helpers: ``checks/cross_common.py``.
"""
from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from checks.cross_common import (
    case_ev,
    fmt_money,
    history_digests,
    label,
    month_digests,
    norm_id,
    norm_place,
    params_for,
    parse_date,
    parse_money,
    place_args,
    places_match,
    same_party,
    violation_name,
)
from checks.registry import CheckContext, check
from extractors.normalise.names import MASK_CHARS, has_mask, norm_name
from pipeline.core.digest import CaseDigest
from pipeline.core.models import CaseFile, Citation, Evidence, Finding


class _PartyIndex:
    """Candidate generation for 'same party' within one block of digests (no all-pairs).

    - unmasked names: prefix filtering on character tokens; a pair with rapidfuzz ratio >= t
      shares at least ceil(t/(2-t)·|x|) characters, so indexing the |x|-ceil(α|x|)+1 rarest
      characters of each name finds every such pair;
    - a masked name matches an unmasked one only if every visible character of it occurs in the
      other (``names.names_match``: a mask run covers one or more characters), so it probes the
      unmasked names holding its rarest visible character; two masked names must share a visible
      character (``name_min_visible`` ≥ 1), so it probes the masked names holding any of its own;
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
        plain: dict[str, list[int]] = {}  # visible character -> unmasked names holding it
        masked: dict[str, list[int]] = {}  # visible character -> masked names holding it
        visible: dict[int, list[str]] = {}
        for i, nm in enumerate(names):
            if not nm:
                continue
            chars = sorted({c for c in nm if c not in MASK_CHARS})
            target = masked if has_mask(nm) else plain
            for c in chars:
                target.setdefault(c, []).append(i)
            if has_mask(nm):
                visible[i] = chars
        for i, chars in visible.items():
            if not chars:
                continue  # a fully masked name: only its id number can find its partners
            rare = min(chars, key=lambda c: (len(plain.get(c, ())), c))
            partners = set(plain.get(rare, ()))
            for c in chars:
                partners.update(masked[c])
            for j in partners:
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


def _split_threshold(members: Sequence[CaseDigest], th: Mapping[str, Any], unknown_kind: str) -> float:
    kinds = [m.party_kind for m in members if m.party_kind in ("individual", "organisation")]
    kind = kinds[0] if kinds else unknown_kind
    limit = th.get(kind) if th.get(kind) is not None else th.get("individual")
    return float(limit or 0)


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
    spec = case_splitting.spec
    p = params_for("MIS-01", ctx)
    window = int(p.get("window_days", 30))
    prefixes, suffixes = place_args(p)
    cur = month_digests(cases, ctx)
    current_ids = {d.case_id for d in cur}
    allds = cur + history_digests(ctx, current_ids)
    n_cur = len(cur)

    by_type: dict[str, list[int]] = {}
    for i, d in enumerate(allds):
        if d.violation_type and parse_date(d.date) and parse_money(d.fine_yuan):
            by_type.setdefault(d.violation_type, []).append(i)

    names = [norm_name(d.party_name) for d in allds]
    ids = [norm_id(d.party_id) for d in allds]
    places = [norm_place(d.place, prefixes, suffixes) for d in allds]
    dates = [parse_date(d.date) for d in allds]
    fines = [parse_money(d.fine_yuan) for d in allds]
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
                if not same_party(names[i], names[j], ids[i], ids[j], p):
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
        fines_txt = "、".join(f"{label(allds[k])} {fmt_money(fines[k])}元" for k in group)
        total = sum(fines[k] or 0 for k in group)
        span_days = (max(dates[k] for k in group) - min(dates[k] for k in group)).days  # type: ignore
        msg = (f"疑似拆分案件：当事人“{d.party_name or '—'}”因同一类违法行为（{violation_name(d.violation_type)}）"
               f"在同一地点（{d.place or '—'}）{span_days}日内被分为{len(group)}案处理（{fines_txt}），"
               f"单案罚款均未达到{'、'.join(labels)}，合计{fmt_money(total)}元已达到。请人工核实是否属同一违法行为。")
        ev: list[Evidence] = []
        for k in group:
            o = allds[k]
            ev.append(case_ev(o, "fine_yuan", f"罚款{fmt_money(fines[k])}元"))
            ev.append(case_ev(o, "violation_place", o.place or ""))
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
        below = {k for k in order if _below(fines[k], allds[k].procedure, procs, limit, kind)}
        if i not in below:
            continue
        reached = False
        di = dates[i]
        # every window [s, s + window] that contains the anchor, s at a member's date
        for s in ds:
            if s > di or (di - s).days > window:
                continue
            lo, hi = bisect_left(ds, s), bisect_right(ds, date.fromordinal(s.toordinal() + window))
            grp = [k for k in order[lo:hi] if k in below]
            if i not in grp or len(grp) < 2:
                continue
            total = sum(fines[k] for k in grp)
            if (total > limit) if kind == "max" else (total >= limit):
                members.update(k for k in grp if k != i)
                reached = True
        if reached:
            labels.append(f"{th.get('label') or th.get('name')}（{fmt_money(limit)}元）")
    return (members, labels) if members else None


def _below(fine: float | None, procedure: str | None, procs: Sequence[str] | None, limit: float, kind: str) -> bool:
    """A case's fine takes part in a split under one threshold: positive, of a procedure the
    threshold applies to (or unknown), and at most (``max``) or below (``trigger``) its limit."""
    if fine is None or fine <= 0:
        return False
    if procs and procedure is not None and procedure not in procs:
        return False
    return fine <= limit if kind == "max" else fine < limit
