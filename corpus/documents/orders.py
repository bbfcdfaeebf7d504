"""Orders and measures served on the party: 责令改正, 先行登记保存 (and its handling), 扣押."""
from __future__ import annotations

from corpus import people as P
from corpus.documents.base import Writer, say, seal_text, words
from corpus.wording import cites_print


def correction(w: Writer) -> None:
    p, r = w.p, w.r
    t = "correction_order"
    b = w.begin(t, header=True, number=p.nums["correction"])
    w.mark("correction", "number", p.nums["correction"])
    you = w.you()
    b.para(f"{w.name_in('correction')}：")
    violated = cites_print(w.cites("violated"), r)
    b.para(say(t, "order", you=you, act=w.vt.act, violated=violated, deadline=w.dt_(p.d["correction_deadline"])))
    b.para(say(t, "warning"))
    if "recheck" in p.d:
        result = "已改正" if (p.kind == "np" or not w.vt.precondition) else "未改正"
        b.table([["复查时间", w.dt_(p.d["recheck"], True), "复查结果", result],
                 ["复查人", "、".join(o[0] for o in p.officers[:2]), "", ""]])
    if w.edit("correction.seal") == "omit":
        b.sign(P.AGENCY)
    else:
        b.seal(seal_text(r))
    b.sign(w.dt_(p.d["correction"]))
    b.sign(f"当事人签收：{w.party.rep or w.party.name}")
    w.add("correction", b.spec())


def preservation(w: Writer) -> None:
    p, r = w.p, w.r
    t = "evidence_preservation"
    b = w.begin(t, header=True, number=p.nums["preservation"])
    b.para(f"{w.name_in('preservation')}：")
    b.para(say(t, "notice", you=w.you(), name=w.vt.name))
    when = w.mark("preservation", "date", w.dt_(p.d["preservation"]))
    b.table([["物品名称", w.vt.items, "数量", "见清单"],
             ["保存地点", r.choice(words(t, "kept_at")), "保存日期", when]])
    b.seal(seal_text(r))
    b.sign(when)
    w.add("preservation", b.spec())
    if "pres_handling" in p.d:
        b2 = w.begin(t, "handling_titles", header=True, number=p.nums["preservation"].replace("登保", "登处"))
        b2.para(f"{w.name_in('preservation')}：")
        hd = w.mark("pres_handling", "date", w.dt_(p.d["pres_handling"]))
        you = w.you()
        b2.para(say(t, "handling", date=when, you=you, items=w.vt.items, outcome=r.choice(words(t, "outcomes"))))
        b2.seal(seal_text(r))
        b2.sign(hd)
        w.add("pres_handling", b2.spec())


def coercive(w: Writer) -> None:
    p, r = w.p, w.r
    t = "coercive_measure"
    b = w.begin(t, header=True, number=p.nums["coercive"])
    b.para(f"{w.name_in('coercive')}：")
    b.para(say(t, "decision", you=w.you(), name=w.vt.name, items=w.vt.items))
    b.para(say(t, "remedy"))
    b.seal(seal_text(r))
    b.sign(w.dt_(p.d["coercive"]))
    w.add("coercive", b.spec())
