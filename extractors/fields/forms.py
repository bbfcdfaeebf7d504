"""The other forms: 案件来源登记, 送达回证, 缴款凭证, 责令改正通知书, 证据保存, and the fallback."""
from __future__ import annotations

import re
from typing import Any

from extractors.doctype import classify
from extractors.fields.approvals import source_kind
from extractors.fields.clauses import (
    read_approval,
    read_citations,
    read_flag,
    read_waivers,
)
from extractors.fields.dates import (
    closing_date,
    date_at,
    read_doc_date,
    read_label_date,
)
from extractors.fields.identity import read_case_cause, read_doc_number
from extractors.fields.labels import labels
from extractors.fields.marks import read_agency, read_refusal, read_seal, read_signatures
from extractors.fields.parties import (
    read_party,
    read_place,
    read_witness,
)
from extractors.fields.registry import extracts
from extractors.fields.text import (
    Out,
    Text,
    find_money,
    money_norm,
)
from extractors.nlp import spans_of


@extracts("forms.case_source.v1", doc_types=("case_source",),
          fields=("case_cause", "discovered_date", "doc_date", "party_address", "party_id_number",
                  "party_kind", "party_name", "party_representative", "place", "source_kind",
                  "violation_type"))
def _x_case_source(t: Text, o: Out, sd: Any) -> None:
    v = t.label_value(labels("source_kind"))
    k = source_kind(t.norm[v[0]:v[1]]) if v else None
    if k and v:
        o.emit("source_kind", k, v[0], v[1], "source")
    else:
        title = t.doc.title or t.norm[:60]
        k = source_kind(title)
        if k:
            i = t.norm.find(k)
            o.emit("source_kind", k, i if i >= 0 else None, i + len(k) if i >= 0 else None, "source", 0.8)
    seen = read_label_date(t, o, "discovered_date", labels("discovered_date"))
    if not seen:
        d = closing_date(t)
        if d:
            o.emit("discovered_date", d.iso, d.start, d.end, "dates", 0.7)
    read_place(t, o, ("发生地点", "违法地点", "地点", "发现地点", "案发地点", "事发地点", "反映地点", "投诉地点"))
    read_party(t, o)
    read_case_cause(t, o)
    read_doc_date(t, o)


@extracts("forms.service_receipt.v1", doc_types=("service_receipt",),
          fields=("dispatch_date", "doc_date", "receiver_signed", "refusal_note", "served_doc", "service_date",
                  "service_method", "witness"))
def _x_service(t: Text, o: Out, sd: Any) -> None:
    v = t.label_value(labels("served_doc"))
    if v:
        name = t.norm[v[0]:v[1]]
        dt, conf = served_fallback(name), 1.0
        if dt is None:
            dt, conf = classify(name, title=name)
        if dt and dt != "other":
            o.emit("served_doc", dt, v[0], v[1], "service", conf if conf else 0.8)
    if not o.has("served_doc"):
        m = re.search(r"(当场行政处罚决定书|不予行政处罚决定书|行政处罚事先(?:\(听证\))?告知书|"
                      r"行政处罚决定书|责令(?:限期)?改正通知书|听证通知书)", t.norm)
        if m:
            dt = served_fallback(m.group(1))
            if dt:
                o.emit("served_doc", dt, m.start(), m.end(), "service", 0.7)
    got = read_label_date(t, o, "service_date", labels("service_date"))
    if not got:
        reg = t.region_after_label(labels("receiver_sign"), ("送达人", "送达人签名", "见证人", "备注", "送达方式"))
        if reg:
            d = date_at(t, *reg)
            if d:
                o.emit("service_date", d.iso, d.start, d.end, "dates", d.confidence)
    read_label_date(t, o, "dispatch_date", labels("dispatch_date"))
    v = t.label_value(labels("service_method"))
    meth = None
    if v:
        seg = t.norm[v[0]:v[1]]
        for k in ("直接送达", "留置送达", "邮寄送达", "电子送达", "公告送达", "当场交付", "委托送达"):
            if k in seg or k[:2] in seg and len(seg) <= 4:
                meth = (k, v[0], v[1])
                break
    if meth is None:
        sp = spans_of(sd, "SERVICE_METHOD")
        if sp:
            meth = (sp[0].text, sp[0].start_char, sp[0].end_char)
    if meth:
        o.emit("service_method", meth[0], meth[1], meth[2], "service")
    read_signatures(t, o, labels("receiver_sign"), "receiver_signed")
    read_refusal(t, o, sd)
    read_witness(t, o)
    read_doc_date(t, o)


_SERVED = (("当场行政处罚决定书", "simple_decision"), ("当场处罚决定书", "simple_decision"),
           ("不予行政处罚决定书", "non_penalty_decision"), ("不予处罚决定书", "non_penalty_decision"),
           ("事先", "prior_notice"), ("告知书", "prior_notice"), ("行政处罚决定书", "decision"),
           ("处罚决定书", "decision"), ("责令", "correction_order"), ("听证通知", "hearing_notice"))


def served_fallback(name: str) -> str | None:
    for k, v in _SERVED:
        if k in name:
            return v
    return None


@extracts("forms.payment_receipt.v1", doc_types=("payment_receipt",),
          fields=("amount_yuan", "doc_date", "party_address", "party_id_number", "party_kind", "party_name",
                  "party_representative", "payment_date", "urge_notice"))
def _x_payment(t: Text, o: Out, sd: Any) -> None:
    for _s, vs, ve in t.label_values(labels("pay_amount")):
        ms = find_money(t.raw[vs:ve], vs)
        if not ms:
            m = re.match(r"\s*[¥￥]?\s*([\d,]+(?:\.\d{1,2})?)", t.norm[vs:ve])
            if m:
                raw = m.group(1).replace(",", "")
                val = float(raw) if "." in raw else int(raw)
                o.emit("amount_yuan", money_norm(val), vs + m.start(1), vs + m.end(1), "money")
                break
            continue
        o.emit("amount_yuan", ms[0].value, ms[0].start, ms[0].end, "money")
        break
    if not o.has("amount_yuan"):
        ms = find_money(t.raw)
        if ms:
            o.emit("amount_yuan", ms[0].value, ms[0].start, ms[0].end, "money", 0.7)
    got = read_label_date(t, o, "payment_date", labels("pay_date"))
    if not got:
        d = closing_date(t)
        if d:
            o.emit("payment_date", d.iso, d.start, d.end, "dates", 0.8)
    read_party(t, o)
    read_flag(t, o, "urge_notice", r"催告|加处罚款|强制执行", "payment", absent_false=False)
    f = next((f for f in o.fields if f.name == "payment_date"), None)
    if f:
        o.emit("doc_date", f.value, *o.pos(f.name), "dates")


@extracts("forms.correction_order.v1", doc_types=("correction_order",),
          fields=("agency", "correction_deadline", "doc_date", "doc_number", "has_seal", "party_address",
                  "party_id_number", "party_kind", "party_name", "party_representative",
                  "penalty_basis", "seal_text", "violated_provisions"))
def _x_correction(t: Text, o: Out, sd: Any) -> None:
    read_doc_number(t, o, decision=False)
    read_party(t, o)
    got = read_label_date(t, o, "correction_deadline", labels("correction_deadline"))
    if not got:
        m = re.search(r"(?:限(?:你|你单位|当事人)?|于|在)\s*(?=(?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})", t.norm)
        if m:
            d = date_at(t, m.end(), min(len(t.norm), m.end() + 20))
            if d and re.match(r"\s*(?:前|之前|以前|内)", t.norm[d.end:d.end + 4]):
                o.emit("correction_deadline", d.iso, d.start, d.end, "dates", d.confidence)
    read_citations(t, o)
    read_agency(t, o)
    read_doc_date(t, o)
    read_seal(t, o, sd)


@extracts("forms.evidence_preservation.v1", doc_types=("evidence_preservation",),
          fields=("approval_date", "approver", "doc_date", "handling_decision_date", "has_seal",
                  "party_address", "party_id_number", "party_kind", "party_name",
                  "party_representative", "preservation_date", "seal_text"))
def _x_preservation(t: Text, o: Out, sd: Any) -> None:
    title = t.doc.title or t.norm[:80]
    read_party(t, o)
    d = read_doc_date(t, o)
    if "处理决定" in title:
        if d:
            o.emit("handling_decision_date", d.iso, d.start, d.end, "dates", d.confidence)
    else:
        got = read_label_date(t, o, "preservation_date", ("保存日期", "登记保存日期", "保存时间"))
        if not got:
            read_approval(t, o)
            appr = next((f for f in o.fields if f.name == "approval_date"), None)
            if appr:
                o.emit("preservation_date", appr.value, *o.pos("approval_date"), "dates", appr.confidence)
            elif d:
                o.emit("preservation_date", d.iso, d.start, d.end, "dates", d.confidence)
    read_seal(t, o, sd)


@extracts("forms.generic.v1", doc_types=(),
          fields=("doc_date", "hearing_requested", "hearing_waived", "party_address", "party_id_number",
                  "party_kind", "party_name", "party_representative", "statement_waived"), fallback=True)
def _x_generic(t: Text, o: Out, sd: Any) -> None:
    read_party(t, o)
    read_waivers(t, o)
    read_doc_date(t, o)
