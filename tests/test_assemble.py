"""Case assembly: precedence between documents, conflicts kept, schema shape, provenance."""
from __future__ import annotations

import json

import pytest

from extractors.assemble import assemble, case_fields, field_provenance
from extractors.evaluate import evaluate
from pipeline.core.models import CASE_FIELD_KEYS, CaseInput, DocFields, Field, Page, SourceDoc, Span, empty_case_fields


def _df(doc_id: str, doc_type: str, part: int = 0, **values) -> DocFields:
    path = doc_id.split("#")[0]
    doc = SourceDoc(doc_id, path, "docx", (Page(1, "x" * 40),), part=part, doc_type=doc_type)
    fields = tuple(Field(k, v, Span(doc_id, 1, 0, 4, f"q-{k}"), f"test.{k}.v1") for k, v in values.items())
    return DocFields(doc, fields)


def _case(docs) -> CaseInput:
    return CaseInput("2406001", "2406001", tuple(d.doc for d in docs))


GENERAL = [
    _df("a/立案.docx", "filing_approval", party_name="张三", party_id_number="31011519******123X",
        case_cause="跨门营业", filing_date="2024-06-03", squad="华新中队",
        approval_date="2024-06-03", discovered_date="2024-06-01"),
    _df("a/检查2.docx", "inspection_record", place="B路2号", violation_date="2024-06-05",
        start_time="2024-06-05T10:00", officers=[{"name": "王二", "cert_no": None}]),
    _df("a/检查1.docx", "inspection_record", place="A路1号", violation_date="2024-06-01",
        start_time="2024-06-01T09:30", officers=[{"name": "张伟", "cert_no": "31010012"}]),
    _df("a/告知.docx", "prior_notice", doc_date="2024-06-10", proposed_fine_yuan=300, right_hearing=True,
        party_name="张三"),
    _df("a/回证1.docx", "service_receipt", served_doc="prior_notice", service_date="2024-06-11"),
    _df("a/决定.docx", "decision", doc_number="沪青城管罚字〔2024〕第12号", party_name="张三",
        party_address="青浦区华志路100号", decision_date="2024-06-20", fine_yuan=200,
        penalty_kinds=["罚款"], violated_provisions=["《上海市市容环境卫生管理条例》第二十五条第五款"],
        penalty_basis=["《上海市市容环境卫生管理条例》第二十五条第五款"],
        remedy={"reconsideration_body": "上海市青浦区人民政府", "reconsideration_days": 60,
                "litigation_months": 6, "litigation_court": None}),
    _df("a/回证2.docx", "service_receipt", served_doc="decision", service_date="2024-06-21"),
    _df("a/缴款.docx", "payment_receipt", payment_date="2024-06-25", amount_yuan=200),
    _df("a/结案.docx", "closing_approval", closing_date="2024-06-28", approval_date="2024-06-28",
        decision_date="2099-01-01"),
]


def test_assemble_general_precedence():
    cf = assemble(_case(GENERAL), GENERAL)
    f = case_fields(cf)
    assert f["case_number"] == "沪青城管罚字〔2024〕第12号"
    assert f["procedure"] == "general" and f["outcome"] == "penalized"
    assert f["party"] == {"name": "张三", "kind": "individual", "id_number": "31011519******123X",
                          "address": "青浦区华志路100号"}
    assert f["violation_type"] == "kua_men_ying_ye"
    # the first inspection is the earliest, not the first in archive order
    assert f["violation_place"] == "A路1号" and f["violation_date"] == "2024-06-01"
    assert f["officers"] == [{"name": "张伟", "cert_no": "31010012"}]
    assert f["filing_date"] == "2024-06-03" and f["discovered_date"] == "2024-06-01"
    assert f["notice_date"] == "2024-06-10" and f["notice_service_date"] == "2024-06-11"
    assert f["decision_date"] == "2024-06-20"  # never the closing form's value
    assert f["decision_service_date"] == "2024-06-21"
    assert f["payment_date"] == "2024-06-25" and f["closing_date"] == "2024-06-28"
    assert f["hearing_waived"] is False  # the notice told the right, no waiver
    assert f["proposed_fine_yuan"] == 300 and f["fine_yuan"] == 200
    assert f["squad"] == "青浦区城管执法局华新中队"  # the gazetteer's name for 华新中队
    assert f["remedy"]["reconsideration_days"] == 60
    assert set(f) == set(CASE_FIELD_KEYS)
    json.dumps(f, ensure_ascii=False)  # JSON-ready


def test_assemble_keeps_conflicts_in_order():
    docs = GENERAL + [_df("a/决定副本.docx", "decision", doc_number="沪青城管罚字〔2024〕第13号",
                          fine_yuan=2000, decision_date="2024-06-21")]
    cf = assemble(_case(docs), docs)
    assert [c.value for c in cf.fields["case_number"]] == ["沪青城管罚字〔2024〕第12号", "沪青城管罚字〔2024〕第13号"]
    assert [c.value for c in cf.fields["fine_yuan"]] == [200, 2000]
    assert cf.value("fine_yuan") == 200
    # party candidates from every document that names the party, decision first
    assert [c.span.doc_id for c in cf.fields["party"]] == ["a/决定.docx", "a/立案.docx", "a/告知.docx"]
    # the later inspection's officers stay as a second candidate
    assert [c.value[0]["name"] for c in cf.fields["officers"]] == ["张伟", "王二"]


def test_assemble_simple_and_waiver():
    docs = [_df("s.pdf#1", "simple_decision", part=1, doc_number="0012345", place="公园路500号",
                start_time="2024-06-10T14:20", officers=[{"name": "张伟", "cert_no": "1"}],
                fine_yuan=100, decision_date="2024-06-10", party_name="赵九")]
    f = case_fields(assemble(_case(docs), docs))
    assert f["procedure"] == "simple" and f["outcome"] == "penalized"
    assert f["case_number"] == "0012345" and f["violation_date"] == "2024-06-10"
    assert f["violation_place"] == "公园路500号" and f["decision_service_date"] is None
    assert f["filing_date"] is None and f["hearing_waived"] is None
    docs2 = GENERAL + [_df("a/放弃.docx", "defence_record", hearing_waived=True)]
    assert case_fields(assemble(_case(docs2), docs2))["hearing_waived"] is True


@pytest.mark.parametrize("extra,outcome", [
    ([_df("w.docx", "withdrawal_approval", withdrawal_date="2024-06-09", transferred=True)], "transferred"),
    ([_df("w.docx", "withdrawal_approval", withdrawal_date="2024-06-09", transferred=False)], "withdrawn"),
    ([_df("n.docx", "non_penalty_decision", decision_date="2024-06-09")], "not_penalized"),
    ([], "pending"),
])
def test_assemble_outcome(extra, outcome):
    docs = [GENERAL[0]] + extra
    f = case_fields(assemble(_case(docs), docs))
    assert f["outcome"] == outcome
    if outcome in ("withdrawn", "transferred"):
        assert f["withdrawal_date"] == "2024-06-09" and f["case_number"] is None


def test_assemble_violation_type_falls_back_to_cause_text():
    docs = [_df("f.docx", "filing_approval", case_cause="某种未知的违法行为")]
    assert case_fields(assemble(_case(docs), docs))["violation_type"] == "某种未知的违法行为"


def test_assemble_empty_case_is_schema_shape():
    f = case_fields(assemble(CaseInput("x", "x", ()), []))
    assert f == empty_case_fields()


def test_assemble_provenance_points_to_chosen_document():
    docs = [_df("c.pdf#2", "decision", part=2, fine_yuan=200)]
    prov = field_provenance(assemble(_case(docs), docs))
    assert prov["fine_yuan"] == {"document": "c.pdf", "part": 2, "page": 1, "quote": "q-fine_yuan"}


def test_evaluate_counts():
    truth = {"a": {**empty_case_fields(), "fine_yuan": 200, "decision_date": "2024-06-01",
                   "party": {"name": "张三", "kind": "individual", "id_number": None, "address": None},
                   "officers": [{"name": "张伟", "cert_no": None}]}}
    pred = {"a": {**empty_case_fields(), "fine_yuan": 200.0, "decision_date": "2024-06-02",
                  "party": {"name": "张三", "kind": None, "id_number": "1", "address": None},
                  "officers": [{"name": "张伟", "cert_no": None}], "closing_date": "2024-07-01"}}
    t = evaluate(pred, truth)
    assert t["fine_yuan"]["tp"] == 1
    assert t["decision_date"]["fp"] == 1 and t["decision_date"]["tp"] == 0
    assert t["party.name"]["tp"] == 1 and t["party.kind"]["fn"] == 1 and t["party.id_number"]["fp"] == 1
    assert t["officers"]["tp"] == 1
    assert t["closing_date"]["fp"] == 1 and t["closing_date"]["precision"] == 0.0


def test_assemble_party_name_most_documents_agree_on():
    docs = [_df("d.docx", "decision", party_name="张晓三"), _df("f.docx", "filing_approval", party_name="张三"),
            _df("n.docx", "prior_notice", party_name="张三")]
    cf = assemble(_case(docs), docs)
    assert cf.value("party")["name"] == "张三"
    assert [c.value["name"] for c in cf.fields["party"]] == ["张三", "张晓三", "张三"]  # conflict kept


def test_assemble_closing_form_amounts_are_not_the_decided_fine():
    # the closing form now carries fine_yuan (处理结果) and amount_yuan (执行情况) for CON-02; the
    # case's fine is still the decision's, and a case without a decision has no fine
    docs = [d for d in GENERAL if d.doc.doc_type != "closing_approval"] + [
        _df("a/结案.docx", "closing_approval", closing_date="2024-06-28", fine_yuan=300, amount_yuan=250)]
    cf = assemble(_case(docs), docs)
    assert [f.value for f in cf.fields["fine_yuan"]] == [200]
    no_dec = [d for d in docs if d.doc.doc_type != "decision"]
    assert case_fields(assemble(_case(no_dec), no_dec))["fine_yuan"] is None


def test_assemble_record_shop_name_is_a_party_candidate():
    # an inquiry record names the shop the person asked answers for: its spelling stays visible
    docs = [_df("b/立案.docx", "filing_approval", party_name="青浦区华新郭氏小卖部"),
            _df("b/询问.docx", "inquiry_record", party_name="青浦区华新郭式小卖部", party_representative="郭玉兰"),
            _df("b/决定.docx", "decision", party_name="青浦区华新郭氏小卖部")]
    cf = assemble(_case(docs), docs)
    names = [f.value["name"] for f in cf.fields["party"]]
    assert names[0] == "青浦区华新郭氏小卖部" and "青浦区华新郭式小卖部" in names


def _doc(doc_id: str, doc_type: str, text: str, source: str = "docx", **values) -> DocFields:
    conf = 0.9 if source == "ocr" else None
    doc = SourceDoc(doc_id, doc_id, "pdf", (Page(1, text, source=source, confidence=conf),), doc_type=doc_type)
    fields = tuple(Field(k, v, Span(doc_id, 1, 0, len(text), text), f"test.{k}.v1") for k, v in values.items())
    return DocFields(doc, fields)


def test_case_number_read_by_ocr_takes_the_brackets_printed_on_a_text_page():
    docs = [_doc("a/决定.pdf", "decision", "沪青城管罚字〔2024]第00383号", "ocr",
                 doc_number="沪青城管罚字〔2024]第00383号"),
            _doc("a/缴款.docx", "payment_receipt", "决定书文号\t沪青城管罚字〔2024〕第00383号")]
    cf = assemble(_case(docs), docs)
    first, second = cf.fields["case_number"][:2]
    assert first.value == "沪青城管罚字〔2024〕第00383号"
    assert first.span.doc_id == "a/缴款.docx" and first.span.quote == "沪青城管罚字〔2024〕第00383号"
    assert second.value == "沪青城管罚字〔2024]第00383号"  # the OCR reading stays, as evidence


def test_case_number_read_by_ocr_with_ascii_brackets_takes_the_full_width_ones_printed_elsewhere():
    docs = [_doc("a/决定.pdf", "decision", "x", "ocr", doc_number="青城管罚决字[2024]第0392号"),
            _doc("a/回证.docx", "service_receipt", "送达文书\t行政处罚决定书（青城管罚决字［2024］第0392号）")]
    assert case_fields(assemble(_case(docs), docs))["case_number"] == "青城管罚决字［2024］第0392号"


def test_case_number_read_by_ocr_alone_gets_its_closing_bracket_paired():
    docs = [_doc("a/决定.pdf", "simple_decision", "x", "ocr", doc_number="沪青城管当罚字〔2024」第0084511号"),
            _doc("a/别的.docx", "payment_receipt", "决定书文号\t沪青城管当罚字〔2024〕第0084512号")]  # another number
    assert case_fields(assemble(_case(docs), docs))["case_number"] == "沪青城管当罚字〔2024〕第0084511号"


def test_case_number_on_a_text_page_stays_as_printed():
    docs = [_doc("a/决定.docx", "decision", "x", doc_number="沪青城管罚字〔2024]第1号"),
            _doc("a/缴款.docx", "payment_receipt", "沪青城管罚字〔2024〕第1号")]
    assert case_fields(assemble(_case(docs), docs))["case_number"] == "沪青城管罚字〔2024]第1号"


@pytest.mark.parametrize("read, mended", [
    ("沪青城管罚字〔2024]第00383号", "沪青城管罚字〔2024〕第00383号"),
    ("沪青城管罚字〔2024」第1号", "沪青城管罚字〔2024〕第1号"),
    ("青城管罚决字[2024]第0392号", "青城管罚决字[2024]第0392号"),
    ("青城管罚字（2024)第7号", "青城管罚字（2024）第7号"),
    ("青城管罚字(2024)第7号", "青城管罚字(2024)第7号"),
    ("第7号", "第7号"),
    ("送达沪青城管罚字〔2024」第1号和青城管扣字〔 2024]第2号",
     "送达沪青城管罚字〔2024〕第1号和青城管扣字〔 2024〕第2号"),
    ("（2024年3月）", "（2024年3月）"),
])
def test_pair_brackets(read, mended):
    from pipeline.read.ocr import pair_brackets

    assert pair_brackets(read) == mended
