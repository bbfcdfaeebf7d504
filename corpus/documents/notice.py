"""The 行政处罚事先（听证）告知书: facts, basis, the proposed penalty, the rights to state, defend and
ask for a hearing, the contact, the seal."""
from __future__ import annotations

from corpus import people as P
from corpus.documents.base import DocB, Writer, say, seal_text, words
from corpus.wording import cites_print

T = "prior_notice"


def notice(w: Writer) -> None:
    p, r = w.p, w.r
    hear = p.hl and w.edit("notice.hearing") != "omit"
    title = say(T, "title_hearing") if hear and r.random() < 0.5 else say(T, "title")
    b = DocB(T, title, header=True, number=p.nums["notice"])
    w.mark("notice", "number", p.nums["notice"])
    you = w.you()
    b.para(f"{w.name_in('notice')}：")
    no_facts = w.edit("notice.facts") == "omit"
    facts = w.facts() + "。"
    basis = "" if no_facts else say(T, "basis", you=you, violated=cites_print(w.cites("violated"), r),
                                    penalty=cites_print(w.cites("penalty"), r))
    amount = w.amount(p.proposed or 0)
    warning = "警告、" if "警告" in p.kinds_ else ""
    w.mark("notice", "amount", f"罚款{amount}")
    full = say(T, "penalty", you=you, warning=warning, amount=amount)
    penalty = w.mark("notice", "penalty", say(T, "penalty_vague", you=you)
                     if w.edit("notice.penalty") == "vague" else full)
    b.para(full if no_facts else facts + basis + penalty)
    rights = w.mark("notice", "rights", r.choice(words(T, "rights")).format(you=you))
    if w.edit("notice.rights") != "omit":
        b.para(rights)
    if hear:
        b.para(r.choice(words(T, "hearing")).format(you=you))
    road, number = r.choice(words(T, "contact_roads")), r.randint(100, 999)
    phone = f"{r.choice(('5970', '6920'))}{r.randint(1000, 9999)}"
    b.para(say(T, "contact", road=road, number=number, officer=p.officers[0][0], phone=phone))
    seal = w.edit("notice.seal")
    notice_date = w.dt_(p.d["notice"])
    if seal == "omit":
        b.sign(P.AGENCY)
    elif seal == "unit":
        b.seal(w.mark("notice", "unit_seal", f"{w.squad_name()}（印章）"))
    else:
        b.seal(seal_text(r))
    b.sign(notice_date)
    w.add("notice", b.spec())
