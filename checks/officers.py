"""Officer checks: two officers on every record, each with a 执法证号."""
from __future__ import annotations

from collections.abc import Iterator

from checks.common import applies, doc_evidence, doc_name, finding
from checks.registry import CheckContext, check
from pipeline.core.models import CaseFile, Citation, Finding

APL = "中华人民共和国行政处罚法"


def _officers(value: object) -> list[dict]:
    if not isinstance(value, list):
        return []
    out = []
    for o in value:
        if isinstance(o, dict) and o.get("name"):
            out.append(o)
        elif isinstance(o, str) and o.strip():
            out.append({"name": o.strip(), "cert_no": None})
    return out


@check(id="OFF-01", name="fewer-than-two-officers", title="执法人员少于两人", severity="veto", stage="调查取证",
       citation=Citation(APL, "第四十二条"))
def fewer_than_two_officers(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """现场检查笔录、询问笔录或当场处罚决定书记载的执法人员少于两人。

    检查内容：每份现场检查（勘验）笔录、询问笔录和当场行政处罚决定书所列执法人员不少于2人。
    未能识别执法人员栏的文书不作判断。
    法律依据：《中华人民共和国行政处罚法》第四十二条：执法人员不得少于两人，法律另有规定的除外。
    不通过示例：询问笔录“询问人”仅列张某（执法证号31010001）一人。
    通过示例：询问笔录列张某（31010001）、李某（31010002）二人。
    """
    spec = fewer_than_two_officers.spec
    if not applies(spec.id, case, ctx):
        return
    p = ctx.params(spec.id)
    need = int(p.get("min_officers", 2))
    for d in case.docs_of(*(p.get("doc_types") or ())):
        f = d.get("officers")
        if f is None:
            continue
        officers = _officers(f.value)
        if len(officers) < need:
            names = "、".join(o["name"] for o in officers) or "无"
            yield finding(spec, ctx, f"{doc_name(d)}记载的执法人员仅{len(officers)}人（{names}），"
                          f"少于法定的{need}人。", [doc_evidence(d, "officers")])


@check(id="OFF-02", name="missing-credential-number", title="执法人员无执法证号", severity="major",
       stage="调查取证", citation=Citation(APL, "第五十五条"))
def missing_credential_number(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """笔录所列执法人员缺少执法证号。

    检查内容：现场检查笔录、询问笔录所列每名执法人员均应载明执法证件号码。
    法律依据：《中华人民共和国行政处罚法》第四十二条（具有行政执法资格）、第五十五条（主动出示执法证件）。
    不通过示例：询问笔录列执法人员张某（31010001）、李某，李某无执法证号。
    通过示例：两名执法人员均载明执法证号。
    """
    spec = missing_credential_number.spec
    if not applies(spec.id, case, ctx):
        return
    for d in case.docs_of(*(ctx.params(spec.id).get("doc_types") or ())):
        lacking = [o["name"] for o in _officers(d.value("officers"))
                   if not str(o.get("cert_no") or "").strip()]
        if lacking:
            yield finding(spec, ctx, f"{doc_name(d)}中执法人员{'、'.join(lacking)}未载明执法证号。",
                          [doc_evidence(d, "officers")])

