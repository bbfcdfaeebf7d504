"""Service of a document on the party: 送达回证 (direct, left at the address), post receipts, electronic."""
from __future__ import annotations

import datetime as dt

from corpus import people as P
from corpus.documents.base import DocB, Writer, say

T = "service_receipt"


def service(w: Writer, key: str, served: str, served_no: str, d: dt.date, method: str) -> None:
    p, r = w.p, w.r
    pt = w.party
    receiver = pt.name if pt.kind == "person" else (pt.rep or "")
    when = w.mark(key, "date", w.dt_(d, True))
    if method == "邮寄送达":
        b = w.begin(T, "titles_post")
        disp = w.dt_(p.d.get("dispatch", d), True)
        b.table([["送达文书", f"{served}（{served_no}）", "", ""], ["受送达人", w.name_in(key), "", ""],
                 ["送达方式", "邮寄送达", "邮件号码", f"EMS{r.randint(10**9, 10**10 - 1)}"],
                 ["寄出日期", disp, "收件日期", when], ["收件人签名", receiver, "经办人", p.officers[0][0]]])
    elif method == "电子送达":
        b = DocB(T, say(T, "title_electronic"))
        b.table([["送达文书", f"{served}（{served_no}）", "", ""], ["受送达人", w.name_in(key), "", ""],
                 ["送达方式", say(T, "electronic_method"), "送达地址", f"{pt.phone}（短信）"],
                 ["送达日期", when, "送达人", p.officers[0][0]]])
    else:
        b = w.begin(T, header=0.5)
        rows = [["送达文书名称及文号", f"{served} {served_no}", "", ""], ["受送达人", w.name_in(key), "", ""],
                ["送达地点", r.choice((pt.address, f"{w.squad_name()}办公室")), "", ""],
                ["送达方式", method, "", ""]]
        if method == "留置送达":
            rows.append(["收件人签名", "（拒绝签收）", "见证人", P.person_name(r, set())])
            rows.append(["备注", say(T, "left_note"), "", ""])
        else:
            rows.append(["收件人签名", receiver, "签收日期", when])
        rows.append(["送达人", "、".join(o[0] for o in p.officers[:2]), "送达日期", when])
        b.table(rows)
    w.add(key, b.spec())
