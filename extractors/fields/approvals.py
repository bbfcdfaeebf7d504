"""Approval forms: 立案, 调查终结, 法制审核, 集体讨论, 处罚决定, 延期, 撤案, 结案审批表."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from extractors.fields.clauses import (
    read_approval,
    read_citations,
    read_facts,
    read_flag,
    read_penalties,
)
from extractors.fields.dates import (
    closing_date,
    date_at,
    read_doc_date,
    read_label_date,
)
from extractors.fields.identity import read_case_cause, read_doc_number, read_squad
from extractors.fields.labels import labels
from extractors.fields.parties import (
    read_officers,
    read_party,
)
from extractors.fields.registry import extracts
from extractors.fields.text import (
    CJK,
    DateHit,
    MoneyHit,
    Out,
    Text,
    find_money,
)


@extracts("approvals.approval_form.v1",
          doc_types=("filing_approval", "decision_approval", "extension_approval", "withdrawal_approval",
                     "closing_approval", "investigation_report", "legal_review", "collective_discussion"),
          fields=("amount_yuan", "approval_date", "approver", "case_cause", "closing_date", "discovered_date",
                  "discussion_date", "doc_date", "doc_number", "extension_approved_date",
                  "extension_of_filing", "extension_until", "facts", "filing_date",
                  "fine_yuan", "has_facts", "has_penalty", "legal_review_date",
                  "legal_review_passed", "mitigated", "officers", "outcome", "party_address",
                  "party_id_number", "party_kind", "party_name", "party_representative",
                  "penalty_basis", "proposed_fine_yuan", "proposed_penalty_kinds",
                  "source_kind", "squad", "transferred", "violated_provisions",
                  "violation_type", "withdrawal_date", "withdrawal_ground",
                  "withdrawal_reasons"))
def _x_approval(t: Text, o: Out, sd: Any) -> None:
    dt = t.doc.doc_type
    read_doc_number(t, o, decision=False)
    read_case_cause(t, o)
    read_party(t, o, rep_labels=tuple(x for x in labels("representative") if x != "负责人"))
    read_officers(t, o, ("承办人", "承办人员", "执法人员", "调查人", "调查人员", "承办人签名"))
    read_squad(t, o)
    read_approval(t, o)
    n = t.norm
    appr = next((f for f in o.fields if f.name == "approval_date"), None)
    if appr:
        o.emit("doc_date", appr.value, *o.pos(appr.name), "dates", appr.confidence)
    if dt == "filing_approval":
        seen = read_label_date(t, o, "filing_date", labels("filing_date"))
        if not seen and appr:
            o.emit("filing_date", appr.value, *o.pos(appr.name), "dates", appr.confidence)
        read_label_date(t, o, "discovered_date", labels("discovered_date"))
        v = t.label_value(labels("source_kind"))
        if v:
            k = source_kind(t.norm[v[0]:v[1]])
            if k:
                o.emit("source_kind", k, v[0], v[1], "source")
        read_flag(t, o, "extension_of_filing", r"延长立案期限|立案期限延长", "approvals", absent_false=False)
    elif dt == "extension_approval":
        if appr:
            o.emit("extension_approved_date", appr.value, *o.pos(appr.name), "dates", appr.confidence)
        v = t.label_value(labels("extension_until"))
        if v:
            d = date_at(t, *v)
            if d:
                o.emit("extension_until", d.iso, d.start, d.end, "dates", d.confidence)
        else:
            m = re.search(r"延长(?:办案期限)?至", n)
            if m:
                d = date_at(t, m.end(), t.window(m.end(), 20))
                if d:
                    o.emit("extension_until", d.iso, d.start, d.end, "dates", d.confidence)
    elif dt == "withdrawal_approval":
        if appr:
            o.emit("withdrawal_date", appr.value, *o.pos(appr.name), "dates", appr.confidence)
        v = t.label_value(labels("withdrawal_ground"))
        if v:
            o.emit("withdrawal_ground", t.text(v[0], v[1]), v[0], v[1], "grounds")
            o.emit("withdrawal_reasons", True, v[0], v[1], "grounds")
        else:
            o.emit("withdrawal_reasons", False, None, None, "grounds")
        # transferred when the stated ground is 移送 (the approver's words do not decide it)
        lo, hi = (v[0], v[1]) if v else (0, len(n))
        m = _MOVE.search(n, lo, hi)
        if m is None and v:  # a long ground may wrap past the cut: the 承办人意见 says it too
            v2 = t.label_value(("承办人意见", "承办意见"))
            m = _MOVE.search(n, v2[0], v2[1]) if v2 else None
        o.emit("transferred", bool(m), m.start() if m else None, m.end() if m else None, "approvals")
        o.emit("outcome", "transferred" if m else "withdrawn", m.start() if m else None,
               m.end() if m else None, "approvals")
    elif dt == "closing_approval":
        lab = read_label_date(t, o, "closing_date", ("结案日期", "结案时间"))
        if not lab and appr:
            o.emit("closing_date", appr.value, *o.pos(appr.name), "dates", appr.confidence)
        read_outcome(t, o)
        read_closing_amounts(t, o)
    elif dt == "legal_review":
        reg = t.region_after_label(("法制审核意见", "审核意见", "审核结论"), ("审核人", "负责人意见", "审批意见"))
        d = None
        rlab = t.label_value(("审核日期", "审核时间"))
        if rlab:
            d = date_at(t, *rlab)
        if d is None and rlab is False:
            if appr is not None:
                a, b = o.pos(appr.name)
                d = DateHit(a or 0, b or 0, appr.value, None, appr.confidence)
            if d is None:
                d = closing_date(t)
        if d:
            o.emit("legal_review_date", d.iso, d.start, d.end, "dates", d.confidence)
            o.emit("doc_date", d.iso, d.start, d.end, "dates", d.confidence)
        seg = n[reg[0]:reg[1]] if reg else n
        m = re.search(r"不同意|不予通过|未通过|不通过|退回", seg)
        m2 = re.search(r"同意|通过|合法|无异议", seg)
        mm = m or m2
        if mm is not None:
            base = reg[0] if reg else 0
            o.emit("legal_review_passed", not bool(m), base + mm.start(), base + mm.end(), "approvals")
    elif dt == "collective_discussion":
        lab = read_label_date(t, o, "discussion_date", ("讨论时间", "讨论日期", "会议时间", "时间", "日期"))
        if not lab:
            d = closing_date(t)
            if d:
                o.emit("discussion_date", d.iso, d.start, d.end, "dates", d.confidence)
        f = next((f for f in o.fields if f.name == "discussion_date"), None)
        if f:
            o.emit("doc_date", f.value, *o.pos(f.name), "dates", f.confidence)
    elif dt == "investigation_report":
        read_facts(t, o)
        read_citations(t, o)
        read_penalties(t, o, proposed=True)
        read_outcome(t, o)
    elif dt == "decision_approval":
        read_citations(t, o)
        read_penalties(t, o, proposed=True)
    if dt in ("investigation_report", "decision_approval", "collective_discussion", "legal_review",
              "filing_approval"):
        read_flag(t, o, "mitigated", r"减轻(?:行政)?处罚", "approvals", absent_false=False)
    if dt != "withdrawal_approval":
        read_flag(t, o, "transferred", r"移送(?:至|给|到)?[" + CJK + r"]{0,20}(?:处理|"
                                        r"管辖|公安|机关)", "approvals", absent_false=False)
    if not o.has("doc_date"):
        read_doc_date(t, o)


_MOVE = re.compile("移送")


def labelled_money(t: Text, labels: Sequence[str]) -> MoneyHit | None:
    """The first amount in the value of the first of ``labels`` that has one: from the label to
    the next label (a PDF cell wrapped over lines stays whole)."""
    for _s, e, sep in t.label_iter(labels):
        if "\n" in sep and not t.pdf:
            continue
        end = t.next_cut(e - 1)
        if not t.pdf:
            k = t.norm.find("\n", e)
            end = min(end, k) if k != -1 else end
        ms = find_money(t.raw[e:end], e)
        if ms:
            return ms[0]
    return None


def read_closing_amounts(t: Text, o: Out) -> None:
    """``fine_yuan``: the fine in the closing form's 处理结果 / 罚款金额; ``amount_yuan``: the amount
    its 执行情况 says was paid (checked like a payment receipt, CON-02)."""
    m = labelled_money(t, labels("closing_fine"))
    if m is not None:
        o.emit("fine_yuan", m.value, m.start, m.end, "money")
    m = labelled_money(t, labels("closing_paid"))
    if m is None:  # prose: 当事人已于…缴纳罚款人民币400元
        for k in re.finditer(r"(?:已|于)[^。；;\n]{0,30}?(?:缴纳|缴清|缴付|交纳)", t.norm):
            ms = find_money(t.raw[k.end():k.end() + 30], k.end())
            if ms and ms[0].start - k.end() <= 8:
                m = ms[0]
                break
    if m is not None:
        o.emit("amount_yuan", m.value, m.start, m.end, "money")


def read_outcome(t: Text, o: Out) -> None:
    n = t.norm
    for rx, val in ((r"不予(?:行政)?处罚", "not_penalized"), (r"移送", "transferred"),
                    (r"撤销立案|撤案|销案", "withdrawn"), (r"罚款|警告|没收|处罚决定", "penalized")):
        m = re.search(rx, n)
        if m:
            o.emit("outcome", val, m.start(), m.end(), "approvals", 0.8)
            return


def source_kind(s: str) -> str | None:
    for k in ("投诉", "举报", "信访", "巡查", "移送", "交办"):
        if k in s:
            return k
    if "12345" in s or "热线" in s:
        return "投诉"
    if "检查" in s or "发现" in s:
        return "巡查"
    return None
