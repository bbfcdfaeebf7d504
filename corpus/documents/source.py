"""The case source (案件来源): a transfer letter, a complaint or patrol register, a 12345 work order."""
from __future__ import annotations

from corpus import people as P
from corpus.documents.base import DocB, Writer, say, words

T = "case_source"


def source(w: Writer) -> None:
    p, r, _ = w.p, w.r, w.c()
    d = p.d["discovered"]
    kind = p.source_kind
    if kind == "移送" and r.random() < 0.5:
        b = DocB(T, say(T, "transfer_title"),
                 number=f"青公（{r.choice(('治', '交'))}）移字〔{d.year}〕{r.randint(10, 99)}号")
        b.para(f"{P.AGENCY}：")
        b.para(say(T, "transfer_body", date=w.dt_(d), place=p.place, name=w.vt.name))
        b.para(say(T, "transfer_annex"))
        b.seal(f"上海市公安局青浦分局{r.choice(('夏阳', '盈浦', '徐泾', '赵巷'))}派出所（印章）")
        b.sign(w.dt_(d))
        w.add("source", b.spec())
        return
    # both title lists are drawn from, whatever the source (the month's draw order)
    complaint, patrol = r.choice(words(T, "titles_complaint")), r.choice(words(T, "titles_patrol"))
    title = {"投诉": complaint, "信访": say(T, "title_petition"), "巡查": patrol,
             "移送": say(T, "title_transfer")}[kind]
    b = DocB(T, title, header=r.random() < 0.4)
    rows = [["案件来源", kind, "登记时间" if kind != "巡查" else "发现时间", w.dt_(d, True)],
            ["地点", p.place, "", ""]]
    if kind in ("投诉", "信访"):
        rows.append(["反映人", r.choice(P.SURNAMES) + "**", "联系电话", P.mask_phone(r)])
        rows.append(["反映内容", say(T, "complaint_content", place=p.place, act=w.vt.act) +
                     (say(T, "complaint_repeat", count=p.complaints) if p.complaints >= 2 else ""), "", ""])
    else:
        rows.append(["发现情况", say(T, "patrol_found", place=p.place, act=w.vt.act), "", ""])
    rows.append(["登记人", p.officers[0][0] if p.officers else "", "处理意见", r.choice(words(T, "handling"))])
    b.table(rows)
    w.add("source", b.spec())
