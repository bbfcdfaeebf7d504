"""Internal approval forms: 立案, 调查终结, 法制审核, 集体讨论, 延期, 处罚决定, 结案, 撤案 (销案)."""
from __future__ import annotations

from corpus import people as P
from corpus.days import TD, sub_wd
from corpus.documents.base import Writer, say, words
from corpus.wording import cites_print, fmt_amount


def filing(w: Writer) -> None:
    p, r = w.p, w.r
    t = "filing_approval"
    b = w.begin(t, header=0.5)
    d = p.d["filing"]
    blank = w.edit("filing.approval") == "blank"
    rows = [["立案号", p.nums["filing"], "承办单位", w.squad_name()],
            ["案由", f"涉嫌{w.vt.name}", "案件来源", p.source_kind]]
    rows += w.party_rows("filing")
    rows.append(["简要案情", say(t, "summary", date=w.dt_(p.d["discovered"], True), place=p.place, act=w.vt.act),
                 "", ""])
    offs = p.officers if len(p.officers) >= 2 else p.officers + [p.officers[0]]
    rows.append(["承办人", f"{offs[0][0]}（执法证号{offs[0][1] or ''}）、"
                           f"{offs[1][0]}（执法证号{offs[1][1] or p.officers[0][1] or ''}）", "", ""])
    rows.append(["承办人意见", r.choice(words(t, "officer_opinion")),
                 "日期", "" if blank else w.dt_(sub_wd(d, 1) if r.random() < 0.3 else d, True)])
    rows.append(["审核意见", r.choice(words(t, "review_opinion")), "审核人", r.choice(P.SUPERVISORS)])
    w.mark("filing", "approval_label", "负责人审批意见")
    if blank:
        rows.append(["负责人审批意见", "", "签名", ""])
        rows.append(["日期", "    年  月  日", "", ""])
    else:
        when = w.mark("filing", "approval_date", w.dt_(d, True))
        rows.append(["负责人审批意见", r.choice(words(t, "approval_opinion")), "签名", r.choice(P.LEADERS)])
        rows.append(["日期", when, "", ""])
    b.table(rows)
    w.add("filing", b.spec())


def report(w: Writer) -> None:
    p, r = w.p, w.r
    t = "investigation_report"
    b = w.begin(t, header=0.4)
    rows = [["案由", w.vt.name, "承办单位", w.squad_name()]]
    rows += w.party_rows("report")
    rows.append(["违法事实", w.facts() + "。", "", ""])
    rows.append(["证据", w.evidence(), "", ""])
    if p.kind == "np":
        rows.append(["处理意见", say(t, "no_penalty"), "", ""])
    else:
        rows.append(["违反条款", cites_print(w.cites("violated"), r, False), "", ""])
        rows.append(["处罚依据", cites_print(w.cites("penalty"), r, False), "", ""])
        rows.append(["裁量理由", r.choice(words(t, "discretion")), "", ""])
        proposed = "罚款" + fmt_amount(p.proposed or 0, "rmb_arabic") if p.proposed else "警告"
        rows.append(["拟处罚意见", proposed, "", ""])
    rows.append(["承办人", "、".join(o[0] for o in p.officers[:2]), "日期", w.dt_(p.d["report"], True)])
    rows.append(["审核意见", "同意", "负责人意见", r.choice(words(t, "head_opinion"))])
    b.table(rows)
    w.add("report", b.spec())


def legal(w: Writer) -> None:
    p, r = w.p, w.r
    t = "legal_review"
    b = w.begin(t)
    trig = "拟移送司法机关" if p.kind == "tr" else "拟作出较大数额罚款，属听证范围"
    rows = [["案由", w.vt.name, "当事人", w.name_in("legal")],
            ["审核事项", trig, "", ""],
            ["审核意见", r.choice(words(t, "opinion")), "", ""],
            ["审核人", r.choice(P.REVIEWERS), "审核日期", w.dt_(p.d["legal_review"], True)]]
    b.table(rows)
    w.add("legal", b.spec())


def discussion(w: Writer) -> None:
    p, r = w.p, w.r
    t = "collective_discussion"
    b = w.begin(t)
    b.table([["讨论时间", w.dt_(p.d["discussion"], True), "地点", "局会议室"],
             ["主持人", P.LEADERS[0], "参加人员", "、".join(P.LEADERS[1:] + P.REVIEWERS[:1])],
             ["案由", w.vt.name, "当事人", w.name_in("discussion")]])
    b.para(say(t, "conclusion", amount=fmt_amount(p.fine or 0, "rmb_arabic")))
    b.sign(f"记录人：{r.choice(P.REVIEWERS)}")
    w.add("discussion", b.spec())


def extension(w: Writer) -> None:
    p, r = w.p, w.r
    t = "extension_approval"
    b = w.begin(t)
    new = p.d["filing"] + TD(days=120)
    b.table([["案由", w.vt.name, "当事人", w.name_in("extension")],
             ["立案日期", w.dt_(p.d["filing"], True), "延长期限至", w.dt_(new, True)],
             ["延期理由", r.choice(words(t, "reasons")), "", ""],
             ["负责人意见", "同意延期", "批准日期", w.dt_(p.d["extension"], True)]])
    w.add("extension", b.spec())


def dec_approval(w: Writer) -> None:
    p, r = w.p, w.r
    t = "decision_approval"
    b = w.begin(t)
    b.table([["案由", w.vt.name, "当事人", w.name_in("dec_approval")],
             ["拟处罚决定", f"罚款{fmt_amount(p.fine or 0, 'rmb_arabic')}", "", ""],
             ["承办人", "、".join(o[0] for o in p.officers[:2]), "", ""],
             ["负责人审批意见", r.choice(words(t, "opinion")), "审批日期", w.dt_(p.d["decision_approval"], True)]])
    w.add("dec_approval", b.spec())


def closing(w: Writer) -> None:
    p, r = w.p, w.r
    t = "closing_approval"
    b = w.begin(t)
    amt = p.fine or 0
    if w.edit("closing.amount") == "wrong":
        amt = w.wrong_amount(amt)
    paid = w.mark("closing", "amount", fmt_amount(amt, "rmb_arabic"))
    pay_text = (say(t, "paid", date=w.dt_(p.d["payment"]), amount=paid) if p.kind == "gp"
                else say(t, "not_penalized"))
    when = w.mark("closing", "date", w.dt_(p.d["closing"], True))
    number = (p.nums.get("decision_printed") or p.nums.get("nonpen_printed") or "").strip()
    b.table([["案号", number, "案由", w.vt.name],
             ["当事人", w.name_in("closing"), "承办单位", w.squad_name()],
             ["处理结果", f"罚款{fmt_amount(p.fine or 0, 'rmb_arabic')}" if p.kind == "gp" else "不予行政处罚", "", ""],
             ["执行情况", pay_text, "", ""],
             ["承办人意见", r.choice(words(t, "officer_opinion")), "", ""],
             ["负责人审批意见", r.choice(words(t, "head_opinion")), "日期", when]])
    w.add("closing", b.spec())


def withdrawal(w: Writer) -> None:
    p, r = w.p, w.r
    t = "withdrawal_approval"
    b = w.begin(t)
    if p.kind == "tr":
        reason = say(t, "transfer_ground")
    elif w.edit("withdrawal.ground") == "unlawful":
        reason = r.choice(words(t, "unlawful_grounds"))
    else:
        reason = r.choice(words(t, "grounds"))
    w.mark("withdrawal", "ground", reason)
    rows = [["立案号", p.nums["filing"], "案由", w.vt.name],
            ["当事人", w.name_in("withdrawal"), "立案日期", w.dt_(p.d["filing"], True)],
            ["撤案（销案）理由", reason, "", ""],
            ["承办人意见", "建议撤销立案。" if p.kind != "tr" else "建议移送。", "承办人",
             "、".join(o[0] for o in p.officers[:2])]]
    when = w.dt_(p.d["withdrawal"], True)
    w.mark("withdrawal", "approval_label", "负责人审批意见")
    if w.edit("withdrawal.approval") == "blank":
        rows.append(["负责人审批意见", "", "日期", ""])
    else:
        rows.append(["负责人审批意见", r.choice(words(t, "approval")) if p.kind != "tr" else "同意移送", "日期", when])
    b.table(rows)
    w.add("withdrawal", b.spec())
