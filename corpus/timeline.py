"""Dates of a planned case: the timeline of each procedure, defects that move dates included.

A general case (gp, np) is decided inside the month; withdrawn, transferred and pending cases are
dated back from the month; a simple case is decided (and mostly paid) on one day. Every working-day
period uses ``corpus.days.CAL``.
"""
from __future__ import annotations

import datetime as dt
import random

from corpus.case import Plan
from corpus.days import (
    CAL,
    TD,
    add_wd,
    month_end,
    month_workdays,
    rand_wd_between,
    sub_wd,
    wd_on_or_after,
    wd_on_or_before,
)
from corpus.defects import DEFECTS


def hearing_mode(p: Plan, rng: random.Random) -> None:
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


def plan_general(p: Plan, rng: random.Random, month: str) -> None:
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
        d["inquiry"] = filing if last <= filing else rand_wd_between(rng, filing, last)
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




def plan_short(p: Plan, rng: random.Random, month: str) -> None:
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
    d["inquiry"] = filing if last <= filing else rand_wd_between(rng, filing, min(last, add_wd(filing, 10)))


def plan_simple(p: Plan, rng: random.Random, month: str, pinned: dt.date | None = None) -> None:
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

