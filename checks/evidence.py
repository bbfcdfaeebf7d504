"""调查取证 checks: signed records, handling of preserved evidence, audio-video records."""
from __future__ import annotations

from collections.abc import Iterator

from checks.common import (
    applies,
    calendar_info,
    cn_date,
    doc_evidence,
    doc_name,
    finding,
    to_date,
)
from checks.registry import CheckContext, check
from pipeline.core.errors import CalendarMissingYear
from pipeline.core.models import CaseFile, Citation, Finding

APL = "中华人民共和国行政处罚法"


@check(id="EVD-01", name="unsigned-record", title="笔录未经当事人签名", severity="major", stage="调查取证",
       citation=Citation("上海市城市管理行政执法条例", "第十九条",
                         note="2018年文本；另见《中华人民共和国行政强制法》第十八条"))
def unsigned_record(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """笔录既无当事人签名，也无有见证人的拒签说明。

    检查内容：现场检查笔录、询问笔录应由当事人签名；当事人拒绝签名的，应注明拒签情况并由见证人签名。
    文书未识别签名栏的不作判断。
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
        signed = d.value("party_signed")
        if signed is not False:
            continue
        refused = d.value("refusal_note") is True
        witness = str(d.value("witness") or "").strip()
        if refused and (witness or not need_witness):
            continue
        if refused:
            msg = f"{doc_name(d)}注明当事人拒绝签名，但无见证人签名。"
        else:
            msg = f"{doc_name(d)}无当事人签名，也未注明拒签情况并由见证人签名。"
        yield finding(spec, ctx, msg, [doc_evidence(d, "party_signed", "refusal_note")])


@check(id="EVD-02", name="preservation-not-handled", title="先行登记保存未及时处理", severity="major",
       stage="调查取证", citation=Citation(APL, "第五十六条"))
def preservation_not_handled(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """证据先行登记保存后未在7个工作日内作出处理决定。

    检查内容：自先行登记保存之日次日起计算，7个工作日内应作出处理决定（调休上班日计入，法定节假日不计）。
    无保存日期的不作判断；案件尚在期限内（评查日未超过期限）的不判缺失。
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
        return
    start, sdoc = min(kept, key=lambda x: (x[0], x[1].doc.doc_id))
    handled = sorted(((w, d) for w, d in ((to_date(d.value("handling_decision_date")), d) for d in docs)
                      if w is not None), key=lambda x: (x[0], x[1].doc.doc_id))
    n = int(ctx.params(spec.id).get("limit_workdays", 7))
    ev = [doc_evidence(sdoc, "preservation_date")]
    try:
        due = ctx.calendar.add_workdays(start, n)
    except CalendarMissingYear as exc:
        yield calendar_info(spec, exc, ev)
        return
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
    yield finding(spec, ctx, f"证据于{cn_date(start)}先行登记保存，案卷中无处理决定，"
                  f"超过{n}个工作日的处理期限（应于{cn_date(due)}前作出）。", ev)


@check(id="REC-01", name="missing-av-record", title="缺少音像记录", severity="minor", stage="调查取证",
       citation=Citation(APL, "第四十七条", note="《上海市城管执法全过程记录规定》（内容未核实）"))
def missing_av_record(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """需要全程音像记录的执法情形，案卷中没有音像记录或引用。

    检查内容：案卷出现配置所列情形（默认按2024年监督方案：投诉举报处置、现场检查、简易处罚、留置送达、
    实施扣押、证据先行登记保存、强制拆除、听证、突发事件处置）时，应有视音频记录登记，或相关文书注明
    执法记录仪/视频记录。
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
    uncovered = []
    evidence = []
    for name in p.get("required_situations") or ():
        rule = table.get(name)
        if not rule:
            continue
        hits = [d for d in case.docs_of(*(rule.get("doc_types") or ()))
                if not rule.get("field") or d.value(rule["field"]) in (rule.get("values") or ())]
        if hits and not any(d.value("av_reference") is True for d in hits):
            uncovered.append(name)
            evidence.append(doc_evidence(hits[0], rule.get("field") or "av_reference"))
    if uncovered:
        yield finding(spec, ctx, f"案卷涉及{'、'.join(uncovered)}，但无视音频记录，"
                      "相关文书也未载明执法记录仪或视频记录。",
                      evidence)
