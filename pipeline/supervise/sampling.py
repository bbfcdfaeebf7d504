"""The month's sampling plan (督察任务单): every quota of the 2024 plan at once (monthly.md §1–2).

Pure: a function of the register rows, the earlier draws, the settings and a seed. The CLI
(`anjuan plan`) reads the register, loads the history from the database and writes the plan.

Quotas (defaults from the plan, all settings):
- case files: ≥ 10 % of last month's closed cases (`case_sample_pct`), drawn from the squads
  selected this month (more squads are added when they hold too few cases);
- squads: ≥ 20 % each month (`squad_pct`), every squad at least once in each half-year;
- per squad per year: ≥ 10 files (`per_squad_year_min`), caught up in later months
  (behind pace = sampled this year < floor × months elapsed / 12); a squad with fewer cases in
  the year than the floor has every case sampled;
- audio-video records: ≥ 10 % of last month's cases (`av_sample_pct`);
- 重大法核 cases: 100 % (`major_review_pct`; the annex's 50 % floor is `major_review_floor_pct`);
- complaints and petitions: ≥ 1 % (`complaint_sample_pct`), every complaint repeated ≥ 5 times first.

"Round up" everywhere: 10 % of 37 cases is 4 cases, 20 % of 12 squads is 3 squads.
"""
from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.core.months import month_of, parse_month, previous_month

DEFAULT_SETTINGS: dict[str, Any] = {
    "case_sample_pct": 10,
    "squad_pct": 20,
    "half_year_full_coverage": True,
    "per_squad_year_min": 10,
    "av_sample_pct": 10,
    "major_review_pct": 100,
    "major_review_floor_pct": 50,
    "complaint_sample_pct": 1,
    "repeat_complaint_min": 5,
    "complaint_sources": ["投诉", "信访", "举报"],
}

KIND_CASE = "案卷"
KIND_AV = "视音频记录"
KIND_MAJOR = "重大法核"
KIND_COMPLAINT = "投诉信访"


@dataclass(frozen=True, slots=True)
class PastDraw:
    """One item of an earlier month's plan (from the database)."""

    month: str  # YYYY-MM of the plan
    case_number: str
    squad: str
    kind: str = KIND_CASE


@dataclass(frozen=True, slots=True)
class PlanItem:
    case_number: str
    squad: str
    kinds: tuple[str, ...]
    procedure: str | None
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuotaRow:
    name: str
    base: int
    required: int
    drawn: int
    note: str = ""

    @property
    def met(self) -> bool:
        return self.drawn >= self.required


@dataclass(frozen=True)
class Plan:
    month: str
    seed: int
    last_month: str
    squads: tuple[str, ...]  # selected this month, in order of selection
    items: tuple[PlanItem, ...]
    quotas: tuple[QuotaRow, ...]
    warnings: tuple[str, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)

    def cases(self, kind: str = KIND_CASE) -> list[str]:
        return [i.case_number for i in self.items if kind in i.kinds]

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "last_month": self.last_month,
            "seed": self.seed,
            "squads": list(self.squads),
            "items": [{"case_number": i.case_number, "squad": i.squad, "kinds": list(i.kinds),
                       "procedure": i.procedure, "reasons": list(i.reasons)} for i in self.items],
            "quotas": [{"name": q.name, "base": q.base, "required": q.required, "drawn": q.drawn,
                        "met": q.met, "note": q.note} for q in self.quotas],
            "warnings": list(self.warnings),
            "settings": dict(self.settings),
        }


def pct_ceil(pct: float, n: int) -> int:
    """Round-up share: 10 % of 37 → 4; 20 % of 12 → 3; 0 of anything → 0."""
    if n <= 0 or pct <= 0:
        return 0
    return min(n, math.ceil(n * pct / 100 - 1e-9))


def _truthy(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    return str(v).strip() in {"是", "有", "1", "true", "True", "Y", "y"}


def _is_closed(row: Mapping[str, Any], month: str) -> bool:
    status = str(row.get("status") or "")
    if "未" in status:
        return False
    return month_of(row.get("closing_date")) == month


def _in_month(row: Mapping[str, Any], month: str) -> bool:
    return month_of(row.get("closing_date")) == month or (
        month_of(row.get("filing_date")) == month)


def closed_counts(rows: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Closed cases per month and squad from a register (kept for the yearly sampling pace)."""
    out: dict[str, dict[str, int]] = {}
    for r in rows:
        closing = str(r.get("closing_date") or "")
        if len(closing) < 7 or "未" in str(r.get("status") or ""):
            continue
        squad = str(r.get("squad") or "")
        m = out.setdefault(closing[:7], {})
        m[squad] = m.get(squad, 0) + 1
    return out


def draw_plan(rows: Sequence[Mapping[str, Any]], month: str, *, seed: int,
              history: Iterable[PastDraw] = (), squads: Sequence[str] | None = None,
              settings: Mapping[str, Any] | None = None,
              year_counts: Mapping[str, Mapping[str, int]] | None = None) -> Plan:
    """The sampling plan for ``month`` (YYYY-MM), drawn from last month's register rows.

    ``history``: earlier months' draws. ``year_counts``: closed cases per squad of earlier
    months (month → squad → count, kept in the database from earlier registers); months the
    register itself covers are counted from the register.
    """
    cfg = dict(DEFAULT_SETTINGS)
    cfg.update(settings or {})
    rng = random.Random(f"{seed}:{month}")
    last = previous_month(month)
    year, mon = parse_month(month)
    half_start = 1 if mon <= 6 else 7
    half_end = 6 if mon <= 6 else 12
    history = [h for h in history if h.month < month]

    table: list[dict[str, Any]] = [dict(r) for r in rows if r.get("case_number")]
    table.sort(key=lambda r: str(r["case_number"]))
    all_squads = sorted(set(squads or ()) | {str(r.get("squad")) for r in table if r.get("squad")})

    closed = [r for r in table if _is_closed(r, last)]
    last_all = [r for r in table if _in_month(r, last)]
    closed_by_squad: dict[str, list[dict[str, Any]]] = {}
    for r in closed:
        closed_by_squad.setdefault(str(r.get("squad")), []).append(r)

    # coverage so far
    year_prefix = f"{year:04d}-"
    covered_half = {h.squad for h in history if h.kind == KIND_CASE and h.month.startswith(year_prefix)
                    and half_start <= int(h.month[5:7]) <= half_end}
    sampled_year: dict[str, int] = {}
    for h in history:
        if h.kind == KIND_CASE and h.month.startswith(year_prefix):
            sampled_year[h.squad] = sampled_year.get(h.squad, 0) + 1
    # closed cases per squad and month this year: earlier registers (database), then this one
    per_month: dict[str, dict[str, int]] = {m: dict(c) for m, c in (year_counts or {}).items()
                                            if m.startswith(year_prefix) and m < month}
    reg_months: dict[str, dict[str, int]] = {}
    for r in table:
        m = month_of(r.get("closing_date"))
        if m and m.startswith(year_prefix) and m < month and _is_closed(r, m):
            sq = str(r.get("squad"))
            reg_months.setdefault(m, {})[sq] = reg_months.setdefault(m, {}).get(sq, 0) + 1
    per_month.update(reg_months)
    year_total: dict[str, int] = {}
    for counts in per_month.values():
        for sq, n in counts.items():
            year_total[sq] = year_total.get(sq, 0) + n
    months_with_data = max(1, len(per_month))

    warnings: list[str] = []
    floor = int(cfg["per_squad_year_min"])

    def pace_gap(squad: str, months: int) -> int:
        """Files the squad lacks to be on the yearly pace after ``months`` months."""
        return max(0, math.ceil(floor * months / 12 - 1e-9) - sampled_year.get(squad, 0))

    def small(squad: str) -> bool:
        """Projected to close fewer cases this year than the yearly floor: sample every case."""
        return year_total.get(squad, 0) * 12 / months_with_data < floor

    # --- squads -------------------------------------------------------------------------
    # priority: (1) not yet covered this half-year, enough of them to finish by the half-year's
    # last month (all of them in that month); (2) behind the yearly pace as of the end of last
    # month, or small squads (all their cases are sampled); (3) a random draw up to the quota.
    squad_quota = pct_ceil(cfg["squad_pct"], len(all_squads))
    available = [s for s in all_squads if closed_by_squad.get(s)]
    uncovered = [s for s in all_squads if s not in covered_half]
    months_left = half_end - mon + 1
    need_cover = math.ceil(len(uncovered) / months_left) if cfg["half_year_full_coverage"] else 0
    selected: list[str] = []
    reasons_squad: dict[str, str] = {}

    def pick(cands: list[str], reason: str, limit: int | None = None) -> None:
        cands = sorted(c for c in cands if c not in selected)
        rng.shuffle(cands)
        for c in cands[: (len(cands) if limit is None else max(0, limit))]:
            selected.append(c)
            reasons_squad[c] = reason

    unc_avail = [s for s in uncovered if s in available]
    if months_left == 1:
        pick(unc_avail, "本半年尚未抽查（半年最后一个月，必须覆盖）")
    else:
        pick(unc_avail, "本半年尚未抽查", need_cover)
    pick([s for s in available if small(s)], "本年案件较少，全部抽查")
    pick([s for s in available if pace_gap(s, mon - 1) > 0], "全年抽查进度落后，补抽")
    if len(selected) < squad_quota:
        pick(available, "随机抽取", squad_quota - len(selected))
    if months_left == 1:
        for s in uncovered:
            if s not in available:
                warnings.append(f"{s}：本半年上月没有办结案件可抽查，无法实现半年全覆盖。")

    # --- cases ---------------------------------------------------------------------------
    case_quota = pct_ceil(cfg["case_sample_pct"], len(closed))
    items: dict[str, dict[str, Any]] = {}

    def add(row: Mapping[str, Any], kind: str, reason: str) -> None:
        key = str(row["case_number"])
        it = items.setdefault(key, {"row": row, "kinds": [], "reasons": []})
        if kind not in it["kinds"]:
            it["kinds"].append(kind)
        if reason not in it["reasons"]:
            it["reasons"].append(reason)

    def stratified(pool: list[dict[str, Any]], k: int) -> list[dict[str, Any]]:
        """k table from pool, spread over (procedure, status) strata, seeded."""
        strata: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for r in pool:
            strata.setdefault((str(r.get("procedure")), str(r.get("status"))), []).append(r)
        for v in strata.values():
            rng.shuffle(v)
        order = sorted(strata)
        out: list[dict[str, Any]] = []
        while len(out) < k and any(strata[s] for s in order):
            for s in order:
                if strata[s] and len(out) < k:
                    out.append(strata[s].pop())
        return out

    # per selected squad: a proportional share, at least 1, plus catch-up
    def case_count(s: str) -> int:
        return sum(1 for it in items.values() if KIND_CASE in it["kinds"] and str(it["row"].get("squad")) == s)

    while True:
        sel_pool = sum(len(closed_by_squad.get(s, [])) for s in selected)
        if sel_pool >= case_quota or len(selected) >= len(available):
            break
        pick(available, "补足案卷抽查比例", 1)
    for s in selected:
        pool = [r for r in closed_by_squad.get(s, []) if str(r["case_number"]) not in items]
        share = max(1, math.ceil(case_quota * len(closed_by_squad.get(s, [])) / max(1, sum(
            len(closed_by_squad.get(x, [])) for x in selected)) - 1e-9))
        k = max(share, pace_gap(s, mon))
        if small(s):  # a small squad: every case is sampled
            k = len(pool)
        for r in stratified(pool, k):
            add(r, KIND_CASE, reasons_squad.get(s, "随机抽取"))
    drawn_cases = sum(1 for it in items.values() if KIND_CASE in it["kinds"])
    if drawn_cases < case_quota:
        rest = [r for s in selected for r in closed_by_squad.get(s, []) if str(r["case_number"]) not in items]
        for r in stratified(rest, case_quota - drawn_cases):
            add(r, KIND_CASE, "补足案卷抽查比例")

    # --- 重大法核 -----------------------------------------------------------------------------
    major = [r for r in closed if _truthy(r.get("major_review"))]
    major_quota = pct_ceil(cfg["major_review_pct"], len(major))
    for r in stratified(list(major), major_quota):
        add(r, KIND_MAJOR, "重大执法决定法制审核案件（每案必查）")
        add(r, KIND_CASE, "重大法核案件一并评查")

    # --- audio-video records -------------------------------------------------------------------
    av_quota = pct_ceil(cfg["av_sample_pct"], len(last_all))
    av_pool = [r for r in last_all if _truthy(r.get("av_record"))]
    already = [r for r in av_pool if str(r["case_number"]) in items]
    for r in already[:av_quota]:
        add(r, KIND_AV, "随案卷抽查视音频记录")
    need = av_quota - min(len(already), av_quota)
    if need > 0:
        rest = [r for r in av_pool if str(r["case_number"]) not in items]
        preferred = [r for r in rest if str(r.get("squad")) in selected]
        others = [r for r in rest if str(r.get("squad")) not in selected]
        chosen = stratified(preferred, need)
        chosen += stratified(others, need - len(chosen))
        for r in chosen:
            add(r, KIND_AV, "视音频记录抽查")

    # --- complaints and petitions -------------------------------------------------------------
    sources = set(cfg["complaint_sources"])
    complaints = [r for r in last_all if str(r.get("source") or "") in sources]
    repeated = [r for r in complaints if int(r.get("complaint_count") or 0) >= int(cfg["repeat_complaint_min"])]
    complaint_quota = max(pct_ceil(cfg["complaint_sample_pct"], len(complaints)), len(repeated))
    for r in repeated:
        add(r, KIND_COMPLAINT, f"重复投诉信访{int(r.get('complaint_count') or 0)}次（优先抽查）")
    rest = [r for r in complaints if str(r["case_number"]) not in items or KIND_COMPLAINT not in items[
        str(r["case_number"])]["kinds"]]
    drawn_c = sum(1 for it in items.values() if KIND_COMPLAINT in it["kinds"])
    for r in stratified(rest, complaint_quota - drawn_c):
        add(r, KIND_COMPLAINT, "投诉信访件抽查")

    # --- result ------------------------------------------------------------------------------------
    plan_items = tuple(
        PlanItem(case_number=k, squad=str(v["row"].get("squad")), kinds=tuple(v["kinds"]),
                 procedure=v["row"].get("procedure"), reasons=tuple(v["reasons"]))
        for k, v in sorted(items.items()))
    case_squads = {i.squad for i in plan_items if KIND_CASE in i.kinds}
    n_case = sum(1 for i in plan_items if KIND_CASE in i.kinds)
    n_av = sum(1 for i in plan_items if KIND_AV in i.kinds)
    n_major = sum(1 for i in plan_items if KIND_MAJOR in i.kinds)
    n_compl = sum(1 for i in plan_items if KIND_COMPLAINT in i.kinds)
    covered_after = covered_half | case_squads
    quotas = [
        QuotaRow("案卷抽查（上月办结案件≥10%）", len(closed), case_quota, n_case),
        QuotaRow("抽查中队（≥20%）", len(all_squads), squad_quota, len(case_squads)),
        QuotaRow("半年覆盖中队（累计）", len(all_squads),
                 len(all_squads) if months_left == 1 else len(covered_half) + min(need_cover, len(unc_avail)),
                 len(covered_after & set(all_squads)),
                 f"{half_start}–{half_end}月，剩余{months_left}个月"),
        QuotaRow("视音频记录（上月案件≥10%）", len(last_all), av_quota, n_av),
        QuotaRow("重大法核案件（每案必查）", len(major), major_quota, n_major,
                 f"附件下限{cfg['major_review_floor_pct']}%：{pct_ceil(cfg['major_review_floor_pct'], len(major))}件"),
        QuotaRow("投诉信访件（≥1%，重复5次以上优先）", len(complaints), complaint_quota, n_compl),
    ]
    for q in quotas:
        if not q.met:
            warnings.append(f"{q.name}未达标：需 {q.required}，实抽 {q.drawn}。" + _why(q, cfg, av_pool, available))
    for s in sorted(all_squads):
        if small(s) and s in selected:
            warnings.append(f"{s}：按本年已办结 {year_total.get(s, 0)} 件推算，全年办结案件少于每年抽查"
                            f"{floor}件的下限，已全部抽查。")
    return Plan(month=month, seed=seed, last_month=last, squads=tuple(selected), items=plan_items,
                quotas=tuple(quotas), warnings=tuple(warnings), settings=cfg)


def _why(q: QuotaRow, cfg: Mapping[str, Any], av_pool: Sequence[Any], available: Sequence[str]) -> str:
    if q.name.startswith("视音频"):
        return f"上月标注有视音频记录的案件只有 {len(av_pool)} 件。"
    if q.name.startswith("抽查中队") or q.name.startswith("半年"):
        return f"上月有办结案件的中队只有 {len(available)} 个。"
    return "可抽查的案件不足。"


def draws_of(plan: Plan) -> list[PastDraw]:
    """The history records a plan leaves behind (saved to the database)."""
    out = []
    for i in plan.items:
        for k in i.kinds:
            out.append(PastDraw(month=plan.month, case_number=i.case_number, squad=i.squad, kind=k))
    return out
