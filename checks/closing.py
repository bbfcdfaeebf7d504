"""结案 checks: unclosed cases, arbitrary withdrawal, impossible date order."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from checks.common import (
    any_doc_evidence,
    case_date,
    cn_date,
    doc_evidence,
    doc_name,
    finding,
    general_only,
    outcome,
    to_date,
    to_money,
)
from checks.registry import CheckContext, check
from pipeline.core.models import CaseFile, Citation, Finding

APL = "中华人民共和国行政处罚法"


@check(id="CLS-01", name="unclosed-case", title="应结未结（悬案）", severity="minor", stage="结案",
       citation=Citation(APL, "第六十条", note="评查标准：悬案；180日期限为本地假设（UNCONFIRMED）"))
def unclosed_case(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """已决定并执行完毕的案件没有结案审批，或立案后超过期限既未决定、也未撤案或结案（悬案）。

    检查内容：（一）罚款已缴纳（或无罚款且决定书已送达）的案件应有结案审批表；（二）立案后至评查日超过180日
    （本地假设，可配置）仍无处理决定、撤案或结案的，为悬案。无评查日时不核对第（二）项。
    法律依据：《中华人民共和国行政处罚法》第六十条；评查标准“既不结案也不销案的悬案”。
    不通过示例：罚款已于2024年6月20日缴纳，案卷无结案审批表；或2024年1月5日立案，至评查日2024年7月10日
    （187日）仍无处理决定。
    通过示例：缴款后2024年6月25日结案审批；或立案后第180日评查时尚未决定。
    """
    spec = unclosed_case.spec
    if not general_only(spec.id, case, ctx):
        return
    closed = case.has("closing_approval") or case_date(case, "closing_date")[0] is not None
    if closed:
        return
    decisions = case.docs_of("decision", "non_penalty_decision")
    if decisions:
        paid, pev = case_date(case, "payment_date")
        fine = to_money(case.value("fine_yuan"))
        if fine is None:
            fine = to_money(decisions[0].value("fine_yuan"))
        served, sev = case_date(case, "decision_service_date")
        if paid is not None:
            yield finding(spec, ctx, f"罚款已于{cn_date(paid)}缴纳，处罚决定已执行完毕，但案卷中无结案审批表。", pev)
        elif not fine and served is not None:
            yield finding(spec, ctx, f"{doc_name(decisions[0])}已于{cn_date(served)}送达，无罚款需执行，"
                          f"但案卷中无结案审批表。", sev)
        return
    if outcome(case) not in ("pending", None) or case_date(case, "withdrawal_date")[0] is not None:
        return
    if case.has("withdrawal_approval"):
        return
    filed, fev = case_date(case, "filing_date")
    review = to_date(ctx.review_date)
    if filed is None or review is None:
        return
    n = int(ctx.params(spec.id).get("limit_days", 180))
    days = (review - filed).days
    if days > n:
        yield finding(spec, ctx, f"立案日期为{cn_date(filed)}，至评查日{cn_date(review)}已{days}日，仍无处理决定、"
                      f"撤案或结案记录，超过{n}日，属悬案。", fev)


@check(id="CLS-02", name="arbitrary-withdrawal", title="随意撤案", severity="major", stage="结案",
       citation=Citation(APL, "第五十七条", note="另见第三十三条、第四十条"))
def arbitrary_withdrawal(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """撤案（销案）理由不属于法定情形，或缺少负责人审批、书面理由。

    检查内容：撤销立案审批表载明的理由应属法定情形（违法事实不能成立、证据不足、轻微并及时改正且无危害
    后果、首违不罚、无主观过错、移送等，清单可配置），有负责人审批和书面理由。
    法律依据：《中华人民共和国行政处罚法》第三十三条、第四十条、第五十七条、第八十二条。
    不通过示例：撤案理由为“当事人经济困难”；或撤案审批表无负责人审批。
    通过示例：撤案理由为“经调查违法事实不能成立”，负责人2024年5月6日批准。
    """
    spec = arbitrary_withdrawal.spec
    if not general_only(spec.id, case, ctx):
        return
    grounds = ctx.params(spec.id).get("lawful_grounds") or {}
    words = [w for ws in grounds.values() for w in (ws or ())] + list(grounds)
    for d in case.docs_of("withdrawal_approval"):
        ground = str(d.value("withdrawal_ground") or "").strip()
        problems = []
        if ground and not any(w in ground for w in words):
            problems.append(f"撤案理由“{ground}”不属于法定的不予处罚或撤案情形")
        if d.value("withdrawal_reasons") is False:
            problems.append("未载明书面理由")
        if not d.value("approver") and not to_date(d.value("approval_date")):
            problems.append("无负责人审批")
        if problems:
            yield finding(spec, ctx, f"{doc_name(d)}{'，'.join(problems)}，属随意撤案。",
                          [doc_evidence(d, "withdrawal_ground", "approver")])


# (earlier key, later key, stage of the later document, wording)
_PAIRS = (
    ("filing_date", "notice_date", "事先告知", "事先告知书日期{b}早于立案日期{a}"),
    ("notice_date", "decision_date", "审核决定", "处罚决定日期{b}早于事先告知书日期{a}"),
    ("decision_date", "decision_service_date", "送达执行", "决定书送达日期{b}早于处罚决定日期{a}"),
    ("decision_date", "payment_date", "送达执行", "缴款日期{b}早于处罚决定日期{a}"),
    ("decision_date", "closing_date", "结案", "结案日期{b}早于处罚决定日期{a}"),
)


@check(id="ORD-01", name="impossible-date-order", title="文书日期顺序倒置", severity="major", stage=None,
       citation=Citation(APL, "第四十四条", note="另见第五十四条、第六十一条、第六十二条"))
def impossible_date_order(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """文书日期顺序不可能成立：告知早于立案、决定早于告知、送达或缴款或结案早于决定。

    检查内容：立案 ≤ 告知 ≤ 决定 ≤ 送达、缴款、结案。每处倒置报告一次，扣分环节为较晚文书所在环节。
    告知书晚于决定书默认由 NOT-01（否决项）报告，此处不重复。
    法律依据：《中华人民共和国行政处罚法》第四十四条、第五十四条、第六十一条、第六十二条。
    不通过示例：处罚决定2024年6月10日，送达回证日期2024年6月8日。
    通过示例：决定2024年6月10日，送达2024年6月10日（当场交付）。
    """
    spec = impossible_date_order.spec
    if not general_only(spec.id, case, ctx):
        return
    defer = bool(ctx.params(spec.id).get("defer_notice_decision_to_not01", True)) and \
        bool(ctx.params("NOT-01").get("enabled", True)) and \
        outcome(case) in (ctx.params("NOT-01").get("outcomes") or ())
    for a_key, b_key, stage, text in _PAIRS:
        if defer and (a_key, b_key) == ("notice_date", "decision_date"):
            continue
        a, aev = case_date(case, a_key)
        b, bev = case_date(case, b_key)
        if a is None or b is None or b >= a:
            continue
        f = finding(spec, ctx, text.format(a=cn_date(a), b=cn_date(b)) + "，日期顺序不可能成立（程序倒置）。",
                    aev + bev or any_doc_evidence(case, "decision"))
        yield dataclasses.replace(f, stage=stage)
