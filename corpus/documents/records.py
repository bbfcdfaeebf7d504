"""Records made with the party: 现场检查笔录, 询问笔录, 视音频记录, 陈述申辩 and its waiver, the hearing."""
from __future__ import annotations

from corpus import people as P
from corpus.documents.base import DocB, Writer, say, seal_text, words
from corpus.wording import DATE_STYLES_TABLE, fmt_date, fmt_time


def inspection(w: Writer) -> None:
    p, r = w.p, w.r
    t = "inspection_record"
    b = w.begin(t)
    d = p.d["inspection"]
    sh, sm, eh, em = p.t["inspection"]
    ts = r.choice(("cn", "colon"))
    ds = r.choice(DATE_STYLES_TABLE[:3])
    start = f"{fmt_date(d, ds)}{fmt_time(sh, sm, ts)}"
    end = fmt_time(eh, em, ts)
    timeline = w.mark("inspection", "timeline", f"{start}至{end}")
    rows = [["检查时间", timeline, "", ""], ["检查地点", p.place, "", ""]]
    offs = list(p.officers)
    if w.edit("inspection.officers") == "first":
        offs = offs[:1]
    rows += w.officer_cells(offs)
    rows.append(["记录人", offs[-1][0], "", ""])
    pt = w.party
    present = pt.name if pt.kind == "person" else pt.rep or ""
    rows.append(["被检查人（当事人）", w.name_in("inspection"), "在场人", present])
    b.table(rows)
    b.para(r.choice(words(t, "identity")))
    b.para("检查情况：" + p.insp_body)
    for place, text in p.insp_marks.items():
        w.mark("inspection", place, text)
    if w.edit("inspection.av_mention") != "omit" and r.random() < 0.6:
        b.para(say(t, "av_mention", device=r.randint(100000, 999999)))
    w.mark("inspection", "party_sign", "当事人（签名）：")
    if w.edit("inspection.party_sign") == "blank":
        b.sign("当事人（签名）：            日期：")
    elif r.random() < 0.12:
        wit = P.person_name(r, set())
        b.sign(f"当事人拒绝签名。见证人：{wit}")
    else:
        b.sign(f"当事人（签名）：{present}  {w.dt_(d, True)}")
    b.sign("执法人员（签名）：" + "、".join(o[0] for o in offs))
    w.mark("inspection", "first_officer", offs[0][0])
    if len(p.officers) > 1:
        w.mark("inspection", "second_officer", p.officers[1][0])
    w.add("inspection", b.spec())


def inquiry(w: Writer) -> None:
    p, r = w.p, w.r
    t = "inquiry_record"
    b = w.begin(t)
    d = p.d["inquiry"]
    sh, sm, eh, em = p.t["inquiry"]
    ts = r.choice(("cn", "colon"))
    timeline = f"{fmt_date(d, r.choice(DATE_STYLES_TABLE[:3]))}{fmt_time(sh, sm, ts)}至{fmt_time(eh, em, ts)}"
    w.mark("inquiry", "timeline", timeline)
    pt = w.party
    asked = pt.name if pt.kind == "person" else pt.rep or ""
    role = "经营者" if pt.kind == "shop" else "法定代表人"
    rows = [["询问时间", timeline, "", ""],
            ["询问地点", r.choice((f"{w.squad_name()}办公室", f"{w.squad_name()}询问室", p.place)), "", ""],
            ["询问人", p.officers[0][0], "执法证号", p.officers[0][1] or ""],
            ["记录人", p.officers[1][0], "执法证号", p.officers[1][1] or ""],
            ["被询问人", asked if pt.kind == "person" else f"{asked}（{w.name_in('inquiry')}{role}）",
             "性别", pt.gender],
            ["身份证号", pt.id_printed if pt.kind == "person" else (pt.rep_id or P.mask_id(P.id_number(r), r)),
             "联系电话", pt.phone]]
    if pt.kind != "person" and r.random() < 0.5:
        # some forms name the party (the unit) apart from the person asked
        rows.append([r.choice(words(t, "party_labels")), w.name_in("inquiry"), "", ""])
    b.table(rows)
    for q, a in p.qa:
        b.para(f"问{w.c()}{q}")
        b.para(f"答{w.c()}{a}")
    w.mark("inquiry", "party_sign", "被询问人（签名）：")
    if w.edit("inquiry.party_sign") == "blank":
        b.sign("被询问人（签名）：")
    elif r.random() < 0.08:
        b.sign(f"被询问人拒绝签名。见证人：{P.person_name(r, set())}")
    else:
        b.sign(f"被询问人（签名）：{asked}  {w.dt_(d, True)}")
    b.sign(f"询问人：{p.officers[0][0]}  记录人：{p.officers[1][0]}")
    w.mark("inquiry", "longest_answer", max((x for qa in p.qa[1:-1] for x in qa), key=len))
    w.add("inquiry", b.spec())


def av(w: Writer) -> None:
    p, r = w.p, w.r
    t = "av_record"
    b = w.begin(t)
    rows = [["记录设备", f"执法记录仪（编号{r.randint(100000, 999999)}）", "记录人", p.officers[0][0]]]
    if p.kind == "sp":
        rows.append(["记录事项", "简易程序当场处罚", "记录时间", w.dt_(p.d["decision"], True)])
    else:
        rows.append(["记录事项", "现场检查" + ("、投诉举报处置" if p.source_kind == "投诉" else ""),
                     "记录时间", w.dt_(p.d["inspection"], True)])
        if p.has_preservation:
            rows.append(["记录事项", "证据先行登记保存", "记录时间", w.dt_(p.d["preservation"], True)])
        if p.has_coercive:
            rows.append(["记录事项", "实施扣押", "记录时间", w.dt_(p.d["coercive"], True)])
        if p.service_method == "留置送达" and "decision_service" in p.d:
            rows.append(["记录事项", "留置送达", "记录时间", w.dt_(p.d["decision_service"], True)])
        if p.hearing_mode == "held":
            rows.append(["记录事项", "听证", "记录时间", w.dt_(p.d["hearing"], True)])
    rows.append(["文件名", f"{p.case_id}_{r.randint(1000, 9999)}.mp4", "存储位置", "中队执法记录仪管理系统"])
    b.table(rows)
    w.add("av", b.spec())


def defence(w: Writer) -> None:
    p, r = w.p, w.r
    t = "defence_record"
    b = w.begin(t)
    pt = w.party
    who = pt.name if pt.kind == "person" else pt.rep or ""
    b.table([["时间", w.dt_(p.d["defence"], True), "地点", f"{w.squad_name()}办公室"],
             ["陈述申辩人", who, "记录人", p.officers[1][0]]])
    said = w.mark("defence", "said", r.choice(words(t, "said")))
    b.para(f"陈述申辩内容：{said}")
    b.sign(f"陈述申辩人（签名）：{who}")
    if w.edit("defence.review") != "omit":
        b.para(r.choice(words(t, "review")))
        b.sign(f"复核人：{r.choice(P.SUPERVISORS)}  {w.dt_(p.d['defence_review'], True)}")
    w.add("defence", b.spec())


def waiver(w: Writer) -> None:
    p = w.p
    t = "defence_record"
    b = w.begin(t, "waiver_titles")
    b.para(say(t, "waiver", agency=P.AGENCY, number=p.nums["notice"]))
    pt = w.party
    b.sign(f"声明人：{pt.name if pt.kind == 'person' else pt.rep}  {w.dt_(p.d['waiver'], True)}")
    w.add("waiver", b.spec())


def hearing_docs(w: Writer) -> None:
    p, r = w.p, w.r
    b = DocB("hearing_notice", say("hearing_notice", "title"), header=True,
             number=p.nums["notice"].replace("罚先告", "听通"))
    b.para(f"{w.name_in('hearing_notice')}：")
    sh, sm, eh, em = p.t["hearing"]
    at = f"{'上午' if sh < 12 else '下午'}{sh if sh <= 12 else sh - 12}时" + (f"{sm}分" if sm else "")
    you, requested, date = w.you(), w.dt_(p.d["hearing_request"]), w.dt_(p.d["hearing"])
    b.para(say("hearing_notice", "body", you=you, requested=requested, date=date, at=at, chair=P.REVIEWERS[1],
               you2=w.you()))
    b.seal(seal_text(r))
    b.sign(w.dt_(p.d["hearing_notice"]))
    w.add("hearing_notice", b.spec())
    t = "hearing_record"
    b2 = w.begin(t)
    b2.table([["听证时间", f"{w.dt_(p.d['hearing'], True)} {sh}:{sm:02d}至{eh}:{em:02d}", "地点", "局听证室"],
              ["主持人", P.REVIEWERS[1], "记录人", P.REVIEWERS[2]],
              ["案件调查人员", "、".join(o[0] for o in p.officers[:2]), "当事人", w.name_in("hearing_record")]])
    b2.para(say(t, "course"))
    b2.sign("当事人签名：" + (w.party.rep or w.party.name))
    w.add("hearing_record", b2.spec())
