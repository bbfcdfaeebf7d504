"""送达执行 checks: timely service of the decision, proof of service, payment follow-up."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from checks.common import (
    DECISION_TYPES,
    calendar_info,
    case_date,
    cn_date,
    cn_money,
    doc_evidence,
    doc_name,
    finding,
    flag_true,
    general_only,
    outcome,
    served_docs,
    to_date,
    to_money,
)
from checks.registry import CheckContext, check
from pipeline.core.errors import CalendarMissingYear
from pipeline.core.models import CaseFile, Citation, Evidence, Finding

APL = "中华人民共和国行政处罚法"


@check(id="SRV-01", name="late-service", title="送达不及时", severity="minor", stage="送达执行",
       citation=Citation(APL, "第六十一条", paragraph="第一款", note="期间按第八十五条计工作日"))
def late_service(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """处罚决定书未当场交付，且在决定后超过7个工作日才送达。

    检查内容：决定书未当场交付的，应自决定次日起7个工作日内送达（调休上班日计入）。邮寄送达以交寄日还是
    签收日核对未有定论，可配置（默认以交寄日核对，签收日一并列出）；无送达日期的由 SRV-02 处理。
    法律依据：《中华人民共和国行政处罚法》第六十一条第一款、第八十五条。
    不通过示例：2024年6月3日作出决定，2024年6月14日直接送达（第8个工作日）。
    通过示例：2024年6月3日作出决定，2024年6月13日送达（第7个工作日，6月10日端午节不计）；或当场交付。
    """
    spec = late_service.spec
    if not general_only(spec.id, case, ctx) or not case.has("decision"):
        return
    dec, dev = case_date(case, "decision_date")
    if dec is None:
        return
    receipts = served_docs(case, DECISION_TYPES)
    if any(d.value("service_method") == "当场交付" for d in receipts):
        return
    served, sev = case_date(case, "decision_service_date")
    if served is None or served <= dec:
        return
    p = ctx.params(spec.id)
    n = int(p.get("limit_workdays", 7))
    tested: dt.date | None = served
    label = "送达日期"
    extra = ""
    posted = [d for d in receipts if to_date(d.value("dispatch_date")) is not None]
    if p.get("measure", "dispatch") == "dispatch" and posted:
        tested = to_date(posted[0].value("dispatch_date"))
        label = "交寄日期"
        extra = f"（签收日期为{cn_date(served)}）"
        sev = sev + [doc_evidence(posted[0], "dispatch_date")]
    try:
        due = ctx.calendar.add_workdays(dec, n)
    except CalendarMissingYear as exc:
        yield calendar_info(spec, exc, dev + sev)
        return
    if tested is not None and tested > due:
        yield finding(spec, ctx, f"处罚决定于{cn_date(dec)}作出，未当场交付，{label}为{cn_date(tested)}{extra}，"
                      f"超过{n}个工作日的送达期限（应于{cn_date(due)}前送达）。", dev + sev)


_SERVED_KEY = {"prior_notice": "notice_service_date", "decision": "decision_service_date",
               "non_penalty_decision": "decision_service_date"}


@check(id="SRV-02", name="missing-service-proof", title="缺少送达凭证", severity="major", stage="送达执行",
       citation=Citation(APL, "第六十一条", note="送达方式依《中华人民共和国民事诉讼法》第八十七条至第九十五条"))
def missing_service_proof(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """处罚决定书或事先告知书没有送达回证、邮寄回执或电子送达确认。

    检查内容：每份事先告知书、处罚决定书（及不予处罚决定书）应有对应的送达凭证（送达回证、邮寄回执、
    电子送达确认书、公告送达记录），或文书本身载明签收日期。
    法律依据：《中华人民共和国行政处罚法》第六十一条；《中华人民共和国民事诉讼法》第八十七条至第九十五条。
    不通过示例：案卷有处罚决定书，无任何送达回证。
    通过示例：送达回证载明“送达文书：行政处罚决定书”，当事人2024年6月12日签收。
    """
    spec = missing_service_proof.spec
    if not general_only(spec.id, case, ctx):
        return
    receipts = case.docs_of("service_receipt")
    untyped = [d for d in receipts if not d.value("served_doc")]
    for t in ctx.params(spec.id).get("doc_types") or ():
        docs = case.docs_of(t)
        if not docs:
            continue
        if untyped or served_docs(case, (t,)):
            continue
        key = _SERVED_KEY.get(t)
        if key and case.field(key) is not None and to_date(case.value(key)) is not None:
            continue
        if any(to_date(d.value("service_date")) or d.value("receiver_signed") is True for d in docs):
            continue
        yield finding(spec, ctx, f"案卷有{doc_name(docs[0])}，但无送达回证、邮寄回执或电子送达确认，"
                      "无法证明已送达当事人。",
                      [doc_evidence(docs[0])])


@check(id="PAY-01", name="payment-not-followed-up", title="逾期未缴未催告", severity="minor", stage="送达执行",
       citation=Citation(APL, "第七十二条", note="缴纳期限见第六十七条第三款"))
def payment_not_followed_up(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """罚款未在收到决定书之日起15日内缴纳，案卷中也无加处罚款、催告或申请强制执行的记录。

    检查内容：自决定书送达次日起计算15个自然日，最后一日为法定节假日（默认含周末）的顺延；逾期缴纳或至评查日
    （或结案日）仍未缴纳的，应有加处罚款、催告或强制执行申请记录。无送达日期的不作判断。
    法律依据：《中华人民共和国行政处罚法》第六十七条第三款、第七十二条；《中华人民共和国行政强制法》第三十五条。
    不通过示例：决定书2024年4月20日送达，2024年5月7日缴款，无加处罚款记录。
    通过示例：决定书2024年4月20日送达，第15日5月5日为劳动节假日，顺延至5月6日，当日缴款。
    """
    spec = payment_not_followed_up.spec
    if not general_only(spec.id, case, ctx) or outcome(case) not in ("penalized", None):
        return
    fine = to_money(case.value("fine_yuan"))
    if fine is None and case.docs_of("decision"):
        fine = to_money(case.docs_of("decision")[0].value("fine_yuan"))
    if not fine or fine <= 0:
        return
    served, sev = case_date(case, "decision_service_date")
    if served is None:
        return
    n = int(ctx.params(spec.id).get("limit_days", 15))
    rollover = bool((ctx.rules.get("calendar") or {}).get("rollover", True))
    try:
        due = ctx.calendar.add_days(served, n, rollover=rollover)
    except CalendarMissingYear as exc:
        yield calendar_info(spec, exc, sev)
        return
    paid, pev = case_date(case, "payment_date")
    if paid is not None and paid <= due:
        return
    if flag_true(case, "urge_notice"):
        return
    head = f"处罚决定书于{cn_date(served)}送达，罚款{cn_money(fine)}的{n}日缴纳期限于{cn_date(due)}届满"
    if paid is not None:
        yield finding(spec, ctx, f"{head}，当事人于{cn_date(paid)}逾期缴纳，"
                      "案卷中无加处罚款、催告或申请强制执行的记录。",
                      sev + pev)
        return
    ref, rev = to_date(ctx.review_date), list[Evidence]()
    what = "评查日"
    if ref is None:
        ref, rev = case_date(case, "closing_date")
        what = "结案日"
    if ref is not None and ref > due:
        yield finding(spec, ctx, f"{head}，至{what}{cn_date(ref)}案卷中无缴款凭证，"
                      f"也无加处罚款、催告或申请强制执行的记录。", sev + rev)
