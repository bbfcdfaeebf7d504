"""归档 checks: consistency of the party and the amount across documents, required documents."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from checks.common import (
    DOC_NAMES,
    any_doc_evidence,
    applies,
    case_date,
    cn_money,
    doc_evidence,
    doc_name,
    finding,
    flag_true,
    outcome,
    procedure,
    to_money,
)
from checks.registry import CheckContext, check
from extractors.normalise.names import names_match
from pipeline.core.models import CaseFile, Citation, DocFields, Evidence, Field, Finding

APL = "中华人民共和国行政处罚法"
_SPACE = re.compile(r"[\s\u3000]+")
_BRACKETS = str.maketrans({"(": "（", ")": "）"})


def _norm_name(s: Any) -> str:
    """A name or id number as shown in a message: no whitespace, full-width round brackets."""
    return _SPACE.sub("", str(s or "")).translate(_BRACKETS)


_ORG_TAIL = ("公司", "店", "部", "厂", "社", "中心", "商行", "行", "馆", "所", "院", "场", "站", "坊", "铺",
             "会", "局", "室", "组", "队", "处", "校", "园", "楼", "吧", "城", "庄", "摊")


def person_like(name: str) -> bool:
    """A personal name (2–4 characters, masks included), not a shop or organisation name."""
    return 2 <= len(name) <= 4 and not name.endswith(_ORG_TAIL)


def _id_kind(s: str) -> str:
    """credit (统一社会信用代码: letters inside, or 9x prefix) | person (身份证号)."""
    body = s[:-1]
    return "credit" if any(c.isalpha() for c in body if c not in _ID_MASK) or s[:1] == "9" else "person"


def ids_agree(a: str, b: str) -> bool:
    """Same id number, masked positions (*, ×) never contradicting. A credit code and a personal id
    number (an 个体工商户 and its operator) are different identifiers, not a contradiction."""
    a, b = _norm_name(a).upper(), _norm_name(b).upper()
    if a == b or _id_kind(a) != _id_kind(b):
        return True
    if len(a) != len(b):
        return _masked_id(a) or _masked_id(b)
    return all(x == y or x in _ID_MASK or y in _ID_MASK for x, y in zip(a, b))


_ID_MASK = set("*＊×")


def _masked_id(s: str) -> bool:
    return any(c in _ID_MASK for c in s)


@check(id="CON-01", name="inconsistent-party", title="当事人信息前后不一致", severity="minor", stage="归档",
       citation=Citation(APL, "第五十九条", note="评查标准：当事人名称前后不一致"))
def inconsistent_party(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """同一案卷各文书中的当事人名称（或证件号码）不一致。

    检查内容：比较载明当事人的文书（立案审批表、笔录、调查终结审批表、告知书、决定书、结案审批表等，可配置）
    中的当事人名称和身份证号/统一社会信用代码。笔录中的个人姓名和身份证号可能是被询问人、在场人（员工、
    经营者、见证人）而非当事人，不参与比较；笔录中的单位、字号名称参与比较。
    打码部分（*、某）视为不矛盾；一方为OCR识别的文书时，名称相似度达到阈值（默认90，rapidfuzz）的视为
    识别噪声（文字版文书之间一字之差即报告）；统一社会信用代码
    与身份证号（个体工商户与经营者）不互相比较。
    法律依据：《中华人民共和国行政处罚法》第五十九条（决定书应载明当事人姓名或名称）；评查标准“当事人名称前后不一致”。
    不通过示例：立案审批表当事人“上海青浦某某餐饮有限公司”，决定书为“上海青浦某某贸易有限公司”。
    通过示例：立案审批表“杜**”，决定书“杜某某”；扫描件OCR为“明珠餐钦”，决定书为“明珠餐饮”。
    """
    spec = inconsistent_party.spec
    if not applies(spec.id, case, ctx):
        return
    p = ctx.params(spec.id)
    sim = float(p.get("name_similarity", 90))
    types = tuple(p.get("doc_types") or ())
    records = tuple(p.get("record_types") or ())
    docs = [d for d in case.docs if not types or d.doc.doc_type in types]
    for field, label in (("party_name", "当事人名称"), ("party_id_number", "当事人证件号码")):
        seen: list[tuple[str, Any]] = []
        for d in docs:
            for f in d.all(field):
                v = _norm_name(f.value)
                if not v:
                    continue
                if d.doc.doc_type in records and (
                        (field == "party_name" and person_like(v))
                        or (field == "party_id_number" and _id_kind(v.upper()) == "person")):
                    continue  # the person asked or present may be an employee, operator or witness
                seen.append((v, (d, f)))
        if len(seen) < 2:
            continue
        ref, (rdoc, rf) = seen[0]
        clash = [(v, src) for v, src in seen[1:] if not _agree(field, ref, v, rdoc, src[0], sim)]
        if clash:
            v, (cdoc, cf) = clash[0]
            ev = [_ev(rdoc, rf), _ev(cdoc, cf)]
            yield finding(spec, ctx, f"{doc_name(rdoc)}载明的{label}为“{ref}”，{doc_name(cdoc)}为“{v}”，"
                          "前后不一致。", ev)


def _agree(field: str, a: str, b: str, da: DocFields, db: DocFields, similarity: float) -> bool:
    """Two values of ``field`` do not contradict: id numbers by ``ids_agree``; names by the one
    masked-name comparator, tolerating OCR noise (``similarity``) when one side was read by OCR."""
    if field == "party_id_number":
        return ids_agree(a, b)
    ocr = da.doc.text_source == "ocr" or db.doc.text_source == "ocr"
    return names_match(a, b, similarity=similarity if ocr else 100.0, min_visible=0)


def _ev(d: Any, f: Any) -> Evidence:
    if f.span is not None:
        return Evidence(document=f.span.doc_id, page=f.span.page, quote=f.span.quote)
    return doc_evidence(d)


@check(id="CON-02", name="inconsistent-amount", title="罚款金额前后不一致", severity="minor", stage="归档",
       citation=Citation(APL, "第五十九条", note="评查标准：文书记载金额不一致"))
def inconsistent_amount(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """处罚决定书、缴款凭证、结案审批表中的罚款金额不一致。

    检查内容：决定书内大写与小写金额应一致；缴款凭证金额应等于决定罚款（逾期加处罚款的，可多于罚款但不超过
    罚款的两倍）；结案审批表记载的罚款（处理结果）应等于决定罚款，其执行情况记载的缴款金额按缴款凭证的规则比较。
    法律依据：《中华人民共和国行政处罚法》第五十九条、第七十二条；评查标准。
    不通过示例：决定书罚款2000元，缴款凭证金额1000元。
    通过示例：决定书罚款2000元，缴款凭证2000元，结案审批表2000元。
    """
    spec = inconsistent_amount.spec
    if not applies(spec.id, case, ctx):
        return
    decisions = case.docs_of("decision", "simple_decision")
    if not decisions:
        return
    dec = decisions[0]
    values: list[tuple[float, Field]] = []
    for f in dec.all("fine_yuan"):
        m = to_money(f.value)
        if m is not None and m not in [x for x, _f in values]:
            values.append((m, f))
    if not values:
        return
    fine, ff = values[0]
    fev = [_ev(dec, ff)]
    if len(values) > 1:
        yield finding(spec, ctx, f"{doc_name(dec)}中罚款金额记载为{'、'.join(cn_money(x) for x, _f in values)}，"
                      "前后不一致。",
                      [_ev(dec, f) for _x, f in values])
        return
    allow = bool(ctx.params(spec.id).get("allow_surcharge_in_payment", True))
    for d in case.docs_of("closing_approval"):
        amount = to_money(d.value("fine_yuan"))
        if amount is not None and amount != fine:
            yield finding(spec, ctx, f"{doc_name(dec)}罚款{cn_money(fine)}，{doc_name(d)}记载罚款{cn_money(amount)}，"
                          f"前后不一致。",
                          fev + [doc_evidence(d, "fine_yuan")])
    # the amount paid: on the receipt, and in the closing form's 执行情况
    for d in case.docs_of("payment_receipt", "closing_approval"):
        amount = to_money(d.value("amount_yuan"))
        if amount is None or amount == fine:
            continue
        if allow and fine < amount <= 2 * fine and _late(case):
            continue
        what = "金额为" if d.doc.doc_type == "payment_receipt" else "记载缴纳"
        yield finding(spec, ctx, f"{doc_name(dec)}罚款{cn_money(fine)}，{doc_name(d)}{what}{cn_money(amount)}，"
                      f"前后不一致。",
                      fev + [doc_evidence(d, "amount_yuan")])


def _late(case: CaseFile) -> bool:
    if flag_true(case, "urge_notice"):
        return True
    served, _ = case_date(case, "decision_service_date")
    paid, _ = case_date(case, "payment_date")
    return served is not None and paid is not None and paid > served + dt.timedelta(days=15)


@check(id="DOC-01", name="missing-required-document", title="缺少必备文书", severity="major", stage="归档",
       citation=Citation(APL, "第四十七条", note="《上海市城管行政处罚案卷管理规定》（条文序号未核实）"))
def missing_required_document(case: CaseFile, ctx: CheckContext) -> Iterator[Finding]:
    """案卷缺少该程序和结果所必备的文书。

    检查内容：按程序（一般/简易）和办理结果（处罚、不予处罚、撤案、移送、未决）核对必备文书清单（可配置；
    审查决定之后的清单为本地假设）。已由其他检查项报告的缺失（立案审批表 FIL-01、送达凭证 SRV-02、
    结案审批 CLS-01）默认不重复报告；缺告知书同时报告（评分只按 NOT-01 计）。每缺一种文书报告一次。
    法律依据：《中华人民共和国行政处罚法》第四十七条（全过程记录，归档保存）；《上海市城管行政处罚案卷管理规定》。
    不通过示例：一般程序处罚案件没有案件调查终结审批表。
    通过示例：一般程序处罚案件有立案审批表、现场检查笔录、调查终结审批表、告知书、决定书、送达回证、结案审批表。
    """
    spec = missing_required_document.spec
    if not applies(spec.id, case, ctx):
        return
    proc, oc = procedure(case), outcome(case)
    if proc is None or oc is None:
        return
    p = ctx.params(spec.id)
    required = ((p.get("required") or {}).get(proc) or {}).get(oc) or []
    reported_by = p.get("reported_by") or {}
    label = {"general": "一般程序", "simple": "简易程序"}[proc]
    result = {"penalized": "处罚", "not_penalized": "不予处罚", "withdrawn": "撤案", "transferred": "移送",
              "pending": "未决"}.get(oc, oc)
    ev = any_doc_evidence(case, "decision", "non_penalty_decision", "withdrawal_approval", "filing_approval")
    for item in required:
        alts = [item] if isinstance(item, str) else list(item)
        if case.has(*alts):
            continue
        deferred = len(alts) == 1 and alts[0] in reported_by
        if deferred and ctx.params(reported_by[alts[0]]).get("enabled", True):
            continue
        names = "或".join(DOC_NAMES.get(a, a) for a in alts)
        yield finding(spec, ctx, f"案卷缺少{names}，该文书是{label}{result}案件的必备文书。", ev)
