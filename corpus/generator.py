"""Synthetic Qingpu 城管 case files with known truth: the test bed every later stage is measured against.

``generate_cases(n, month, seed)`` returns ``n`` CaseSpecs (documents as blocks, files, container,
truth); ``register_rows(cases)`` returns the 台账 rows. Deterministic for a seed: only
``random.Random(seed)`` is used, and every working-day computation goes through
``pipeline.core.workdays.WorkCalendar.default()``.

Proportions (targets, by largest remainder then shuffled): general procedure penalized 47 %,
simple procedure 30 %, 不予处罚 8 %, 撤案 8 %, pending 5 %, transferred 2 %. Parties: about 45 %
persons, 30 % 个体工商户, 25 % companies (simple cases lean to persons). Containers: 60 % folder,
15 % combined PDF, 10 % combined DOCX, 15 % zip.

Truth conventions (documented here because every later stage reads them):

- ``case_number``: the number printed under the title of the decision that ends the case — the
  行政处罚决定书, the 当场行政处罚决定书 (simple procedure) or the 不予行政处罚决定书 — with whitespace
  removed. Withdrawn, transferred and pending cases have no such decision: ``case_number`` is
  ``None`` (their 立案号 is on the filing form, but it is not a case number in this sense).
- ``party.kind``: ``individual`` for persons **and 个体工商户** (the threshold convention of
  casefile.md §8.6, configurable elsewhere); ``organisation`` for companies. For a 个体工商户 the
  party name is the shop name and ``id_number`` the 92… 统一社会信用代码 as printed; for a person
  the masked 身份证号 as printed.
- ``officers``: the officers of the first inspection record in printed order (the simple
  decision's officers for simple cases), ``cert_no`` ``None`` where the record prints none.
- ``violation_date``: the act date stated in the inspection record (the simple decision for
  simple cases); ``violation_place`` the place of the inspection record (of the simple decision
  for simple cases; ``None`` where SIM-02 left it blank).
- ``decision_service_date``: the date on the 送达回证 of the decision (for post: the receipt
  date; the dispatch date is printed too and is within the limit in clean cases). Simple cases:
  ``None`` (handed over on the spot, no receipt). ``payment_date`` from the payment receipt.
- ``hearing_waived``: True with a written waiver in the file; False when the notice told the
  hearing right and no waiver exists (including a hearing actually held); None when no hearing
  right applies or the notice did not tell it (HRG-01 defect).
- ``penalty_basis`` of a 不予处罚 decision: the 行政处罚法 article the decision rests on.
- ``findings``: the seeded check ids plus the ids the catalogue's own rules imply for the seeded
  defect (e.g. a missing notice is NOT-01 and DOC-01; a pending case stale past 180 days is CLS-01
  and DEC-01). Pending cases are judged at the review date = the last day of ``month``: clean
  pending cases are filed at most 40 days before it, so they stay clean for a review made within
  ~50 days after the month.
- ``register``: the row written to the 台账 for the case (``None`` when MIS-04 dropped it). A
  register row without a file is written for a phantom case id; it is kept in the truth of the
  first case under ``register_phantom_rows`` (it cannot belong to any case's findings).

Defect counts: each check id of checks.md is seeded ``max(1, round(2 * n / 100))`` times
(MIS-01/02/03 in pairs, ``per // 2 + 1`` pairs; each pair counts for both cases). For ``n >= 100``
every id therefore occurs at least twice; for smaller ``n`` ids are placed in order of scarcity
of compatible cases while they fit (at most 4 defects per case), so a small corpus may miss some
(n = 50 holds all 40 ids, n = 20 about 30). About half of the cases are clean (clean shares per
kind in ``CLEAN_SHARE``). How each id is seeded: ``corpus/defects.py``.

Clean files hold every document their procedure needs (casefile.md §2–5) and pass every check:
all working-day and calendar-day periods are computed with ``WorkCalendar.default()``
(holiday roll-over, 调休 days), officers are scheduled so that nobody is in two places at once
(every timed record: inspection, inquiry, and the hearing the case investigators attend),
and record bodies are varied enough (< 0.9 similarity) not to look copied. Rare documents are
guaranteed in clean files of a large enough corpus: a held hearing, a coercive measure, an
extension, an evidence preservation, a statement with its 复核.

Articles and fine ranges come from ``extractors/data/violations.yaml`` (``load_catalogue()``);
the in-module ``_FALLBACK`` table is used only for keys the catalogue lacks (or if it cannot
be loaded) and for the wording of each type.

Register (台账) values: 立案日期 of a simple case = its decision date; 结案日期 = closing date
(simple: payment or decision date; withdrawn/transferred: withdrawal date; pending: empty);
办结状态 已结案 (also for transferred cases), 未结案 (pending), 已撤案 (withdrawn); 投诉次数 is
filled for 投诉 cases (≥ 2 for 重复投诉). A FIL-01 case keeps its system 立案日期 in the register
even though the form carries no approval date.
"""
from __future__ import annotations

import dataclasses

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from pipeline.core.workdays import WorkCalendar
from corpus import people as P
from corpus.defects import DEFECTS, compatible
from corpus.spec import Block, CaseSpec, DocSpec, FileSpec
from corpus.wording import (
    BRACKETS, DATE_STYLES_PROSE, DATE_STYLES_TABLE, Cite, cite_norm, cites_print, cn_int,
    cn_upper_amount, colon, doc_number, fmt_amount, fmt_date, fmt_time,
)
from pipeline.core.models import empty_case_fields

CAL = WorkCalendar.default()
D = dt.date
TD = dt.timedelta

HEARING_INDIV = 5000
HEARING_ORG = 50000
SIMPLE_INDIV = 200
SIMPLE_ORG = 3000
APL = "中华人民共和国行政处罚法"

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


# --- violation types ------------------------------------------------------------------------

@dataclass(frozen=True)
class VType:
    key: str
    name: str               # 案由 as printed
    violated: tuple[Cite, ...]
    penalty: tuple[Cite, ...]
    indiv: tuple[int, int] | None
    org: tuple[int, int] | None
    precondition: str | None
    noncontinuing: bool
    place_kind: str         # shop | road | site | community
    act: str                # the act, as written after 当事人
    items: str              # things kept as evidence / seized
    simple_ok: bool
    warning_ok: bool = False


SR = "上海市市容环境卫生管理条例"
WY = "上海市住宅物业管理规定"
LJ = "上海市生活垃圾管理条例"
DQ = "中华人民共和国大气污染防治法"

_FALLBACK: tuple[VType, ...] = (
    VType("kua_men_ying_ye", "跨门营业", ((SR, 25, 5, None),), ((SR, 25, 5, None),), (50, 500), (50, 500),
          None, False, "shop", "超出门窗和外墙摆放商品进行经营", "货架两个、商品若干", True),
    VType("zhan_dao_she_tan", "占道设摊", ((SR, 25, 2, None),), ((SR, 25, 2, None),), (50, 500), (50, 500),
          None, False, "road", "擅自占用道路设摊经营", "三轮车一辆、摊位用具一套", True),
    VType("zhan_dao_dui_wu", "擅自占道堆物", ((SR, 25, 3, None),), ((SR, 25, 3, None),), (500, 5000),
          (500, 5000), None, False, "road", "擅自占用道路堆放建材杂物", "堆放的建材若干", False),
    VType("luan_zhang_tie", "乱张贴", ((SR, 24, 1, None), (SR, 24, 2, None)), ((SR, 24, 3, None),),
          (50, 500), (50, 500), None, False, "road", "在公共设施上张贴小广告", "小广告若干张", True),
    VType("shan_zi_hu_wai_guang_gao", "擅自设置户外广告", ((SR, 20, 2, None),), ((SR, 20, 2, None),),
          (5000, 50000), (5000, 50000), None, False, "shop", "未经批准擅自设置户外广告设施", "广告画面一幅", False),
    VType("shan_zi_hu_wai_she_shi", "擅自设置户外设施", ((SR, 20, 2, None),), ((SR, 20, 2, None),),
          (500, 5000), (500, 5000), None, False, "shop", "未经批准擅自设置店招店牌", "店招一块", False),
    VType("luan_dao_la_ji", "乱倒生活垃圾", ((SR, 28, 1, 4),), ((SR, 28, 2, None),), (20, 200),
          (5000, 50000), None, True, "road", "向道路边随意倾倒生活垃圾", "垃圾袋若干", True),
    VType("fen_shao_la_ji", "露天焚烧垃圾", ((SR, 28, 1, 5),), ((SR, 28, 2, None),), (20, 200), (300, 3000),
          None, True, "site", "在空地上露天焚烧树叶和垃圾", "焚烧残留物", True),
    VType("can_chu_la_ji", "餐厨垃圾未单独收集", ((SR, 42, None, None),), ((SR, 42, None, None),), (300, 3000),
          (300, 3000), None, False, "shop", "将餐厨垃圾混入生活垃圾未单独收集处置", "餐厨垃圾桶两只", False),
    VType("yun_shu_sa_lou", "运输撒漏", ((SR, 27, 2, None),), ((SR, 27, 2, None),), (300, 3000), (300, 3000),
          None, True, "road", "驾驶运输车辆运输泥土时沿途撒漏且未及时清除", "运输车辆行驶记录", False),
    VType("jian_zha_wu_zheng_cheng_yun", "无证承运建筑垃圾", ((SR, 44, None, None),), ((SR, 44, None, None),),
          (5000, 30000), (5000, 30000), None, True, "road", "未取得建筑垃圾运输证承运建筑垃圾", "运输单据两份", False),
    VType("wei_fa_da_jian_zhu_zhai", "住宅小区违法搭建", ((WY, 56, 2, 2),), ((WY, 84, None, None),),
          (10000, 100000), (10000, 100000), None, False, "community", "在住宅小区内违法搭建建筑物、构筑物",
          "搭建材料", False),
    VType("la_ji_wei_fen_lei", "未分类投放生活垃圾", ((LJ, 24, 1, None),), ((LJ, 57, None, None),), (50, 200),
          (5000, 50000), "refuses_correction", False, "shop", "未按规定分类投放生活垃圾，经责令改正拒不改正",
          "混投的垃圾袋", True),
    VType("lu_tian_shao_kao", "露天烧烤", ((DQ, 118, 3, None),), ((DQ, 118, 3, None),), (500, 20000),
          (500, 20000), None, True, "road", "在禁止区域露天烧烤食品", "烧烤炉一台、烧烤用具一套", False),
    VType("ze_ren_qu_yi_wu", "未履行市容环境卫生责任区义务", ((SR, 13, None, None),), ((SR, 13, None, None),),
          (50, 500), (50, 500), "refuses_correction", False, "shop", "未履行市容环境卫生责任区责任，门前环境脏乱",
          "现场照片", True, True),
)

SWAP = {"kua_men_ying_ye": "zhan_dao_she_tan", "zhan_dao_she_tan": "kua_men_ying_ye",
        "luan_zhang_tie": "kua_men_ying_ye"}


def _load_types() -> dict[str, VType]:
    """The fallback table, with articles and ranges taken from the shipped catalogue
    (``extractors/data/violations.yaml``) where it holds the key."""
    out = {v.key: v for v in _FALLBACK}
    try:
        from extractors.violations import load_catalogue
        cat = load_catalogue()
    except Exception:  # the catalogue is optional for the generator
        return out
    for key, v in list(out.items()):
        c = cat.get(key)
        if c is None:
            continue

        def cites(ps: Any) -> tuple[Cite, ...]:
            return tuple((p.law, p.article, p.paragraph, p.item) for p in ps)

        def rng_(r: Any, fallback: tuple[int, int] | None) -> tuple[int, int] | None:
            if r is None:
                return None
            lo, hi = int(r[0]), int(r[1])
            return (max(lo, 20) if lo == 0 else lo, hi)

        out[key] = VType(key, v.name, cites(c.violated) or v.violated, cites(c.penalty) or v.penalty,
                         rng_(c.fine_individual, v.indiv), rng_(c.fine_organisation, v.org),
                         c.precondition, v.noncontinuing, v.place_kind, v.act, v.items, v.simple_ok,
                         v.warning_ok)
    return out


TYPES = _load_types()
CATALOGUE_MIN_ZERO = {"luan_dao_la_ji", "fen_shao_la_ji", "luan_reng_fei_qi_wu", "sui_di_tu_tan"}


def fine_range(vt: VType, truth_kind: str) -> tuple[int, int] | None:
    return vt.indiv if truth_kind == "individual" else vt.org


def hearing_threshold(truth_kind: str) -> int:
    return HEARING_INDIV if truth_kind == "individual" else HEARING_ORG


# --- internal plan -------------------------------------------------------------------------

@dataclass
class Party:
    kind: str          # person | shop | company
    truth_kind: str    # individual | organisation
    name: str
    id_printed: str
    address: str
    rep: str | None    # 经营者 / 法定代表人
    rep_id: str | None
    gender: str
    phone: str


@dataclass
class Plan:
    idx: int
    case_id: str
    kind: str
    squad: tuple[str, str, tuple[str, ...]]
    container: str
    clean: bool
    party: Party | None = None
    vt: VType | None = None
    defects: list[str] = field(default_factory=list)
    variant: dict[str, str] = field(default_factory=dict)
    needs: set[str] = field(default_factory=set)
    areas: set[str] = field(default_factory=set)
    related: dict[str, list[str]] = field(default_factory=dict)
    place: str = ""
    source_kind: str = "巡查"
    complaints: int = 0
    d: dict[str, dt.date] = field(default_factory=dict)
    t: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)  # start h,m end h,m
    officers: list[tuple[str, str | None]] = field(default_factory=list)
    fine: int | None = None
    proposed: int | None = None
    kinds_: list[str] = field(default_factory=list)
    hl: bool = False
    hearing_mode: str | None = None   # waiver | wait | held (hearing-level cases)
    has_defence: bool = False
    has_preservation: bool = False
    has_coercive: bool = False
    has_correction: bool = False
    has_extension: bool = False
    has_legal: bool = False
    has_discussion: bool = False
    service_method: str = "直接送达"
    on_spot_collect: bool = False
    nums: dict[str, str] = field(default_factory=dict)
    qa: list[tuple[str, str]] = field(default_factory=list)
    insp_body: str = ""
    qa_from: str | None = None
    alt_name: str | None = None
    quotes: dict[str, tuple[str, str]] = field(default_factory=dict)   # check_id -> (doc key, quote)
    absent: dict[str, bool] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    register_variant: str | None = None
    ground: str = ""


# --- calendar helpers ------------------------------------------------------------------------

def wd_on_or_before(d: dt.date) -> dt.date:
    while not CAL.is_workday(d):
        d -= TD(days=1)
    return d


def wd_on_or_after(d: dt.date) -> dt.date:
    while not CAL.is_workday(d):
        d += TD(days=1)
    return d


def add_wd(d: dt.date, n: int) -> dt.date:
    return CAL.add_workdays(d, n) if n > 0 else (sub_wd(d, -n) if n < 0 else d)


def sub_wd(d: dt.date, n: int) -> dt.date:
    count = 0
    while count < n:
        d -= TD(days=1)
        if CAL.is_workday(d):
            count += 1
    return d


def month_workdays(month: str) -> list[dt.date]:
    y, m = (int(x) for x in month.split("-"))
    d = D(y, m, 1)
    out = []
    while d.month == m:
        if CAL.is_workday(d):
            out.append(d)
        d += TD(days=1)
    return out


def month_end(month: str) -> dt.date:
    y, m = (int(x) for x in month.split("-"))
    nxt = D(y + (m == 12), m % 12 + 1, 1)
    return nxt - TD(days=1)


def _quota(n: int, shares: Sequence[tuple[str, float]]) -> list[str]:
    raw = [(k, s * n) for k, s in shares]
    counts = {k: int(v) for k, v in raw}
    rest = n - sum(counts.values())
    for k, v in sorted(raw, key=lambda kv: (-(kv[1] - int(kv[1])), kv[0]))[:rest]:
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


def _pick_weighted(rng: random.Random, shares: Sequence[tuple[str, float]]) -> str:
    x = rng.random()
    acc = 0.0
    for k, s in shares:
        acc += s
        if x < acc:
            return k
    return shares[-1][0]


def _slots_per_id(n: int) -> int:
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
    return bool(_type_candidates(p, needs, party_kind, extra_ids=p.defects + [cid]))


def _type_candidates(p: Plan, needs: set[str], party_kind: str, extra_ids: Sequence[str] = ()) -> list[VType]:
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


def _assign_defects(plans: list[Plan], party_kinds: dict[str, str], rng: random.Random, n: int) -> None:
    per = _slots_per_id(n)
    singles = [c for c in DEFECTS if not DEFECTS[c].cross or c == "MIS-04"]
    crosses = [c for c in DEFECTS if DEFECTS[c].cross and c != "MIS-04"]

    def cands(cid: str) -> list[Plan]:
        return [p for p in plans if _case_ok(p, cid, party_kinds[p.case_id])]

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
                    b.variant[cid] = "second:" + a.case_id
                    a.variant[cid] = "first:" + b.case_id
                    if cid in ("MIS-01", "MIS-03"):
                        b.squad = a.squad
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


# --- step 5-7: types, parties, places ------------------------------------------------------------

COMMUNITIES = ("青湖苑", "盈港新村", "华乐苑", "佳佳花园", "淀湖家园", "新城一品", "嘉和苑", "徐泾北城",
               "金泽雅苑", "朱家角新村", "练塘花苑", "香花新苑", "赵巷公寓", "崧泽华城", "海德花园")


def _make_party(kind: str, vt: VType, squad: tuple[str, str, tuple[str, ...]], rng: random.Random,
                used: set[str]) -> Party:
    town, roads = squad[1], squad[2]
    road = rng.choice(roads)
    gender = rng.choice(("男", "女"))
    if kind == "person":
        name = P.person_name(rng, used)
        idn = P.mask_id(P.id_number(rng), rng)
        addr = f"上海市青浦区{rng.choice(roads)}{rng.randint(1, 999)}弄{rng.randint(1, 60)}号{rng.randint(101, 1602)}室"
        if rng.random() < 0.3:
            addr = f"{rng.choice(('安徽省', '江苏省', '河南省', '四川省', '浙江省'))}{rng.choice(('阜阳市', '盐城市', '周口市', '南充市', '温州市'))}某某村{rng.randint(1, 30)}组{rng.randint(1, 99)}号"
        return Party("person", "individual", name, idn, addr, None, None, gender, P.mask_phone(rng))
    if kind == "shop":
        owner = P.person_name(rng, used)
        for _ in range(50):
            name = f"青浦区{town.replace('街道', '').replace('镇', '')}{owner[0]}{rng.choice(('记', '氏', '家', '姐', '哥', '师傅'))}{rng.choice(P.SHOP_KINDS)}"
            if name not in used:
                break
        used.add(name)
        code = P.credit_code(rng, "92")
        addr = f"上海市青浦区{road}{rng.randint(1, 999)}号"
        return Party("shop", "individual", name, code, addr, owner, P.mask_id(P.id_number(rng), rng), gender,
                     P.mask_phone(rng))
    trade = {"yun_shu_sa_lou": "运输", "jian_zha_wu_zheng_cheng_yun": "运输", "shan_zi_hu_wai_guang_gao": "广告",
             "can_chu_la_ji": "餐饮管理", "wei_fa_da_jian_zhu_zhai": "物业管理",
             "zhan_dao_dui_wu": "建筑工程"}.get(vt.key) or rng.choice(P.COMPANY_TRADES)
    for _ in range(100):
        name = f"上海{rng.choice(P.COMPANY_WORDS)}{rng.choice(P.COMPANY_WORDS)}{trade}有限公司"
        if name not in used:
            break
    used.add(name)
    code = P.credit_code(rng, "91")
    if rng.random() < 0.25:
        code = code[:12] + "******"
    rep = P.person_name(rng, used)
    addr = f"上海市青浦区{road}{rng.randint(1, 999)}号{rng.randint(1, 9)}幢{rng.randint(1, 5)}层"
    return Party("company", "organisation", name, code, addr, rep, None, gender, P.mask_phone(rng))


def _make_place(vt: VType, p: Plan, rng: random.Random) -> str:
    town, roads = p.squad[1], p.squad[2]
    road = rng.choice(roads)
    if vt.place_kind == "shop":
        if p.party and p.party.kind in ("shop", "company") and rng.random() < 0.6:
            base = p.party.address.replace("上海市", "")
            base = base.split("号")[0] + "号"
            return base + rng.choice(("门前", "店铺门外", "门口人行道"))
        return f"青浦区{road}{rng.randint(1, 999)}号{rng.choice(('门前', '店铺门外', '门口'))}"
    if vt.place_kind == "road":
        other = rng.choice([r for r in roads if r != road])
        return f"青浦区{road}{rng.choice(('近', '与'))}{other}{rng.choice(('路口', '交叉口', '东侧人行道', '西侧人行道'))}"
    if vt.place_kind == "site":
        return f"青浦区{town}{road}{rng.randint(1, 999)}号旁空地"
    return f"青浦区{town}{rng.choice(COMMUNITIES)}{rng.randint(1, 40)}号楼{rng.choice(('楼顶', '一楼北侧', '天井'))}"


# --- step 8: dates ------------------------------------------------------------------------------

def _hearing_mode(p: Plan, rng: random.Random) -> None:
    if not p.hl or p.kind != "gp":
        p.hearing_mode = None
        return
    if "HRG-02" in p.defects:
        p.hearing_mode = "wait"
        return
    if "HRG-01" in p.defects:
        p.hearing_mode = "untold"
        return
    if "HELD" in p.needs:
        p.hearing_mode = "held"
        return
    if any(DEFECTS[c].cross for c in p.defects):  # pinned dates leave no room for a hearing
        p.hearing_mode = rng.choice(("waiver", "wait"))
        return
    p.hearing_mode = rng.choice(("waiver", "waiver", "wait", "held"))


def _plan_general(p: Plan, rng: random.Random, month: str) -> None:
    """Dates of a general-procedure case (gp, np): decision inside the month."""
    d = p.d
    dec = rng.choice(month_workdays(month))
    var = {c: p.variant[c] for c in p.defects}
    if "DEC-01" in var:
        span = rng.randint(95, 115)
    elif p.has_extension:
        span = rng.randint(96, 118)
    elif p.hearing_mode == "held":
        span = rng.randint(50, 85)
    else:
        span = rng.randint(25, 80)
    filing = wd_on_or_before(dec - TD(days=span))
    if "DEC-01" in var:
        while dec <= CAL.add_days(filing, 90):
            filing = wd_on_or_before(filing - TD(days=3))
    elif not p.has_extension:
        while dec > CAL.add_days(filing, 88):  # rolled back over a holiday block
            filing = wd_on_or_after(filing + TD(days=1))
    # gap (in working days) between notice service and decision
    if p.kind == "gp":
        if "NOT-03" in var:
            gap = 1
        elif "HRG-02" in var:
            gap = 4
        elif "SRV-02" in var:
            gap = rng.randint(8, 12)
        elif p.hearing_mode == "wait" or p.hearing_mode == "untold":
            gap = rng.randint(6, 12)
        elif p.hearing_mode == "held":
            gap = rng.randint(18, 22)
        elif p.hearing_mode == "waiver":
            gap = rng.randint(3, 8)
        else:
            gap = rng.randint(4, 12)
        ns = sub_wd(dec, gap)
        notice = sub_wd(ns, rng.choice((0, 0, 1, 2)))
        report = sub_wd(notice, rng.randint(1, 4))
        d["notice"], d["notice_service"] = notice, ns
        if p.has_defence:
            d["defence"] = add_wd(ns, rng.randint(1, 2))
            d["defence_review"] = add_wd(d["defence"], rng.randint(0, 1))
        if p.hearing_mode == "waiver":
            d["waiver"] = add_wd(ns, rng.choice((0, 1)))
        if p.hearing_mode == "held":
            d["hearing_request"] = add_wd(ns, rng.randint(1, 3))
            d["hearing_notice"] = add_wd(ns, 4)
            d["hearing"] = add_wd(d["hearing_notice"], rng.randint(8, 9))
        if p.has_legal:
            d["legal_review"] = sub_wd(dec, rng.randint(1, 2))
        if p.has_discussion:
            d["discussion"] = sub_wd(dec, 1) if p.has_legal else sub_wd(dec, rng.randint(1, 2))
        d["decision_approval"] = sub_wd(dec, 1) if gap > 1 else dec
    else:  # np
        report = sub_wd(dec, rng.randint(2, 5))
    d["decision"] = dec
    d["report"] = report
    d["filing"] = filing
    # discovery, inspection
    if "FIL-02" in var:
        disc = sub_wd(filing, rng.randint(18, 25))
    else:
        disc = sub_wd(filing, rng.randint(0, 8))
    d["discovered"] = disc
    d["inspection"] = min(add_wd(disc, rng.choice((0, 0, 1))), filing)
    d["violation"] = d["inspection"]
    if "LIM-01" in var:
        d["violation"] = wd_on_or_before(disc - TD(days=730 + rng.randint(40, 300)))
    # inquiry
    if "ORD-02" in var:
        q = sub_wd(filing, rng.randint(1, 3))
        d["inquiry"] = max(q, d["inspection"])
        if d["inquiry"] >= filing:
            d["inquiry"] = sub_wd(filing, 1)
            d["inspection"] = min(d["inspection"], d["inquiry"])
            d["discovered"] = min(d["discovered"], d["inspection"])
            d["violation"] = d["inspection"] if "LIM-01" not in var else d["violation"]
    else:
        last = sub_wd(report, 1)
        d["inquiry"] = filing if last <= filing else _rand_wd_between(rng, filing, last)
    if p.has_correction or p.kind == "np" or (p.vt and p.vt.precondition):
        p.has_correction = True
        d["correction"] = filing
        d["correction_deadline"] = filing + TD(days=rng.choice((3, 5, 7)))
        rc = wd_on_or_after(d["correction_deadline"] + TD(days=1))
        d["recheck"] = min(rc, sub_wd(report, 0)) if rc <= report else report
    if p.has_preservation:
        d["preservation"] = d["inquiry"] if d["inquiry"] >= filing else filing
        if "EVD-02" in var and var["EVD-02"] == "late_handling":
            d["pres_handling"] = add_wd(d["preservation"], rng.randint(9, 12))
        elif "EVD-02" not in var:
            d["pres_handling"] = add_wd(d["preservation"], rng.randint(2, 6))
    if p.has_coercive:
        d["coercive"] = d["inquiry"] if d["inquiry"] >= filing else filing
    if p.has_extension:
        d["extension"] = wd_on_or_before(filing + TD(days=rng.randint(60, 85)))
    # after the decision
    method = p.service_method
    if "SRV-01" in var:
        p.service_method = method = "直接送达"
        ds = add_wd(dec, rng.randint(9, 12))
    elif var.get("ORD-01") == "service_before":
        p.service_method = method = "直接送达"
        ds = sub_wd(dec, 1)
    elif method == "邮寄送达":
        d["dispatch"] = add_wd(dec, rng.randint(0, 2))
        ds = add_wd(d["dispatch"], rng.randint(1, 3))
    else:
        ds = add_wd(dec, rng.choice((0, 0, 1, 2, 3, 5)))
    d["decision_service"] = ds
    if p.kind == "gp":
        if "PAY-01" in var:
            pay = wd_on_or_after(max(ds + TD(days=rng.randint(20, 40)), CAL.add_days(ds, 15) + TD(days=3)))
        elif var.get("ORD-01") == "payment_before":
            pay = sub_wd(dec, rng.randint(1, 2))
        else:
            limit = CAL.add_days(ds, 15)
            pay = wd_on_or_after(ds + TD(days=rng.randint(1, 12)))
            if pay > limit:
                pay = wd_on_or_before(limit)
            if pay <= ds:
                pay = add_wd(ds, 1)
        d["payment"] = pay
        base = max(pay, ds)
        if var.get("ORD-01") == "closing_before":
            d["closing"] = sub_wd(dec, rng.randint(1, 2))
        else:
            d["closing"] = add_wd(base, rng.randint(1, 8))
    else:
        d["closing"] = add_wd(ds, rng.randint(1, 8))


def _rand_wd_between(rng: random.Random, a: dt.date, b: dt.date) -> dt.date:
    if b <= a:
        return a
    days = [a + TD(days=i) for i in range((b - a).days + 1)]
    wds = [x for x in days if CAL.is_workday(x)]
    return rng.choice(wds) if wds else a


def _plan_short(p: Plan, rng: random.Random, month: str) -> None:
    """Withdrawn, transferred and pending cases."""
    d = p.d
    end = month_end(month)
    if p.kind == "pd":
        if "CLS-01" in p.defects:
            filing = wd_on_or_before(end - TD(days=rng.randint(190, 250)))
        else:
            filing = wd_on_or_before(end - TD(days=rng.randint(3, 40)))
    else:
        w = rng.choice(month_workdays(month))
        d["withdrawal"] = w
        filing = wd_on_or_before(w - TD(days=rng.randint(12, 60)))
        if p.kind == "tr":
            d["legal_review"] = sub_wd(w, rng.randint(1, 2))
    d["filing"] = filing
    disc = sub_wd(filing, rng.randint(0, 6))
    d["discovered"] = disc
    d["inspection"] = min(add_wd(disc, rng.choice((0, 1))), filing)
    d["violation"] = d["inspection"]
    upper = d.get("withdrawal", end)
    last = sub_wd(upper, 1)
    d["inquiry"] = filing if last <= filing else _rand_wd_between(rng, filing, min(last, add_wd(filing, 10)))


def _plan_simple(p: Plan, rng: random.Random, month: str, pinned: dt.date | None = None) -> None:
    d = p.d
    dec = pinned or rng.choice(month_workdays(month))
    d["decision"] = dec
    d["violation"] = dec
    d["discovered"] = dec
    if p.fine:
        if p.on_spot_collect:
            d["payment"] = dec
        else:
            limit = CAL.add_days(dec, 15)
            pay = wd_on_or_after(dec + TD(days=rng.randint(1, 12)))
            d["payment"] = min(pay, wd_on_or_before(limit))


# --- step 9: fines and features -------------------------------------------------------------------

def _nice(rng: random.Random, lo: int, hi: int) -> int:
    if hi < lo:
        hi = lo
    span = hi
    step = 10 if span <= 200 else 50 if span <= 1000 else 100 if span <= 5000 else 500 if span <= 30000 else 1000
    first = -(-lo // step) * step
    choices = list(range(first, hi + 1, step)) or [lo]
    return rng.choice(choices)


def _set_fines(p: Plan, rng: random.Random) -> None:
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


def _features(p: Plan, rng: random.Random) -> None:
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
    _hearing_mode(p, rng)


# --- step 10: officers and their time slots ---------------------------------------------------------

def _squad_officers(rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    used: set[str] = set()
    out = {}
    certs: set[str] = set()
    for sq in P.SQUADS:
        lst = []
        for _ in range(6):
            name = P.person_name(rng, used)
            while True:
                cert = f"{rng.choice(('3118', '3100', '3101'))}{rng.randint(0, 9999):04d}"
                if cert not in certs:
                    certs.add(cert)
                    break
            lst.append((name, cert))
        out[sq[0]] = lst
    return out


class Schedule:
    """Busy intervals per (officer, date) so that clean cases never double-book an officer."""

    def __init__(self) -> None:
        self.busy: dict[tuple[str, dt.date], list[tuple[int, int]]] = {}

    def free(self, who: str, day: dt.date, a: int, b: int) -> bool:
        return all(b + 20 <= x or y + 20 <= a for x, y in self.busy.get((who, day), ()))

    def book(self, who: str, day: dt.date, a: int, b: int) -> None:
        self.busy.setdefault((who, day), []).append((a, b))

    def slot(self, rng: random.Random, who: Sequence[str], day: dt.date, dur: tuple[int, int],
             ignore: str | None = None) -> tuple[int, int]:
        for _ in range(200):
            a = rng.randrange(8 * 60 + 30, 16 * 60 + 30, 5)
            b = a + rng.randint(*dur)
            if all(w == ignore or self.free(w, day, a, b) for w in who):
                for w in who:
                    self.book(w, day, a, b)
                return a, b
        raise RuntimeError(f"no free slot for {who} on {day}")


def _hm(x: int) -> tuple[int, int]:
    return divmod(x, 60)


# --- step 11: record bodies -------------------------------------------------------------------------

WEATHER = ("晴", "多云", "阴", "小雨", "晴转多云", "阴有小雨")
SCENES = (
    "现场有行人经过，通行受到一定影响", "周边商户正常营业", "现场有群众围观", "路面有明显污渍",
    "附近设有公交站点，行人较多", "现场无其他人员", "当事人在现场", "当事人的家属在现场",
    "现场有车辆临时停放", "相邻店铺门前整洁", "该处为主要通行道路", "周边为居民住宅区",
    "现场堆放物品已部分遮挡盲道", "现场有明显烟雾和异味", "现场地面有散落物",
)
ACTIONS = (
    "执法人员对现场进行了拍照取证", "执法人员使用执法记录仪对现场进行了摄录", "执法人员使用卷尺进行了测量",
    "执法人员当场指出其行为违法并要求立即改正", "执法人员向周边群众了解了情况", "执法人员对涉案物品进行了清点",
    "执法人员制作了现场示意图", "执法人员告知当事人接受调查的时间和地点",
)
REASONS = (
    "店里地方小，东西放不下", "生意不好，想多招揽点顾客", "不知道这样是违法的", "图方便，临时放一下",
    "以前一直这么做，没有人管", "家里有困难，想多赚点钱", "是店里员工自己摆出去的，我不知道",
    "当时急着赶时间，没有注意", "以为晚上没人管", "别人都这样做，我也就跟着做了", "刚开业，还不熟悉规定",
    "东西刚到货，来不及搬进去", "想着过一会儿就收掉", "是亲戚帮忙弄的", "听说这里可以摆",
)
ATTITUDES = (
    "我知道错了，以后不会再犯", "我愿意接受处理，马上整改", "希望从轻处理", "我已经整改好了", "请给我一次机会",
    "我会配合调查", "我现在就清理掉", "以后一定遵守规定", "请考虑我是初次", "我没有其他要说的",
)
REASONS_ORG = (
    "公司对现场管理不到位", "施工方没有按公司要求做", "是外包单位的工人操作的", "公司不清楚需要审批",
    "项目工期紧，临时安排的", "公司正在办理相关手续", "现场负责人疏忽了", "以为物业同意就可以",
)
DURATIONS = ("大概一个星期", "十来天", "两三天", "一个多月", "今天刚开始", "半个月左右", "三四天", "断断续续有一个月")


def _inspection_body(p: Plan, rng: random.Random) -> str:
    vt = p.vt
    assert vt is not None
    d = p.d.get("violation") or p.d.get("inspection") or p.d.get("decision")
    parts = []
    when = fmt_date(p.d.get("inspection", d), "ymd")
    lead = rng.choice((
        f"{when}，执法人员在日常巡查中发现{p.place}存在违法行为",
        f"{when}，根据{'群众投诉' if p.source_kind == '投诉' else '巡查安排'}，执法人员来到{p.place}进行检查",
        f"执法人员于{when}对{p.place}进行现场检查",
        f"经现场检查，{p.place}存在异常情况",
    ))
    parts.append(lead)
    if "LIM-01" in p.defects:
        old = fmt_date(p.d["violation"], "ymd")
        s = f"经调查，当事人于{old}{vt.act}，该行为当日即已结束"
        p.quotes["LIM-01"] = ("inspection", s)
        parts.append(s)
    else:
        parts.append(rng.choice((f"当事人正在{vt.act}", f"发现当事人{vt.act}", f"现场可见当事人{vt.act}",
                                 f"当事人存在{vt.act}的行为")))
    if vt.place_kind in ("shop", "road", "site"):
        parts.append(rng.choice((f"占用面积约{rng.randint(2, 30)}平方米", f"长约{rng.randint(2, 12)}米、宽约{rng.randint(1, 4)}米",
                                 f"涉及物品约{rng.randint(3, 40)}件", f"范围约{rng.randint(5, 60)}平方米")))
    else:
        parts.append(f"搭建面积约{rng.randint(8, 60)}平方米，为{rng.choice(('砖混', '彩钢板', '钢结构', '木结构'))}结构")
    parts += rng.sample(SCENES, rng.randint(2, 4))
    parts.append(f"天气{rng.choice(WEATHER)}")
    acts = rng.sample(ACTIONS, rng.randint(2, 3))
    if "REC-01" in p.defects:
        acts = [a for a in acts if "执法记录仪" not in a]
    parts += acts
    tail = parts[2:]
    rng.shuffle(tail)
    parts = parts[:2] + tail
    return "，".join(parts) + "。"


def _qa(p: Plan, rng: random.Random) -> list[tuple[str, str]]:
    vt = p.vt
    assert vt is not None
    party = p.party
    assert party is not None
    when = fmt_date(p.d.get("inspection", p.d.get("violation")), "ymd")
    qa: list[tuple[str, str]] = []
    qa.append((rng.choice(("我们是青浦区城管执法局的执法人员，现依法向你询问，你应当如实回答，你听清楚了吗？",
                           "我们是城管执法人员，这是我们的执法证件，请你过目。你有申请回避的权利，是否申请回避？",
                           "今天依法对你进行询问，请如实回答，作伪证要承担法律责任，明白吗？")),
               rng.choice(("听清楚了。", "不申请回避。", "明白。", "清楚，不需要回避。"))))
    if party.kind == "company":
        qa.append(("你与该公司是什么关系？", rng.choice(("我是法定代表人。", "我是公司负责人，有授权委托书。",
                                                   "我是公司的现场负责人。"))))
    elif party.kind == "shop":
        qa.append(("这家店是谁经营的？", rng.choice(("是我本人经营的，营业执照在我名下。", "我是经营者。",
                                                  "店是我开的。"))))
    qa.append((f"{when}在{p.place}{vt.act}的情况是否属实？",
               rng.choice(("属实。", "是的，是我做的。", "情况属实，我承认。", "是这样的。"))))
    optional = [
        ("这种情况持续多久了？", rng.choice(DURATIONS) + "。"),
        ("你为什么这样做？", rng.choice(REASONS_ORG if party.kind == "company" else REASONS) + "。"),
        ("有没有向相关部门申请办理过审批手续？", rng.choice(("没有办过。", "没有，不知道要办。", "申请过但没有批下来。",
                                                   "没有，以为不需要。"))),
        ("之前有没有因为同样的问题被处理过？", rng.choice(("没有，这是第一次。", "以前被提醒过一次。", "没有。",
                                                 "去年被教育过。"))),
        ("现场的物品是谁的？", rng.choice(("都是我的。", "是店里的。", "是我从朋友那里借的。", "一部分是别人的。"))),
        ("执法人员要求你改正后你是否改正了？", rng.choice(("已经清理了。", "还没有来得及。", "当场就收掉了。",
                                                 "正在整改中。"))),
        ("你的收入情况怎样？" if party.kind != "company" else "公司的经营情况怎样？",
         rng.choice(("每天营业额几百元。", "生意一般，勉强维持。", "收入不稳定。", "每月收入三四千元。")
                    if party.kind != "company" else ("经营正常。", "今年业务量下降。", "有十几名员工，经营一般。"))),
        ("当时现场还有谁？", rng.choice(("只有我一个人。", "还有我爱人。", "还有一个帮工。", "有两个顾客。"))),
    ]
    qa += rng.sample(optional, rng.randint(3, 5))
    qa.append(("你还有什么需要补充的吗？", rng.choice(ATTITUDES) + "。"))
    qa.append(("以上笔录请你核对，是否与你所说的一致？",
               rng.choice(("以上笔录我看过，与我说的相符。", "看过，和我说的一样。", "以上记录属实。"))))
    return qa


# --- step 12: documents -------------------------------------------------------------------------

class DocB:
    """Collects the blocks of one document."""

    def __init__(self, doc_type: str, title: str, header: bool = False, number: str | None = None) -> None:
        self.doc_type = doc_type
        self.title_text = title
        self.blocks: list[Block] = []
        if header:
            self.blocks.append(Block("subtitle", P.AGENCY))
        self.blocks.append(Block("title", title))
        if number:
            self.blocks.append(Block("subtitle", number))

    def para(self, text: str) -> "DocB":
        self.blocks.append(Block("para", text))
        return self

    def table(self, rows: Sequence[Sequence[str]]) -> "DocB":
        self.blocks.append(Block("table", rows=tuple(tuple(r) for r in rows)))
        return self

    def seal(self, text: str) -> "DocB":
        self.blocks.append(Block("seal", text))
        return self

    def sign(self, text: str) -> "DocB":
        self.blocks.append(Block("signature", text))
        return self

    def spec(self) -> DocSpec:
        return DocSpec(self.doc_type, self.title_text, tuple(self.blocks))


def text_of(doc: DocSpec) -> str:
    """All text of a document (cells joined), for quote checks."""
    out = []
    for b in doc.blocks:
        if b.text:
            out.append(b.text)
        for row in b.rows:
            out.append("\t".join(row))
    return "\n".join(out)


SEALS = (f"{P.AGENCY}（印章）", f"（印章）{P.AGENCY}", f"{P.AGENCY}（公章）")


def _seal(rng: random.Random) -> str:
    return rng.choice(SEALS)


class Builder:
    """Builds every document of one case from its plan."""

    def __init__(self, p: Plan, rng: random.Random) -> None:
        self.p = p
        self.r = rng
        self.vt = p.vt
        self.party = p.party
        self.docs: list[tuple[str, DocSpec]] = []

    # -- small helpers ------------------------------------------------------------------
    def dt_(self, d: dt.date, table: bool = False) -> str:
        return fmt_date(d, self.r.choice(DATE_STYLES_TABLE if table else DATE_STYLES_PROSE))

    def c(self) -> str:
        return colon(self.r)

    def name_in(self, key: str) -> str:
        p = self.p
        if p.alt_name and key == p.variant.get("CON-01:doc"):
            self.quote("CON-01", key, p.alt_name)
            return p.alt_name
        return self.party.name  # type: ignore[union-attr]

    def wrong_amount(self, fine: int) -> int:
        """A paid amount that contradicts the fine (CON-02). A late payment may carry the 加处罚款
        (up to the fine again), so an amount above the fine is then no contradiction: go below it,
        or past twice the fine."""
        p, r = self.p, self.r
        served = p.d.get("decision_service")
        late = "PAY-01" in p.defects or "payment" not in p.d or served is None or p.d["payment"] > served + TD(days=15)
        if fine >= 1000:
            return fine - r.choice((100, 200, 500))
        if not late:
            return fine + r.choice((100, 200, 500))
        below = [x for x in (100, 200, 500) if x < fine]
        return fine - r.choice(below) if below else 2 * fine + r.choice((100, 200, 500))

    def squad_name(self) -> str:
        return P.AGENCY_SHORT + self.p.squad[0]

    def officer_cells(self, officers: Sequence[tuple[str, str | None]]) -> list[list[str]]:
        rows = []
        for i, (name, cert) in enumerate(officers):
            rows.append([f"执法人员{i + 1}" if self.r.random() < 0.5 else "检查人", name, "执法证号", cert or ""])
        return rows

    def party_rows(self, key: str) -> list[list[str]]:
        pt = self.party
        assert pt is not None
        name = self.name_in(key)
        if pt.kind == "person":
            return [["当事人", name, "性别", pt.gender], ["身份证号", pt.id_printed, "联系电话", pt.phone],
                    ["住址", pt.address, "", ""]]
        if pt.kind == "shop":
            return [["当事人", f"{name}（个体工商户）", "经营者", pt.rep or ""],
                    ["统一社会信用代码", pt.id_printed, "联系电话", pt.phone], ["经营场所", pt.address, "", ""]]
        return [["当事人", name, "法定代表人", pt.rep or ""], ["统一社会信用代码", pt.id_printed, "联系电话", pt.phone],
                ["住所", pt.address, "", ""]]

    def party_para(self, key: str, address: bool = True) -> str:
        pt = self.party
        assert pt is not None
        c = self.c()
        name = self.name_in(key)
        sep = self.r.choice(("，", "；", " "))
        if pt.kind == "person":
            parts = [f"当事人{c}{name}", f"性别{c}{pt.gender}", f"身份证号{c}{pt.id_printed}"]
            if address:
                parts.append(f"住址{c}{pt.address}")
        elif pt.kind == "shop":
            parts = [f"当事人{c}{name}", f"经营者{c}{pt.rep}", f"统一社会信用代码{c}{pt.id_printed}"]
            if address:
                parts.append(f"经营场所{c}{pt.address}")
        else:
            parts = [f"当事人{c}{name}", f"统一社会信用代码{c}{pt.id_printed}", f"法定代表人{c}{pt.rep}"]
            if address:
                parts.append(f"住所{c}{pt.address}")
        return sep.join(parts) + "。"

    def you(self) -> str:
        return "你" if self.party.kind == "person" else self.r.choice(("你单位", "你（单位）", "你"))  # type: ignore[union-attr]

    def add(self, key: str, doc: DocSpec) -> None:
        self.docs.append((key, doc))

    def quote(self, cid: str, key: str, text: str, absent: bool = False) -> None:
        if cid in self.p.defects:
            self.p.quotes[cid] = (key, text)
            self.p.absent[cid] = absent

    def cites(self, which: str) -> tuple[Cite, ...]:
        vt = self.vt
        assert vt is not None
        if which == "violated":
            if "LAW-01" in self.p.defects:
                return TYPES[SWAP[vt.key]].violated
            return vt.violated
        if "LAW-01" in self.p.defects:
            return TYPES[SWAP[vt.key]].penalty
        return vt.penalty

    def amount(self, n: int) -> str:
        return fmt_amount(n, self.r.choice(("upper", "rmb_arabic", "yen", "upper_yen", "plain")))

    def facts(self) -> str:
        p = self.p
        vt = self.vt
        assert vt is not None
        d = p.d["violation"]
        return self.r.choice((
            f"经查，{self.you()}于{self.dt_(d)}在{p.place}{vt.act}",
            f"{self.dt_(d)}，本局执法人员在{p.place}检查时发现，{self.you()}{vt.act}",
            f"经调查核实，{self.dt_(d)}{self.you()}在{p.place}存在{vt.act}的行为",
        ))

    def evidence(self) -> str:
        items = ["现场检查笔录", "询问笔录", "现场照片", "身份证明材料", "视音频资料"]
        if "REC-01" in self.p.defects:
            items.remove("视音频资料")
        self.r.shuffle(items)
        return self.r.choice(("以上事实有", "上述事实，有")) + "、".join(items[:4]) + "等证据为证。"

    # -- documents ------------------------------------------------------------------------
    def source(self) -> None:
        p, r, c = self.p, self.r, self.c()
        d = p.d["discovered"]
        kind = p.source_kind
        if kind == "移送" and r.random() < 0.5:
            b = DocB("case_source", "案件移送函",
                     number=f"青公（{r.choice(('治', '交'))}）移字〔{d.year}〕{r.randint(10, 99)}号")
            b.para(f"{P.AGENCY}：")
            b.para(f"我单位于{self.dt_(d)}在工作中发现{p.place}存在{self.vt.name}问题，属于你局管辖范围，现依法移送你局处理。")  # type: ignore[union-attr]
            b.para("附：现场照片及相关材料。")
            b.seal(f"上海市公安局青浦分局{r.choice(('夏阳', '盈浦', '徐泾', '赵巷'))}派出所（印章）")
            b.sign(self.dt_(d))
            self.add("source", b.spec())
            return
        title = {"投诉": r.choice(("投诉举报登记表", "案件来源登记表", "12345市民服务热线工单")),
                 "信访": "信访事项登记表", "巡查": r.choice(("巡查发现记录", "案件来源登记表", "案件来源登记表")),
                 "移送": "案件来源登记表"}[kind]
        b = DocB("case_source", title, header=r.random() < 0.4)
        rows = [["案件来源", kind, "登记时间" if kind != "巡查" else "发现时间", self.dt_(d, True)],
                ["地点", p.place, "", ""]]
        if kind in ("投诉", "信访"):
            rows.append(["反映人", r.choice(P.SURNAMES) + "**", "联系电话", P.mask_phone(r)])
            rows.append(["反映内容", f"反映{p.place}有人{self.vt.act}，影响周边环境，要求处理。" +  # type: ignore[union-attr]
                         (f"（第{p.complaints}次反映）" if p.complaints >= 2 else ""), "", ""])
        else:
            rows.append(["发现情况", f"巡查中发现{p.place}有人{self.vt.act}。", "", ""])  # type: ignore[union-attr]
        rows.append(["登记人", p.officers[0][0] if p.officers else "", "处理意见", r.choice(("请中队核查处理", "建议立案调查", "转中队处置"))])
        b.table(rows)
        self.add("source", b.spec())

    def filing(self) -> None:
        p, r = self.p, self.r
        title = r.choice(("立案审批表", "立案审批表", "行政处罚立案审批表"))
        b = DocB("filing_approval", title, header=r.random() < 0.5)
        d = p.d["filing"]
        pt = self.party
        assert pt is not None
        rows = [["立案号", p.nums["filing"], "承办单位", self.squad_name()],
                ["案由", f"涉嫌{self.vt.name}", "案件来源", p.source_kind]]  # type: ignore[union-attr]
        rows += self.party_rows("filing")
        rows.append(["简要案情", f"{self.dt_(p.d['discovered'], True)}，{p.place}，当事人涉嫌{self.vt.act}。", "", ""])  # type: ignore[union-attr]
        offs = p.officers if len(p.officers) >= 2 else p.officers + [p.officers[0]]
        rows.append(["承办人", f"{offs[0][0]}（执法证号{offs[0][1] or ''}）、{offs[1][0]}（执法证号{offs[1][1] or p.officers[0][1] or ''}）", "", ""])
        rows.append(["承办人意见", r.choice(("符合立案条件，建议立案调查。", "建议立案。", "拟立案查处。")),
                     "日期", "" if "FIL-01" in p.defects else self.dt_(sub_wd(d, 1) if r.random() < 0.3 else d, True)])
        rows.append(["审核意见", r.choice(("同意。", "同意立案。", "拟同意")), "审核人", r.choice(P.SUPERVISORS)])
        if "FIL-01" in p.defects:
            rows.append(["负责人审批意见", "", "签名", ""])
            rows.append(["日期", "    年  月  日", "", ""])
            self.quote("FIL-01", "filing", "负责人审批意见", absent=True)
        else:
            when = self.dt_(d, True)
            rows.append(["负责人审批意见", r.choice(("同意立案。", "同意", "同意立案调查。")), "签名", r.choice(P.LEADERS)])
            rows.append(["日期", when, "", ""])
            self.quote("FIL-02", "filing", when)
            self.quote("CLS-01", "filing", when, absent=True)
            self.quote("ORD-02", "filing", when)
        b.table(rows)
        self.add("filing", b.spec())

    def inspection(self) -> None:
        p, r = self.p, self.r
        title = r.choice(("现场检查笔录", "现场检查笔录", "现场勘验笔录", "现场检查（勘验）笔录"))
        b = DocB("inspection_record", title)
        d = p.d["inspection"]
        sh, sm, eh, em = p.t["inspection"]
        ts = r.choice(("cn", "colon"))
        ds = r.choice(DATE_STYLES_TABLE[:3])
        start = f"{fmt_date(d, ds)}{fmt_time(sh, sm, ts)}"
        end = fmt_time(eh, em, ts)
        timeline = f"{start}至{end}"
        rows = [["检查时间", timeline, "", ""], ["检查地点", p.place, "", ""]]
        offs = list(p.officers)
        if "OFF-01" in p.defects:
            offs = offs[:1]
        rows += self.officer_cells(offs)
        rows.append(["记录人", offs[-1][0], "", ""])
        pt = self.party
        assert pt is not None
        present = pt.name if pt.kind == "person" else pt.rep or ""
        rows.append(["被检查人（当事人）", self.name_in("inspection"), "在场人", present])
        b.table(rows)
        b.para(r.choice(("执法人员已向当事人出示执法证件，表明身份，告知其有申请回避的权利。",
                         "执法人员出示了执法证件，并告知当事人享有陈述、申辩及申请回避的权利。",
                         "我们是青浦区城管执法局执法人员，已出示执法证件。")))
        body = p.insp_body
        b.para("检查情况：" + body)
        if "REC-01" not in p.defects and r.random() < 0.6:
            b.para(f"本次检查使用执法记录仪（编号{r.randint(100000, 999999)}）全程记录。")
        unsigned = p.variant.get("EVD-01") == "unsigned_inspection"
        if unsigned:
            b.sign("当事人（签名）：            日期：")
            self.quote("EVD-01", "inspection", "当事人（签名）：", absent=True)
        elif r.random() < 0.12:
            wit = P.person_name(r, set())
            b.sign(f"当事人拒绝签名。见证人：{wit}")
        else:
            b.sign(f"当事人（签名）：{present}  {self.dt_(d, True)}")
        b.sign("执法人员（签名）：" + "、".join(o[0] for o in offs))
        off_cell = offs[0][0]
        self.quote("OFF-01", "inspection", off_cell)
        if "OFF-02" in p.defects:
            self.quote("OFF-02", "inspection", p.officers[1][0])
        self.quote("REC-01", "inspection", timeline, absent=True)
        self.quote("MIS-03", "inspection", timeline)
        self.add("inspection", b.spec())

    def correction(self) -> None:
        p, r = self.p, self.r
        title = r.choice(("责令改正通知书", "责令限期改正通知书", "责令改正通知书"))
        b = DocB("correction_order", title, header=True, number=p.nums["correction"])
        you = self.you()
        b.para(f"{self.name_in('correction')}：")
        b.para(f"经查，{you}{self.vt.act}，违反了{cites_print(self.cites('violated'), r)}的规定。"  # type: ignore[union-attr]
               f"根据《中华人民共和国行政处罚法》第二十八条第一款的规定，现责令{you}于{self.dt_(p.d['correction_deadline'])}前改正上述违法行为。")
        b.para("逾期不改正的，本局将依法处理。")
        if "recheck" in p.d:
            result = "已改正" if (p.kind == "np" or not (self.vt and self.vt.precondition)) else "未改正"
            b.table([["复查时间", self.dt_(p.d["recheck"], True), "复查结果", result],
                     ["复查人", "、".join(o[0] for o in p.officers[:2]), "", ""]])
        no_seal = p.variant.get("DEC-04") == "correction_no_seal"
        if no_seal:
            b.sign(P.AGENCY)
            self.quote("DEC-04", "correction", p.nums["correction"], absent=True)
        else:
            b.seal(_seal(r))
        b.sign(self.dt_(p.d["correction"]))
        b.sign(f"当事人签收：{self.party.rep or self.party.name}")  # type: ignore[union-attr]
        self.add("correction", b.spec())

    def inquiry(self) -> None:
        p, r = self.p, self.r
        title = r.choice(("询问笔录", "询问笔录", "调查询问笔录", "调查笔录"))
        b = DocB("inquiry_record", title)
        d = p.d["inquiry"]
        sh, sm, eh, em = p.t["inquiry"]
        ts = r.choice(("cn", "colon"))
        timeline = f"{fmt_date(d, r.choice(DATE_STYLES_TABLE[:3]))}{fmt_time(sh, sm, ts)}至{fmt_time(eh, em, ts)}"
        pt = self.party
        assert pt is not None
        asked = pt.name if pt.kind == "person" else pt.rep or ""
        rows = [["询问时间", timeline, "", ""],
                ["询问地点", r.choice((f"{self.squad_name()}办公室", f"{self.squad_name()}询问室", p.place)), "", ""],
                ["询问人", p.officers[0][0], "执法证号", p.officers[0][1] or ""],
                ["记录人", p.officers[1][0], "执法证号", p.officers[1][1] or ""],
                ["被询问人", asked if pt.kind == "person" else f"{asked}（{self.name_in('inquiry')}{'经营者' if pt.kind == 'shop' else '法定代表人'}）",
                 "性别", pt.gender],
                ["身份证号", pt.id_printed if pt.kind == "person" else (pt.rep_id or P.mask_id(P.id_number(r), r)), "联系电话", pt.phone]]
        if pt.kind != "person" and r.random() < 0.5:
            # some forms name the party (the unit) apart from the person asked
            rows.append([r.choice(("当事人", "当事人名称", "被询问单位")), self.name_in("inquiry"), "", ""])
        b.table(rows)
        for q, a in p.qa:
            b.para(f"问{self.c()}{q}")
            b.para(f"答{self.c()}{a}")
        if "EVD-01" in p.defects and p.variant["EVD-01"] == "unsigned_inquiry":
            b.sign("被询问人（签名）：")
            self.quote("EVD-01", "inquiry", "被询问人（签名）：", absent=True)
        elif r.random() < 0.08:
            b.sign(f"被询问人拒绝签名。见证人：{P.person_name(r, set())}")
        else:
            b.sign(f"被询问人（签名）：{asked}  {self.dt_(d, True)}")
        b.sign(f"询问人：{p.officers[0][0]}  记录人：{p.officers[1][0]}")
        self.quote("ORD-02", "inquiry", timeline)
        self.quote("MIS-02", "inquiry", max((x for qa in p.qa[1:-1] for x in qa), key=len))
        self.add("inquiry", b.spec())

    def preservation(self) -> None:
        p, r = self.p, self.r
        b = DocB("evidence_preservation", r.choice(("证据先行登记保存通知书", "先行登记保存证据通知书")), header=True,
                 number=p.nums["preservation"])
        b.para(f"{self.name_in('preservation')}：")
        b.para(f"因{self.you()}涉嫌{self.vt.name}，经本局负责人批准，根据《中华人民共和国行政处罚法》第五十六条的规定，"  # type: ignore[union-attr]
               f"对下列物品予以先行登记保存，保存期间不得销毁或者转移。本局将在七日内作出处理决定。")
        when = self.dt_(p.d["preservation"])
        b.table([["物品名称", self.vt.items, "数量", "见清单"], ["保存地点", r.choice(("就地保存", "中队暂存室")), "保存日期", when]])  # type: ignore[union-attr]
        b.seal(_seal(r))
        b.sign(when)
        self.add("preservation", b.spec())
        if "pres_handling" in p.d:
            b2 = DocB("evidence_preservation", r.choice(("先行登记保存物品处理决定书", "证据先行登记保存处理决定书")), header=True,
                      number=p.nums["preservation"].replace("登保", "登处"))
            b2.para(f"{self.name_in('preservation')}：")
            hd = self.dt_(p.d["pres_handling"])
            b2.para(f"本局于{when}对{self.you()}的{self.vt.items}予以先行登记保存，现作出如下处理决定：{r.choice(('解除先行登记保存，退还当事人。', '予以解除保存。', '经调查核实，退还当事人。'))}")  # type: ignore[union-attr]
            b2.seal(_seal(r))
            b2.sign(hd)
            if "EVD-02" in p.defects:
                self.quote("EVD-02", "pres_handling", hd)
            self.add("pres_handling", b2.spec())
        else:
            self.quote("EVD-02", "preservation", when, absent=True)

    def coercive(self) -> None:
        p, r = self.p, self.r
        b = DocB("coercive_measure", r.choice(("扣押决定书", "查封（扣押）决定书")), header=True, number=p.nums["coercive"])
        b.para(f"{self.name_in('coercive')}：")
        b.para(f"{self.you()}涉嫌{self.vt.name}，根据《中华人民共和国行政强制法》第十八条、第二十四条的规定，本局决定对{self.vt.items}予以扣押，扣押期限为三十日。")  # type: ignore[union-attr]
        b.para("如不服本决定，可以在收到本决定书之日起六十日内向上海市青浦区人民政府申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。")
        b.seal(_seal(r))
        b.sign(self.dt_(p.d["coercive"]))
        self.add("coercive", b.spec())

    def av(self) -> None:
        p, r = self.p, self.r
        title = r.choice(("视音频记录登记表", "执法记录仪记录说明", "视音频资料登记表"))
        b = DocB("av_record", title)
        rows = [["记录设备", f"执法记录仪（编号{r.randint(100000, 999999)}）", "记录人", p.officers[0][0]]]
        if p.kind == "sp":
            rows.append(["记录事项", "简易程序当场处罚", "记录时间", self.dt_(p.d["decision"], True)])
        else:
            rows.append(["记录事项", "现场检查" + ("、投诉举报处置" if p.source_kind == "投诉" else ""),
                         "记录时间", self.dt_(p.d["inspection"], True)])
            if p.has_preservation:
                rows.append(["记录事项", "证据先行登记保存", "记录时间", self.dt_(p.d["preservation"], True)])
            if p.has_coercive:
                rows.append(["记录事项", "实施扣押", "记录时间", self.dt_(p.d["coercive"], True)])
            if p.service_method == "留置送达" and "decision_service" in p.d:
                rows.append(["记录事项", "留置送达", "记录时间", self.dt_(p.d["decision_service"], True)])
            if p.hearing_mode == "held":
                rows.append(["记录事项", "听证", "记录时间", self.dt_(p.d["hearing"], True)])
        rows.append(["文件名", f"{p.case_id}_{r.randint(1000, 9999)}.mp4", "存储位置", "中队执法记录仪管理系统"])
        b.table(rows)
        self.add("av", b.spec())

    def report(self) -> None:
        p, r = self.p, self.r
        b = DocB("investigation_report", r.choice(("案件调查终结审批表", "案件调查终结报告", "案件调查终结审批表")),
                 header=r.random() < 0.4)
        rows = [["案由", self.vt.name, "承办单位", self.squad_name()]]  # type: ignore[union-attr]
        rows += self.party_rows("report")
        rows.append(["违法事实", self.facts() + "。", "", ""])
        rows.append(["证据", self.evidence(), "", ""])
        if p.kind == "np":
            rows.append(["处理意见", f"当事人违法行为轻微并已及时改正，没有造成危害后果，依据《中华人民共和国行政处罚法》第三十三条第一款的规定，拟不予行政处罚。", "", ""])
        else:
            rows.append(["违反条款", cites_print(self.cites("violated"), r, False), "", ""])
            rows.append(["处罚依据", cites_print(self.cites("penalty"), r, False), "", ""])
            rows.append(["裁量理由", r.choice(("当事人系初次违法，积极配合调查。", "当事人违法情节一般。",
                                               "参照《上海市城市管理行政执法行政处罚裁量基准》，属一般情节。")), "", ""])
            rows.append(["拟处罚意见", "罚款" + fmt_amount(p.proposed or 0, "rmb_arabic") if p.proposed else "警告", "", ""])
        rows.append(["承办人", "、".join(o[0] for o in p.officers[:2]), "日期", self.dt_(p.d["report"], True)])
        rows.append(["审核意见", "同意", "负责人意见", r.choice(("同意", "同意承办人意见"))])
        b.table(rows)
        self.add("report", b.spec())

    def legal(self) -> None:
        p, r = self.p, self.r
        b = DocB("legal_review", r.choice(("重大执法决定法制审核意见书", "法制审核意见书", "重大行政执法决定法制审核表")))
        trig = "拟移送司法机关" if p.kind == "tr" else "拟作出较大数额罚款，属听证范围"
        rows = [["案由", self.vt.name, "当事人", self.name_in("legal")],  # type: ignore[union-attr]
                ["审核事项", trig, "", ""],
                ["审核意见", r.choice(("事实清楚，证据确凿，适用法律正确，程序合法，同意。", "经审核，同意承办部门意见。",
                                       "符合法定条件，审核通过。")), "", ""],
                ["审核人", r.choice(P.REVIEWERS), "审核日期", self.dt_(p.d["legal_review"], True)]]
        b.table(rows)
        self.add("legal", b.spec())

    def discussion(self) -> None:
        p, r = self.p, self.r
        b = DocB("collective_discussion", r.choice(("集体讨论记录", "案件集体讨论记录", "重大案件集体讨论记录")))
        b.table([["讨论时间", self.dt_(p.d["discussion"], True), "地点", "局会议室"],
                 ["主持人", P.LEADERS[0], "参加人员", "、".join(P.LEADERS[1:] + P.REVIEWERS[:1])],
                 ["案由", self.vt.name, "当事人", self.name_in("discussion")]])  # type: ignore[union-attr]
        b.para(f"讨论意见：与会人员一致认为，本案事实清楚，证据充分，同意对当事人处以罚款{fmt_amount(p.fine or 0, 'rmb_arabic')}。")
        b.sign(f"记录人：{r.choice(P.REVIEWERS)}")
        self.add("discussion", b.spec())

    def notice(self) -> None:
        p, r = self.p, self.r
        hear = p.hl and p.hearing_mode != "untold"
        title = "行政处罚事先（听证）告知书" if hear and r.random() < 0.5 else "行政处罚事先告知书"
        b = DocB("prior_notice", title, header=True, number=p.nums["notice"])
        you = self.you()
        b.para(f"{self.name_in('notice')}：")
        var = p.variant.get("NOT-02")
        facts = self.facts() + "。"
        basis = (f"{you}的行为违反了{cites_print(self.cites('violated'), r)}的规定。依据{cites_print(self.cites('penalty'), r)}的规定，"
                 if var != "no_facts" else "")
        amount = self.amount(p.proposed or 0)
        penalty = f"本局拟对{you}作出{'警告、' if '警告' in p.kinds_ else ''}罚款{amount}的行政处罚。"
        if var == "no_penalty":
            penalty = f"本局拟对{you}依法作出行政处罚。"
        if var == "no_facts":
            b.para(f"本局拟对{you}作出{'警告、' if '警告' in p.kinds_ else ''}罚款{amount}的行政处罚。")
            self.quote("NOT-02", "notice", f"罚款{amount}", absent=True)
        else:
            b.para(facts + basis + penalty)
            if var == "no_penalty":
                self.quote("NOT-02", "notice", penalty, absent=True)
        rights = r.choice((
            f"根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，{you}有权进行陈述和申辩。{you}可在收到本告知书之日起三日内向本局提出陈述、申辩，逾期未提出的，视为放弃上述权利。",
            f"{you}如对上述拟作出的行政处罚有异议，可以在收到本告知书之日起3个工作日内提出陈述和申辩；逾期视为放弃陈述、申辩的权利。",
            f"依照《行政处罚法》第四十四条的规定，告知{you}享有陈述、申辩的权利，请于收到本告知书之日起三日内到本局提出，逾期不提出的视为放弃。",
        ))
        if var == "no_rights":
            self.quote("NOT-02", "notice", penalty, absent=True)
        else:
            b.para(rights)
            self.quote("HRG-01", "notice", rights, absent=True)
        if hear:
            b.para(r.choice((
                f"根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，{you}有权要求举行听证。{you}如要求听证，应当在收到本告知书之日起五日内提出，逾期视为放弃听证权利。",
                f"{you}有要求举行听证的权利，如需听证，请在收到本告知书后5个工作日内向本局提出书面申请。",
                f"本案拟作出较大数额罚款，依法告知{you}有要求听证的权利，应于收到本告知书之日起五个工作日内提出。",
            )))
        b.para(f"联系地址：上海市青浦区{r.choice(('公园东路', '青松路', '城中东路'))}{r.randint(100, 999)}号；联系人：{p.officers[0][0]}；联系电话：{r.choice(('5970', '6920'))}{r.randint(1000, 9999)}。")
        seal_var = p.variant.get("DEC-04")
        notice_date = self.dt_(p.d["notice"])
        if seal_var == "notice_no_seal":
            b.sign(P.AGENCY)
            self.quote("DEC-04", "notice", p.nums["notice"], absent=True)
        elif seal_var == "notice_unit_seal":
            unit = f"{self.squad_name()}（印章）"
            b.seal(unit)
            self.quote("DEC-04", "notice", unit)
        else:
            b.seal(_seal(r))
        b.sign(notice_date)
        self.quote("SRV-02", "notice", p.nums["notice"], absent=True)
        self.add("notice", b.spec())

    def service(self, key: str, served: str, served_no: str, d: dt.date, method: str) -> None:
        p, r = self.p, self.r
        pt = self.party
        assert pt is not None
        receiver = pt.name if pt.kind == "person" else (pt.rep or "")
        when = self.dt_(d, True)
        if method == "邮寄送达":
            b = DocB("service_receipt", r.choice(("邮寄送达回执", "送达回证（邮寄）")))
            disp = self.dt_(p.d.get("dispatch", d), True)
            b.table([["送达文书", f"{served}（{served_no}）", "", ""], ["受送达人", self.name_in(key), "", ""],
                     ["送达方式", "邮寄送达", "邮件号码", f"EMS{r.randint(10**9, 10**10 - 1)}"],
                     ["寄出日期", disp, "收件日期", when], ["收件人签名", receiver, "经办人", p.officers[0][0]]])
        elif method == "电子送达":
            b = DocB("service_receipt", "电子送达确认书")
            b.table([["送达文书", f"{served}（{served_no}）", "", ""], ["受送达人", self.name_in(key), "", ""],
                     ["送达方式", "电子送达（当事人已签署同意电子送达确认书）", "送达地址", f"{pt.phone}（短信）"],
                     ["送达日期", when, "送达人", p.officers[0][0]]])
        else:
            title = r.choice(("送达回证", "送达回证", "行政执法文书送达回证"))
            b = DocB("service_receipt", title, header=r.random() < 0.5)
            rows = [["送达文书名称及文号", f"{served} {served_no}", "", ""], ["受送达人", self.name_in(key), "", ""],
                    ["送达地点", r.choice((pt.address, f"{self.squad_name()}办公室")), "", ""],
                    ["送达方式", method, "", ""]]
            if method == "留置送达":
                rows.append(["收件人签名", "（拒绝签收）", "见证人", P.person_name(r, set())])
                rows.append(["备注", "受送达人拒绝签收，已将文书留置于其住所，并全程录像。", "", ""])
            else:
                rows.append(["收件人签名", receiver, "签收日期", when])
            rows.append(["送达人", "、".join(o[0] for o in p.officers[:2]), "送达日期", when])
            b.table(rows)
        if key == "dec_srv":
            self.quote("SRV-01", key, when)
            if p.variant.get("ORD-01") == "service_before":
                self.quote("ORD-01", key, when)
        self.add(key, b.spec())

    def defence(self) -> None:
        p, r = self.p, self.r
        b = DocB("defence_record", r.choice(("陈述申辩笔录", "陈述申辩笔录", "当事人陈述申辩记录")))
        pt = self.party
        assert pt is not None
        who = pt.name if pt.kind == "person" else pt.rep or ""
        b.table([["时间", self.dt_(p.d["defence"], True), "地点", f"{self.squad_name()}办公室"],
                 ["陈述申辩人", who, "记录人", p.officers[1][0]]])
        said = r.choice(("我承认违法事实，但我是初次违法，家庭困难，希望减轻处罚。", "我已经改正了，希望从轻处理。",
                         "罚款金额太高，请求减少罚款。", "当时是临时堆放，不是长期占用，请求不予处罚。"))
        b.para(f"陈述申辩内容：{said}")
        b.sign(f"陈述申辩人（签名）：{who}")
        if "DEF-02" in p.defects:
            self.quote("DEF-02", "defence", said, absent=True)
        else:
            b.para(r.choice(("复核意见：经复核，当事人提出的理由不能成立，维持原拟处罚意见。",
                             "复核意见：当事人陈述的事实已核实，但不足以改变处罚意见，不予采纳。",
                             "经复核，当事人申辩意见不予采纳。")))
            b.sign(f"复核人：{r.choice(P.SUPERVISORS)}  {self.dt_(p.d['defence_review'], True)}")
        self.add("defence", b.spec())

    def waiver(self) -> None:
        p, r = self.p, self.r
        b = DocB("defence_record", r.choice(("放弃陈述申辩和听证权利声明", "放弃陈述、申辩（听证）权利声明书")))
        b.para(f"本人（单位）已收到{P.AGENCY}作出的{p.nums['notice']}行政处罚事先告知书，对拟作出的行政处罚无异议，"
               f"自愿放弃陈述、申辩和要求听证的权利。")
        pt = self.party
        assert pt is not None
        b.sign(f"声明人：{pt.name if pt.kind == 'person' else pt.rep}  {self.dt_(p.d['waiver'], True)}")
        self.add("waiver", b.spec())

    def hearing_docs(self) -> None:
        p, r = self.p, self.r
        b = DocB("hearing_notice", "听证通知书", header=True, number=p.nums["notice"].replace("罚先告", "听通"))
        b.para(f"{self.name_in('hearing_notice')}：")
        sh, sm, eh, em = p.t["hearing"]
        at = f"{'上午' if sh < 12 else '下午'}{sh if sh <= 12 else sh - 12}时" + (f"{sm}分" if sm else "")
        b.para(f"根据{self.you()}于{self.dt_(p.d['hearing_request'])}提出的听证申请，本局定于{self.dt_(p.d['hearing'])}"
               f"{at}在局听证室举行听证。听证主持人：{P.REVIEWERS[1]}。{self.you()}可以委托一至二名代理人参加。")
        b.seal(_seal(r))
        b.sign(self.dt_(p.d["hearing_notice"]))
        self.add("hearing_notice", b.spec())
        b2 = DocB("hearing_record", r.choice(("听证笔录", "听证笔录", "听证会记录")))
        b2.table([["听证时间", f"{self.dt_(p.d['hearing'], True)} {sh}:{sm:02d}至{eh}:{em:02d}", "地点", "局听证室"],
                  ["主持人", P.REVIEWERS[1], "记录人", P.REVIEWERS[2]],
                  ["案件调查人员", "、".join(o[0] for o in p.officers[:2]), "当事人", self.name_in("hearing_record")]])
        b2.para("调查人员陈述了违法事实、证据和拟处罚意见；当事人进行了申辩和质证；双方进行了辩论并作最后陈述。")
        b2.sign("当事人签名：" + (self.party.rep or self.party.name))  # type: ignore[union-attr]
        self.add("hearing_record", b2.spec())

    def extension(self) -> None:
        p, r = self.p, self.r
        b = DocB("extension_approval", r.choice(("延长办案期限审批表", "案件延期审批表", "延长办案期限审批表")))
        new = p.d["filing"] + TD(days=120)
        b.table([["案由", self.vt.name, "当事人", self.name_in("extension")],  # type: ignore[union-attr]
                 ["立案日期", self.dt_(p.d["filing"], True), "延长期限至", self.dt_(new, True)],
                 ["延期理由", r.choice(("案情复杂，需进一步调查取证。", "当事人申请听证，需延长办案期限。", "需要鉴定测量。")), "", ""],
                 ["负责人意见", "同意延期", "批准日期", self.dt_(p.d["extension"], True)]])
        self.add("extension", b.spec())

    def dec_approval(self) -> None:
        p, r = self.p, self.r
        b = DocB("decision_approval", r.choice(("行政处罚决定审批表", "行政处罚决定审批表", "处罚决定审批表")))
        b.table([["案由", self.vt.name, "当事人", self.name_in("dec_approval")],  # type: ignore[union-attr]
                 ["拟处罚决定", f"罚款{fmt_amount(p.fine or 0, 'rmb_arabic')}", "", ""],
                 ["承办人", "、".join(o[0] for o in p.officers[:2]), "", ""],
                 ["负责人审批意见", r.choice(("同意", "同意，按程序办理。")), "审批日期", self.dt_(p.d["decision_approval"], True)]])
        self.add("dec_approval", b.spec())

    def remedy_clause(self, simple: bool = False) -> tuple[str, dict[str, Any]]:
        p, r = self.p, self.r
        var = p.variant.get("DEC-03")
        body = "上海市城市管理行政执法局" if var == "old_body" else (
            "青浦区人民政府" if r.random() < 0.15 else P.RECON_BODY)
        days = 15 if var == "days15" else 60
        months = 3 if var == "months3" else 6
        court = r.choice(("上海铁路运输法院", "上海市青浦区人民法院", "有管辖权的人民法院", "上海铁路运输法院"))
        arabic = r.random() < 0.4
        dtext = f"{days}日" if arabic else f"{cn_int(days)}日"
        mtext = f"{months}个月" if arabic else f"{cn_int(months)}个月"
        you = self.you()
        if simple and p.variant.get("SIM-02") != "no_recon_first":
            text = r.choice((
                f"{you}如不服本决定，应当先在收到本决定书之日起{dtext}内向{body}申请行政复议；对行政复议决定不服的，可以依法向{court}提起行政诉讼。",
                f"根据《中华人民共和国行政复议法》第二十三条的规定，对本当场处罚决定不服的，应当先向{body}申请行政复议（{dtext}内），对复议决定不服的，再依法提起行政诉讼。",
                f"如不服本决定，须先于{dtext}内向{body}申请行政复议，对复议决定不服的可依法向{court}起诉。",
            ))
            return text, {"reconsideration_body": body, "reconsideration_days": days, "litigation_months": None,
                          "litigation_court": court if court in text else None}
        text = r.choice((
            f"{you}如不服本决定，可以在收到本决定书之日起{dtext}内向{body}申请行政复议，或者在{mtext}内依法向{court}提起行政诉讼。",
            f"如不服本处罚决定，可在接到本决定书之日起{dtext}内向{body}申请复议，也可以在{mtext}内直接向{court}起诉。",
            f"{you}对本决定不服的，可以自收到本决定书之日起{dtext}内向{body}申请行政复议；或者自收到本决定书之日起{mtext}内向{court}提起行政诉讼。",
        ))
        if simple:
            self.quote("SIM-02", "simple", text)
        else:
            self.quote("DEC-03", "decision", text)
        return text, {"reconsideration_body": body, "reconsideration_days": days, "litigation_months": months,
                      "litigation_court": court}

    def decision(self) -> dict[str, Any]:
        p, r = self.p, self.r
        number = p.nums["decision_printed"]
        b = DocB("decision", "行政处罚决定书", header=True, number=number)
        you = self.you()
        var2 = p.variant.get("DEC-02")
        viol = cites_print(self.cites("violated"), r)
        pen = cites_print(self.cites("penalty"), r)
        amount = self.amount(p.fine or 0)
        ptext = f"罚款{amount}" if p.kinds_ == ["罚款"] else f"警告，并处罚款{amount}"
        style = r.randrange(3)
        if style == 0:
            b.para(self.party_para("decision", address=var2 != "no_address"))
            b.para(self.facts() + "。" + self.evidence())
            b.para(f"{you}的上述行为违反了{viol}的规定。依据{pen}的规定，本局决定对{you}作出如下行政处罚：{ptext}。")
        elif style == 1:
            b.para(self.party_para("decision", address=var2 != "no_address"))
            b.para(f"经查明：{self.facts()}。{self.evidence()}")
            b.para(f"本局认为，{you}的行为违反了{viol}之规定，已构成{self.vt.name}。根据{pen}之规定，决定给予如下行政处罚：")  # type: ignore[union-attr]
            b.para(f"{ptext}。")
        else:
            b.para(self.party_para("decision", address=var2 != "no_address") + self.facts() + "。" + self.evidence() +
                   f"{you}的行为违反了{viol}的规定，依据{pen}，本局决定：对{you}{ptext}。")
        if var2 != "no_performance":
            b.para(r.choice((
                f"{you}应当自收到本决定书之日起十五日内，持本决定书到指定银行缴纳罚款。逾期不缴纳的，本局将依据《中华人民共和国行政处罚法》第七十二条第一款第（一）项的规定，每日按罚款数额的百分之三加处罚款。",
                f"罚款限于收到本决定书之日起15日内缴至指定银行或通过“一网通办”平台电子缴款。到期不缴纳罚款的，每日按罚款数额的3%加处罚款，加处罚款的数额不超出罚款的数额。",
                f"请{you}在接到本决定书之日起十五日内将罚款缴至上海市非税收入收缴代理银行。逾期不缴，依法每日按罚款数额的百分之三加处罚款，并申请人民法院强制执行。",
            )))
        else:
            self.quote("DEC-02", "decision", ptext, absent=True)
        if var2 == "no_address":
            self.quote("DEC-02", "decision", self.name_in("decision"), absent=True)
        text, remedy = self.remedy_clause()
        b.para(text)
        b.seal(_seal(r))
        dtext = self.dt_(p.d["decision"])
        b.sign(dtext)
        for cid in ("NOT-03", "HRG-02", "DEC-01"):
            self.quote(cid, "decision", dtext)
        for cid in ("NOT-01", "DOC-01", "SRV-02_"):
            self.quote(cid, "decision", number.strip(), absent=True)
        for cid in ("DEF-01", "LAW-02", "MIS-01"):
            self.quote(cid, "decision", ptext)
        for cid in ("LRV-01", "LRV-02"):
            self.quote(cid, "decision", ptext, absent=True)
        self.quote("LAW-01", "decision", viol)
        self.add("decision", b.spec())
        return remedy

    def payment(self) -> None:
        p, r = self.p, self.r
        title = r.choice(("上海市非税收入一般缴款书", "罚没款缴款凭证", "非税收入缴款书（收据）"))
        if p.kind == "sp" and p.on_spot_collect:
            title = r.choice(("上海市罚没款收据（当场收缴）", "罚款收据"))
        b = DocB("payment_receipt", title)
        amt = p.fine or 0
        if p.variant.get("CON-02") == "receipt_differs":
            amt = self.wrong_amount(amt)
            self.quote("CON-02", "payment", str(amt))
        when = self.dt_(p.d["payment"], True)
        b.table([["缴款人", self.name_in("payment"), "执收单位", P.AGENCY],
                 ["金额（大写）", f"人民币{cn_upper_amount(amt)}元整", "金额（小写）", f"{amt:.2f}"],
                 ["项目名称", "罚没收入", "决定书文号", (p.nums.get("decision_printed") or p.nums.get("simple_printed") or "").strip()],
                 ["缴款日期", when, "票据号码", f"{r.randint(10**9, 10**10 - 1)}"]])
        if p.kind == "sp" and p.on_spot_collect:
            b.para("当场收缴罚款，开具财政部门统一制发的罚款收据。")
        self.quote("PAY-01", "payment", when)
        if p.variant.get("ORD-01") == "payment_before":
            self.quote("ORD-01", "payment", when)
        self.add("payment", b.spec())

    def closing(self) -> None:
        p, r = self.p, self.r
        b = DocB("closing_approval", r.choice(("结案审批表", "结案审批表", "案件结案报告")))
        amt = p.fine or 0
        if p.variant.get("CON-02") == "closing_differs":
            amt = self.wrong_amount(amt)
        pay_text = (f"当事人已于{self.dt_(p.d['payment'])}缴纳罚款{fmt_amount(amt, 'rmb_arabic')}" if p.kind == "gp"
                    else "已送达不予行政处罚决定书，当事人已改正")
        if p.variant.get("CON-02") == "closing_differs":
            self.quote("CON-02", "closing", fmt_amount(amt, "rmb_arabic"))
        when = self.dt_(p.d["closing"], True)
        b.table([["案号", (p.nums.get("decision_printed") or p.nums.get("nonpen_printed") or "").strip(), "案由", self.vt.name],  # type: ignore[union-attr]
                 ["当事人", self.name_in("closing"), "承办单位", self.squad_name()],
                 ["处理结果", f"罚款{fmt_amount(p.fine or 0, 'rmb_arabic')}" if p.kind == "gp" else "不予行政处罚", "", ""],
                 ["执行情况", pay_text, "", ""],
                 ["承办人意见", r.choice(("已执行完毕，建议结案。", "建议结案。")), "", ""],
                 ["负责人审批意见", r.choice(("同意结案", "同意")), "日期", when]])
        if p.variant.get("ORD-01") == "closing_before":
            self.quote("ORD-01", "closing", when)
        self.add("closing", b.spec())

    def nonpen(self) -> dict[str, Any]:
        p, r = self.p, self.r
        number = p.nums["nonpen_printed"]
        b = DocB("non_penalty_decision", "不予行政处罚决定书", header=True, number=number)
        you = self.you()
        b.para(self.party_para("nonpen"))
        b.para(self.facts() + "。" + self.evidence())
        b.para(f"{you}的上述行为违反了{cites_print(self.vt.violated, r)}的规定。鉴于{you}的违法行为轻微并已及时改正，没有造成危害后果，"  # type: ignore[union-attr]
               f"依据《中华人民共和国行政处罚法》第三十三条第一款的规定，本局决定不予行政处罚。")
        b.para(r.choice(("请你今后严格遵守相关法律法规。", "现对你进行批评教育，望引以为戒。", "特此告知。")))
        text, remedy = self.remedy_clause()
        b.para(text)
        b.seal(_seal(r))
        b.sign(self.dt_(p.d["decision"]))
        self.add("nonpen", b.spec())
        return remedy

    def withdrawal(self) -> None:
        p, r = self.p, self.r
        title = r.choice(("撤销立案审批表", "销案审批表", "撤案审批表"))
        b = DocB("withdrawal_approval", title)
        var = p.variant.get("CLS-02")
        if p.kind == "tr":
            reason = "经调查，当事人涉嫌犯罪，依据《中华人民共和国行政处罚法》第二十七条、第八十二条的规定，拟移送上海市公安局青浦分局处理。"
        elif var == "bad_ground":
            reason = r.choice(("当事人经济困难，经协调后予以撤案。", "当事人系老年人，经研究决定撤销立案。",
                               "当事人承诺以后不再违法，经沟通予以销案。", "案件办理时间较长，予以撤案。"))
        else:
            reason = r.choice(("经调查，违法事实不能成立，依据《中华人民共和国行政处罚法》第五十七条第一款第（三）项的规定，拟撤销立案。",
                               "经调查，现有证据不足以证明当事人实施了违法行为，拟撤销立案。",
                               "当事人违法行为轻微并及时改正，没有造成危害后果，依法不予处罚，拟销案。"))
        p.ground = reason
        rows = [["立案号", p.nums["filing"], "案由", self.vt.name],  # type: ignore[union-attr]
                ["当事人", self.name_in("withdrawal"), "立案日期", self.dt_(p.d["filing"], True)],
                ["撤案（销案）理由", reason, "", ""],
                ["承办人意见", "建议撤销立案。" if p.kind != "tr" else "建议移送。", "承办人", "、".join(o[0] for o in p.officers[:2])]]
        when = self.dt_(p.d["withdrawal"], True)
        if var == "no_approval":
            rows.append(["负责人审批意见", "", "日期", ""])
            self.quote("CLS-02", "withdrawal", "负责人审批意见", absent=True)
        else:
            rows.append(["负责人审批意见", r.choice(("同意", "同意撤案", "同意移送")) if p.kind != "tr" else "同意移送",
                         "日期", when])
            if var == "bad_ground":
                self.quote("CLS-02", "withdrawal", reason)
        b.table(rows)
        self.add("withdrawal", b.spec())

    def simple(self) -> dict[str, Any]:
        p, r = self.p, self.r
        number = p.nums["simple_printed"]
        title = r.choice(("当场行政处罚决定书", "行政处罚决定书（当场）", "当场行政处罚决定书"))
        b = DocB("simple_decision", title, header=r.random() < 0.6, number=number)
        sh, sm, _, _ = p.t["simple"]
        ts = r.choice(("cn", "colon"))
        rows = self.party_rows("simple")
        when = f"{fmt_date(p.d['decision'], r.choice(DATE_STYLES_TABLE[:3]))}{fmt_time(sh, sm, ts)}"
        place_missing = p.variant.get("SIM-02") == "no_place"
        rows.append(["违法时间", when, "违法地点", "" if place_missing else p.place])
        rows.append(["执法中队", self.squad_name()])
        b.table(rows)
        you = self.you()
        b.para(f"{you}{self.vt.act}，违反了{cites_print(self.vt.violated, r)}的规定，"  # type: ignore[union-attr]
               f"依据{cites_print(self.vt.penalty, r)}和《中华人民共和国行政处罚法》第五十一条的规定，当场作出如下处罚决定：")  # type: ignore[union-attr]
        if p.fine:
            amount = self.amount(p.fine)
            ptext = f"罚款{amount}"
        else:
            ptext = "警告"
        b.para(ptext + "。")
        if p.fine:
            if p.on_spot_collect:
                collect = r.choice(("罚款当场收缴。", "当场收缴罚款，并出具罚款收据。"))
                b.para(collect)
                self.quote("SIM-03", "simple", collect)
            else:
                b.para(f"请于收到本决定书之日起十五日内到指定银行缴纳罚款，逾期每日按罚款数额的百分之三加处罚款。")
        self.quote("SIM-01", "simple", ptext)
        self.quote("MIS-01", "simple", ptext)
        if place_missing:
            self.quote("SIM-02", "simple", when, absent=True)
        text, remedy = self.remedy_clause(simple=True)
        b.para(text)
        offs = p.officers[:1] if "OFF-01" in p.defects else p.officers[:2]
        b.sign("执法人员：" + "；".join(f"{n}（执法证号{c}）" for n, c in offs))
        self.quote("OFF-01", "simple", "执法人员：" + "；".join(f"{n}（执法证号{c}）" for n, c in offs))
        pt = self.party
        assert pt is not None
        b.sign(f"当事人签名：{pt.name if pt.kind == 'person' else pt.rep}")
        b.sign(P.AGENCY)
        b.sign(self.dt_(p.d["decision"]))
        self.quote("REC-01", "simple", ptext, absent=True)
        self.add("simple", b.spec())
        return remedy

    def others(self, which: str) -> None:
        p, r = self.p, self.r
        if which == "cover":
            b = DocB("other", "卷宗封面")
            b.table([["案号", (p.nums.get("decision_printed") or p.nums.get("filing", "")).strip(), "", ""],
                     ["案由", self.vt.name, "当事人", self.party.name],  # type: ignore[union-attr]
                     ["承办单位", self.squad_name(), "立卷日期", self.dt_(p.d.get("closing") or p.d.get("withdrawal") or p.d["filing"], True)],
                     ["保管期限", "长期", "", ""]])
            self.add("cover", b.spec())
        elif which == "toc":
            b = DocB("other", "卷内目录")
            rows = [["序号", "文书名称", "页号", ""]]
            for i, (k, dspec) in enumerate(self.docs, 1):
                rows.append([str(i), dspec.title, str(i), ""])
            b.table(rows)
            self.add("toc", b.spec())
        elif which == "idcopy":
            pt = self.party
            assert pt is not None
            if pt.kind == "person":
                b = DocB("other", "身份证明")
                b.table([["姓名", pt.name, "性别", pt.gender], ["公民身份号码", pt.id_printed, "", ""]])
            else:
                b = DocB("other", "营业执照（复印件）")
                b.table([["名称", pt.name, "统一社会信用代码", pt.id_printed],
                         ["类型", "个体工商户" if pt.kind == "shop" else "有限责任公司", "经营者" if pt.kind == "shop" else "法定代表人", pt.rep or ""],
                         ["经营场所" if pt.kind == "shop" else "住所", pt.address, "", ""]])
                b.para("与原件核对一致。")
            self.add("idcopy", b.spec())
        elif which == "backnote":
            b = DocB("other", "卷内备考表")
            b.para(f"本卷共{len(self.docs)}件，材料齐全。")
            b.sign(f"立卷人：{p.officers[0][0]}  检查人：{r.choice(P.SUPERVISORS)}")
            self.add("backnote", b.spec())


# --- step 13: assembling a case -------------------------------------------------------------------

def _build_docs(p: Plan, rng: random.Random) -> tuple[list[tuple[str, DocSpec]], dict[str, Any] | None]:
    b = Builder(p, rng)
    remedy: dict[str, Any] | None = None
    k = p.kind
    want_cover = rng.random() < 0.25 and k != "sp"
    if k == "sp":
        remedy = b.simple()
        if p.fine:
            b.payment()
        if "REC-01" not in p.defects:
            b.av()
        if rng.random() < 0.15:
            b.others("idcopy")
        return b.docs, remedy
    if want_cover:
        b.others("cover")
    b.source()
    b.filing()
    b.inspection()
    if p.has_correction and "correction" in p.d:
        b.correction()
    if "inquiry" in p.d:
        b.inquiry()
    if rng.random() < 0.25:
        b.others("idcopy")
    if p.has_preservation:
        b.preservation()
    if p.has_coercive:
        b.coercive()
    if "REC-01" not in p.defects:
        b.av()
    if k == "pd":
        if p.has_extension:
            b.extension()
        return b.docs, None
    if k in ("wd", "tr"):
        if k == "tr":
            b.legal()
        b.withdrawal()
        return b.docs, None
    if "DOC-01" not in p.defects:
        b.report()
    if k == "np":
        remedy = b.nonpen()
        b.service("dec_srv", "不予行政处罚决定书", p.nums["nonpen_printed"].strip(), p.d["decision_service"], p.service_method)
        b.closing()
    else:
        if p.has_legal:
            b.legal()
        if p.has_discussion:
            b.discussion()
        if "NOT-01" not in p.defects:
            b.notice()
            if "SRV-02" not in p.defects:
                b.service("notice_srv", "行政处罚事先告知书", p.nums["notice"], p.d["notice_service"],
                          rng.choice(("直接送达", "直接送达", "邮寄送达")) if p.hearing_mode != "held" else "直接送达")
        if p.has_defence:
            b.defence()
        if p.hearing_mode == "waiver":
            b.waiver()
        if p.hearing_mode == "held":
            b.hearing_docs()
        if p.has_extension:
            b.extension()
        b.dec_approval()
        remedy = b.decision()
        b.service("dec_srv", "行政处罚决定书", p.nums["decision_printed"].strip(), p.d["decision_service"], p.service_method)
        b.payment()
        b.closing()
    if want_cover and rng.random() < 0.6:
        toc_b = Builder(p, rng)
        toc_b.docs = list(b.docs)
        toc_b.others("toc")
        b.docs.insert(1, toc_b.docs[-1])
    if rng.random() < 0.2:
        b.others("backnote")
    return b.docs, remedy


SCAN_NAMES = ("扫描件({k}).pdf", "IMG_{k4}.pdf", "scan-{k4}.pdf", "扫描全能王 {k}.pdf")
WORD_NAMES = ("新建 Microsoft Word 文档 ({k}).docx", "文书{k}.docx", "{k}.docx", "Doc{k}.docx")
MEANINGFUL = {"source": "案件来源", "filing": "立案审批表", "inspection": "现场检查笔录", "inquiry": "询问笔录",
              "notice": "事先告知书", "decision": "决定书", "dec_srv": "送达回证", "payment": "缴款凭证",
              "closing": "结案审批表", "report": "调查终结报告", "simple": "当场处罚决定书"}


def _files(p: Plan, docs: list[tuple[str, DocSpec]], rng: random.Random) -> tuple[tuple[FileSpec, ...], dict[str, tuple[str, int]]]:
    """Files of the case and, per document key, its (path, part)."""
    where: dict[str, tuple[str, int]] = {}
    if p.container in ("combined_pdf", "combined_docx"):
        ext = "pdf" if p.container == "combined_pdf" else "docx"
        name = f"{p.case_id}.{ext}"
        for i, (key, _) in enumerate(docs, 1):
            where[key] = (name, i)
        return (FileSpec(name, ext, tuple(d for _, d in docs)),), where
    files = []
    used: set[str] = set()
    meaningful = rng.random() < 0.35
    counter = rng.randint(1, 30)
    for key, doc in docs:
        fmt = "pdf" if rng.random() < 0.55 else "docx"
        name = ""
        for _ in range(20):
            counter += 1
            if meaningful and key in MEANINGFUL and rng.random() < 0.7:
                label = MEANINGFUL[key]
                if rng.random() < 0.06:  # misleading name
                    label = rng.choice([v for kk, v in MEANINGFUL.items() if kk != key])
                name = f"{label}.{fmt}"
            else:
                pool = SCAN_NAMES if fmt == "pdf" else WORD_NAMES
                name = rng.choice(pool).format(k=counter, k4=f"{counter:04d}")
            if name not in used:
                break
            name = ""
        if not name:
            name = f"文件{counter}.{fmt}"
        used.add(name)
        prefix = f"{p.case_id}.zip!/{p.case_id}/" if p.container == "zip" else f"{p.case_id}/"
        where[key] = (prefix + name, 0)
        files.append(FileSpec(name, fmt, (doc,)))
    return tuple(files), where


NOTES = {
    "FIL-01": "立案审批表无负责人审批意见、签名和日期",
    "FIL-02": "立案晚于发现/受理后15个工作日，无延期审批",
    "ORD-02": "询问笔录日期早于立案日期（先调查后立案）",
    "LIM-01": "违法行为发生至发现已超过2年",
    "OFF-01": "笔录/当场决定书只记载一名执法人员",
    "OFF-02": "现场检查笔录中一名执法人员无执法证号",
    "EVD-01": "笔录无当事人签名，也无拒签说明和见证人",
    "EVD-02": "先行登记保存后7个工作日内未作处理决定",
    "REC-01": "案卷中无视音频记录，笔录也未提及执法记录仪",
    "NOT-01": "案卷中无行政处罚事先告知书",
    "NOT-02": "事先告知书缺少法定内容",
    "NOT-03": "陈述申辩期限届满前作出处罚决定，当事人未陈述申辩也未放弃",
    "HRG-01": "听证级罚款，事先告知书未告知听证权利",
    "HRG-02": "听证级罚款，未书面放弃听证，告知书送达后5个工作日内即作出决定",
    "DEF-01": "决定罚款高于事先告知拟处罚款",
    "DEF-02": "当事人陈述申辩，案卷中无复核意见",
    "LRV-01": "听证级罚款，决定前无法制审核",
    "LRV-02": "听证级罚款，无集体讨论记录",
    "DEC-01": "立案至决定超过90日，无延期审批",
    "DEC-02": "处罚决定书缺少法定内容",
    "DEC-03": "处罚决定书救济告知错误",
    "DEC-04": "对外文书未加盖行政机关印章",
    "SIM-01": "简易程序罚款超过限额",
    "SIM-02": "当场处罚决定书缺少法定事项或复议前置告知",
    "SIM-03": "当场收缴罚款超过100元",
    "LAW-01": "违反条款/处罚依据与案由不符",
    "LAW-02": "罚款超出法定幅度",
    "SRV-01": "决定书送达超过7个工作日",
    "SRV-02": "事先告知书无送达回证",
    "PAY-01": "送达后15日内未缴款，无催告或加处罚款记录",
    "CLS-01": "立案后超过180日未作决定、未结案（悬案）",
    "CLS-02": "撤案理由不属法定情形或无负责人审批",
    "ORD-01": "文书日期顺序不可能",
    "CON-01": "同一案卷中当事人名称前后不一致",
    "CON-02": "罚款金额在决定书、缴款凭证、结案审批表之间不一致",
    "DOC-01": "缺少案件调查终结审批表",
    "MIS-01": "同一当事人、同一违法类型、同一地点30日内多次处罚，单次低于限额而合计达到限额",
    "MIS-02": "询问笔录正文与另一案件（不同当事人）几乎相同",
    "MIS-03": "同一执法人员在重叠时间出现在两个不同地点的现场检查笔录中",
    "MIS-04": "台账与案卷不一致",
}


def _truth_fields(p: Plan, remedy: dict[str, Any] | None) -> dict[str, Any]:
    f = empty_case_fields()
    d = p.d
    iso = lambda k: d[k].isoformat() if k in d else None  # noqa: E731
    pt = p.party
    vt = p.vt
    assert pt is not None and vt is not None
    f["procedure"] = "simple" if p.kind == "sp" else "general"
    f["outcome"] = OUTCOME[p.kind]
    f["squad"] = P.AGENCY_SHORT + p.squad[0]
    f["party"] = {"name": pt.name, "kind": pt.truth_kind, "id_number": pt.id_printed, "address": pt.address}
    f["violation_type"] = vt.key
    # a simple decision that leaves 违法地点 blank (SIM-02) states no place: the file has none
    f["violation_place"] = None if p.variant.get("SIM-02") == "no_place" else p.place
    f["violation_date"] = iso("violation")
    offs = p.officers[:1] if "OFF-01" in p.defects else p.officers[:2]
    f["officers"] = [{"name": n, "cert_no": c} for n, c in offs]
    if p.kind == "sp":
        f["case_number"] = "".join(p.nums["simple_printed"].split())
        f["decision_date"] = iso("decision")
        f["payment_date"] = iso("payment") if p.fine else None
        f["violated_provisions"] = [cite_norm(c) for c in vt.violated]
        f["penalty_basis"] = [cite_norm(c) for c in vt.penalty]
        f["penalty_kinds"] = list(p.kinds_)
        f["fine_yuan"] = p.fine
        f["remedy"] = remedy
        return f
    f["discovered_date"] = iso("discovered")
    f["filing_date"] = None if "FIL-01" in p.defects else iso("filing")
    f["extension_approved_date"] = iso("extension") if p.has_extension else None
    if p.has_legal:
        f["legal_review_date"] = iso("legal_review")
    if p.kind == "gp":
        f["case_number"] = "".join(p.nums["decision_printed"].split())
        if "NOT-01" not in p.defects:
            f["notice_date"] = iso("notice")
            if "SRV-02" not in p.defects:
                f["notice_service_date"] = iso("notice_service")
        f["hearing_waived"] = {"waiver": True, "wait": False, "held": False}.get(p.hearing_mode or "")
        if "NOT-01" in p.defects:
            f["hearing_waived"] = None
        f["decision_date"] = iso("decision")
        f["decision_service_date"] = iso("decision_service")
        f["payment_date"] = iso("payment")
        f["closing_date"] = iso("closing")
        cv = TYPES[SWAP[vt.key]] if "LAW-01" in p.defects else vt
        f["violated_provisions"] = [cite_norm(c) for c in cv.violated]
        f["penalty_basis"] = [cite_norm(c) for c in cv.penalty]
        f["penalty_kinds"] = list(p.kinds_)
        f["proposed_fine_yuan"] = None if ("NOT-01" in p.defects or p.variant.get("NOT-02") == "no_penalty") else p.proposed
        f["fine_yuan"] = p.fine
        f["remedy"] = remedy
    elif p.kind == "np":
        f["case_number"] = "".join(p.nums["nonpen_printed"].split())
        f["decision_date"] = iso("decision")
        f["decision_service_date"] = iso("decision_service")
        f["closing_date"] = iso("closing")
        f["violated_provisions"] = [cite_norm(c) for c in vt.violated]
        f["penalty_basis"] = [cite_norm((APL, 33, 1, None))]
        f["remedy"] = remedy
    elif p.kind in ("wd", "tr"):
        f["withdrawal_date"] = None if p.variant.get("CLS-02") == "no_approval" else iso("withdrawal")
    return f


# --- the public API -----------------------------------------------------------------------------

def _alt_name(name: str, rng: random.Random) -> str:
    """A clearly different spelling of a party name (not OCR noise)."""
    swaps = {"记": "纪", "氏": "式", "家": "嘉", "华": "化", "明": "敏", "国": "果", "建": "健", "伟": "玮",
             "芳": "方", "强": "墙", "军": "君", "杰": "洁", "平": "萍", "文": "雯", "红": "虹", "东": "冬"}
    chars = list(name)
    idx = [i for i, ch in enumerate(chars) if ch in swaps and i > 0]
    if idx:
        i = rng.choice(idx)
        chars[i] = swaps[chars[i]]
        return "".join(chars)
    if name.endswith("有限公司"):
        return name.replace("有限公司", "发展有限公司")
    return name[0] + rng.choice(("晓", "小", "新")) + name[1:]


def _numbers(plans: list[Plan], rng: random.Random, year_of: Callable[[Plan], int]) -> None:
    fmts = (("青城管罚决字", 4, True), ("沪青城管罚字", 5, True), ("青城管执罚决字", 4, False), ("青城管罚字", 4, True))
    sfmts = (("青城管简罚字", 6, True), ("沪青城管当罚字", 7, True))
    dec_serial = rng.randint(200, 600)
    other = rng.randint(100, 400)
    simple = rng.randint(10000, 90000)
    for p in plans:
        y = year_of(p)
        br = rng.choice(BRACKETS)
        other += rng.randint(1, 3)
        p.nums["filing"] = doc_number("青城管立字", p.d["filing"].year if "filing" in p.d else y, other, 4, rng.choice(BRACKETS))
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


def _schedule(plans: list[Plan], rng: random.Random, sched: Schedule,
              squad_officers: dict[str, list[tuple[str, str]]]) -> None:
    by_id = {p.case_id: p for p in plans}

    def by_id_officers(p: Plan) -> list[tuple[str, str | None]]:
        return list(squad_officers[p.squad[0]])

    second_mis03 = {p.case_id for p in plans if p.variant.get("MIS-03", "").startswith("second")}
    for p in plans:
        if p.case_id in second_mis03:
            continue
        names = [o[0] for o in p.officers[:2]]
        if p.kind == "sp":
            a, b = sched.slot(rng, names, p.d["decision"], (10, 25))
            p.t["simple"] = (*_hm(a), *_hm(b))
            continue
        a, b = sched.slot(rng, names, p.d["inspection"], (25, 70))
        p.t["inspection"] = (*_hm(a), *_hm(b))
        if "inquiry" in p.d:
            a, b = sched.slot(rng, names, p.d["inquiry"], (30, 60))
            p.t["inquiry"] = (*_hm(a), *_hm(b))
    for cid in sorted(second_mis03):
        p = by_id[cid]
        first = by_id[p.variant["MIS-03"].split(":", 1)[1]]
        shared = first.officers[0]
        sh, sm, eh, em = first.t["inspection"]
        a0, b0 = sh * 60 + sm, eh * 60 + em
        a = a0 + max(5, (b0 - a0) // 3)
        b = a + rng.randint(30, 50)
        squad_pool = [o for o in by_id_officers(p) if o[0] != shared[0]]
        pool = [o for o in p.officers if o[0] != shared[0]] + [o for o in squad_pool if o not in p.officers]
        mate = None
        for o in pool:
            if sched.free(o[0], first.d["inspection"], a, b):
                mate = o
                break
        if mate is None:
            mate = pool[0]
        p.officers = [shared, mate]
        sched.book(shared[0], first.d["inspection"], a, b)
        sched.book(mate[0], first.d["inspection"], a, b)
        p.t["inspection"] = (*_hm(a), *_hm(b))
        if "inquiry" in p.d:
            a2, b2 = sched.slot(rng, [shared[0], mate[0]], p.d["inquiry"], (30, 60))
            p.t["inquiry"] = (*_hm(a2), *_hm(b2))
    # hearings last, once every case's officers are final: the case investigators attend, so a
    # hearing is a timed record of theirs like an inspection or inquiry
    for p in plans:
        if "hearing" not in p.d:
            continue
        names = [o[0] for o in p.officers[:2]]
        day = p.d["hearing"]
        starts = list(HEARING_STARTS)
        rng.shuffle(starts)
        dur = rng.choice((60, 90, 120))
        for a in starts:
            if all(sched.free(w, day, a, a + dur) for w in names):
                for w in names:
                    sched.book(w, day, a, a + dur)
                break
        else:
            a, b = sched.slot(rng, names, day, (60, 120))
            dur = b - a
        p.t["hearing"] = (*_hm(a), *_hm(a + dur))


# hearing start times (minutes after midnight): 9:00 … 15:00 on the half hour
HEARING_STARTS = (540, 570, 600, 810, 840, 870, 900)


def _dated_first(order: list[Plan], by_id: dict[str, Plan]) -> list[Plan]:
    """``order`` with the first case of every MIS-01/MIS-03 pair moved before its second case
    (unchanged when that already holds)."""
    out: list[Plan] = []
    placed: set[str] = set()

    def place(p: Plan, seen: frozenset[str]) -> None:
        if p.case_id in placed or p.case_id in seen:
            return
        for cid in ("MIS-01", "MIS-03"):
            v = p.variant.get(cid, "")
            first = by_id.get(v.split(":", 1)[1]) if v.startswith("second:") else None
            if first is not None:
                place(first, seen | {p.case_id})
        placed.add(p.case_id)
        out.append(p)

    for p in order:
        place(p, frozenset())
    return out


def generate_cases(n: int, month: str, seed: int, *, scanned_fraction: float = 0.0) -> list[CaseSpec]:
    """n cases of the month 'YYYY-MM' (Qingpu district), deterministic for a seed.

    ``scanned_fraction`` of the cases (drawn with their own seeded generator, so the cases
    themselves do not change) are marked ``truth["scanned"] = True``: the writer renders their PDF
    files as image-only scans (corpus/scan.py).
    """
    if not 0.0 <= scanned_fraction <= 1.0:
        raise ValueError("scanned_fraction must be between 0 and 1")
    cases = _generate_cases(n, month, seed)
    k = round(len(cases) * scanned_fraction)
    if k:
        chosen = set(random.Random(f"{seed}:scanned").sample(range(len(cases)), k))
        cases = [dataclasses.replace(c, truth={**c.truth, "scanned": True}) if i in chosen else c
                 for i, c in enumerate(cases)]
    return cases


def _generate_cases(n: int, month: str, seed: int) -> list[CaseSpec]:
    if n < 1:
        return []
    if n > 990:
        raise ValueError("generate_cases: case ids are yymm + a 3-digit serial, so n must be <= 990")
    rng = random.Random(seed)
    y, m = (int(x) for x in month.split("-"))
    # dates reach ~3 years back (LIM-01) and ~3 months past the month (service, payment, closing)
    need = {y - 3, y - 2, y - 1, y, (month_end(month) + TD(days=100)).year}
    missing = sorted(x for x in need if not CAL.covers(x))
    if missing:
        raise ValueError(f"generate_cases({month!r}): the working-day calendar lacks year(s) {missing}")
    kinds = _quota(n, KIND_SHARES)
    rng.shuffle(kinds)
    containers = _quota(n, CONTAINER_SHARES)
    rng.shuffle(containers)
    officers = _squad_officers(rng)
    plans: list[Plan] = []
    party_kinds: dict[str, str] = {}
    for i, kind in enumerate(kinds):
        case_id = f"{y % 100:02d}{m:02d}{i + 1:03d}"
        p = Plan(i, case_id, kind, rng.choice(P.SQUADS), containers[i], clean=False)
        party_kinds[case_id] = _pick_weighted(rng, PARTY_SHARES["sp" if kind == "sp" else "other"])
        plans.append(p)
    # clean set per kind
    by_kind: dict[str, list[Plan]] = {}
    for p in plans:
        by_kind.setdefault(p.kind, []).append(p)
    for k, ps in by_kind.items():
        for p in rng.sample(ps, round(len(ps) * CLEAN_SHARE[k])):
            p.clean = True
    _assign_defects(plans, party_kinds, rng, n)
    # each id's variants are used in turn, so every variant occurs in a large enough corpus
    turn: dict[str, int] = {}
    for p in plans:
        for cid in p.defects:
            vs = DEFECTS[cid].variants
            if DEFECTS[cid].cross and cid != "MIS-04" or len(vs) < 2:
                continue
            k = turn.setdefault(cid, rng.randrange(len(vs)) if cid != "MIS-04" else 0)
            p.variant[cid] = vs[k % len(vs)]
            turn[cid] = k + 1
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
    # types and parties (pairs copy from their first case)
    for p in order:
        sec = {c: v.split(":", 1)[1] for c, v in p.variant.items() if v.startswith("second:")}
        needs = set(p.needs)
        if "HL" not in needs and "NHL" not in needs and p.kind == "gp" and rng.random() < 0.55:
            needs.add("NHL")
        cands = _type_candidates(p, needs, party_kinds[p.case_id], p.defects)
        if not cands:
            cands = _type_candidates(p, set(), party_kinds[p.case_id], ())
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
            p.party = _make_party(party_kinds[p.case_id], p.vt, p.squad, rng, used_names)
            p.place = _make_place(p.vt, p, rng)
        tk = p.party.truth_kind  # type: ignore[union-attr]
        lo, hi = fine_range(p.vt, tk) or (0, 0)
        thr = hearing_threshold(tk)
        if "HL" in needs or lo >= thr:
            p.hl = p.kind == "gp"
        elif "NHL" in needs or hi < thr:
            p.hl = False
        else:
            p.hl = p.kind == "gp"
        p.source_kind = _pick_weighted(rng, (("巡查", 0.55), ("投诉", 0.30), ("信访", 0.05), ("移送", 0.10)))
        if p.kind == "sp":
            p.source_kind = "巡查"
        if p.source_kind == "投诉":
            p.complaints = rng.choice((1,) * 6 + (2, 3, 5, 6, 8))
        sq = p.squad[0]
        p.officers = rng.sample(officers[sq], 2)
        if "OFF-02" in p.defects:
            p.officers = [p.officers[0], (p.officers[1][0], None)]
        _set_fines(p, rng)
        if p.kind == "gp":
            p.hl = (p.fine or 0) >= thr
        _features(p, rng)
        if "CON-01" in p.defects:
            p.alt_name = _alt_name(p.party.name, rng)  # type: ignore[union-attr]
            # a person's name in a record may be the person asked, not the party: CON-01 does not
            # compare it, so an individual party's misspelling goes to the notice or closing form
            docs = ("inquiry",) if p.party.kind != "person" else ()  # type: ignore[union-attr]
            docs += ("notice",) if p.kind == "gp" and "NOT-01" not in p.defects else ()
            p.variant["CON-01:doc"] = rng.choice(docs + ("closing",))
    # dates (pairs are re-drawn until they line up with their first case, so a pair's first case
    # gets its dates before the second: it may itself be the second of another pair, and so sit
    # late in ``order``)
    for p in _dated_first(order, by_id):
        sec = {c: v.split(":", 1)[1] for c, v in p.variant.items() if v.startswith("second:")}
        for attempt in range(400):
            p.d.clear()
            if p.kind == "sp":
                _plan_simple(p, rng, month)
            elif p.kind in ("gp", "np"):
                _plan_general(p, rng, month)
            else:
                _plan_short(p, rng, month)
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
    _numbers(plans, rng, lambda p: (p.d.get("decision") or p.d.get("withdrawal") or p.d["filing"]).year)
    _schedule(plans, rng, Schedule(), officers)
    for p in plans:
        if p.kind != "sp":
            p.insp_body = _inspection_body(p, rng)
            if "inquiry" in p.d:
                p.qa = _qa(p, rng)
    # MIS-02: the second case gets the first one's inquiry body with its own names
    for p in plans:
        v = p.variant.get("MIS-02", "")
        if v.startswith("second:"):
            f = by_id[v.split(":", 1)[1]]
            fp, pp = f.party, p.party
            assert fp is not None and pp is not None
            def sub(s: str) -> str:
                for a, b in ((fp.name, pp.name), (fp.rep or "\0", pp.rep or "\0")):
                    s = s.replace(a, b)
                return s
            p.qa = [(sub(q), sub(a)) for q, a in f.qa]
    cases = [_case_spec(p, by_id, rng, month) for p in plans]
    return _attach_phantoms(cases, plans, rng, month)


def _case_spec(p: Plan, by_id: dict[str, Plan], rng: random.Random, month: str) -> CaseSpec:
    docs, remedy = _build_docs(p, rng)
    files, where = _files(p, docs, rng)
    truth_docs = [{"path": where[k][0], "part": where[k][1], "doc_type": d.doc_type, "title": d.title}
                  for k, d in docs]
    fields = _truth_fields(p, remedy)
    register = _register_row(p, fields, rng)
    findings: set[str] = set(p.defects)
    defects = []
    texts = {k: text_of(d) for k, d in docs}
    for cid in p.defects:
        dk = DEFECTS[cid]
        if cid == "MIS-04":
            v = p.register_variant or p.variant[cid]
            if v == "no_row":
                key = "decision" if "decision" in where else "simple" if "simple" in where else "filing"
                defects.append({"check_id": cid, "document": where[key][0], "part": where[key][1],
                                "quote": p.party.name, "absent": True,  # type: ignore[union-attr]
                                "note": "案卷在台账中无对应行"})
            else:
                col, val = p.notes["MIS-04"].split("=", 1)
                defects.append({"check_id": cid, "document": "台账.xlsx", "part": 0, "quote": val, "absent": False,
                                "note": f"台账{col}与案卷不一致"})
            continue
        key, quote = p.quotes.get(cid, ("", ""))
        if cid == "MIS-03":
            key, quote = p.quotes.get(cid, ("inspection", ""))
        if not key or key not in where:
            raise AssertionError(f"{p.case_id}: no quote for {cid} ({p.variant.get(cid)})")
        if quote not in texts[key]:
            raise AssertionError(f"{p.case_id}: quote for {cid} not in {key}: {quote!r}")
        note = NOTES[cid] + f"（{p.variant.get(cid, '').split(':')[0]}）"
        defects.append({"check_id": cid, "document": where[key][0], "part": where[key][1], "quote": quote,
                        "absent": bool(p.absent.get(cid, False)), "note": note})
        for extra in dk.also:
            findings.add(extra)
            defects.append({"check_id": extra, "document": where[key][0], "part": where[key][1], "quote": quote,
                            "absent": bool(p.absent.get(cid, False)), "note": f"{NOTES[extra]}（由{cid}缺陷引起）"})
    truth = {
        "case_id": p.case_id,
        "container": p.container,
        "procedure": fields["procedure"],
        "outcome": fields["outcome"],
        "squad": fields["squad"],
        "documents": truth_docs,
        "fields": fields,
        "findings": sorted(findings),
        "defects": defects,
        "related_cases": {k: sorted(v) for k, v in sorted(p.related.items())},
        "register": register,
        "clean": not findings,
    }
    return CaseSpec(p.case_id, p.container, files, truth)


# --- the register (台账) ---------------------------------------------------------------------------

REGISTER_HEADERS = ("案件编号", "中队", "当事人", "案由", "程序", "立案日期", "结案日期", "办结状态", "罚款金额",
                    "是否重大法制审核", "是否有视音频记录", "来源", "投诉次数")


def _register_row(p: Plan, fields: dict[str, Any], rng: random.Random) -> dict[str, Any] | None:
    d = p.d
    end = {"gp": d.get("closing"), "np": d.get("closing"), "wd": d.get("withdrawal"), "tr": d.get("withdrawal"),
           "pd": None, "sp": d.get("payment") or d.get("decision")}[p.kind]
    row: dict[str, Any] = {
        "案件编号": p.case_id,
        "中队": fields["squad"],
        "当事人": p.party.name,  # type: ignore[union-attr]
        "案由": p.vt.name,  # type: ignore[union-attr]
        "程序": "简易" if p.kind == "sp" else "一般",
        "立案日期": (d.get("filing") or d["decision"]).isoformat(),
        "结案日期": end.isoformat() if end else "",
        "办结状态": {"pd": "未结案", "wd": "已撤案"}.get(p.kind, "已结案"),
        "罚款金额": p.fine or 0,
        "是否重大法制审核": "是" if p.has_legal else "否",
        "是否有视音频记录": "否" if "REC-01" in p.defects else "是",
        "来源": "投诉" if p.source_kind == "投诉" else p.source_kind,
        "投诉次数": p.complaints if p.source_kind == "投诉" else "",
    }
    if "MIS-04" not in p.defects:
        return row
    v = p.variant["MIS-04"]
    # a difference must be visible in the file: no fine (警告, 不予处罚) → the date; no 立案 date
    # (simple procedure, or a filing form left unapproved) → the squad
    if v == "fine_differs" and not p.fine:
        v = "date_differs"
    if v == "date_differs" and not fields.get("filing_date"):
        v = "squad_differs"
    p.register_variant = v
    if v == "no_row":
        return None
    if v == "fine_differs":
        row["罚款金额"] = p.fine + (100 if p.fine < 1000 else 1000)  # type: ignore[operator]
        p.notes["MIS-04"] = f"罚款金额={row['罚款金额']}"
    elif v == "date_differs":
        base = d.get("filing") or d["decision"]
        row["立案日期"] = wd_on_or_before(base - TD(days=rng.randint(7, 20))).isoformat()
        p.notes["MIS-04"] = f"立案日期={row['立案日期']}"
    else:
        other = rng.choice([s for s in P.SQUADS if s[0] != p.squad[0]])
        row["中队"] = P.AGENCY_SHORT + other[0]
        p.notes["MIS-04"] = f"中队={row['中队']}"
    return row


def _attach_phantoms(cases: list[CaseSpec], plans: list[Plan], rng: random.Random, month: str) -> list[CaseSpec]:
    """Register rows for case ids that have no file (MIS-04, archive level)."""
    y, m = (int(x) for x in month.split("-"))
    count = max(1, _slots_per_id(len(cases)) // 2)
    phantoms = []
    for k in range(count):
        cid = f"{y % 100:02d}{m:02d}{len(cases) + 1 + k:03d}"
        wdays = month_workdays(month)
        filed = wd_on_or_before(rng.choice(wdays) - TD(days=rng.randint(20, 60)))
        phantoms.append({"案件编号": cid, "中队": P.AGENCY_SHORT + rng.choice(P.SQUADS)[0],
                         "当事人": P.person_name(rng, set()), "案由": rng.choice(list(TYPES.values())).name,
                         "程序": "一般", "立案日期": filed.isoformat(), "结案日期": rng.choice(wdays).isoformat(),
                         "办结状态": "已结案", "罚款金额": rng.choice((200, 500, 1000)), "是否重大法制审核": "否",
                         "是否有视音频记录": "是", "来源": "巡查", "投诉次数": ""})
    first = cases[0]
    truth = dict(first.truth)
    truth["register_phantom_rows"] = phantoms
    cases[0] = CaseSpec(first.case_id, first.container, first.files, truth)
    return cases


def register_rows(cases: Sequence[CaseSpec]) -> list[dict[str, Any]]:
    """Rows of the case register 台账 with Chinese headers (see below), MIS-04 defects applied."""
    rows: list[dict[str, Any]] = []
    for c in cases:
        row = c.truth.get("register")
        if row is not None:
            rows.append(dict(row))
    for c in cases:
        for row in c.truth.get("register_phantom_rows") or ():
            rows.append(dict(row))
    return rows


def spec_to_json(cases: Sequence[CaseSpec]) -> str:
    """A stable JSON dump of whole specs (for determinism tests and debugging)."""
    def blk(b: Block) -> dict[str, Any]:
        return {"kind": b.kind, "text": b.text, "rows": [list(r) for r in b.rows]}
    out = []
    for c in cases:
        out.append({"case_id": c.case_id, "container": c.container, "truth": c.truth,
                    "files": [{"name": f.name, "fmt": f.fmt,
                               "docs": [{"doc_type": d.doc_type, "title": d.title,
                                         "blocks": [blk(b) for b in d.blocks]} for d in f.docs]}
                              for f in c.files]})
    return json.dumps(out, ensure_ascii=False, sort_keys=True)
