"""事先告知 checks: the notice, its contents, the defence period, the hearing right and window,
the review of the party's defence."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from checks.common import (
    calendar_info,
    case_date,
    cn_date,
    doc_evidence,
    doc_name,
    empty_value,
    finding,
    flag_true,
    general_only,
    hearing_level_of_case,
    outcome,
    to_date,
)
from checks.registry import CheckContext, check
from pipeline.core.errors import CalendarMissingYear
from pipeline.core.models import CaseFile, Citation, Evidence, Finding

APL = "中华人民共和国行政处罚法"


@check(id="NOT-01", name="missing-prior-notice", title="未履行事先告知", severity="veto", stage="事先告知",
       citation=Citation(APL, "第六十二条", note="另见第四十四条"))
def missing_prior_notice(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """作出行政处罚决定前没有事先告知书，或事先告知书日期晚于处罚决定。

    检查内容：一般程序处罚决定前应有行政处罚事先告知书，且告知书日期不晚于决定日期。
    不予处罚案件默认不适用（是否须告知未确认，可配置）。
    法律依据：《中华人民共和国行政处罚法》第四十四条、第六十二条：未履行告知义务的，不得作出行政处罚决定。
    不通过示例：案卷有2024年6月10日的处罚决定书，无事先告知书；或告知书日期2024年6月12日晚于决定日期。
    通过示例：2024年5月20日告知，2024年6月10日决定。
    """
    spec = missing_prior_notice.spec
    if not general_only(spec.id, case, ctx):
        return
    oc = outcome(case)
    outcomes = ctx.params(spec.id).get("outcomes") or ()
    if oc not in outcomes:
        return
    types = ("decision", "non_penalty_decision") if "not_penalized" in outcomes else ("decision",)
    decisions = case.docs_of(*types)
    if not decisions:
        return
    dec_date, dev = case_date(case, "decision_date")
    if not dev:
        dev = [doc_evidence(decisions[0], "decision_date", "doc_date")]
    notices = case.docs_of("prior_notice")
    if not notices:
        when = f"（{cn_date(dec_date)}）" if dec_date else ""
        yield finding(spec, ctx, f"案卷有{doc_name(decisions[0])}{when}，但未见行政处罚事先告知书，"
                      f"未履行事先告知程序即作出处罚决定。", dev)
        return
    n_date, nev = case_date(case, "notice_date")
    if n_date is not None and dec_date is not None and n_date > dec_date:
        yield finding(spec, ctx, f"事先告知书日期为{cn_date(n_date)}，晚于处罚决定日期{cn_date(dec_date)}，"
                      f"处罚决定作出前未履行事先告知程序。", nev + dev)


@check(id="NOT-02", name="incomplete-prior-notice", title="事先告知内容不全", severity="major", stage="事先告知",
       citation=Citation(APL, "第四十四条"))
def incomplete_prior_notice(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """事先告知书缺少拟处罚内容、事实、依据或陈述申辩权利。

    检查内容：事先告知书应载明拟作出的行政处罚内容、违法事实、违法依据和处罚依据、陈述和申辩的权利。
    文书未识别的项目不作判断，只有明确缺失的项目才报告。
    法律依据：《中华人民共和国行政处罚法》第四十四条。
    不通过示例：告知书写明拟罚款2000元和违法事实，但未告知当事人享有陈述、申辩的权利。
    通过示例：告知书载明事实、《上海市市容环境卫生管理条例》第二十五条第五款、拟罚款2000元及陈述申辩权利。
    """
    spec = incomplete_prior_notice.spec
    if not general_only(spec.id, case, ctx):
        return
    for d in case.docs_of("prior_notice"):
        lacks = []
        if d.value("has_penalty") is False:
            lacks.append("拟作出的行政处罚内容")
        if d.value("has_facts") is False:
            lacks.append("违法事实")
        if empty_value(d, "violated_provisions"):
            lacks.append("违法依据")
        if empty_value(d, "penalty_basis"):
            lacks.append("处罚依据")
        if d.value("right_statement") is False:
            lacks.append("陈述、申辩的权利")
        if lacks:
            yield finding(spec, ctx, f"{doc_name(d)}未载明{'、'.join(lacks)}。",
                          [doc_evidence(d)], occurrences=len(lacks))


def _party_spoke(case: CaseFile) -> bool:
    return (flag_true(case, "defence_made") or flag_true(case, "statement_waived")
            or case.has("hearing_record"))


def _notice_start(case: CaseFile) -> tuple[dt.date | None, list[Evidence], str]:
    served, sev = case_date(case, "notice_service_date")
    if served is not None:
        return served, sev, "送达"
    dated, dev = case_date(case, "notice_date")
    return dated, dev, "作出"


@check(id="NOT-03", name="decision-inside-defence-period", title="陈述申辩期内作出决定", severity="major",
       stage="事先告知", citation=Citation(APL, "第四十五条", note="另见第四十四条、第六十二条"))
def decision_inside_defence_period(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """告知书载明的陈述申辩期限届满前即作出处罚决定，且无当事人陈述申辩或放弃的记录。

    检查内容：以告知书载明的期限（未注明单位时按工作日）自告知书送达次日起计算（无送达日期时以告知书日期
    计算，只会少报不会多报）；决定日期不得在期限届满之日或之前，除非当事人已陈述申辩或书面放弃。
    法律依据：《中华人民共和国行政处罚法》第四十四条、第四十五条、第六十二条。
    不通过示例：告知书2024年9月27日送达，期限3个工作日（至10月8日），10月8日作出决定，无陈述申辩记录。
    通过示例：同上，10月9日作出决定；或当事人9月30日书面放弃陈述申辩。
    """
    spec = decision_inside_defence_period.spec
    if not general_only(spec.id, case, ctx):
        return
    notices = case.docs_of("prior_notice")
    if not notices or _party_spoke(case):
        return
    days = notices[0].value("statement_period_days")
    if not isinstance(days, int) or isinstance(days, bool) or days <= 0:
        return
    unit = notices[0].value("statement_period_unit") or ctx.params(spec.id).get("default_unit", "wd")
    start, sev, how = _notice_start(case)
    dec, dev = case_date(case, "decision_date")
    if start is None or dec is None:
        return
    try:
        if unit == "cd":
            roll = bool((ctx.rules.get("calendar") or {}).get("rollover", True))
            end = ctx.calendar.add_days(start, days, rollover=roll)
            label = f"{days}日"
        else:
            end = ctx.calendar.add_workdays(start, days)
            label = f"{days}个工作日"
    except CalendarMissingYear as exc:
        yield calendar_info(spec, exc, sev + dev)
        return
    if dec <= end:
        yield finding(spec, ctx, f"事先告知书于{cn_date(start)}{how}，告知陈述申辩期限为{label}（至{cn_date(end)}），"
                      f"处罚决定却于{cn_date(dec)}作出，案卷中无当事人陈述申辩或放弃陈述申辩的记录。",
                      [doc_evidence(notices[0], "statement_period_days")] + sev + dev)


@check(id="HRG-01", name="missing-hearing-right", title="未告知听证权利", severity="major", stage="事先告知",
       citation=Citation(APL, "第六十三条",
                         note="数额标准：《上海市城市管理综合行政执法重大执法决定法制审核办法》第三条"))
def missing_hearing_right(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """达到听证标准的处罚，事先告知书未告知当事人要求听证的权利。

    检查内容：拟罚款（或决定罚款）达到听证标准（个人5000元、单位50000元，个体工商户按个人），或拟处
    责令停产停业、吊销许可证件等较重处罚的，告知书应载明要求听证的权利。
    法律依据：《中华人民共和国行政处罚法》第六十三条；《上海市城市管理综合行政执法重大执法决定法制审核办法》第三条。
    不通过示例：对个人拟罚款5000元，告知书只告知陈述申辩权利。
    通过示例：对个人拟罚款4999元，告知书未写听证权利；或拟罚款5000元且告知听证权利。
    """
    spec = missing_hearing_right.spec
    if not general_only(spec.id, case, ctx):
        return
    notices = case.docs_of("prior_notice")
    if not notices or notices[0].value("right_hearing") is not False:
        return
    level, why = hearing_level_of_case(case, ctx)
    if level is True:
        yield finding(spec, ctx, f"{why}，但{doc_name(notices[0])}未告知当事人有要求听证的权利。",
                      [doc_evidence(notices[0], "proposed_fine_yuan", "right_hearing")])


@check(id="HRG-02", name="decision-inside-hearing-window", title="听证申请期内作出决定", severity="major",
       stage="事先告知", citation=Citation(APL, "第六十四条", note="第（一）项；期间按第八十五条计工作日"))
def decision_inside_hearing_window(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """听证级案件未书面放弃听证，却在告知书送达后5个工作日内作出决定。

    检查内容：达到听证标准、当事人未书面放弃听证且未举行听证的，决定日期应晚于告知书送达次日起第5个
    工作日（调休上班日计入，法定节假日不计）。无送达日期时以告知书日期计算（只会少报）。
    法律依据：《中华人民共和国行政处罚法》第六十四条第（一）项、第八十五条。
    不通过示例：告知书2024年9月27日送达，听证申请期至2024年10月10日，10月10日作出决定。
    通过示例：同上，2024年10月11日作出决定；或当事人书面放弃听证。
    """
    spec = decision_inside_hearing_window.spec
    if not general_only(spec.id, case, ctx):
        return
    waived = case.value("hearing_waived") is True or flag_true(case, "hearing_waived")
    if waived or case.has("hearing_record"):
        return
    level, why = hearing_level_of_case(case, ctx)
    if level is not True:
        return
    start, sev, how = _notice_start(case)
    dec, dev = case_date(case, "decision_date")
    if start is None or dec is None:
        return
    n = int(ctx.params(spec.id).get("window_workdays", 5))
    try:
        end = ctx.calendar.add_workdays(start, n)
    except CalendarMissingYear as exc:
        yield calendar_info(spec, exc, sev + dev)
        return
    if dec <= end:
        yield finding(spec, ctx, f"{why}，事先告知书于{cn_date(start)}{how}，"
                      f"{n}个工作日的听证申请期至{cn_date(end)}届满，"
                      f"处罚决定却于{cn_date(dec)}作出，且案卷中无当事人书面放弃听证的记录。", sev + dev)


@check(id="DEF-02", name="defence-not-reviewed", title="陈述申辩未复核", severity="major", stage="事先告知",
       citation=Citation(APL, "第四十五条", note="第一款"))
def defence_not_reviewed(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """当事人提出了陈述申辩，案卷中没有对其进行复核的意见。

    检查内容：有陈述申辩笔录或书面陈述申辩材料（defence_made）时，应有复核意见。
    法律依据：《中华人民共和国行政处罚法》第四十五条第一款：行政机关必须充分听取当事人的意见，对当事人
    提出的事实、理由和证据，应当进行复核。
    不通过示例：当事人2024年5月25日提交书面申辩，案卷无复核意见。
    通过示例：陈述申辩笔录后附复核意见“申辩理由不成立，维持原拟处罚”。
    """
    spec = defence_not_reviewed.spec
    if not general_only(spec.id, case, ctx):
        return
    made = [d for d in case.docs if d.value("defence_made") is True]
    if not made or flag_true(case, "review_opinion"):
        return
    d = made[0]
    when = to_date(d.value("defence_date"))
    at = f"于{cn_date(when)}" if when else ""
    yield finding(spec, ctx, f"当事人{at}提出了陈述申辩（{doc_name(d)}），案卷中无对陈述申辩意见的复核意见。",
                  [doc_evidence(d, "defence_made", "defence_date")])
