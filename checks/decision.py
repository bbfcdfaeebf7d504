"""审核决定 checks: heavier penalty after defence, legal review, collective discussion, the 90-day
limit, the decision's contents, the remedy clause and the seal."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from checks.common import (
    any_doc_evidence,
    calendar_info,
    case_date,
    cn_date,
    cn_money,
    doc_date,
    doc_evidence,
    doc_name,
    doc_value_any,
    finding,
    flag_true,
    general_only,
    hearing_level_of_case,
    outcome,
    to_date,
    to_money,
)
from checks.registry import CheckContext, check
from pipeline.core.errors import CalendarMissingYear
from pipeline.core.models import CaseFile, Citation, DocFields, Finding

APL = "中华人民共和国行政处罚法"
ARL = "中华人民共和国行政复议法"
ALL = "中华人民共和国行政诉讼法"


def _latest_notice(case: CaseFile) -> DocFields | None:
    notices = case.docs_of("prior_notice")
    if not notices:
        return None
    return max(notices, key=lambda d: (doc_date(d, "doc_date") or to_date("0001-01-01"), d.doc.doc_id))


@check(id="DEF-01", name="heavier-after-defence", title="申辩后加重处罚", severity="veto", stage="审核决定",
       citation=Citation(APL, "第四十五条", paragraph="第二款"))
def heavier_after_defence(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """决定的处罚重于事先告知书拟作出的处罚（罚款更多或增加处罚种类），且未重新告知。

    检查内容：决定罚款不得高于最后一份事先告知书的拟罚款；决定的处罚种类不得多于拟处罚种类
    （责令改正不是处罚，不计）。重新告知的，以最后一份告知书为准。
    法律依据：《中华人民共和国行政处罚法》第四十五条第二款：行政机关不得因当事人陈述、申辩而给予更重的处罚。
    不通过示例：告知书拟罚款2000元，决定罚款3000元。
    通过示例：告知书拟罚款2000元，决定罚款1500元。
    """
    spec = heavier_after_defence.spec
    if not general_only(spec.id, case, ctx):
        return
    decisions = case.docs_of("decision")
    notice = _latest_notice(case)
    if not decisions or notice is None:
        return
    dec = decisions[0]
    proposed = to_money(notice.value("proposed_fine_yuan"))
    if proposed is None and len(case.docs_of("prior_notice")) == 1:
        proposed = to_money(case.value("proposed_fine_yuan"))
    fine = to_money(case.value("fine_yuan"))
    if fine is None:
        fine = to_money(dec.value("fine_yuan"))
    ev = [doc_evidence(notice, "proposed_fine_yuan"), doc_evidence(dec, "fine_yuan")]
    if proposed is not None and fine is not None and fine > proposed:
        yield finding(spec, ctx, f"事先告知书拟罚款{cn_money(proposed)}，处罚决定却罚款{cn_money(fine)}，"
                      f"重于告知的处罚且未重新告知。", ev)
        return
    ignore = set(ctx.params(spec.id).get("ignore_kinds") or ())
    p_kinds = notice.value("proposed_penalty_kinds")
    d_kinds = dec.value("penalty_kinds") or case.value("penalty_kinds")
    if isinstance(p_kinds, list) and p_kinds and isinstance(d_kinds, list):
        added = [k for k in d_kinds if k not in p_kinds and k not in ignore]
        if added:
            yield finding(spec, ctx, f"处罚决定增加了事先告知书未告知的处罚种类“{'、'.join(added)}”，"
                          f"重于告知的处罚且未重新告知。", [doc_evidence(notice, "proposed_penalty_kinds"),
                                                 doc_evidence(dec, "penalty_kinds")])


def _crime_transfer(case: CaseFile, words: Any) -> bool:
    texts = [str(d.value("withdrawal_ground") or "") for d in case.docs_of("withdrawal_approval")]
    return any(w in t for t in texts for w in words or ())


def _triggers(case: CaseFile, ctx: CheckContext, names: Any, demolition: Any = ()) -> list[str]:
    out = []
    for t in names or ():
        if t == "hearing_level":
            level, why = hearing_level_of_case(case, ctx)
            if level is True:
                out.append(why)
        elif t == "mitigated" and flag_true(case, "mitigated"):
            out.append("拟减轻处罚")
        elif t == "demolition":
            kinds = (list(case.value("penalty_kinds") or [])
                     + list(doc_value_any(case, "proposed_penalty_kinds") or []))
            if any(any(dk in str(k) for dk in demolition or ()) for k in kinds):
                out.append("责令限期拆除")
        elif t == "transferred" and (flag_true(case, "transferred") or outcome(case) == "transferred") \
                and _crime_transfer(case, ctx.params("LRV-01").get("crime_words")):
            out.append("涉嫌犯罪移送")
    return out


@check(id="LRV-01", name="missing-legal-review", title="未经法制审核", severity="veto", stage="审核决定",
       citation=Citation(APL, "第五十八条", note="范围：《上海市城市管理综合行政执法重大执法决定法制审核办法》第三条"))
def missing_legal_review(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """应当法制审核的案件，决定前没有法制审核记录，或审核晚于决定、审核未通过。

    检查内容：听证级处罚（含放弃听证的）、减轻处罚、责令限期拆除、涉嫌犯罪移送的案件，应有法制审核意见，
    审核日期不晚于决定日期，且审核意见为同意。
    法律依据：《中华人民共和国行政处罚法》第五十八条；《上海市城市管理综合行政执法重大执法决定法制审核办法》第三条。
    不通过示例：对个人罚款5000元，当事人放弃听证，案卷无法制审核意见。
    通过示例：同上，2024年6月5日法制审核同意，2024年6月10日作出决定。
    """
    spec = missing_legal_review.spec
    if not general_only(spec.id, case, ctx):
        return
    p = ctx.params(spec.id)
    dec_date, dev = case_date(case, "decision_date")
    has_decision = case.has("decision", "non_penalty_decision")
    if not has_decision and outcome(case) != "transferred":
        return
    why = _triggers(case, ctx, p.get("triggers"), p.get("demolition_kinds"))
    if not why:
        return
    if not dev:
        dev = any_doc_evidence(case, "decision", "non_penalty_decision", "withdrawal_approval")
    reason = "、".join(why)
    rev_date, rev_ev = case_date(case, "legal_review_date")
    if not case.has("legal_review") and rev_date is None:
        yield finding(spec, ctx, f"本案{reason}，属于应当法制审核的情形，案卷中无法制审核意见。", dev)
        return
    if rev_date is not None and dec_date is not None and rev_date > dec_date:
        yield finding(spec, ctx, f"本案{reason}，法制审核日期{cn_date(rev_date)}晚于处罚决定日期{cn_date(dec_date)}，"
                      f"决定作出前未经法制审核。", rev_ev + dev)
        return
    failed = [d for d in case.docs_of("legal_review") if d.value("legal_review_passed") is False]
    if failed:
        yield finding(spec, ctx, f"本案{reason}，法制审核意见为不同意（未通过），仍作出了决定。",
                      [doc_evidence(failed[0], "legal_review_passed")] + dev)


@check(id="LRV-02", name="missing-collective-discussion", title="未经集体讨论", severity="major",
       stage="审核决定", citation=Citation(APL, "第五十七条", paragraph="第二款"))
def missing_collective_discussion(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """情节复杂或重大违法案件（默认：听证级案件）未经负责人集体讨论决定。

    检查内容：配置的情形（默认为达到听证标准的处罚）应有集体讨论记录，且讨论日期不晚于决定日期。
    法律依据：《中华人民共和国行政处罚法》第五十七条第二款。
    不通过示例：对单位罚款50000元，案卷无集体讨论记录。
    通过示例：同上，2024年6月8日集体讨论，2024年6月10日决定。
    """
    spec = missing_collective_discussion.spec
    if not general_only(spec.id, case, ctx):
        return
    if not case.has("decision"):
        return
    why = _triggers(case, ctx, ctx.params(spec.id).get("triggers"),
                    ctx.params("LRV-01").get("demolition_kinds"))
    if not why:
        return
    reason = "、".join(why)
    dec_date, dev = case_date(case, "decision_date")
    if not dev:
        dev = any_doc_evidence(case, "decision")
    talks = case.docs_of("collective_discussion")
    if not talks:
        yield finding(spec, ctx, f"本案{reason}，属于重大案件，案卷中无负责人集体讨论记录。", dev)
        return
    dates = [(w, d) for w, d in ((doc_date(d, "discussion_date", "doc_date"), d) for d in talks) if w is not None]
    if dec_date is not None and dates and min(w for w, _d in dates) > dec_date:
        w, d = min(dates, key=lambda x: x[0])
        yield finding(spec, ctx, f"本案{reason}，集体讨论日期{cn_date(w)}晚于处罚决定日期{cn_date(dec_date)}。",
                      [doc_evidence(d, "discussion_date", "doc_date")] + dev)


@check(id="DEC-01", name="overdue-decision", title="办案超期", severity="major", stage="审核决定",
       citation=Citation(APL, "第六十条"))
def overdue_decision(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """自立案之日起超过90日才作出处理决定（未决案件计至评查日），且期限届满前无延期审批。

    检查内容：自立案次日起计算90个自然日，最后一日为法定节假日的顺延至节后第一个工作日；决定日期晚于
    期限届满日的，需有在期限届满前批准的延长办案期限审批，且不超过批准的新期限。
    法律依据：《中华人民共和国行政处罚法》第六十条。
    不通过示例：立案2024年3月1日，决定2024年6月10日，历时101日，无延期审批；
    立案2024年7月4日，决定2024年10月9日（期限顺延至10月8日）。
    通过示例：立案2024年7月4日，第90日10月2日为国庆假日，顺延至10月8日，当日作出决定。
    """
    spec = overdue_decision.spec
    if not general_only(spec.id, case, ctx):
        return
    p = ctx.params(spec.id)
    oc = outcome(case)
    if oc not in (p.get("outcomes") or ()):
        return
    filed, fev = case_date(case, "filing_date")
    if filed is None:
        return
    end, eev = case_date(case, "decision_date")
    pending = False
    if end is None:
        if oc != "pending" or case_date(case, "withdrawal_date")[0] or case_date(case, "closing_date")[0]:
            return
        end = to_date(ctx.review_date)
        pending = True
        if end is None:
            return
    n = int(p.get("limit_days", 90))
    rollover = bool((ctx.rules.get("calendar") or {}).get("rollover", True))
    try:
        due = ctx.calendar.add_days(filed, n, rollover=rollover)
    except CalendarMissingYear as exc:
        yield calendar_info(spec, exc, fev + eev)
        return
    if end <= due:
        return
    ext, xev = case_date(case, "extension_approved_date")
    elapsed = (end - filed).days
    what = f"至评查日{cn_date(end)}尚未作出处理决定，已历时{elapsed}日" if pending else \
        f"处罚决定日期为{cn_date(end)}，历时{elapsed}日"
    head = f"立案日期为{cn_date(filed)}，{what}"
    if ext is None:
        yield finding(spec, ctx, f"{head}，超过{n}日办案期限（{cn_date(due)}届满）且案卷中无延期审批。", fev + eev)
        return
    if ext > due:
        yield finding(spec, ctx, f"{head}，超过{n}日办案期限（{cn_date(due)}届满），延期审批日期{cn_date(ext)}"
                      f"在期限届满之后，不能补正超期。", fev + eev + xev)
        return
    until = to_date(doc_value_any(case, "extension_until", "extension_approval"))
    if until is None and p.get("extension_days"):
        try:
            until = ctx.calendar.add_days(due, int(p["extension_days"]), rollover=rollover)
        except CalendarMissingYear as exc:
            yield calendar_info(spec, exc, fev + eev + xev)
            return
    if until is not None and end > until:
        yield finding(spec, ctx, f"{head}，超过经批准延长的办案期限（至{cn_date(until)}）。", fev + eev + xev)


_ELEMENT_CN = {
    "party": "当事人姓名或名称", "address": "当事人地址", "facts": "违法事实和证据",
    "violated_provision": "违反的法律条款", "penalty_basis": "处罚依据", "penalty": "处罚种类和内容",
    "performance": "履行方式和期限", "remedy": "申请行政复议、提起行政诉讼的途径和期限",
    "agency": "作出决定的行政机关名称", "date": "作出决定的日期", "seal": "行政机关印章",
}


def _empty(d: DocFields, name: str) -> bool:
    """The document states the field and it is empty (an absent field is unknown, not missing)."""
    f = d.get(name)
    return f is not None and (f.value is None or f.value == "" or f.value == [] or f.value == {})


def _absent(d: DocFields, name: str) -> bool:
    v = d.value(name)
    return v is None or v == "" or v == [] or v == {}


def _decision_lacks(case: CaseFile, d: DocFields, elements: Any, skip_seal: bool,
                    skip_remedy: bool = False) -> list[str]:
    """Elements the decision positively lacks: a clause flag stated False, a list stated empty, the
    address missing from a party block that was read, no date anywhere. Unread elements are unknown."""
    lacks = []
    for e in elements or ():
        if e == "party" and _empty(d, "party_name"):
            lacks.append(e)
        elif e == "address" and not _absent(d, "party_name") and _absent(d, "party_address"):
            lacks.append(e)
        elif e == "facts" and d.value("has_facts") is False:
            lacks.append(e)
        elif e == "violated_provision" and _empty(d, "violated_provisions"):
            lacks.append(e)
        elif e == "penalty_basis" and _empty(d, "penalty_basis"):
            lacks.append(e)
        elif e == "penalty" and d.value("has_penalty") is False:
            lacks.append(e)
        elif e == "performance" and d.value("has_performance") is False:
            lacks.append(e)
        elif e == "remedy" and not skip_remedy and d.value("has_remedy") is False:
            lacks.append(e)
        elif e == "agency" and _absent(d, "agency") and _absent(d, "seal_text") \
                and d.value("has_seal") is False:
            lacks.append(e)
        elif e == "date" and _absent(d, "decision_date") and _absent(d, "doc_date") \
                and case_date(case, "decision_date")[0] is None:
            lacks.append(e)
        elif e == "seal" and not skip_seal and d.value("has_seal") is False:
            lacks.append(e)
    return lacks


@check(id="DEC-02", name="decision-missing-elements", title="决定书缺少法定事项", severity="major",
       stage="审核决定", citation=Citation(APL, "第五十九条"))
def decision_missing_elements(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """行政处罚决定书缺少法定载明事项。

    检查内容：决定书应载明当事人姓名或名称和地址、违法事实和证据、违反的条款、处罚依据、处罚种类、履行
    方式和期限、复议诉讼途径和期限、行政机关名称、决定日期，并加盖印章（印章默认由 DEC-04、救济条款默认
    由 DEC-03 报告，避免重复扣分）。每缺一项计一次（occurrences）。只报告能确认缺失的事项（条款标记为
    “无”、依据列表为空、已识别当事人但无地址、全案无决定日期），未能识别的事项不作判断。
    法律依据：《中华人民共和国行政处罚法》第五十九条。
    不通过示例：决定书未写明罚款的缴纳方式和期限，也未写明处罚依据。
    通过示例：决定书载明全部事项。
    """
    spec = decision_missing_elements.spec
    if not general_only(spec.id, case, ctx):
        return
    p = ctx.params(spec.id)
    skip_seal = bool(p.get("seal_reported_by_dec04", True)) \
        and bool(ctx.params("DEC-04").get("enabled", True))
    skip_remedy = bool(p.get("remedy_reported_by_dec03", True)) \
        and bool(ctx.params("DEC-03").get("enabled", True))
    for d in case.docs_of("decision"):
        if not d.fields:
            continue
        lacks = _decision_lacks(case, d, p.get("elements"), skip_seal, skip_remedy)
        if lacks:
            names = "、".join(_ELEMENT_CN.get(x, x) for x in lacks)
            yield finding(spec, ctx, f"{doc_name(d)}未载明{names}，共缺{len(lacks)}项法定事项。",
                          [doc_evidence(d)], occurrences=len(lacks))


def _norm(text: Any) -> str:
    return re.sub(r"\s+", "", str(text or ""))


@check(id="DEC-03", name="wrong-remedy-notice", title="救济途径告知错误", severity="major", stage="审核决定",
       citation=Citation(APL, "第五十九条", note="另见《中华人民共和国行政复议法》第二十条、第二十四条；"
                                                "《中华人民共和国行政诉讼法》第四十六条"))
def wrong_remedy_notice(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """决定书的复议、诉讼告知缺失或错误：复议期限不是60日、诉讼期限不是6个月，或2024年起复议机关不是区人民政府。

    检查内容：一般程序决定书（当场决定书由 SIM-02 核对）的救济条款：复议期限60日、诉讼期限6个月；
    2024年1月1日起作出的决定，复议机关应为上海市青浦区人民政府（接受简称“青浦区人民政府”，名单可配置）。
    未能识别的项目不作判断。
    法律依据：《中华人民共和国行政处罚法》第五十九条；《中华人民共和国行政复议法》第二十条、第二十四条、
    第九十条；《中华人民共和国行政诉讼法》第四十六条。
    不通过示例：2024年5月的决定书告知“向上海市城市管理行政执法局申请行政复议”。
    通过示例：告知“六十日内向上海市青浦区人民政府申请行政复议，或六个月内向人民法院提起行政诉讼”。
    """
    spec = wrong_remedy_notice.spec
    if not general_only(spec.id, case, ctx):
        return
    p = ctx.params(spec.id)
    bodies = [_norm(b) for b in p.get("reconsideration_bodies") or ()]
    effective = to_date(str(p.get("arl_effective", "2024-01-01")))
    for d in case.docs_of(*(p.get("doc_types") or ())):
        ev = [doc_evidence(d, "remedy", "has_remedy")]
        remedy = d.value("remedy")
        if not isinstance(remedy, dict) and len(case.docs_of(*(p.get("doc_types") or ()))) == 1:
            remedy = case.value("remedy")
        if d.value("has_remedy") is False:
            yield finding(spec, ctx, f"{doc_name(d)}未告知申请行政复议、提起行政诉讼的途径和期限。", ev)
            continue
        if not isinstance(remedy, dict):
            continue
        when = (to_date(d.value("decision_date")) or to_date(d.value("doc_date"))
                or case_date(case, "decision_date")[0])
        days, months = remedy.get("reconsideration_days"), remedy.get("litigation_months")
        body = remedy.get("reconsideration_body")
        want_days, want_months = p.get("reconsideration_days", 60), p.get("litigation_months", 6)
        if isinstance(days, int) and days != want_days:
            yield finding(spec, ctx, f"{doc_name(d)}告知的行政复议申请期限为{days}日，法定期限为{want_days}日。", ev,
                          citation=Citation(ARL, "第二十条", paragraph="第一款"))
        if isinstance(months, int) and months != want_months:
            yield finding(spec, ctx, f"{doc_name(d)}告知的行政诉讼起诉期限为{months}个月，"
                          f"法定期限为{want_months}个月。", ev,
                          citation=Citation(ALL, "第四十六条"))
        new_law = when is not None and effective is not None and when >= effective
        if body and when is not None and new_law and _norm(body) not in bodies:
            yield finding(spec, ctx, f"{doc_name(d)}作出于{cn_date(when)}，告知的复议机关为“{body}”，"
                          "依2024年1月1日起施行的行政复议法应为"
                          f"{(p.get('reconsideration_bodies') or ['区人民政府'])[0]}。",
                          ev, citation=Citation(ARL, "第二十四条", paragraph="第一款", item="第（一）项"))


_SEAL_TAIL = re.compile(r"(?:（?(?:印章|公章|专用章|章)）?)$")


@check(id="DEC-04", name="missing-seal", title="未盖印章", severity="major", stage="审核决定",
       citation=Citation(APL, "第五十九条", note="评查标准：未盖印章"))
def missing_seal(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """对外文书（告知书、决定书、责令改正通知书、查封扣押决定书）未加盖行政机关印章，或加盖的是内设机构印章。

    检查内容：对外送达的文书应有行政机关印章（电子文书的印章文字标记，扫描件的红色印章）；中队、科室等
    内设机构的印章不能代替行政机关印章。未能识别印章的文书不作判断。严重程度可配置为否决项。
    法律依据：《中华人民共和国行政处罚法》第五十九条（决定书必须盖有作出行政处罚决定的行政机关的印章）；评查标准。
    不通过示例：决定书落款处无印章；或印章为“上海市青浦区城市管理行政执法局第一中队”。
    通过示例：决定书加盖“上海市青浦区城市管理行政执法局”印章。
    """
    spec = missing_seal.spec
    if not general_only(spec.id, case, ctx):
        return
    p = ctx.params(spec.id)
    suffixes = tuple(p.get("internal_unit_suffixes") or ())
    for d in case.docs_of(*(p.get("doc_types") or ())):
        if d.value("has_seal") is False:
            yield finding(spec, ctx, f"{doc_name(d)}未加盖行政机关印章。", [doc_evidence(d, "has_seal")])
            continue
        text = _SEAL_TAIL.sub("", _norm(d.value("seal_text")))
        if text and suffixes and text.endswith(suffixes):
            yield finding(spec, ctx, f"{doc_name(d)}加盖的印章为“{_norm(d.value('seal_text'))}”，系内设机构印章，"
                          f"不是行政机关印章。", [doc_evidence(d, "seal_text")])
