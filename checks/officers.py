"""Officer checks: two officers on every record, each with a 执法证号.

An officer entry is ``{"name", "cert_no", "cert_state"}``; ``cert_state`` is ``found``, ``blank``
(the certificate cell or label was found empty: positive evidence) or ``not_found`` (no number was
read: not verified). An entry without ``cert_state`` counts as ``found`` with a number and as
``not_found`` without one.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from checks.common import applies, doc_evidence, doc_name, finding, is_blank, not_found
from checks.registry import CheckContext, check
from pipeline.core.models import CaseFile, Citation, Finding, Unverified

APL = "中华人民共和国行政处罚法"
_SEP = re.compile(r"[、，,；;/\s]+")


def _officers(value: object) -> list[dict[str, Any]]:
    """The officers of a field value; a name holding several names (``张三、李四``) counts each."""
    if not isinstance(value, list):
        return []
    out: list[dict[str, Any]] = []
    for o in value:
        if isinstance(o, dict) and o.get("name"):
            names = [n for n in _SEP.split(str(o["name"]).strip()) if n]
            if len(names) > 1:
                out.extend({"name": n, "cert_no": None, "cert_state": "not_found"} for n in names)
            else:
                out.append(o)
        elif isinstance(o, str) and o.strip():
            out.append({"name": o.strip(), "cert_no": None, "cert_state": "not_found"})
    return out


def cert_state(officer: dict[str, Any]) -> str:
    """``found`` / ``blank`` / ``not_found`` for an officer's 执法证号."""
    state = officer.get("cert_state")
    if state in ("found", "blank", "not_found"):
        return str(state)
    return "found" if str(officer.get("cert_no") or "").strip() else "not_found"


@check(id="OFF-01", name="fewer-than-two-officers", title="执法人员少于两人", severity="veto", stage="调查取证",
       citation=Citation(APL, "第四十二条"))
def fewer_than_two_officers(case: CaseFile, ctx: CheckContext) -> Iterator[Finding | Unverified]:
    """现场检查笔录、询问笔录或当场处罚决定书记载的执法人员少于两人。

    检查内容：每份现场检查（勘验）笔录、询问笔录和当场行政处罚决定书所列执法人员不少于2人。
    执法人员栏空白的报告；未能识别执法人员栏的文书，或执法人员栏识别置信度低于 `min_confidence`
    （否决项须有把握）的，列为未能核实。
    法律依据：《中华人民共和国行政处罚法》第四十二条：执法人员不得少于两人，法律另有规定的除外。
    不通过示例：询问笔录“询问人”仅列张某（执法证号31010001）一人。
    通过示例：询问笔录列张某（31010001）、李某（31010002）二人。
    """
    spec = fewer_than_two_officers.spec
    if not applies(spec.id, case, ctx):
        return
    p = ctx.params(spec.id)
    need = int(p.get("min_officers", 2))
    bar = float(p.get("min_confidence", 0.9))
    for d in case.docs_of(*(p.get("doc_types") or ())):
        f = d.get("officers")
        if f is None:
            yield not_found(spec, f"{doc_name(d)}记载的执法人员", [doc_evidence(d)])
            continue
        officers = [] if is_blank(f) else _officers(f.value)
        if len(officers) >= need:
            continue
        names = "、".join(o["name"] for o in officers) or "无"
        if officers and f.confidence < bar:
            yield spec.unverified(f"{doc_name(d)}记载的执法人员（仅识别出{len(officers)}人：{names}）",
                                  f"执法人员栏识别置信度{f.confidence:.2f}，低于{bar:.2f}，不据以认定否决项",
                                  [doc_evidence(d, "officers")])
            continue
        yield finding(spec, ctx, f"{doc_name(d)}记载的执法人员仅{len(officers)}人（{names}），"
                      f"少于法定的{need}人。", [doc_evidence(d, "officers")])


@check(id="OFF-02", name="missing-credential-number", title="执法人员无执法证号", severity="major",
       stage="调查取证", citation=Citation(APL, "第五十五条"))
def missing_credential_number(case: CaseFile, ctx: CheckContext) -> Iterator[Finding | Unverified]:
    """笔录所列执法人员缺少执法证号。

    检查内容：现场检查笔录、询问笔录所列每名执法人员均应载明执法证件号码。执法证号栏空白的报告；
    未能识别出执法证号的（如写法特殊、数人同栏），列为未能核实。
    法律依据：《中华人民共和国行政处罚法》第四十二条（具有行政执法资格）、第五十五条（主动出示执法证件）。
    不通过示例：询问笔录列执法人员张某（31010001）、李某，李某的执法证号栏空白。
    通过示例：两名执法人员均载明执法证号。
    """
    spec = missing_credential_number.spec
    if not applies(spec.id, case, ctx):
        return
    for d in case.docs_of(*(ctx.params(spec.id).get("doc_types") or ())):
        officers = _officers(d.value("officers"))
        lacking = [o["name"] for o in officers if cert_state(o) == "blank"]
        unknown = [o["name"] for o in officers if cert_state(o) == "not_found"]
        if lacking:
            yield finding(spec, ctx, f"{doc_name(d)}中执法人员{'、'.join(lacking)}未载明执法证号。",
                          [doc_evidence(d, "officers")])
        if unknown:
            yield not_found(spec, f"{doc_name(d)}中执法人员{'、'.join(unknown)}的执法证号",
                            [doc_evidence(d, "officers")])
