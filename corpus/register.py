"""The case register (台账): one row per case as the squads keep it, MIS-04 differences applied, and
rows for phantom case ids that have no file.

Register values: 立案日期 of a simple case = its decision date; 结案日期 = closing date (simple: payment
or decision date; withdrawn/transferred: withdrawal date; pending: empty); 办结状态 已结案 (also for
transferred cases), 未结案 (pending), 已撤案 (withdrawn); 投诉次数 is filled for 投诉 cases (≥ 2 for
重复投诉). A FIL-01 case keeps its system 立案日期 in the register even though the form carries no
approval date.
"""
from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from corpus import people as P
from corpus.case import Plan
from corpus.days import TD, month_workdays, wd_on_or_before
from corpus.plan import slots_per_id
from corpus.spec import CaseSpec
from corpus.vtypes import TYPES

REGISTER_HEADERS = ("案件编号", "中队", "当事人", "案由", "程序", "立案日期", "结案日期", "办结状态", "罚款金额",
                    "是否重大法制审核", "是否有视音频记录", "来源", "投诉次数")


def register_row(p: Plan, fields: dict[str, Any],
                 rng: random.Random) -> tuple[dict[str, Any] | None, tuple[str, str] | None]:
    """The case's row (``None`` when MIS-04 dropped it) and, for MIS-04, (variant, "column=value")."""
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
        return row, None
    v = p.variant["MIS-04"]
    # a difference must be visible in the file: no fine (警告, 不予处罚) → the date; no 立案 date
    # (simple procedure, or a filing form left unapproved) → the squad
    if v == "fine_differs" and not p.fine:
        v = "date_differs"
    if v == "date_differs" and not fields.get("filing_date"):
        v = "squad_differs"
    if v == "no_row":
        return None, (v, "")
    if v == "fine_differs":
        row["罚款金额"] = p.fine + (100 if p.fine < 1000 else 1000)  # type: ignore[operator]
        note = f"罚款金额={row['罚款金额']}"
    elif v == "date_differs":
        base = d.get("filing") or d["decision"]
        row["立案日期"] = wd_on_or_before(base - TD(days=rng.randint(7, 20))).isoformat()
        note = f"立案日期={row['立案日期']}"
    else:
        other = rng.choice([s for s in P.SQUADS if s[0] != p.squad[0]])
        row["中队"] = P.AGENCY_SHORT + other[0]
        note = f"中队={row['中队']}"
    return row, (v, note)


def attach_phantoms(cases: list[CaseSpec], rng: random.Random, month: str) -> list[CaseSpec]:
    """Register rows for case ids that have no file (MIS-04, archive level)."""
    y, m = (int(x) for x in month.split("-"))
    count = max(1, slots_per_id(len(cases)) // 2)
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

