"""简易程序 checks: the fine limit, the on-the-spot decision's contents, on-the-spot collection."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from checks.common import (
    KIND_CN,
    case_date,
    cn_date,
    cn_money,
    doc_evidence,
    doc_name,
    finding,
    party_kind,
    procedure,
    to_date,
    to_money,
)
from checks.registry import CheckContext, check
from pipeline.core.models import CaseFile, Citation, DocFields, Finding

APL = "中华人民共和国行政处罚法"
ARL = "中华人民共和国行政复议法"


def _fine(case: CaseFile, d: DocFields) -> float | None:
    v = to_money(d.value("fine_yuan"))
    return v if v is not None else to_money(case.value("fine_yuan"))


@check(id="SIM-01", name="simple-procedure-over-limit", title="简易程序超限额", severity="veto",
       stage="审核决定", citation=Citation(APL, "第五十一条"))
def simple_procedure_over_limit(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """适用简易程序当场作出的罚款超过法定限额。

    检查内容：当场处罚的罚款，公民不超过200元、法人或其他组织不超过3000元（个体工商户按个人，可配置）。
    当事人类型不明且罚款在200元至3000元之间的，给出提示性意见（info）。
    法律依据：《中华人民共和国行政处罚法》第五十一条。
    不通过示例：对个人当场罚款500元。
    通过示例：对个人当场罚款200元；对单位当场罚款3000元。
    """
    spec = simple_procedure_over_limit.spec
    if procedure(case) != "simple":
        return
    th = (ctx.rules.get("thresholds") or {}).get("simple") or {}
    kind = party_kind(case, ctx.rules)
    for d in case.docs_of("simple_decision") or ():
        fine = _fine(case, d)
        if fine is None:
            continue
        ev = [doc_evidence(d, "fine_yuan")]
        if kind is not None:
            limit = th.get(kind)
            if limit is not None and fine > limit:
                yield finding(spec, ctx, f"适用简易程序对{KIND_CN[kind]}当场罚款{cn_money(fine)}，"
                              f"超过简易程序{cn_money(limit)}的限额，应适用普通程序。", ev)
            continue
        lo, hi = th.get("individual"), th.get("organisation")
        if hi is not None and fine > hi:
            yield finding(spec, ctx, f"适用简易程序当场罚款{cn_money(fine)}，超过简易程序最高{cn_money(hi)}的限额，"
                          f"应适用普通程序。", ev)
        elif lo is not None and fine > lo:
            yield finding(spec, ctx, f"适用简易程序当场罚款{cn_money(fine)}，当事人类型不明，无法核对是否超过"
                          f"公民{cn_money(lo)}的限额，请人工核对。", ev, severity="info")


_SIM_CN = {"violation": "违法行为", "penalty": "处罚种类", "basis": "处罚依据", "amount": "罚款数额",
           "time": "时间", "place": "地点", "remedy": "申请行政复议、提起行政诉讼的途径和期限",
           "agency": "行政机关名称", "officers": "执法人员签名或盖章"}


def _empty(d: DocFields, name: str) -> bool:
    v = d.value(name)
    return v is None or v == "" or v == [] or v == {}


def _stated_empty(d: DocFields, name: str) -> bool:
    f = d.get(name)
    return f is not None and (f.value is None or f.value == "" or f.value == [] or f.value == {})


def _sim_lacks(case: CaseFile, d: DocFields, elements: Any) -> list[str]:
    """Elements the on-the-spot decision positively lacks. Time and place are filled-in blanks of the
    printed form: absent = missing. Clause flags count only when stated False; lists when stated empty."""
    lacks = []
    for e in elements or ():
        if e == "violation" and d.value("has_facts") is False:
            lacks.append(e)
        elif e == "penalty" and d.value("has_penalty") is False:
            lacks.append(e)
        elif e == "basis" and _stated_empty(d, "penalty_basis"):
            lacks.append(e)
        elif e == "amount":
            kinds = d.value("penalty_kinds") or []
            if any("罚款" in str(k) for k in kinds) and _empty(d, "fine_yuan"):
                lacks.append(e)
        elif e == "time" and _empty(d, "decision_date") and _empty(d, "doc_date") and _empty(d, "start_time"):
            lacks.append(e)
        elif e == "place" and _empty(d, "place"):
            lacks.append(e)
        elif e == "remedy" and d.value("has_remedy") is False:
            lacks.append(e)
        elif e == "agency" and _stated_empty(d, "agency"):
            lacks.append(e)
        elif e == "officers" and _stated_empty(d, "officers"):
            lacks.append(e)
    return lacks


@check(id="SIM-02", name="incomplete-on-the-spot-decision", title="当场决定书缺少法定事项", severity="major",
       stage="审核决定", citation=Citation(APL, "第五十二条", note="复议前置：《中华人民共和国行政复议法》第二十三条"))
def incomplete_on_the_spot_decision(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """当场行政处罚决定书缺少第五十二条规定的事项，或2024年起未载明须先申请行政复议。

    检查内容：当场决定书应载明违法行为、处罚种类和依据、罚款数额、时间、地点、复议诉讼途径和期限、
    行政机关名称，并由执法人员签名或盖章；2024年1月1日起作出的，还应载明对当场处罚决定不服须先申请
    行政复议（复议前置）。时间、地点是印制表格的填写项，未填即缺失；其他事项只在能确认缺失时报告。
    法律依据：《中华人民共和国行政处罚法》第五十二条；《中华人民共和国行政复议法》第二十三条第一款第（一）项、第二款。
    不通过示例：2024年3月5日的当场决定书只写“可以申请行政复议或者提起行政诉讼”，未写明须先申请复议。
    通过示例：载明“对本决定不服的，应当先向上海市青浦区人民政府申请行政复议”。
    """
    spec = incomplete_on_the_spot_decision.spec
    p = ctx.params(spec.id)
    start = to_date(str(p.get("reconsideration_first_from", "2024-01-01")))
    for d in case.docs_of("simple_decision"):
        if not d.fields:
            continue
        lacks = [_SIM_CN.get(e, e) for e in _sim_lacks(case, d, p.get("elements"))]
        when = (to_date(d.value("decision_date")) or to_date(d.value("doc_date"))
                or case_date(case, "decision_date")[0])
        first_missing = (d.value("reconsideration_first") is False and when is not None and start is not None
                         and when >= start)
        if first_missing:
            lacks.append("须先申请行政复议的告知（复议前置）")
        if lacks:
            at = f"（{cn_date(when)}）" if when else ""
            yield finding(spec, ctx, f"{doc_name(d)}{at}未载明{'、'.join(lacks)}。", [doc_evidence(d)],
                          occurrences=len(lacks),
                          citation=Citation(ARL, "第二十三条") if first_missing and len(lacks) == 1 else None)


@check(id="SIM-03", name="on-the-spot-collection-over-limit", title="当场收缴超限额", severity="major",
       stage="送达执行", citation=Citation(APL, "第六十八条"))
def on_the_spot_collection_over_limit(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """当场收缴的罚款超过100元，且未载明边远、水上、交通不便等例外情形。

    检查内容：当场收缴罚款仅限100元以下，或在边远、水上、交通不便地区当事人到银行缴纳确有困难的情形。
    法律依据：《中华人民共和国行政处罚法》第六十八条。
    不通过示例：当场罚款200元并当场收缴，未载明例外情形。
    通过示例：当场罚款100元并当场收缴；或罚款200元由当事人到银行缴纳。
    """
    spec = on_the_spot_collection_over_limit.spec
    limit = to_money(ctx.params(spec.id).get("max_on_spot_yuan", 100))
    for d in case.docs_of("simple_decision", "payment_receipt"):
        if d.value("collected_on_spot") is not True or d.value("remote_area") is True:
            continue
        amount = to_money(d.value("fine_yuan"))
        if amount is None:
            amount = to_money(d.value("amount_yuan"))
        if amount is None:
            amount = to_money(case.value("fine_yuan"))
        if amount is not None and limit is not None and amount > limit:
            yield finding(spec, ctx, f"{doc_name(d)}载明当场收缴罚款{cn_money(amount)}，"
                          f"超过当场收缴{cn_money(limit)}的限额，且未载明边远、水上、交通不便等例外情形。",
                          [doc_evidence(d, "collected_on_spot", "fine_yuan")])
            return
