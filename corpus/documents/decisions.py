"""Decisions: the 行政处罚决定书, the 不予行政处罚决定书, the 当场行政处罚决定书, and their remedy clause."""
from __future__ import annotations

from typing import Any

from corpus import people as P
from corpus.documents.base import DocB, Writer, say, seal_text, words
from corpus.wording import DATE_STYLES_TABLE, cites_print, cn_int, fmt_date, fmt_time

D = "decision"


def remedy_clause(w: Writer, key: str, simple: bool = False) -> tuple[str, dict[str, Any]]:
    """The 复议/诉讼 clause of decision ``key`` and the remedy truth it states."""
    r = w.r
    terms = w.edit("remedy")
    body = "上海市城市管理行政执法局" if terms == "old_body" else (
        "青浦区人民政府" if r.random() < 0.15 else P.RECON_BODY)
    days = 15 if terms == "days15" else 60
    months = 3 if terms == "months3" else 6
    court = r.choice(words(D, "courts"))
    arabic = r.random() < 0.4
    dtext = f"{days}日" if arabic else f"{cn_int(days)}日"
    mtext = f"{months}个月" if arabic else f"{cn_int(months)}个月"
    you = w.you()
    if simple and w.edit(f"{key}.recon_first") != "omit":
        text = r.choice(words(D, "remedy_recon_first")).format(you=you, days=dtext, body=body, court=court)
        return text, {"reconsideration_body": body, "reconsideration_days": days, "litigation_months": None,
                      "litigation_court": court if court in text else None}
    text = w.mark(key, "remedy", r.choice(words(D, "remedy")).format(you=you, days=dtext, months=mtext, body=body,
                                                                      court=court))
    return text, {"reconsideration_body": body, "reconsideration_days": days, "litigation_months": months,
                  "litigation_court": court}


def decision(w: Writer) -> dict[str, Any]:
    p, r = w.p, w.r
    number = p.nums["decision_printed"]
    w.mark("decision", "number", number.strip())
    b = DocB(D, say(D, "title"), header=True, number=number)
    you = w.you()
    address = w.edit("decision.address") != "omit"
    viol = w.mark("decision", "violated", cites_print(w.cites("violated"), r))
    pen = cites_print(w.cites("penalty"), r)
    amount = w.amount(p.fine or 0)
    ptext = w.mark("decision", "penalty", f"罚款{amount}" if p.kinds_ == ["罚款"] else f"警告，并处罚款{amount}")
    style = r.randrange(3)
    if style == 0:
        b.para(w.party_para("decision", address=address))
        b.para(w.facts() + "。" + w.evidence())
        b.para(say(D, "finding_a", you=you, violated=viol, penalty=pen, ptext=ptext))
    elif style == 1:
        b.para(w.party_para("decision", address=address))
        b.para(f"经查明：{w.facts()}。{w.evidence()}")
        b.para(say(D, "finding_b", you=you, violated=viol, penalty=pen, name=w.vt.name))
        b.para(f"{ptext}。")
    else:
        b.para(w.party_para("decision", address=address) + w.facts() + "。" + w.evidence() +
               say(D, "finding_c", you=you, violated=viol, penalty=pen, ptext=ptext))
    if w.edit("decision.performance") != "omit":
        b.para(r.choice(words(D, "performance")).format(you=you))
    text, remedy = remedy_clause(w, "decision")
    b.para(text)
    b.seal(seal_text(r))
    b.sign(w.mark("decision", "date", w.dt_(p.d["decision"])))
    w.add("decision", b.spec())
    return remedy


def nonpen(w: Writer) -> dict[str, Any]:
    p, r = w.p, w.r
    t = "non_penalty_decision"
    number = p.nums["nonpen_printed"]
    b = DocB(t, say(t, "title"), header=True, number=number)
    you = w.you()
    b.para(w.party_para("nonpen"))
    b.para(w.facts() + "。" + w.evidence())
    b.para(say(t, "finding", you=you, violated=cites_print(w.vt.violated, r)))
    b.para(r.choice(words(t, "admonition")))
    text, remedy = remedy_clause(w, "nonpen")
    b.para(text)
    b.seal(seal_text(r))
    b.sign(w.dt_(p.d["decision"]))
    w.add("nonpen", b.spec())
    return remedy


def simple(w: Writer) -> dict[str, Any]:
    p, r = w.p, w.r
    t = "simple_decision"
    number = p.nums["simple_printed"]
    b = w.begin(t, header=0.6, number=number)
    sh, sm, _, _ = p.t["simple"]
    ts = r.choice(("cn", "colon"))
    rows = w.party_rows("simple")
    day = fmt_date(p.d["decision"], r.choice(DATE_STYLES_TABLE[:3]))
    when = w.mark("simple", "when", f"{day}{fmt_time(sh, sm, ts)}")
    rows.append(["违法时间", when, "违法地点", "" if w.edit("simple.place") == "blank" else p.place])
    rows.append(["执法中队", w.squad_name()])
    b.table(rows)
    you = w.you()
    violated = cites_print(w.vt.violated, r)
    b.para(say(t, "finding", you=you, act=w.vt.act, violated=violated, penalty=cites_print(w.vt.penalty, r)))
    ptext = w.mark("simple", "penalty", f"罚款{w.amount(p.fine)}" if p.fine else "警告")
    b.para(ptext + "。")
    if p.fine:
        if p.on_spot_collect:
            b.para(w.mark("simple", "collect", r.choice(words(t, "collect"))))
        else:
            b.para(say(t, "bank"))
    text, remedy = remedy_clause(w, "simple", simple=True)
    b.para(text)
    offs = p.officers[:1] if w.edit("simple.officers") == "first" else p.officers[:2]
    b.sign(w.mark("simple", "officer_line", "执法人员：" + "；".join(f"{n}（执法证号{c}）" for n, c in offs)))
    pt = w.party
    b.sign(f"当事人签名：{pt.name if pt.kind == 'person' else pt.rep}")
    b.sign(P.AGENCY)
    b.sign(w.dt_(p.d["decision"]))
    w.add("simple", b.spec())
    return remedy
