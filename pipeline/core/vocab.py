"""The document-level field vocabulary: the names extractors emit and checks read.

Case-level fields (``CaseFile.fields``) use the schema keys of contract/case-result.schema.json
(see ``models.CASE_FIELD_KEYS``). Document-level fields (``DocFields.fields``) use the names
below. Extractors emit only names listed here; checks read only names listed here; a test keeps
the two honest. Values are JSON-compatible: dates ``YYYY-MM-DD``, date-times ``YYYY-MM-DDTHH:MM``,
money as int yuan (float when 角/分 appear), booleans for clause presence.

A clause flag (``has_*``, ``right_*``) is True when the document states it, False when the
document is of a type that should state it and does not, and absent when not applicable.
"""
from __future__ import annotations

# name -> (value type, meaning)
DOC_FIELDS: dict[str, tuple[str, str]] = {
    # --- identity and dates common to most documents -----------------------------------
    "doc_number": ("str", "文号 of this document as printed (whitespace removed)"),
    "doc_date": ("date", "the document's own date (落款/签发/批准 date)"),
    "agency": ("str", "issuing agency name as printed (header, signature or seal)"),
    "squad": ("str", "承办中队 / 执法队 named in the document"),
    "case_cause": ("str", "案由 text as printed"),
    "violation_type": ("str", "key of the violation catalogue matched from 案由/facts"),
    "party_name": ("str", "当事人 name (person or organisation) as printed"),
    "party_kind": ("str", "individual | organisation"),
    "party_id_number": ("str", "身份证号 or 统一社会信用代码 as printed (may be masked)"),
    "party_address": ("str", "当事人 address"),
    "party_representative": ("str", "法定代表人 / 负责人 / 经营者 of an organisation"),
    "officers": ("list[{name, cert_no, cert_state}]",
                 "officers named with their 执法证号; cert_state found | blank (a certificate label or cell "
                 "left empty) | not_found (cert_no null then)"),
    "place": ("str", "place of the act / inspection / inquiry"),
    "start_time": ("datetime", "start of an inspection/inquiry/hearing"),
    "end_time": ("datetime", "end of an inspection/inquiry/hearing"),
    "violation_date": ("date", "date of the act as stated"),
    "facts": ("str", "the statement of facts (违法事实 / 经查 …) — first 500 chars"),
    "body": ("str", "the record body (Q&A or findings) used for duplicate-text detection"),
    # --- signatures, seals, approvals ----------------------------------------------------
    "has_seal": ("bool", "an agency seal mark (（印章）/（公章）/ red stamp) is present"),
    "seal_text": ("str", "text of the seal mark, e.g. 上海市青浦区城市管理行政执法局 — "
                         "to tell an internal unit's seal"),
    "party_signed": ("bool", "the party (or person asked) signed"),
    "refusal_note": ("bool", "a note that the party refused to sign"),
    "witness": ("str", "见证人 name when recorded"),
    "approver": ("str", "负责人 / 审批人 who approved"),
    "approval_date": ("date", "date of approval (审批意见 date)"),
    "av_reference": ("bool", "the document refers to an audio-video record (执法记录仪, 视频)"),
    # --- source, filing --------------------------------------------------------------------
    "source_kind": ("str", "投诉 | 举报 | 信访 | 巡查 | 移送 | 交办"),
    "discovered_date": ("date", "date the lead was found or received"),
    "filing_date": ("date", "立案 approval date"),
    "extension_of_filing": ("bool", "an approved extension of the filing period is stated"),
    # --- notice ---------------------------------------------------------------------------
    "proposed_fine_yuan": ("money", "fine proposed in the 事先告知书"),
    "proposed_penalty_kinds": ("list[str]", "penalty kinds proposed in the notice"),
    "violated_provisions": ("list[str]", "normalised citations of the violated provisions"),
    "penalty_basis": ("list[str]", "normalised citations of the penalty basis"),
    "right_statement": ("bool", "the 陈述/申辩 rights are stated"),
    "statement_period_days": ("int", "period printed for 陈述申辩 (days)"),
    "statement_period_unit": ("str", "wd | cd for the printed period"),
    "right_hearing": ("bool", "the right to request a hearing is stated"),
    "has_facts": ("bool", "a statement of facts is present"),
    "has_penalty": ("bool", "the proposed/decided penalty is stated"),
    # --- defence and hearing ---------------------------------------------------------------
    "defence_made": ("bool", "the party made a 陈述/申辩 (record or written submission)"),
    "defence_date": ("date", "date of the statement/defence"),
    "review_opinion": ("bool", "a 复核 opinion on the defence is present"),
    "hearing_waived": ("bool", "the party waived the hearing in writing"),
    "hearing_requested": ("bool", "the party asked for a hearing"),
    "statement_waived": ("bool", "the party waived 陈述申辩 in writing"),
    # --- legal review, discussion, extension -------------------------------------------------
    "legal_review_date": ("date", "date of the 法制审核 opinion"),
    "legal_review_passed": ("bool", "the review opinion agrees (同意 / 通过)"),
    "discussion_date": ("date", "date of the 集体讨论"),
    "extension_approved_date": ("date", "approval date of the 延长办案期限"),
    "extension_until": ("date", "the new deadline granted"),
    "mitigated": ("bool", "减轻处罚 is proposed/decided"),
    "transferred": ("bool", "the case is transferred (移送)"),
    # --- decision ---------------------------------------------------------------------------
    "decision_date": ("date", "date of the decision"),
    "fine_yuan": ("money", "fine decided"),
    "penalty_kinds": ("list[str]", "penalty kinds decided"),
    "has_performance": ("bool", "the manner and deadline of performance (缴纳方式和期限) are stated"),
    "has_surcharge_clause": ("bool", "the 加处罚款 (3%/day) clause is stated"),
    "remedy": ("{reconsideration_body, reconsideration_days, litigation_months, litigation_court}", "remedy clause"),
    "has_remedy": ("bool", "a remedy clause is present"),
    "reconsideration_first": ("bool", "(on-the-spot decisions) the 复议前置 statement is present"),
    "collected_on_spot": ("bool", "(on-the-spot decisions) the fine was collected on the spot (当场收缴)"),
    "remote_area": ("bool", "the 边远/水上/交通不便 exception for on-the-spot collection is stated"),
    "non_penalty_ground": ("str", "ground of a 不予处罚 decision"),
    # --- service ----------------------------------------------------------------------------
    "served_doc": ("str", "doc_type of the document served (decision | prior_notice | …)"),
    "service_date": ("date", "date of service (签收 / 收件 / 送达 date)"),
    "dispatch_date": ("date", "date a posted document was sent"),
    "service_method": ("str", "直接送达 | 留置送达 | 邮寄送达 | 电子送达 | 公告送达 | 当场交付"),
    "receiver_signed": ("bool", "the receiver signed the receipt"),
    # --- evidence preservation, payment, closing, withdrawal -------------------------------
    "preservation_date": ("date", "date of 先行登记保存"),
    "handling_decision_date": ("date", "date of the handling decision on preserved evidence"),
    "payment_date": ("date", "date of payment"),
    "payment_issued_date": ("date", "the day a payment slip was made out (开票 / 填制日期), not the day it was paid"),
    "amount_yuan": ("money", "amount paid (payment receipt; closing form 执行情况)"),
    "urge_notice": ("bool", "a 催告 / 加处罚款 / 强制执行申请 is recorded"),
    "closing_date": ("date", "结案 approval date"),
    "withdrawal_date": ("date", "撤案/销案 approval date"),
    "withdrawal_ground": ("str", "the stated ground of a withdrawal"),
    "withdrawal_reasons": ("bool", "written reasons for the withdrawal are present"),
    "correction_deadline": ("date", "deadline in a 责令改正通知书"),
    "outcome": ("str", "penalized | not_penalized | withdrawn | transferred (from a report or closing form)"),
    "procedure": ("str", "general | simple"),
}

DOC_FIELD_NAMES = frozenset(DOC_FIELDS)
