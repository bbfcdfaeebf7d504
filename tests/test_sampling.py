"""The sampling plan meets every quota that can be met (monthly.md §1–2)."""
from __future__ import annotations

import math
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.core.months import previous_month
from pipeline.supervise.sampling import KIND_CASE, KIND_COMPLAINT, KIND_MAJOR, draw_plan, draws_of, pct_ceil


def test_sampling_pct_ceil_rounds_up_as_the_plan_says() -> None:
    assert pct_ceil(10, 37) == 4
    assert pct_ceil(20, 12) == 3
    assert pct_ceil(10, 30) == 3
    assert pct_ceil(1, 150) == 2
    assert pct_ceil(10, 0) == 0
    assert pct_ceil(100, 7) == 7


def _register(rng: random.Random, month: str, n: int, squads: list[str], start: int = 0) -> list[dict]:
    rows = []
    for i in range(n):
        rows.append({
            "case_number": f"{month}-{start + i:04d}",
            "squad": rng.choice(squads),
            "procedure": rng.choice(["简易", "一般", "一般"]),
            "closing_date": f"{month}-{rng.randint(1, 28):02d}",
            "status": rng.choice(["已结案", "已结案", "已撤案"]),
            "major_review": rng.random() < 0.08,
            "av_record": rng.random() < 0.6,
            "source": rng.choice(["巡查", "巡查", "投诉", "信访"]),
            "complaint_count": rng.choice([0, 0, 1, 2, 5, 7]),
        })
    return rows


def test_sampling_hand_checked_small_register() -> None:
    # 3 squads; last month (2024-05) 20 closed cases: A 10, B 6, C 4; two 重大法核 in B; one
    # complaint repeated 6 times in C. Quotas: cases ceil(10% of 20) = 2, squads ceil(20% of 3) = 1,
    # av ceil(10% of 20) = 2, major 2 (100%), complaints max(ceil(1% of 5), 1 repeated) = 1.
    rows = []
    for i in range(20):
        squad = "A" if i < 10 else ("B" if i < 16 else "C")
        rows.append({"case_number": f"N{i:02d}", "squad": squad, "procedure": "一般",
                     "closing_date": "2024-05-10", "status": "已结案",
                     "major_review": i in (10, 11), "av_record": True,
                     "source": "投诉" if i in (0, 1, 2, 3, 17) else "巡查",
                     "complaint_count": 6 if i == 17 else 1})
    plan = draw_plan(rows, "2024-03", seed=1)  # a mid-half month: nothing covered yet
    q = {row.name[:4]: row for row in plan.quotas}
    assert q["案卷抽查"].base == 0  # no case closed in 2024-02
    plan = draw_plan(rows, "2024-06", seed=1)
    q = {row.name[:4]: row for row in plan.quotas}
    assert (q["案卷抽查"].base, q["案卷抽查"].required) == (20, 2)
    assert q["抽查中队"].required == 1
    assert (q["视音频记"].base, q["视音频记"].required) == (20, 2)
    assert (q["重大法核"].base, q["重大法核"].required) == (2, 2)
    assert set(plan.cases(KIND_MAJOR)) == {"N10", "N11"}
    assert "N17" in plan.cases(KIND_COMPLAINT)
    assert all(row.met for row in plan.quotas), plan.quotas
    # June is the half-year's last month: every squad with cases is covered
    assert {i.squad for i in plan.items if KIND_CASE in i.kinds} == {"A", "B", "C"}


def test_sampling_is_reproducible_and_seed_dependent() -> None:
    rows = _register(random.Random(4), "2024-05", 120, [f"S{i}" for i in range(7)])
    a = draw_plan(rows, "2024-06", seed=9).to_dict()
    b = draw_plan(list(reversed(rows)), "2024-06", seed=9).to_dict()
    c = draw_plan(rows, "2024-06", seed=10).to_dict()
    assert a == b
    assert a["items"] != c["items"]


def test_sampling_reports_a_quota_that_cannot_be_met() -> None:
    rows = _register(random.Random(2), "2024-05", 50, ["S1", "S2"])
    for r in rows:
        r["av_record"] = False
    plan = draw_plan(rows, "2024-06", seed=1)
    av = [q for q in plan.quotas if q.name.startswith("视音频")][0]
    assert av.required == 5 and av.drawn == 0 and not av.met
    assert any("视音频" in w and "0 件" in w for w in plan.warnings)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(min_value=0, max_value=250), n_squads=st.integers(min_value=1, max_value=14),
       seed=st.integers(min_value=0, max_value=10_000), month=st.integers(min_value=1, max_value=12))
def test_sampling_meets_every_quota_that_can_be_met(n: int, n_squads: int, seed: int, month: int) -> None:
    rng = random.Random(seed)
    squads = [f"中队{i:02d}" for i in range(n_squads)]
    m = f"2024-{month:02d}"
    last = previous_month(m)
    rows = _register(rng, last, n, squads)
    plan = draw_plan(rows, m, seed=seed, squads=squads)
    closed = [r for r in rows if "未" not in r["status"]]
    squads_with_cases = {r["squad"] for r in closed}
    q = {row.name[:4]: row for row in plan.quotas}
    # case files: ≥ 10 % of last month's closed cases
    assert q["案卷抽查"].drawn >= math.ceil(len(closed) * 0.1 - 1e-9)
    # squads: ≥ 20 % when that many squads have cases
    assert q["抽查中队"].drawn >= min(pct_ceil(20, n_squads), len(squads_with_cases))
    # 重大法核: every one
    assert set(plan.cases(KIND_MAJOR)) == {r["case_number"] for r in closed if r["major_review"]}
    # audio-video: ≥ 10 % of last month's cases, as far as records exist
    av_pool = [r for r in rows if r["av_record"]]
    assert q["视音频记"].drawn >= min(pct_ceil(10, len(rows)), len(av_pool))
    # complaints: every repeated one, and ≥ 1 %
    complaints = [r for r in rows if r["source"] in ("投诉", "信访")]
    repeated = {r["case_number"] for r in complaints if r["complaint_count"] >= 5}
    assert repeated <= set(plan.cases(KIND_COMPLAINT))
    assert q["投诉信访"].drawn >= min(pct_ceil(1, len(complaints)), len(complaints))
    # a quota reported as met really is, and an unmet one carries a warning
    for row in plan.quotas:
        assert row.met == (row.drawn >= row.required)
        if not row.met:
            assert any(row.name in w for w in plan.warnings)
    # every sampled item is a case of the register
    assert {i.case_number for i in plan.items} <= {r["case_number"] for r in rows}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=1000), n_squads=st.integers(min_value=3, max_value=12),
       per_month=st.integers(min_value=40, max_value=160))
def test_sampling_half_year_and_yearly_coverage_across_simulated_months(seed: int, n_squads: int,
                                                                       per_month: int) -> None:
    rng = random.Random(seed)
    squads = [f"中队{i:02d}" for i in range(n_squads)]
    history = []
    counts: dict[str, dict[str, int]] = {}
    for month in range(1, 13):
        m = f"2024-{month:02d}"
        last = previous_month(m)
        rows = _register(rng, last, per_month, squads, start=month * 1000)
        plan = draw_plan(rows, m, seed=seed, squads=squads, history=history, year_counts=counts)
        counts[last] = {}
        for r in rows:
            if "未" not in r["status"]:
                counts[last][r["squad"]] = counts[last].get(r["squad"], 0) + 1
        history.extend(draws_of(plan))
        if month in (6, 12):
            lo, hi = (1, 6) if month == 6 else (7, 12)
            covered = {h.squad for h in history if h.kind == KIND_CASE and lo <= int(h.month[5:]) <= hi}
            assert covered == set(squads), (month, set(squads) - covered)
    # ≥ 10 files per squad over the year's plans (every squad closes plenty of cases here)
    per_squad: dict[str, int] = {}
    for h in history:
        if h.kind == KIND_CASE:
            per_squad[h.squad] = per_squad.get(h.squad, 0) + 1
    assert all(per_squad.get(s, 0) >= 10 for s in squads), per_squad
