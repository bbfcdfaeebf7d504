"""Fields read from scans below the confidence bar are listed for a human (「需人工核对」)."""
from __future__ import annotations

from collections.abc import Iterator

from checks.common import finding
from checks.registry import CheckContext, check
from pipeline.core.models import CASE_FIELD_KEYS, CaseFile, Citation, Evidence, Finding

FIELD_NAMES = {
    "case_number": "案号", "procedure": "程序", "outcome": "处理结果", "squad": "承办中队", "party": "当事人",
    "violation_type": "违法行为", "violation_place": "违法地点", "violation_date": "违法日期", "officers": "执法人员",
    "discovered_date": "发现日期", "filing_date": "立案日期", "notice_date": "告知日期",
    "notice_service_date": "告知书送达日期", "hearing_waived": "放弃听证", "legal_review_date": "法制审核日期",
    "extension_approved_date": "延期批准日期", "decision_date": "决定日期", "decision_service_date": "决定书送达日期",
    "payment_date": "缴款日期", "closing_date": "结案日期", "withdrawal_date": "撤案日期",
    "violated_provisions": "违反条款", "penalty_basis": "处罚依据", "penalty_kinds": "处罚种类",
    "proposed_fine_yuan": "拟罚款金额", "fine_yuan": "罚款金额", "remedy": "救济途径",
}


@check(id="OCR-01", name="low-confidence-field", title="扫描件识别要素需人工核对", severity="info", stage=None,
       citation=Citation("中华人民共和国行政处罚法", "第四十条", note="事实不清、证据不足的不得给予行政处罚"))
def low_confidence_field(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """从扫描件（OCR）识别出的案件要素置信度低于设定值，列为「需人工核对」。

    检查内容：案件要素（日期、金额、当事人、条款等）取自扫描件时，识别置信度（文字识别置信度 ×
    提取规则置信度）低于 `confidence_bar` 的，逐项列出原文位置，提示评查人员核对原件。
    本项只作提示，不扣分；依据这些要素作出的其他问题同时注明“需人工核对”，不作为定案依据。
    法律依据：《中华人民共和国行政处罚法》第四十条（违法事实不清、证据不足的，不得给予行政处罚）——
    评查结论同样须以核实的事实为据。本检查项为本工具新增（UNCONFIRMED：尚未列入检查项目录）。
    不通过示例：扫描的行政处罚决定书中决定日期“2024年6月5日”识别置信度0.62，低于0.85。
    通过示例：全部要素取自文字版 Word/PDF，或扫描件识别置信度均不低于0.85。
    """
    spec = low_confidence_field.spec
    bar = float(ctx.params(spec.id).get("confidence_bar", 0.85))
    ocr_docs = {d.doc.doc_id for d in case.docs if d.doc.text_source == "ocr"}
    if not ocr_docs:
        return
    items: list[str] = []
    evidence: list[Evidence] = []
    for key in CASE_FIELD_KEYS:
        f = case.field(key)
        if f is None or f.span is None or f.span.doc_id not in ocr_docs or f.confidence >= bar:
            continue
        items.append(f"{FIELD_NAMES.get(key, key)}（置信度{f.confidence:.2f}，“{f.span.quote}”）")
        evidence.append(Evidence(document=f.span.doc_id, page=f.span.page, quote=f.span.quote))
    if items:
        yield finding(spec, ctx, f"以下要素取自扫描件，识别置信度低于{bar:.2f}，需人工核对原件："
                      + "；".join(items) + "。",
                      evidence)


def low_confidence_quotes(case: CaseFile, bar: float) -> set[tuple[str, str]]:
    """(doc_id, quote) of every field of the case read from a scan below ``bar``."""
    out = set()
    for d in case.docs:
        if d.doc.text_source != "ocr":
            continue
        for f in d.fields:
            if f.span is not None and f.confidence < bar:
                out.add((f.span.doc_id, f.span.quote))
    return out
