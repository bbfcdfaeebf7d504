"""调查取证 checks: signed records, handling of preserved evidence, audio-video records."""
from __future__ import annotations

from collections.abc import Iterator, Mapping

from checks.common import (
    NOT_FOUND,
    applies,
    cn_date,
    doc_evidence,
    doc_name,
    document_missing,
    finding,
    has_value,
    is_blank,
    not_found,
    to_date,
)
from checks.registry import CheckContext, check
from pipeline.core.models import CaseFile, Citation, Finding, Unverified

APL = "中华人民共和国行政处罚法"


@check(id="EVD-01", name="unsigned-record", title="笔录未经当事人签名", severity="major", stage="调查取证",
       citation=Citation("上海市城市管理行政执法条例", "第十九条",
                         note="2018年文本；另见《中华人民共和国行政强制法》第十八条"))
def unsigned_record(case: CaseFile, ctx: CheckContext) -> Iterator[Finding | Unverified]:
    """笔录既无当事人签名，也无有见证人的拒签说明。

    检查内容：现场检查笔录、询问笔录应由当事人签名；当事人拒绝签名的，应注明拒签情况并由见证人签名。
    签名栏空白或写明未签的报告；未能识别签名栏、拒签说明或见证人栏的，列为未能核实。
    法律依据：《上海市城市管理行政执法条例》（2018年文本）第十九条；《中华人民共和国行政强制法》第十八条第（八）（九）项。
    不通过示例：现场检查笔录当事人签名栏空白，无拒签说明。
    通过示例：当事人拒绝签名，笔录注明“当事人拒绝签名”，见证人王某签名。
    """
    spec = unsigned_record.spec
    if not applies(spec.id, case, ctx):
        return
    p = ctx.params(spec.id)
    need_witness = bool(p.get("require_witness_with_refusal", True))
    for d in case.docs_of(*(p.get("doc_types") or ())):
        sign = d.get("party_signed")
        if sign is None:
            yield not_found(spec, f"{doc_name(d)}的当事人签名", [doc_evidence(d)])
            continue
        if not (sign.value is False or is_blank(sign)):
            continue
        refusal = d.get("refusal_note")
        witness = d.get("witness")
        if refusal is not None and refusal.value is True:
            if has_value(witness) or not need_witness:
                continue
            if witness is None:
                yield not_found(spec, f"{doc_name(d)}注明当事人拒绝签名，见证人签名", [doc_evidence(d, "refusal_note")])
                continue
            msg = f"{doc_name(d)}注明当事人拒绝签名，但无见证人签名。"
        elif refusal is None:
            yield not_found(spec, f"{doc_name(d)}当事人未签名，是否注明拒签情况",
                            [doc_evidence(d, "party_signed")])
            continue
        else:
            msg = f"{doc_name(d)}无当事人签名，也未注明拒签情况并由见证人签名。"
        yield finding(spec, ctx, msg, [doc_evidence(d, "party_signed", "refusal_note")])


@check(id="EVD-02", name="preservation-not-handled", title="先行登记保存未及时处理", severity="major",
       stage="调查取证", citation=Citation(APL, "第五十六条"))
def preservation_not_handled(case: CaseFile, ctx: CheckContext) -> Iterator[Finding | Unverified]:
    """证据先行登记保存后未在7个工作日内作出处理决定。

    检查内容：自先行登记保存之日次日起计算，7个工作日内应作出处理决定（调休上班日计入，法定节假日不计）。
    未能识别保存日期的列为未能核实；案件尚在期限内（评查日未超过期限）的不判缺失；有多份保存文书而未能识别
    处理日期的，或案卷有文件未能读取的，列为未能核实。
    法律依据：《中华人民共和国行政处罚法》第五十六条、第八十五条。
    不通过示例：2024年9月25日先行登记保存，2024年10月11日作出处理决定（第8个工作日）。
    通过示例：2024年9月25日保存，2024年10月10日处理（9月29日调休上班计入，第7个工作日）。
    """
    spec = preservation_not_handled.spec
    if not applies(spec.id, case, ctx):
        return
    docs = case.docs_of("evidence_preservation")
    if not docs:
        return
    kept = [(k, d) for k, d in ((to_date(d.value("preservation_date")), d) for d in docs) if k is not None]
    if not kept:
        yield not_found(spec, "证据先行登记保存日期", [doc_evidence(docs[0])])
        return
    start, sdoc = min(kept, key=lambda x: (x[0], x[1].doc.doc_id))
    handled = sorted(((w, d) for w, d in ((to_date(d.value("handling_decision_date")), d) for d in docs)
                      if w is not None), key=lambda x: (x[0], x[1].doc.doc_id))
    n = int(ctx.params(spec.id).get("limit_workdays", 7))
    ev = [doc_evidence(sdoc, "preservation_date")]
    due = ctx.calendar.add_workdays(start, n)
    if handled:
        when, hdoc = handled[0]
        if when > due:
            yield finding(spec, ctx, f"证据于{cn_date(start)}先行登记保存，处理决定于{cn_date(when)}作出，"
                          f"超过{n}个工作日的期限（应于{cn_date(due)}前作出）。",
                          ev + [doc_evidence(hdoc, "handling_decision_date")])
        return
    review = to_date(ctx.review_date)
    if review is not None and review <= due:
        return
    if len(docs) > 1:  # one of them may be the handling decision, its date not read
        yield not_found(spec, "先行登记保存证据的处理决定日期", [doc_evidence(d) for d in docs])
        return
    yield document_missing(spec, ctx, f"证据于{cn_date(start)}先行登记保存，案卷中无处理决定，"
                           f"超过{n}个工作日的处理期限（应于{cn_date(due)}前作出）。",
                           "先行登记保存证据的处理决定", ev)


@check(id="REC-01", name="missing-av-record", title="缺少音像记录", severity="minor", stage="调查取证",
       citation=Citation(APL, "第四十七条", note="《上海市城管执法全过程记录规定》（内容未核实）"))
def missing_av_record(case: CaseFile, ctx: CheckContext) -> Iterator[Finding | Unverified]:
    """需要全程音像记录的执法情形，案卷中没有音像记录或引用。

    检查内容：案卷出现配置所列情形（默认按2024年监督方案：投诉举报处置、现场检查、简易处罚、留置送达、
    实施扣押、证据先行登记保存、强制拆除、听证、突发事件处置）时，应有视音频记录登记，或相关文书注明
    执法记录仪/视频记录。相关文书未能识别是否载明、台账记载有视音频记录、或案卷有文件未能读取的，
    列为未能核实。
    法律依据：《中华人民共和国行政处罚法》第四十七条（全过程记录）；《上海市城管执法全过程记录规定》。
    不通过示例：案卷有证据先行登记保存通知书，但无视音频记录，文书亦未提及执法记录仪。
    通过示例：案卷附视音频记录登记表；或现场检查笔录注明“执法记录仪全程记录”。
    """
    spec = missing_av_record.spec
    if not applies(spec.id, case, ctx):
        return
    if case.has("av_record"):
        return
    p = ctx.params(spec.id)
    table = p.get("situations") or {}
    uncovered, unknown = [], []
    evidence = []
    for name in p.get("required_situations") or ():
        rule = table.get(name)
        if not rule:
            continue
        hits = [d for d in case.docs_of(*(rule.get("doc_types") or ()))
                if not rule.get("field") or d.value(rule["field"]) in (rule.get("values") or ())]
        if not hits or any(d.value("av_reference") is True for d in hits):
            continue
        evidence.append(doc_evidence(hits[0], rule.get("field") or "av_reference"))
        if all(d.value("av_reference") is False for d in hits):
            uncovered.append(name)
        else:
            unknown.append(name)
    register_says = isinstance(case.register, Mapping) and case.register.get("av_record") is True
    if uncovered and register_says:
        unknown, uncovered = uncovered + unknown, []
        reason = "台账记载本案有视音频记录，案卷中未见记录或引用，请核对"
    else:
        reason = NOT_FOUND
    if uncovered:
        yield document_missing(spec, ctx, f"案卷涉及{'、'.join(uncovered)}，但无视音频记录，"
                               "相关文书也未载明执法记录仪或视频记录。",
                               f"{'、'.join(uncovered)}的视音频记录", evidence)
    if unknown:
        yield not_found(spec, f"{'、'.join(unknown)}的视音频记录或文书中的引用", evidence, reason)
