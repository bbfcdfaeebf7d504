"""Record bodies written while the month is planned: what an inspection found, and the questions and
answers of an inquiry (drawn once per case, before any document, so a MIS-02 pair can share them).
"""
from __future__ import annotations

import random
from collections.abc import Mapping

from corpus.case import Plan
from corpus.documents.base import say, words
from corpus.wording import fmt_date

INSPECTION = "inspection_record"
INQUIRY = "inquiry_record"


def inspection_body(p: Plan, rng: random.Random, edits: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """The 检查情况 of the inspection record and its marks (``old_act`` where the act is old)."""
    vt = p.vt
    assert vt is not None
    d = p.d.get("violation") or p.d.get("inspection") or p.d.get("decision")
    assert d is not None
    marks: dict[str, str] = {}
    parts = []
    when = fmt_date(p.d.get("inspection", d), "ymd")
    source = "群众投诉" if p.source_kind == "投诉" else "巡查安排"
    parts.append(rng.choice(words(INSPECTION, "leads")).format(date=when, place=p.place, source=source))
    if edits.get("inspection.old_act") == "state":
        s = say(INSPECTION, "old_act", date=fmt_date(p.d["violation"], "ymd"), act=vt.act)
        marks["old_act"] = s
        parts.append(s)
    else:
        parts.append(rng.choice(words(INSPECTION, "act_seen")).format(act=vt.act))
    if vt.place_kind in ("shop", "road", "site"):
        parts.append(rng.choice((f"占用面积约{rng.randint(2, 30)}平方米",
                                 f"长约{rng.randint(2, 12)}米、宽约{rng.randint(1, 4)}米",
                                 f"涉及物品约{rng.randint(3, 40)}件", f"范围约{rng.randint(5, 60)}平方米")))
    else:
        parts.append(f"搭建面积约{rng.randint(8, 60)}平方米，为{rng.choice(words(INSPECTION, 'materials'))}结构")
    parts += rng.sample(words(INSPECTION, "scenes"), rng.randint(2, 4))
    parts.append(f"天气{rng.choice(words(INSPECTION, 'weather'))}")
    acts = rng.sample(words(INSPECTION, "actions"), rng.randint(2, 3))
    if edits.get("inspection.av_action") == "omit":
        acts = [a for a in acts if "执法记录仪" not in a]
    parts += acts
    tail = parts[2:]
    rng.shuffle(tail)
    parts = parts[:2] + tail
    return "，".join(parts) + "。", marks


def inquiry_qa(p: Plan, rng: random.Random) -> list[tuple[str, str]]:
    """Questions and answers of the inquiry record."""
    vt = p.vt
    assert vt is not None
    party = p.party
    assert party is not None
    when = fmt_date(p.d.get("inspection", p.d.get("violation")), "ymd")  # type: ignore[arg-type]

    def q(key: str) -> str:
        return say(INQUIRY, key)

    def a(key: str) -> str:
        return rng.choice(words(INQUIRY, key))

    company = party.kind == "company"
    qa: list[tuple[str, str]] = []
    qa.append((a("opening_q"), a("opening_a")))
    if company:
        qa.append((q("q_role_company"), a("role_company")))
    elif party.kind == "shop":
        qa.append((q("q_role_shop"), a("role_shop")))
    qa.append((say(INQUIRY, "q_admit", date=when, place=p.place, act=vt.act), a("admit")))
    optional = [
        (q("q_duration"), a("durations") + "。"),
        (q("q_reason"), a("reasons_org" if company else "reasons") + "。"),
        (q("q_permit"), a("permit")),
        (q("q_before"), a("before")),
        (q("q_goods"), a("goods")),
        (q("q_corrected"), a("corrected")),
        (q("q_income_org" if company else "q_income"), a("income_org" if company else "income")),
        (q("q_present"), a("present")),
    ]
    qa += rng.sample(optional, rng.randint(3, 5))
    qa.append((q("q_more"), a("attitudes") + "。"))
    qa.append((q("q_check"), a("closing_a")))
    return qa
