"""Papers of the file itself: the cover, the table of contents, identity papers, the back note."""
from __future__ import annotations

from corpus import people as P
from corpus.documents.base import DocB, Writer, say


def cover(w: Writer) -> None:
    p = w.p
    b = DocB("other", "卷宗封面")
    filed = p.d.get("closing") or p.d.get("withdrawal") or p.d["filing"]
    b.table([["案号", (p.nums.get("decision_printed") or p.nums.get("filing", "")).strip(), "", ""],
             ["案由", w.vt.name, "当事人", w.party.name],
             ["承办单位", w.squad_name(), "立卷日期", w.dt_(filed, True)],
             ["保管期限", "长期", "", ""]])
    w.add("cover", b.spec())


def toc(w: Writer) -> None:
    b = DocB("other", "卷内目录")
    rows = [["序号", "文书名称", "页号", ""]]
    for i, (_, dspec) in enumerate(w.docs, 1):
        rows.append([str(i), dspec.title, str(i), ""])
    b.table(rows)
    w.add("toc", b.spec())


def idcopy(w: Writer) -> None:
    pt = w.party
    if pt.kind == "person":
        b = DocB("other", "身份证明")
        b.table([["姓名", pt.name, "性别", pt.gender], ["公民身份号码", pt.id_printed, "", ""]])
    else:
        shop = pt.kind == "shop"
        b = DocB("other", "营业执照（复印件）")
        b.table([["名称", pt.name, "统一社会信用代码", pt.id_printed],
                 ["类型", "个体工商户" if shop else "有限责任公司", "经营者" if shop else "法定代表人", pt.rep or ""],
                 ["经营场所" if shop else "住所", pt.address, "", ""]])
        b.para(say("other", "idcopy_note"))
    w.add("idcopy", b.spec())


def backnote(w: Writer) -> None:
    b = DocB("other", "卷内备考表")
    b.para(say("other", "backnote", count=len(w.docs)))
    b.sign(f"立卷人：{w.p.officers[0][0]}  检查人：{w.r.choice(P.SUPERVISORS)}")
    w.add("backnote", b.spec())
