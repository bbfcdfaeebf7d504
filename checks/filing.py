"""立案 checks: the filing approval, its timeliness, investigation before filing, limitation."""
from __future__ import annotations

from collections.abc import Iterator

from checks.common import (
    any_doc_evidence,
    calendar_info,
    case_date,
    cn_date,
    doc_date,
    doc_evidence,
    doc_name,
    finding,
    flag_true,
    general_only,
)
from checks.registry import CheckContext, check
from pipeline.core.errors import CalendarMissingYear
from pipeline.core.models import CaseFile, Citation, Finding
from pipeline.core.workdays import add_years

APL = "中华人民共和国行政处罚法"


@check(id="FIL-01", name="missing-filing-approval", title="缺少立案审批", severity="major", stage="立案",
       citation=Citation(APL, "第五十四条"))
def missing_filing_approval(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """一般程序案卷没有立案审批表，或立案审批表没有负责人审批意见和审批日期。

    检查内容：一般程序案卷应有立案审批表，且表上有负责人（审批人）签批和审批日期；审批人和审批日期
    都没有的报告（只缺其一时可能是识别遗漏，不作判断）。
    法律依据：《中华人民共和国行政处罚法》第五十四条：符合立案标准的，行政机关应当及时立案。
    不通过示例：案卷有事先告知书和处罚决定书，但无立案审批表；或立案审批表“负责人意见”栏空白、无日期。
    通过示例：立案审批表载明审批人“王某”，审批日期2024年3月1日。
    """
    spec = missing_filing_approval.spec
    if not general_only(spec.id, case, ctx):
        return
    approvals = case.docs_of("filing_approval")
    if not approvals:
        yield finding(spec, ctx, "案卷为一般程序案件，但未见立案审批表，无法证明经负责人批准立案。",
                      any_doc_evidence(case, "decision", "prior_notice", "investigation_report",
                                       "inspection_record", "inquiry_record"))
        return
    d = approvals[0]
    approver = str(d.value("approver") or "").strip()
    when = doc_date(d, "approval_date", "filing_date", "doc_date") or case_date(case, "filing_date")[0]
    if not approver and when is None:
        yield finding(spec, ctx, f"{doc_name(d)}既无负责人审批意见（签名），也无审批日期，不能证明经负责人批准立案。",
                      [doc_evidence(d, "approver", "approval_date")])


@check(id="FIL-02", name="late-filing", title="立案不及时", severity="minor", stage="立案",
       citation=Citation(APL, "第五十四条", note="期限为本地假设（UNCONFIRMED）"))
def late_filing(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """发现或受理案件线索后超过期限才立案，且无延期立案审批。

    检查内容：自发现（巡查发现、投诉受理）之日次日起计算工作日，至立案日期不得超过期限
    （默认15个工作日，经批准延长后30个工作日；该期限为本地假设）。
    法律依据：《中华人民共和国行政处罚法》第五十四条“及时立案”；期限参照《住房和城乡建设行政处罚程序规定》。
    不通过示例：2024年3月1日受理投诉，2024年3月28日立案（19个工作日），无延期审批。
    通过示例：2024年3月1日受理投诉，2024年3月22日立案（15个工作日）。
    """
    spec = late_filing.spec
    if not general_only(spec.id, case, ctx):
        return
    found, ev1 = case_date(case, "discovered_date")
    filed, ev2 = case_date(case, "filing_date")
    if found is None or filed is None or filed <= found:
        return
    p = ctx.params(spec.id)
    limit = int(p.get("limit_workdays", 15))
    extended = flag_true(case, "extension_of_filing")
    if extended:
        limit += int(p.get("extension_workdays", 15))
    try:
        used = ctx.calendar.workdays_between(found, filed)
    except CalendarMissingYear as exc:
        yield calendar_info(spec, exc, ev1 + ev2)
        return
    if used > limit:
        ext = f"经批准延长后的{limit}个工作日期限" if extended else f"{limit}个工作日的立案期限且案卷中无延期立案审批"
        yield finding(spec, ctx, f"案件线索发现（受理）日期为{cn_date(found)}，立案日期为{cn_date(filed)}，"
                      f"间隔{used}个工作日，超过{ext}。", ev1 + ev2)


@check(id="ORD-02", name="investigation-before-filing", title="先调查后补立案", severity="minor", stage="立案",
       citation=Citation(APL, "第五十四条", note="评查标准：程序倒置（先调查后补立案）"))
def investigation_before_filing(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """询问笔录或证据保全等调查措施的日期早于立案日期（首次现场检查除外）。

    检查内容：除案件来源材料和首次现场检查笔录外，询问笔录、其他现场检查笔录、先行登记保存、查封扣押
    的日期不得早于立案日期。
    法律依据：《中华人民共和国行政处罚法》第五十四条、第五十五条；评查标准“先调查后补立案”属程序倒置。
    不通过示例：立案日期2024年3月5日，询问笔录日期2024年3月2日。
    通过示例：2024年3月1日首次现场检查，2024年3月5日立案，2024年3月8日询问。
    """
    spec = investigation_before_filing.spec
    if not general_only(spec.id, case, ctx):
        return
    filed, fev = case_date(case, "filing_date")
    if filed is None:
        return
    p = ctx.params(spec.id)
    types = tuple(p.get("doc_types") or ())
    dated = []
    for d in case.docs_of(*types):
        when = doc_date(d, "start_time", "doc_date", "preservation_date", "approval_date")
        if when is not None:
            dated.append((when, d))
    if p.get("allow_first_inspection", True):
        inspections = sorted((x for x in dated if x[1].doc.doc_type == "inspection_record"),
                             key=lambda x: (x[0], x[1].doc.doc_id))
        if inspections:
            first = inspections[0][1]
            dated = [x for x in dated if x[1] is not first]
    early = sorted((x for x in dated if x[0] < filed), key=lambda x: (x[0], x[1].doc.doc_id))
    if not early:
        return
    listing = "、".join(f"{doc_name(d)}（{cn_date(w)}）" for w, d in early)
    yield finding(spec, ctx, f"立案日期为{cn_date(filed)}，但{listing}早于立案，存在先调查后补立案的程序倒置。",
                  fev + [doc_evidence(d, "start_time", "doc_date", "preservation_date") for _w, d in early])


@check(id="LIM-01", name="limitation-expired", title="超过追责时效", severity="veto", stage="立案",
       citation=Citation(APL, "第三十六条"))
def limitation_expired(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """违法行为（或连续、继续状态终了）至发现之日已超过追责时效。

    检查内容：违法行为发生之日至发现之日（无发现日期时以立案日期代替）超过2年（涉及公民生命健康安全、
    金融安全且有危害后果的为5年）的，不得给予行政处罚。连续或继续状态的违法类型（如违法搭建）从行为终了
    之日起计算，案卷一般无终了日期，故不核对。
    法律依据：《中华人民共和国行政处罚法》第三十六条。
    不通过示例：违法行为日期2021年3月1日，发现日期2023年3月2日。
    通过示例：违法行为日期2022年3月1日，发现日期2024年3月1日（恰满2年）。
    """
    spec = limitation_expired.spec
    if not general_only(spec.id, case, ctx):
        return
    p = ctx.params(spec.id)
    vtype = case.value("violation_type")
    if vtype in (p.get("continuing_types") or ()):
        return
    act, aev = case_date(case, "violation_date")
    found, fev = case_date(case, "discovered_date")
    basis = "发现日期"
    if found is None:
        found, fev = case_date(case, "filing_date")
        basis = "立案日期"
    if act is None or found is None:
        return
    extended = vtype in (p.get("extended_types") or ())
    years = int(p.get("extended_limit_years", 5) if extended else p.get("limit_years", 2))
    if found > add_years(act, years):
        yield finding(spec, ctx, f"违法行为发生于{cn_date(act)}，{basis}为{cn_date(found)}，已超过{years}年追责时效，"
                      f"依法不得再给予行政处罚。", aev + fev)
