"""The truth of a generated case: the fields as the file states them, the seeded findings with the
document and quote that show each, and the case's line of truth.jsonl.

Truth conventions (every later stage reads them):

- ``case_number``: the number printed under the title of the decision that ends the case — the
  行政处罚决定书, the 当场行政处罚决定书 (simple procedure) or the 不予行政处罚决定书 — with whitespace
  removed. Withdrawn, transferred and pending cases have no such decision: ``case_number`` is
  ``None`` (their 立案号 is on the filing form, but it is not a case number in this sense).
- ``party.kind``: ``individual`` for persons **and 个体工商户** (the threshold convention of
  casefile.md §8.6, configurable elsewhere); ``organisation`` for companies. For a 个体工商户 the
  party name is the shop name and ``id_number`` the 92… 统一社会信用代码 as printed; for a person
  the masked 身份证号 as printed.
- ``officers``: the officers of the first inspection record in printed order (the simple
  decision's officers for simple cases), ``cert_no`` ``None`` where the record prints none.
- ``violation_date``: the act date stated in the inspection record (the simple decision for
  simple cases); ``violation_place`` the place of the inspection record (of the simple decision
  for simple cases; ``None`` where SIM-02 left it blank).
- ``decision_service_date``: the date on the 送达回证 of the decision (for post: the receipt
  date; the dispatch date is printed too and is within the limit in clean cases). Simple cases:
  ``None`` (handed over on the spot, no receipt). ``payment_date`` from the payment receipt.
- ``hearing_waived``: True with a written waiver in the file; False when the notice told the
  hearing right and no waiver exists (including a hearing actually held); None when no hearing
  right applies or the notice did not tell it (HRG-01 defect).
- ``penalty_basis`` of a 不予处罚 decision: the 行政处罚法 article the decision rests on.
- ``findings``: the seeded check ids plus the ids the catalogue's own rules imply for the seeded
  defect (e.g. a missing notice is NOT-01 and DOC-01; a pending case stale past 180 days is CLS-01
  and DEC-01). Pending cases are judged at the review date = the last day of ``month``: clean
  pending cases are filed at most 40 days before it, so they stay clean for a review made within
  ~50 days after the month.
- ``register``: the row written to the 台账 for the case (``None`` when MIS-04 dropped it). A
  register row without a file is written for a phantom case id; it is kept in the truth of the
  first case under ``register_phantom_rows`` (it cannot belong to any case's findings).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from corpus import people as P
from corpus.case import Plan
from corpus.defects import DEFECTS, quote_of
from corpus.documents import CaseDocs, text_of
from corpus.plan import OUTCOME
from corpus.vtypes import APL, SWAP, TYPES
from corpus.wording import cite_norm
from pipeline.core.models import empty_case_fields

NOTES = {
    "FIL-01": "立案审批表无负责人审批意见、签名和日期",
    "FIL-02": "立案晚于发现/受理后15个工作日，无延期审批",
    "ORD-02": "询问笔录日期早于立案日期（先调查后立案）",
    "LIM-01": "违法行为发生至发现已超过2年",
    "OFF-01": "笔录/当场决定书只记载一名执法人员",
    "OFF-02": "现场检查笔录中一名执法人员无执法证号",
    "EVD-01": "笔录无当事人签名，也无拒签说明和见证人",
    "EVD-02": "先行登记保存后7个工作日内未作处理决定",
    "REC-01": "案卷中无视音频记录，笔录也未提及执法记录仪",
    "NOT-01": "案卷中无行政处罚事先告知书",
    "NOT-02": "事先告知书缺少法定内容",
    "NOT-03": "陈述申辩期限届满前作出处罚决定，当事人未陈述申辩也未放弃",
    "HRG-01": "听证级罚款，事先告知书未告知听证权利",
    "HRG-02": "听证级罚款，未书面放弃听证，告知书送达后5个工作日内即作出决定",
    "DEF-01": "决定罚款高于事先告知拟处罚款",
    "DEF-02": "当事人陈述申辩，案卷中无复核意见",
    "LRV-01": "听证级罚款，决定前无法制审核",
    "LRV-02": "听证级罚款，无集体讨论记录",
    "DEC-01": "立案至决定超过90日，无延期审批",
    "DEC-02": "处罚决定书缺少法定内容",
    "DEC-03": "处罚决定书救济告知错误",
    "DEC-04": "对外文书未加盖行政机关印章",
    "SIM-01": "简易程序罚款超过限额",
    "SIM-02": "当场处罚决定书缺少法定事项或复议前置告知",
    "SIM-03": "当场收缴罚款超过100元",
    "LAW-01": "违反条款/处罚依据与案由不符",
    "LAW-02": "罚款超出法定幅度",
    "SRV-01": "决定书送达超过7个工作日",
    "SRV-02": "事先告知书无送达回证",
    "PAY-01": "送达后15日内未缴款，无催告或加处罚款记录",
    "CLS-01": "立案后超过180日未作决定、未结案（悬案）",
    "CLS-02": "撤案理由不属法定情形或无负责人审批",
    "ORD-01": "文书日期顺序不可能",
    "CON-01": "同一案卷中当事人名称前后不一致",
    "CON-02": "罚款金额在决定书、缴款凭证、结案审批表之间不一致",
    "DOC-01": "缺少案件调查终结审批表",
    "MIS-01": "同一当事人、同一违法类型、同一地点30日内多次处罚，单次低于限额而合计达到限额",
    "MIS-02": "询问笔录正文与另一案件（不同当事人）几乎相同",
    "MIS-03": "同一执法人员在重叠时间出现在两个不同地点的现场检查笔录中",
    "MIS-04": "台账与案卷不一致",
}


def truth_fields(p: Plan, remedy: dict[str, Any] | None) -> dict[str, Any]:
    f = empty_case_fields()
    d = p.d
    iso = lambda k: d[k].isoformat() if k in d else None  # noqa: E731
    pt = p.party
    vt = p.vt
    assert pt is not None and vt is not None
    f["procedure"] = "simple" if p.kind == "sp" else "general"
    f["outcome"] = OUTCOME[p.kind]
    f["squad"] = P.AGENCY_SHORT + p.squad[0]
    f["party"] = {"name": pt.name, "kind": pt.truth_kind, "id_number": pt.id_printed, "address": pt.address}
    f["violation_type"] = vt.key
    # a simple decision that leaves 违法地点 blank (SIM-02) states no place: the file has none
    f["violation_place"] = None if p.variant.get("SIM-02") == "no_place" else p.place
    f["violation_date"] = iso("violation")
    offs = p.officers[:1] if "OFF-01" in p.defects else p.officers[:2]
    f["officers"] = [{"name": n, "cert_no": c} for n, c in offs]
    if p.kind == "sp":
        f["case_number"] = "".join(p.nums["simple_printed"].split())
        f["decision_date"] = iso("decision")
        f["payment_date"] = iso("payment") if p.fine else None
        f["violated_provisions"] = [cite_norm(c) for c in vt.violated]
        f["penalty_basis"] = [cite_norm(c) for c in vt.penalty]
        f["penalty_kinds"] = list(p.kinds_)
        f["fine_yuan"] = p.fine
        f["remedy"] = remedy
        return f
    f["discovered_date"] = iso("discovered")
    f["filing_date"] = None if "FIL-01" in p.defects else iso("filing")
    f["extension_approved_date"] = iso("extension") if p.has_extension else None
    if p.has_legal:
        f["legal_review_date"] = iso("legal_review")
    if p.kind == "gp":
        f["case_number"] = "".join(p.nums["decision_printed"].split())
        if "NOT-01" not in p.defects:
            f["notice_date"] = iso("notice")
            if "SRV-02" not in p.defects:
                f["notice_service_date"] = iso("notice_service")
        f["hearing_waived"] = {"waiver": True, "wait": False, "held": False}.get(p.hearing_mode or "")
        if "NOT-01" in p.defects:
            f["hearing_waived"] = None
        f["decision_date"] = iso("decision")
        f["decision_service_date"] = iso("decision_service")
        f["payment_date"] = iso("payment")
        f["closing_date"] = iso("closing")
        cv = TYPES[SWAP[vt.key]] if "LAW-01" in p.defects else vt
        f["violated_provisions"] = [cite_norm(c) for c in cv.violated]
        f["penalty_basis"] = [cite_norm(c) for c in cv.penalty]
        f["penalty_kinds"] = list(p.kinds_)
        no_proposal = "NOT-01" in p.defects or p.variant.get("NOT-02") == "no_penalty"
        f["proposed_fine_yuan"] = None if no_proposal else p.proposed
        f["fine_yuan"] = p.fine
        f["remedy"] = remedy
    elif p.kind == "np":
        f["case_number"] = "".join(p.nums["nonpen_printed"].split())
        f["decision_date"] = iso("decision")
        f["decision_service_date"] = iso("decision_service")
        f["closing_date"] = iso("closing")
        f["violated_provisions"] = [cite_norm(c) for c in vt.violated]
        f["penalty_basis"] = [cite_norm((APL, 33, 1, None))]
        f["remedy"] = remedy
    elif p.kind in ("wd", "tr"):
        f["withdrawal_date"] = None if p.variant.get("CLS-02") == "no_approval" else iso("withdrawal")
    return f


def seeded_defects(p: Plan, built: CaseDocs, where: Mapping[str, tuple[str, int]],
                   register_note: tuple[str, str] | None) -> tuple[set[str], list[dict[str, Any]]]:
    """The case's findings and, per finding, the document and quote that show it.

    ``register_note`` is the MIS-04 difference as (variant, "column=value") when the register row
    differs or is missing."""
    findings: set[str] = set(p.defects)
    defects: list[dict[str, Any]] = []
    texts = {k: text_of(d) for k, d in built.docs}
    for cid in p.defects:
        if cid == "MIS-04":
            defects.append(_register_defect(p, where, register_note))
            continue
        q = quote_of(cid, p.variant, p.kind)
        key = q.doc if q else ""
        quote = built.marks.get((key, q.place), "") if q else ""
        if not key or key not in where:
            raise AssertionError(f"{p.case_id}: no quote for {cid} ({p.variant.get(cid)})")
        if quote not in texts[key]:
            raise AssertionError(f"{p.case_id}: quote for {cid} not in {key}: {quote!r}")
        absent = bool(q and q.absent)
        note = NOTES[cid] + f"（{p.variant.get(cid, '').split(':')[0]}）"
        defects.append({"check_id": cid, "document": where[key][0], "part": where[key][1], "quote": quote,
                        "absent": absent, "note": note})
        for extra in DEFECTS[cid].also:
            findings.add(extra)
            defects.append({"check_id": extra, "document": where[key][0], "part": where[key][1], "quote": quote,
                            "absent": absent, "note": f"{NOTES[extra]}（由{cid}缺陷引起）"})
    return findings, defects


def _register_defect(p: Plan, where: Mapping[str, tuple[str, int]],
                     register_note: tuple[str, str] | None) -> dict[str, Any]:
    assert register_note is not None and p.party is not None
    variant, note = register_note
    if variant == "no_row":
        key = "decision" if "decision" in where else "simple" if "simple" in where else "filing"
        return {"check_id": "MIS-04", "document": where[key][0], "part": where[key][1],
                "quote": p.party.name, "absent": True, "note": "案卷在台账中无对应行"}
    col, val = note.split("=", 1)
    return {"check_id": "MIS-04", "document": "台账.xlsx", "part": 0, "quote": val, "absent": False,
            "note": f"台账{col}与案卷不一致"}


def case_truth(p: Plan, built: CaseDocs, where: Mapping[str, tuple[str, int]], fields: dict[str, Any],
               register: dict[str, Any] | None, register_note: tuple[str, str] | None) -> dict[str, Any]:
    """The case's line of truth.jsonl."""
    truth_docs = [{"path": where[k][0], "part": where[k][1], "doc_type": d.doc_type, "title": d.title}
                  for k, d in built.docs]
    findings, defects = seeded_defects(p, built, where, register_note)
    return {
        "case_id": p.case_id,
        "container": p.container,
        "procedure": fields["procedure"],
        "outcome": fields["outcome"],
        "squad": fields["squad"],
        "documents": truth_docs,
        "fields": fields,
        "findings": sorted(findings),
        "defects": defects,
        "related_cases": {k: sorted(v) for k, v in sorted(p.related.items())},
        "register": register,
        "clean": not findings,
    }
