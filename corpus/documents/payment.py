"""The payment slip: 非税收入缴款书, 罚没款缴款凭证, or the 罚款收据 of a fine collected on the spot."""
from __future__ import annotations

from corpus import people as P
from corpus.documents.base import DocB, Writer, say, words
from corpus.wording import cn_upper_amount

T = "payment_receipt"


def payment(w: Writer) -> None:
    p, r = w.p, w.r
    title = r.choice(words(T, "titles"))
    on_spot = p.kind == "sp" and p.on_spot_collect
    if on_spot:
        title = r.choice(words(T, "titles_on_spot"))
    b = DocB(T, title)
    amt = p.fine or 0
    if w.edit("payment.amount") == "wrong":
        amt = w.wrong_amount(amt)
    w.mark("payment", "amount", str(amt))
    when = w.mark("payment", "date", w.dt_(p.d["payment"], True))
    number = (p.nums.get("decision_printed") or p.nums.get("simple_printed") or "").strip()
    b.table([["缴款人", w.name_in("payment"), "执收单位", P.AGENCY],
             ["金额（大写）", f"人民币{cn_upper_amount(amt)}元整", "金额（小写）", f"{amt:.2f}"],
             ["项目名称", "罚没收入", "决定书文号", number],
             ["缴款日期", when, "票据号码", f"{r.randint(10**9, 10**10 - 1)}"]])
    if on_spot:
        b.para(say(T, "on_spot_note"))
    w.add("payment", b.spec())
