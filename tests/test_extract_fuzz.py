"""No crash costs a case (issue 13, item 1): every registered extractor runs over mutated
documents — dropped lines, swapped labels, joined lines, half-width punctuation, spaced titles —
and no exception escapes it (``debug=True`` re-raises, so a crash fails the test). A document
whose extractor does fail keeps no fields and carries an E210 error naming it.

Bounded: few examples per test, no deadline; a failure prints the minimal mutation (hypothesis
shrinks it): add it as an ``@example`` to keep it.
"""
from __future__ import annotations

import functools

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from extractors.fields import all_extractors, extract_case, extract_document
from extractors.fields.labels import LABEL_SETS
from pipeline.core.models import CaseInput, Page, SourceDoc

FUZZ = settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

# one plausible document per form (written for this test; names and numbers invented)
SEEDS: dict[str, tuple[str, str]] = {
    "decision": ("行政处罚决定书", "上海市青浦区城市管理行政执法局\n行政处罚决定书\n第2024058812号\n当事人：上海某某餐饮有限公司\n"
                 "统一社会信用代码：91310118MA1XXXXXX1\n地址：青浦区华新镇某路8号\n经查，2024年5月3日当事人在门前占道经营。"
                 "以上事实有现场检查笔录为证。你单位的上述行为违反了《上海市市容环境卫生管理条例》第二十五条第二款的规定，依据该条例"
                 "第二十五条第二款的规定，决定对你单位处以罚款人民币伍佰元整。\n请于收到本决定书之日起十五日内缴纳罚款，逾期每日按罚款数额的"
                 "百分之三加处罚款。如不服本决定，可在收到本决定书之日起六十日内向上海市青浦区人民政府申请行政复议，或者六个月内向上海铁路运输法院"
                 "提起行政诉讼。\n上海市青浦区城市管理行政执法局（印章）\n2024年6月3日"),
    "simple_decision": ("当场行政处罚决定书", "当场行政处罚决定书\n青城管简罚字〔2024〕第000123号\n当事人\t王某\t性别\t男\n"
                        "违法时间\t2024-06-20 12:40\t违法地点\t城中北路975号门前\n你超出门窗摆放商品，违反了《上海市市容环境卫生管理条例》"
                        "第二十五条第五款的规定，当场作出如下处罚决定：罚款人民币壹佰元整。\n执法人员：程某（执法证号31187330）、梁某 31005449\n"
                        "当事人签名：\n二〇二四年六月二十日"),
    "prior_notice": ("行政处罚事先告知书", "行政处罚事先告知书\n青城管罚先告字〔2024〕第0189号\n上海某某烧烤店：\n经调查，你店于2024年5月1日"
                     "占道设摊，违反了《上海市市容环境卫生管理条例》第二十五条第二款。拟对你作出罚款人民币贰佰元的行政处罚。你有权在收到本告知书之日起"
                     "三个工作日内进行陈述和申辩，并有权要求举行听证。\n2024年5月20日"),
    "non_penalty_decision": ("不予行政处罚决定书", "不予行政处罚决定书\n青城管不罚字〔2024〕第0003号\n当事人：李某\n经查，当事人初次违法且"
                             "危害后果轻微并及时改正，依据《中华人民共和国行政处罚法》第三十三条第一款，决定不予行政处罚。\n2024年7月1日"),
    "inspection_record": ("现场检查笔录", "现场检查笔录\n检查时间\t2024年3月5日9时30分至10时15分\n检查地点\t青浦区某路1号\n"
                          "被检查人（当事人）\t某某商店\n执法人员\t张某、李某\t执法证号\t31190012345、31190012377\n检查情况\t门前堆放货物。\n"
                          "当事人签名\t\n见证人\t"),
    "inquiry_record": ("询问笔录", "询问笔录\n询问时间：2024年3月6日 14时30分至15时05分\n询问地点：青浦区城管执法局\n"
                       "询问人：张某 执法证号：31190012345 记录人：李某 执法证号：\n被询问人 赵某（某某便利店经营者）\n问：你是否知道？\n答：知道。\n"
                       "被询问人签名：赵某"),
    "defence_record": ("陈述申辩笔录", "陈述申辩笔录\n时间：2024年5月22日\n陈述申辩内容：无\n当事人签名："),
    "hearing_record": ("听证笔录", "听证笔录\n听证时间：2024年5月25日9时至10时\n听证地点：青浦区城管执法局\n当事人：某某公司\n主持人：王某"),
    "filing_approval": ("立案审批表", "立案审批表\n案由\t占道设摊\t承办中队\t夏阳中队\n当事人\t某某商店\t发现时间\t2024年3月1日\n"
                        "案件来源\t巡查\t立案日期\t\n承办人意见\t建议立案\t承办人\t张某\n负责人意见\t同意。\t签名\t王某\t2024年3月2日"),
    "closing_approval": ("结案审批表", "结案审批表\n案由：占道设摊\n处理结果：罚款人民币伍佰元\n执行情况：已于2024年6月20日缴纳罚款500元\n"
                         "结案日期：\n负责人意见：同意结案 王某 2024/06/25"),
    "decision_approval": ("行政处罚决定审批表", "行政处罚决定审批表\n案由\t占道设摊\n承办人意见\t拟对当事人罚款人民币伍佰元\n"
                          "法制审核意见\t同意\n负责人审批意见\t同意\t签名\t王某\t2024/06/01"),
    "investigation_report": ("案件调查终结报告", "案件调查终结报告\n案由：占道设摊\n经调查，当事人于2024年3月1日在门前占道经营，违反了"
                             "《上海市市容环境卫生管理条例》第二十五条第二款。建议拟作出罚款人民币伍佰元的行政处罚。"),
    "collective_discussion": ("重大案件集体讨论记录", "重大案件集体讨论记录\n讨论时间：2024年5月28日\n主持人：王某\n讨论意见：同意减轻处罚。"),
    "legal_review": ("法制审核意见书", "法制审核意见书\n审核意见：同意\n审核日期：2024年5月30日"),
    "extension_approval": ("延长办案期限审批表", "延长办案期限审批表\n延长至：2024年9月30日\n负责人意见：同意 王某 2024年6月1日"),
    "withdrawal_approval": ("撤销立案审批表", "撤销立案审批表\n撤案理由：经查违法事实不能成立\n负责人意见：同意 2024年4月1日"),
    "service_receipt": ("送达回证", "送达回证\n送达文书名称及文号\t行政处罚决定书 青城管罚决字〔2024〕第0461号\n受送达人\t某某公司\n"
                        "送达方式\t邮寄送达\t送达日期\t2024年6月5日寄出 2024年6月7日签收\n收件人签名\t\n送达人\t张某"),
    "payment_receipt": ("罚没款缴款凭证", "罚没款缴款凭证\n缴款人\t某某公司\n金额（大写）\t人民币伍佰元整\t金额（小写）\t500.00\n"
                        "开票日期\t2024年6月10日\t缴款日期\t2024年6月12日"),
    "case_source": ("案件来源登记表", "案件来源登记表\n案件来源：12345热线投诉\n接报时间：2024年2月28日\n发生地点：某路1号\n"
                    "当事人：某某商店"),
    "correction_order": ("责令改正通知书", "责令改正通知书\n青城管责改字〔2024〕第0012号\n某某商店：\n你店占道设摊，违反了"
                         "《上海市市容环境卫生管理条例》第二十五条第二款。限你于2024年3月10日前改正。\n上海市青浦区城市管理行政执法局\n2024年3月5日"),
    "evidence_preservation": ("证据先行登记保存通知书", "证据先行登记保存通知书\n当事人：某某商店\n负责人意见：同意 2024年3月5日"),
    "other": ("情况说明", "情况说明\n当事人：某某商店\n本人放弃听证。\n2024年3月8日"),
}
for _spec in all_extractors().values():  # every form has a seed
    assert _spec.fallback or set(_spec.doc_types) <= set(SEEDS), _spec.name

_LABELS = sorted({x for s in LABEL_SETS.values() for x in s.synonyms})
_HALF = str.maketrans({"：": ":", "，": ",", "；": ";", "（": "(", "）": ")", "。": ".", "〔": "[", "〕": "]"})


@functools.lru_cache(maxsize=None)
def _nlp():
    from extractors.nlp import build_nlp

    return build_nlp()


def _doc(doc_type: str, text: str, kind: str, title: str | None) -> SourceDoc:
    source = "docx" if kind == "docx" else "pdf_text"
    return SourceDoc(doc_id=f"x.{kind}", path=f"x.{kind}", kind=kind, pages=(Page(1, text, source),),
                     doc_type=doc_type, title=title)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str, str, str | None]:
    doc_type = draw(st.sampled_from(sorted(SEEDS)))
    title, text = SEEDS[doc_type]
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(("drop", "swap_label", "join", "half", "space_title", "cut", "blank_cells")))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "drop":
            del lines[i]
        elif op == "swap_label":
            here = [x for x in _LABELS if x in lines[i]]
            if here:
                lines[i] = lines[i].replace(draw(st.sampled_from(here)), draw(st.sampled_from(_LABELS)), 1)
        elif op == "join" and i + 1 < len(lines):
            lines[i:i + 2] = [lines[i] + draw(st.sampled_from(("", " ", "\t"))) + lines[i + 1]]
        elif op == "half":
            lines[i] = lines[i].translate(_HALF)
        elif op == "space_title":
            lines[i] = " ".join(lines[i])
        elif op == "cut":
            lines[i] = lines[i][:draw(st.integers(0, max(0, len(lines[i]) - 1)))]
        else:
            lines[i] = "\t".join(part.split("：")[0] for part in lines[i].split("\t"))
    kind = draw(st.sampled_from(("docx", "pdf")))
    return doc_type, "\n".join(lines), kind, draw(st.sampled_from((title, None)))


@FUZZ
@given(mutated())
@example(("decision", SEEDS["decision"][1], "pdf", "行政处罚决定书"))  # issue 13: 第2024058812号 has no year group
def test_extract_fuzz_no_exception_escapes_an_extractor(case: tuple[str, str, str, str | None]) -> None:
    doc_type, text, kind, title = case
    df = extract_document(_doc(doc_type, text, kind, title), _nlp(), debug=True)
    for f in df.fields:
        assert f.span is None or 0 <= f.span.start <= f.span.end <= len(text)
        assert f.state in ("found", "blank") and (f.value is None) == f.blank


@pytest.mark.parametrize("doc_type", sorted(SEEDS))
@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_extract_fuzz_seed_documents_read_without_error(doc_type: str, kind: str) -> None:
    title, text = SEEDS[doc_type]
    df = extract_document(_doc(doc_type, text, kind, title), _nlp(), debug=True)
    assert df.errors == () and df.fields


def test_extract_fuzz_a_failing_extractor_costs_one_document_not_the_case(monkeypatch: pytest.MonkeyPatch) -> None:
    import extractors.fields as F

    def boom(t, o, sd):  # noqa: ANN001 - the registered signature
        raise IndexError("no such group")

    spec = F.extractor_for("decision")
    monkeypatch.setitem(F._BY_TYPE, "decision", type(spec)(spec.name, spec.doc_types, spec.fields, boom))
    title, text = SEEDS["decision"]
    notice_title, notice_text = SEEDS["prior_notice"]
    case = CaseInput(case_id="C1", source="C1", docs=(
        _doc("decision", text, "docx", title),
        SourceDoc(doc_id="n.docx", path="n.docx", kind="docx", pages=(Page(1, notice_text, "docx"),),
                  doc_type="prior_notice", title=notice_title)))
    case2, docs = extract_case(case, _nlp())
    assert docs[0].fields == () and [e.code for e in docs[0].errors] == ["E210"]
    assert docs[1].errors == () and docs[1].value("proposed_fine_yuan") == 200
    (err,) = case2.errors
    assert err.code == "E210" and err.path == "x.docx" and "x.docx《行政处罚决定书》" in err.message
    assert "IndexError: no such group" in err.message
    with pytest.raises(IndexError):
        extract_document(case.docs[0], _nlp(), debug=True)
