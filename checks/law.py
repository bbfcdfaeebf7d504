"""法律适用 checks against the violation catalogue (extractors/data/violations.yaml)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from checks.common import (
    KIND_CN,
    case_date,
    cn_money,
    doc_evidence,
    doc_value_any,
    finding,
    flag_true,
    party_kind,
    to_money,
)
from checks.registry import CheckContext, check
from extractors.violations import fine_range, load_catalogue
from pipeline.core.models import CaseFile, Citation, DocFields, Finding

APL = "中华人民共和国行政处罚法"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Any]:
    """The shipped violation catalogue, loaded once per process."""
    return load_catalogue()


def _decision(case: CaseFile) -> DocFields | None:
    docs = case.docs_of("decision", "simple_decision")
    return docs[0] if docs else None


def _vtype(case: CaseFile) -> str | None:
    v = case.value("violation_type")
    return v if v else doc_value_any(case, "violation_type")


def _vtype_confidence(case: CaseFile) -> float:
    f = case.field("violation_type")
    if f is None or not f.value:
        f = next((g for d in case.docs for g in d.all("violation_type") if g.value), None)
    return f.confidence if f is not None else 1.0


_NORM = str.maketrans({"(": "（", ")": "）", " ": "", "\u3000": "", "〈": "《", "〉": "》"})


def _norm(s: Any) -> str:
    return re.sub(r"\s+", "", str(s or "")).translate(_NORM)


def _matches(cited: list[str], expected: list[str], less_specific: bool) -> bool:
    for f in cited:
        for e in expected:
            if f == e or f.startswith(e) or (less_specific and e.startswith(f) and f.endswith(("条", "款"))):
                return True
    return False


def _provisions(case: CaseFile, dec: DocFields, name: str) -> tuple[list[str], list]:
    f = dec.get(name)
    vals = f.value if f is not None and isinstance(f.value, list) and f.value else None
    ev = [doc_evidence(dec, name)]
    if vals is None:
        cf = case.field(name)
        if cf is not None and isinstance(cf.value, list) and cf.value:
            vals = cf.value
    return [_norm(x) for x in vals or []], ev


@check(id="LAW-01", name="basis-mismatch", title="适用法律错误", severity="veto", stage="审核决定",
       citation=Citation(APL, "第五十九条", note="评查标准：适用法律错误；引用条、款、项错误"))
def basis_mismatch(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """决定书引用的违反条款或处罚依据与违法行为目录中该违法类型的条款不符。

    检查内容：按案件的违法类型（违法行为目录键）核对决定书的违反条款和处罚依据：至少引用目录所列条款之一
    （引用比目录更细的款、项视为相符；只引到“条”而目录细到“款”时可配置是否判错；国家法兜底类型引用
    上海地方性法规对应条款的视为相符，对应关系可配置）。违法类型为模糊识别的，不符只作提示。违法类型不在目录中、
    或目录未列明条款的，给出“无法核对”的提示（info），不作通过处理；目录条款未经核实的，不符时只作提示。
    法律依据：《中华人民共和国行政处罚法》第五十九条；评查标准“适用法律错误”。
    不通过示例：跨门营业案件引用《上海市市容环境卫生管理条例》第二十二条。
    通过示例：跨门营业案件引用《上海市市容环境卫生管理条例》第二十五条第五款。
    """
    spec = basis_mismatch.spec
    dec = _decision(case)
    if dec is None:
        return
    vtype = _vtype(case)
    entry = catalogue().get(vtype) if vtype else None
    dev = [doc_evidence(dec, "case_cause", "violation_type")]
    if entry is None:
        shown = f"“{vtype}”" if vtype else "（未识别）"
        yield finding(spec, ctx, f"违法类型{shown}不在违法行为目录中，"
                      "无法核对决定书引用的违反条款和处罚依据，请人工核对。",
                      dev, severity="info")
        return
    if not entry.violated and not entry.penalty:
        yield finding(spec, ctx, f"违法行为目录未列明“{entry.name}”的具体条款（待核实），"
                      "无法核对决定书引用的条款，请人工核对。",
                      dev, severity="info")
        return
    p = ctx.params(spec.id)
    less = bool(p.get("accept_less_specific", True))
    alt_keys = (p.get("equivalent_types") or {}).get(entry.key) or ()
    alts = [catalogue()[k] for k in alt_keys if k in catalogue()]
    sev, tail = None, ""
    if not entry.confirmed:
        sev, tail = "info", "（目录条款尚未核实，请人工核对）"
    elif _vtype_confidence(case) < float(p.get("min_type_confidence", 0.9)):
        sev, tail = "info", "（违法类型系模糊识别，请人工核对）"
    for name, label, expected in (("violated_provisions", "违反条款", entry.violated),
                                  ("penalty_basis", "处罚依据", entry.penalty)):
        if not expected:
            continue
        cited, ev = _provisions(case, dec, name)
        if not cited:
            continue  # an absent basis is DEC-02's finding
        want = [_norm(x.canonical()) for x in expected]
        also = [_norm(x.canonical()) for a in alts
                for x in (a.violated if name == "violated_provisions" else a.penalty)]
        if not _matches(cited, want + also, less):
            yield finding(spec, ctx, f"违法类型为“{entry.name}”，决定书引用的{label}为{'、'.join(cited)}，"
                          f"与违法行为目录所列{'、'.join(want)}不符{tail}。", ev, severity=sev)


def _effective_entry(case: CaseFile, dec: DocFields, entry: Any, ctx: CheckContext) -> Any:
    """The catalogue entry whose articles the decision applies: the case's type, or an equivalent
    type (LAW-01 ``equivalent_types``) when the decision cites that one's articles instead."""
    p = ctx.params("LAW-01")
    less = bool(p.get("accept_less_specific", True))
    cited, _ev = _provisions(case, dec, "violated_provisions")
    if not cited or _matches(cited, [_norm(x.canonical()) for x in entry.violated], less):
        return entry
    for key in (p.get("equivalent_types") or {}).get(entry.key) or ():
        alt = catalogue().get(key)
        if alt is not None and _matches(cited, [_norm(x.canonical()) for x in alt.violated], less):
            return alt
    return entry


def _within(fine: float, rng: tuple[float, float]) -> int:
    """-1 below, 0 within, 1 above."""
    return -1 if fine < rng[0] else (1 if fine > rng[1] else 0)


@check(id="LAW-02", name="fine-out-of-range", title="罚款超出法定幅度", severity="veto", stage="审核决定",
       citation=Citation(APL, "第五条", note="评查标准：处罚超出法定种类或幅度；减轻处罚另见第三十二条"))
def fine_out_of_range(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """罚款数额超出处罚条款规定的幅度，且低于下限时无经法制审核的减轻处罚。

    检查内容：按违法类型和当事人类型（个体工商户按个人，可配置）取目录中的罚款幅度：高于上限的不通过；
    低于下限的，只有决定减轻处罚并经法制审核的才通过。按公式计算的幅度（每吨、每平方米、补偿标准倍数等）
    或当事人类型不明无法确定幅度的，给出“无法核对”提示（info）。违法类型不在目录中的由 LAW-01 提示。
    决定书适用的是等同类型（LAW-01 equivalent_types，如国家法兜底类型适用上海条例条款）时，按该类型的幅度核对。
    法律依据：《中华人民共和国行政处罚法》第五条（过罚相当）、第三十二条（减轻处罚）；评查标准“超出法定幅度”。
    不通过示例：跨门营业（50至500元）罚款1000元；或罚款30元但无减轻处罚和法制审核。
    通过示例：跨门营业罚款500元；或罚款30元，决定减轻处罚并经法制审核同意。
    """
    spec = fine_out_of_range.spec
    dec = _decision(case)
    if dec is None:
        return
    fine = to_money(dec.value("fine_yuan"))
    if fine is None:
        fine = to_money(case.value("fine_yuan"))
    if fine is None or fine <= 0:
        return
    vtype = _vtype(case)
    entry = catalogue().get(vtype) if vtype else None
    if entry is None:
        return
    entry = _effective_entry(case, dec, entry, ctx)
    ev = [doc_evidence(dec, "fine_yuan")]
    if entry.fine_formula:
        yield finding(spec, ctx, f"“{entry.name}”的罚款按计算公式（{entry.fine_formula}）确定，需要计算基数，"
                      f"无法自动核对罚款{cn_money(fine)}是否在法定幅度内，请人工核对。", ev, severity="info")
        return
    kind = party_kind(case, ctx.rules)
    ranges: dict[str, tuple[float, float, float]] = {}  # kind -> (min, normal max, highest tier max)
    for k in ([kind] if kind else ["individual", "organisation"]):
        rng = fine_range(entry, k)
        if rng is None:
            ranges = {}
            break
        top = fine_range(entry, k, escalated=True) or rng
        ranges[k] = (rng[0], rng[1], max(rng[1], top[1]))
    where = {(-1 if fine < lo else 1 if fine > top_ else 0) for lo, _hi, top_ in ranges.values()}
    if not ranges or len(where) > 1:
        who = KIND_CN.get(kind or "", "当事人类型不明")
        yield finding(spec, ctx, f"“{entry.name}”对{who}的罚款幅度无法确定，无法核对罚款{cn_money(fine)}，请人工核对。",
                      ev, severity="info")
        return
    side = where.pop()
    who = KIND_CN[kind] if kind else "当事人"
    lo = min(r[0] for r in ranges.values())
    if side > 0:
        highest = max(r[2] for r in ranges.values())
        yield finding(spec, ctx, f"“{entry.name}”对{who}的罚款幅度为{cn_money(lo)}至{cn_money(highest)}，"
                      f"决定罚款{cn_money(fine)}，超过法定上限。", ev)
    elif side < 0:
        reviewed = _reviewed(case)
        if flag_true(case, "mitigated") and reviewed:
            return
        hi = max(r[1] for r in ranges.values())
        why = "未决定减轻处罚" if not flag_true(case, "mitigated") else "减轻处罚未经法制审核"
        yield finding(spec, ctx, f"“{entry.name}”对{who}的罚款幅度为{cn_money(lo)}至{cn_money(hi)}，"
                      f"决定罚款{cn_money(fine)}，低于法定下限且{why}。", ev)


def _reviewed(case: CaseFile) -> bool:
    docs = case.docs_of("legal_review")
    rev, _ev = case_date(case, "legal_review_date")
    if not docs and rev is None:
        return False
    if any(d.value("legal_review_passed") is False for d in docs):
        return False
    dec, _dev = case_date(case, "decision_date")
    return not (rev is not None and dec is not None and rev > dec)
