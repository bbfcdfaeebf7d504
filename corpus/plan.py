"""What the month holds: case kinds and their shares, clean cases, seeded defects and the pairs of
cross-case defects, parties, violation types, fines, optional documents, numbers and dates.

``plan_month(n, month, seed)`` returns the month's ``Plan`` records and the generator whose draws
continue into the documents (one ``random.Random(seed)`` for the whole month, so a seed gives the
same month). Proportions (targets, by largest remainder then shuffled): general procedure penalized
47 %, simple procedure 30 %, 不予处罚 8 %, 撤案 8 %, pending 5 %, transferred 2 %. Parties: about 45 %
persons, 30 % 个体工商户, 25 % companies (simple cases lean to persons). Containers: 60 % folder,
15 % combined PDF, 10 % combined DOCX, 15 % zip.
"""
from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from corpus import people as P
from corpus.case import Plan
from corpus.days import CAL, TD, month_end
from corpus.defects import DEFECTS, compatible
from corpus.parties import alt_name, make_party, make_place
from corpus.schedule import Schedule, schedule, squad_officers
from corpus.timeline import hearing_mode, plan_general, plan_short, plan_simple
from corpus.vtypes import (
    SIMPLE_INDIV,
    SIMPLE_ORG,
    SWAP,
    TYPES,
    VType,
    fine_range,
    hearing_threshold,
)
from corpus.wording import BRACKETS, doc_number

KIND_SHARES = (("gp", 0.47), ("sp", 0.30), ("np", 0.08), ("wd", 0.08), ("pd", 0.05), ("tr", 0.02))
CONTAINER_SHARES = (("folder", 0.60), ("combined_pdf", 0.15), ("combined_docx", 0.10), ("zip", 0.15))
OUTCOME = {"gp": "penalized", "sp": "penalized", "np": "not_penalized", "wd": "withdrawn",
           "tr": "transferred", "pd": "pending"}

# Pairs of seeded ids that cannot share a case (the second would not be observable or would be
# masked by the first).
EXCLUDE = {frozenset(p) for p in (
    ("NOT-01", "NOT-03"), ("NOT-01", "HRG-02"), ("NOT-01", "SRV-02"), ("NOT-01", "DEC-04"),
    ("NOT-01", "DEF-01"), ("NOT-01", "DEF-02"), ("NOT-02", "DEF-01"), ("NOT-03", "DEF-02"),
    ("NOT-02", "NOT-03"), ("HRG-02", "DEF-02"), ("DOC-01", "LAW-01"), ("FIL-01", "FIL-02"),
    ("FIL-01", "DEC-01"), ("FIL-01", "ORD-02"), ("FIL-01", "CLS-01"), ("LIM-01", "FIL-02"),
    ("EVD-01", "MIS-02"), ("OFF-01", "OFF-02"), ("SIM-01", "SIM-03"), ("LIM-01", "MIS-03"),
    ("ORD-02", "MIS-03"), ("OFF-01", "MIS-03"), ("HRG-01", "HRG-02"),
)}



def quota(n: int, shares: Sequence[tuple[str, float]]) -> list[str]:
    raw = [(k, s * n) for k, s in shares]
    counts = {k: int(v) for k, v in raw}
    rest = n - sum(counts.values())
    for k, _v in sorted(raw, key=lambda kv: (-(kv[1] - int(kv[1])), kv[0]))[:rest]:
        counts[k] += 1
    out: list[str] = []
    for k, _ in shares:
        out += [k] * counts[k]
    return out



# --- step 1-4: kinds, parties, defects ---------------------------------------------------------

MAX_DEFECTS_PER_CASE = 4
CLEAN_SHARE = {"gp": 0.40, "sp": 0.66, "np": 0.55, "wd": 0.55, "pd": 0.6, "tr": 1.0}
PARTY_SHARES = {
    "sp": (("person", 0.70), ("shop", 0.22), ("company", 0.08)),
    "other": (("person", 0.38), ("shop", 0.33), ("company", 0.29)),
}


def pick_weighted(rng: random.Random, shares: Sequence[tuple[str, float]]) -> str:
    x = rng.random()
    acc = 0.0
    for k, s in shares:
        acc += s
        if x < acc:
            return k
    return shares[-1][0]


def slots_per_id(n: int) -> int:
    return max(1, round(2 * n / 100))


def _case_ok(p: Plan, cid: str, party_kind: str) -> bool:
    dk = DEFECTS[cid]
    if p.kind not in dk.kinds or p.clean or len(p.defects) >= MAX_DEFECTS_PER_CASE:
        return False
    if not compatible(dk.area, p.areas):
        return False
    if any(frozenset((cid, o)) in EXCLUDE for o in p.defects) or cid in p.defects:
        return False
    needs = p.needs | set(dk.needs)
    if "HL" in needs and "NHL" in needs:
        return False
    if "INDIV" in needs and party_kind == "company":
        return False
    return bool(type_candidates(p, needs, party_kind, extra_ids=p.defects + [cid]))


def type_candidates(p: Plan, needs: set[str], party_kind: str, extra_ids: Sequence[str] = ()) -> list[VType]:
    truth_kind = "organisation" if party_kind == "company" else "individual"
    out = []
    for vt in TYPES.values():
        rng_ = fine_range(vt, truth_kind)
        if rng_ is None:
            continue
        lo, hi = rng_
        thr = hearing_threshold(truth_kind)
        if p.kind == "sp" and not vt.simple_ok:
            continue
        if p.kind == "sp" and not vt.warning_ok and lo > (SIMPLE_INDIV if truth_kind == "individual" else SIMPLE_ORG):
            continue
        if p.kind == "gp" and vt.warning_ok:
            continue
        if "HL" in needs and hi < thr:
            continue
        if "NHL" in needs and lo >= thr:
            continue
        if "NONCONT" in needs and not vt.noncontinuing:
            continue
        if "SWAP" in needs and vt.key not in SWAP:
            continue
        if "CORR_OK" in needs and vt.precondition:
            continue
        ids = set(extra_ids)
        if "LAW-02" in ids and not (hi * 1.6 < thr or lo >= 100):
            continue
        if "DEF-01" in ids and not (min(hi, thr - 1) >= 2 * lo + 50):
            continue
        if "SIM-01" in ids and hi <= SIMPLE_INDIV:
            continue
        if "SIM-03" in ids and (hi <= 100 or lo > 200 or vt.warning_ok):
            continue
        if "MIS-01" in ids:
            if p.kind == "sp" and (vt.key != "kua_men_ying_ye"):
                continue
            if p.kind == "gp" and vt.key != "zhan_dao_dui_wu":
                continue
        if p.kind in ("np",) and vt.key in ("jian_zha_wu_zheng_cheng_yun", "wei_fa_da_jian_zhu_zhai"):
            continue
        out.append(vt)
    return out


def _add_defect(p: Plan, cid: str, rng: random.Random) -> None:
    dk = DEFECTS[cid]
    p.defects.append(cid)
    p.areas.add(dk.area)
    p.needs |= set(dk.needs)
    p.variant[cid] = rng.choice(dk.variants)
    if cid == "EVD-02":
        p.has_preservation = True
    if cid == "DEC-04" and p.variant[cid] == "correction_no_seal":
        p.has_correction = True


# Pairs whose second case is dated (and, for MIS-01, given its party) from its first case.
DATED_PAIRS = ("MIS-01", "MIS-03")


def _depends_on(x: Plan, y: Plan, by_id: dict[str, Plan]) -> bool:
    """Whether ``x`` is dated from ``y``, directly or through other pairs: pairing ``y`` as the second
    of ``x`` would then close a circle that no order of dating can satisfy."""
    todo, seen = [x], {x.case_id}
    while todo:
        cur = todo.pop()
        for cid in DATED_PAIRS:
            v = cur.variant.get(cid, "")
            if not v.startswith("second:"):
                continue
            first = by_id[v.split(":", 1)[1]]
            if first is y:
                return True
            if first.case_id not in seen:
                seen.add(first.case_id)
                todo.append(first)
    return False


def assign_defects(plans: list[Plan], party_kinds: dict[str, str], rng: random.Random, n: int) -> None:
    per = slots_per_id(n)
    singles = [c for c in DEFECTS if not DEFECTS[c].cross or c == "MIS-04"]
    crosses = [c for c in DEFECTS if DEFECTS[c].cross and c != "MIS-04"]

    def cands(cid: str) -> list[Plan]:
        return [p for p in plans if _case_ok(p, cid, party_kinds[p.case_id])]

    by_id = {p.case_id: p for p in plans}

    # cross-case pairs first (they need two compatible cases)
    pairs = max(1, per // 2 + (1 if per >= 2 else 0))
    for cid in crosses:
        for k in range(pairs):
            cs = cands(cid)
            if cid == "MIS-01":
                want = "sp" if k % 2 == 0 else "gp"
                cs = [p for p in cs if p.kind == want] or cs
            rng.shuffle(cs)
            cs.sort(key=lambda p: len(p.defects))
            done = False
            for a in cs:
                for b in cs:
                    if b is a or b.kind != a.kind:
                        continue
                    if cid == "MIS-01" and party_kinds[a.case_id] != party_kinds[b.case_id]:
                        continue
                    _add_defect(a, cid, rng)
                    _add_defect(b, cid, rng)
                    a.related[cid] = [b.case_id]
                    b.related[cid] = [a.case_id]
                    first, second = (b, a) if cid in DATED_PAIRS and _depends_on(a, b, by_id) else (a, b)
                    second.variant[cid] = "second:" + first.case_id
                    first.variant[cid] = "first:" + second.case_id
                    if cid in DATED_PAIRS:
                        second.squad = first.squad
                    done = True
                    break
                if done:
                    break
    order = sorted(singles, key=lambda c: (len(cands(c)), c))
    for cid in order:
        for _ in range(per):
            cs = cands(cid)
            if not cs:
                break
            rng.shuffle(cs)
            cs.sort(key=lambda p: len(p.defects))
            _add_defect(cs[0], cid, rng)
    # every non-clean case carries at least one defect
    counts = {c: sum(c in p.defects for p in plans) for c in DEFECTS}
    for p in plans:
        if p.clean or p.defects:
            continue
        ok = [c for c in singles if _case_ok(p, c, party_kinds[p.case_id])]
        if not ok:
            p.clean = True
            continue
        ok.sort(key=lambda c: (counts[c], c))
        best = [c for c in ok if counts[c] == counts[ok[0]]]
        cid = rng.choice(best)
        _add_defect(p, cid, rng)
        counts[cid] += 1



def _nice(rng: random.Random, lo: int, hi: int) -> int:
    if hi < lo:
        hi = lo
    span = hi
    step = 10 if span <= 200 else 50 if span <= 1000 else 100 if span <= 5000 else 500 if span <= 30000 else 1000
    first = -(-lo // step) * step
    choices = list(range(first, hi + 1, step)) or [lo]
    return rng.choice(choices)


def set_fines(p: Plan, rng: random.Random) -> None:
    vt, party = p.vt, p.party
    assert vt is not None and party is not None
    tk = party.truth_kind
    lo, hi = fine_range(vt, tk) or (0, 0)
    thr = hearing_threshold(tk)
    var = {c: p.variant[c] for c in p.defects}
    if p.kind in ("np", "wd", "tr", "pd"):
        p.fine = p.proposed = None
        p.kinds_ = []
        return
    if p.kind == "sp":
        limit = SIMPLE_INDIV if tk == "individual" else SIMPLE_ORG
        if vt.warning_ok and "SIM-01" not in var and "SIM-03" not in var:
            p.fine = None
            p.kinds_ = ["警告"]
            return
        if "MIS-01" in var:
            p.fine = 150 if var["MIS-01"].startswith("first") else 100
        elif "SIM-01" in var:
            p.fine = _nice(rng, max(lo, limit + 50), hi)
        elif "SIM-03" in var:
            p.fine = rng.choice([x for x in (150, 200) if lo <= x <= hi] or [min(hi, 200)])
            p.on_spot_collect = True
        else:
            p.fine = _nice(rng, lo, min(hi, limit))
            p.on_spot_collect = p.fine <= 100 and rng.random() < 0.6
        p.kinds_ = ["罚款"]
        p.proposed = None
        return
    # general procedure, penalized
    if "MIS-01" in var:
        p.fine = 3000 if var["MIS-01"].startswith("first") else 2500
    elif "LAW-02" in var:
        if var["LAW-02"] == "above_max" and hi * 1.6 < thr:
            p.fine = _nice(rng, int(hi * 1.2) + 1, int(hi * 1.6))
        elif lo >= 100:
            p.variant["LAW-02"] = "below_min"
            p.fine = max(20, (lo // 2) // 10 * 10)
        else:
            p.variant["LAW-02"] = "above_max"
            p.fine = _nice(rng, int(hi * 1.2) + 1, int(hi * 1.6))
    elif p.hl:
        p.fine = _nice(rng, max(lo, thr), hi)
    else:
        p.fine = _nice(rng, lo, min(hi, thr - 1))
    p.proposed = p.fine
    if "DEF-01" in var:
        top = min(hi, thr - 1)
        p.proposed = _nice(rng, lo, max(lo, top // 2))
        p.fine = _nice(rng, p.proposed + 50, top)
        if p.fine <= p.proposed:
            p.fine = p.proposed + 100
    p.kinds_ = ["警告", "罚款"] if rng.random() < 0.08 else ["罚款"]


def features(p: Plan, rng: random.Random) -> None:
    """Optional documents of a clean file (and what defects switch off)."""
    var = p.defects
    if p.kind == "gp":
        p.has_legal = p.hl and "LRV-01" not in var
        p.has_discussion = p.hl and "LRV-02" not in var
        p.has_defence = ("DEF-02" in var) or (
            "NOT-03" not in var and "HRG-02" not in var and "NOT-01" not in var and rng.random() < 0.18)
        p.has_preservation = p.has_preservation or rng.random() < 0.12
        p.has_coercive = rng.random() < 0.25 and p.vt.key in ("zhan_dao_she_tan", "lu_tian_shao_kao", "kua_men_ying_ye")  # type: ignore[union-attr]
        p.has_extension = ("DEC-01" not in var and not any(DEFECTS[c].area in ("timeline", "cross_split", "cross_time")
                                                           for c in var) and rng.random() < 0.07)
        p.has_coercive = p.has_coercive or "COERCE" in p.needs
        p.has_extension = p.has_extension or "EXT" in p.needs
        p.has_preservation = p.has_preservation or "PRES" in p.needs
        p.has_defence = p.has_defence or "DEFENCE" in p.needs
        p.service_method = rng.choice(("直接送达",) * 7 + ("邮寄送达",) * 2 + ("电子送达",))
        if rng.random() < 0.04 and "REC-01" not in var:
            p.service_method = "留置送达"
    elif p.kind == "np":
        p.has_preservation = rng.random() < 0.05
        p.service_method = rng.choice(("直接送达", "直接送达", "邮寄送达"))
    elif p.kind == "tr":
        p.has_legal = True
    hearing_mode(p, rng)



def numbers(plans: list[Plan], rng: random.Random, year_of: Callable[[Plan], int]) -> None:
    fmts = (("青城管罚决字", 4, True), ("沪青城管罚字", 5, True), ("青城管执罚决字", 4, False), ("青城管罚字", 4, True))
    sfmts = (("青城管简罚字", 6, True), ("沪青城管当罚字", 7, True))
    dec_serial = rng.randint(200, 600)
    other = rng.randint(100, 400)
    simple = rng.randint(10000, 90000)
    for p in plans:
        y = year_of(p)
        br = rng.choice(BRACKETS)
        other += rng.randint(1, 3)
        filed = p.d["filing"].year if "filing" in p.d else y
        p.nums["filing"] = doc_number("青城管立字", filed, other, 4, rng.choice(BRACKETS))
        p.nums["correction"] = doc_number("青城管责改通字", y, other + 1, 4, br)
        p.nums["notice"] = doc_number("青城管罚先告字", y, other + 7, 4, br)
        p.nums["preservation"] = doc_number("青城管登保字", y, other, 4, br)
        p.nums["coercive"] = doc_number("青城管扣字", y, other, 4, br)
        if p.kind == "gp":
            dec_serial += rng.randint(1, 4)
            pre, w, di = rng.choice(fmts)
            p.nums["decision_printed"] = doc_number(pre, y, dec_serial, w, br, space=rng.random() < 0.1, di=di)
        elif p.kind == "np":
            dec_serial += 1
            p.nums["nonpen_printed"] = doc_number("青城管不罚字", y, dec_serial, 4, br)
        elif p.kind == "sp":
            simple += rng.randint(1, 9)
            pre, w, di = rng.choice(sfmts)
            p.nums["simple_printed"] = doc_number(pre, y, simple, w, br)


def dated_first(order: list[Plan], by_id: dict[str, Plan],
                ids: tuple[str, ...] = ("MIS-01", "MIS-03")) -> list[Plan]:
    """``order`` with the first case of every pair of ``ids`` moved before its second case
    (unchanged when that already holds)."""
    out: list[Plan] = []
    placed: set[str] = set()

    def place(p: Plan, seen: frozenset[str]) -> None:
        if p.case_id in placed or p.case_id in seen:
            return
        for cid in ids:
            v = p.variant.get(cid, "")
            first = by_id.get(v.split(":", 1)[1]) if v.startswith("second:") else None
            if first is not None:
                place(first, seen | {p.case_id})
        placed.add(p.case_id)
        out.append(p)

    for p in order:
        place(p, frozenset())
    return out


def plan_month(n: int, month: str, seed: int) -> tuple[list[Plan], random.Random]:
    """The month's plans (dates, officers' slots and numbers included) and the month's generator."""
    if n < 1:
        return [], random.Random(seed)
    if n > 990:
        raise ValueError("generate_cases: case ids are yymm + a 3-digit serial, so n must be <= 990")
    rng = random.Random(seed)
    y, m = (int(x) for x in month.split("-"))
    # dates reach ~3 years back (LIM-01) and ~3 months past the month (service, payment, closing)
    need = {y - 3, y - 2, y - 1, y, (month_end(month) + TD(days=100)).year}
    missing = sorted(x for x in need if not CAL.covers(x))
    if missing:
        raise ValueError(f"generate_cases({month!r}): the working-day calendar lacks year(s) {missing}")
    kinds = quota(n, KIND_SHARES)
    rng.shuffle(kinds)
    containers = quota(n, CONTAINER_SHARES)
    rng.shuffle(containers)
    officers = squad_officers(rng)
    plans: list[Plan] = []
    party_kinds: dict[str, str] = {}
    for i, kind in enumerate(kinds):
        case_id = f"{y % 100:02d}{m:02d}{i + 1:03d}"
        p = Plan(i, case_id, kind, rng.choice(P.SQUADS), containers[i], clean=False)
        party_kinds[case_id] = pick_weighted(rng, PARTY_SHARES["sp" if kind == "sp" else "other"])
        plans.append(p)
    # clean set per kind
    by_kind: dict[str, list[Plan]] = {}
    for p in plans:
        by_kind.setdefault(p.kind, []).append(p)
    for k, ps in by_kind.items():
        for p in rng.sample(ps, round(len(ps) * CLEAN_SHARE[k])):
            p.clean = True
    assign_defects(plans, party_kinds, rng, n)
    # each id's variants are used in turn, so every variant occurs in a large enough corpus
    turn: dict[str, int] = {}
    for p in plans:
        for cid in p.defects:
            vs = DEFECTS[cid].variants
            if DEFECTS[cid].cross and cid != "MIS-04" or len(vs) < 2:
                continue
            at = turn.setdefault(cid, rng.randrange(len(vs)) if cid != "MIS-04" else 0)
            p.variant[cid] = vs[at % len(vs)]
            turn[cid] = at + 1
        if p.variant.get("DEC-04") == "correction_no_seal":
            p.has_correction = True
    # rare documents must occur: a held hearing, a coercive measure, an extension (clean gp files)
    clean_gp = [p for p in plans if p.clean and p.kind == "gp"]
    rng.shuffle(clean_gp)
    roles = ["HELD", "COERCE", "EXT", "PRES", "DEFENCE"] + (["HELD", "EXT"] if n >= 150 else [])
    for p, role in zip(clean_gp, roles):
        p.needs.add(role)
        if role == "HELD":
            p.needs.add("HL")
    by_id = {p.case_id: p for p in plans}
    used_names: set[str] = set()
    is_second = lambda p: any(v.startswith("second:") for v in p.variant.values())  # noqa: E731
    order = [p for p in plans if not is_second(p)] + [p for p in plans if is_second(p)]
    # types and parties (a MIS-01 second copies its first case's party: the first may itself be the
    # second of another pair, so it is moved before its own second)
    for p in dated_first(order, by_id, ("MIS-01",)):
        sec = {c: v.split(":", 1)[1] for c, v in p.variant.items() if v.startswith("second:")}
        needs = set(p.needs)
        if "HL" not in needs and "NHL" not in needs and p.kind == "gp" and rng.random() < 0.55:
            needs.add("NHL")
        cands = type_candidates(p, needs, party_kinds[p.case_id], p.defects)
        if not cands:
            cands = type_candidates(p, set(), party_kinds[p.case_id], ())
        if "MIS-01" in sec:
            p.vt = by_id[sec["MIS-01"]].vt or rng.choice(cands)
        elif "MIS-02" in sec and by_id[sec["MIS-02"]].vt in cands:
            p.vt = by_id[sec["MIS-02"]].vt
        else:
            p.vt = rng.choice(cands)
        assert p.vt is not None
        if "MIS-01" in sec:
            first = by_id[sec["MIS-01"]]
            p.party, p.place = first.party, first.place
        else:
            p.party = make_party(party_kinds[p.case_id], p.vt, p.squad, rng, used_names)
            p.place = make_place(p.vt, p, rng)
        tk = p.party.truth_kind  # type: ignore[union-attr]
        lo, hi = fine_range(p.vt, tk) or (0, 0)
        thr = hearing_threshold(tk)
        if "HL" in needs or lo >= thr:
            p.hl = p.kind == "gp"
        elif "NHL" in needs or hi < thr:
            p.hl = False
        else:
            p.hl = p.kind == "gp"
        p.source_kind = pick_weighted(rng, (("巡查", 0.55), ("投诉", 0.30), ("信访", 0.05), ("移送", 0.10)))
        if p.kind == "sp":
            p.source_kind = "巡查"
        if p.source_kind == "投诉":
            p.complaints = rng.choice((1,) * 6 + (2, 3, 5, 6, 8))
        sq = p.squad[0]
        p.officers = rng.sample(officers[sq], 2)
        if "OFF-02" in p.defects:
            p.officers = [p.officers[0], (p.officers[1][0], None)]
        set_fines(p, rng)
        if p.kind == "gp":
            p.hl = (p.fine or 0) >= thr
        features(p, rng)
        if "CON-01" in p.defects:
            p.alt_name = alt_name(p.party.name, rng)  # type: ignore[union-attr]
            # a person's name in a record may be the person asked, not the party: CON-01 does not
            # compare it, so an individual party's misspelling goes to the notice or closing form
            docs: tuple[str, ...] = ("inquiry",) if p.party.kind != "person" else ()  # type: ignore[union-attr]
            docs += ("notice",) if p.kind == "gp" and "NOT-01" not in p.defects else ()
            p.variant["CON-01:doc"] = rng.choice(docs + ("closing",))
    # dates (pairs are re-drawn until they line up with their first case, so a pair's first case
    # gets its dates before the second: it may itself be the second of another pair, and so sit
    # late in ``order``)
    for p in dated_first(order, by_id):
        sec = {c: v.split(":", 1)[1] for c, v in p.variant.items() if v.startswith("second:")}
        for _attempt in range(400):
            p.d.clear()
            if p.kind == "sp":
                plan_simple(p, rng, month)
            elif p.kind in ("gp", "np"):
                plan_general(p, rng, month)
            else:
                plan_short(p, rng, month)
            if "MIS-01" in sec:
                f = by_id[sec["MIS-01"]]
                key = "decision" if p.kind == "sp" else "discovered"
                if f.d and 3 <= abs((p.d[key] - f.d[key]).days) <= 25:
                    break
                continue
            if "MIS-03" in sec:
                f = by_id[sec["MIS-03"]]
                fi = f.d.get("inspection")
                if fi and fi <= p.d["filing"] and CAL.workdays_between(fi, p.d["filing"]) <= 8 and \
                        (p.d.get("inquiry") is None or p.d["inquiry"] >= fi):
                    p.d["discovered"] = p.d["inspection"] = p.d["violation"] = fi
                    break
                continue
            break
        else:
            raise RuntimeError(f"{p.case_id}: could not line up the dates of a {sorted(sec)} pair")
    numbers(plans, rng, lambda p: (p.d.get("decision") or p.d.get("withdrawal") or p.d["filing"]).year)
    schedule(plans, rng, Schedule(), officers)
    return plans, rng
