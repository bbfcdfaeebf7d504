"""Issue 13's extractor rules, one table each: what a slot holds (found / blank / not found),
officers' certificates in any layout, two dated events in one cell, look-alike labels, the squad
gazetteer, the violation from its article, and typing a page without a title by its content."""
from __future__ import annotations

import functools

import pytest

from extractors.doctype import classify
from extractors.fields import extract_document
from extractors.squads import SQUADS
from extractors.violations import violation_by_provisions
from pipeline.core.models import Page, SourceDoc


@functools.cache
def _nlp():
    from extractors.nlp import build_nlp

    return build_nlp()


def _read(text: str, doc_type: str, kind: str = "docx"):
    source = "docx" if kind == "docx" else "pdf_text"
    doc = SourceDoc("x", "x", kind, (Page(1, text, source),), doc_type=doc_type, title=None)
    return extract_document(doc, _nlp(), debug=True)


@pytest.mark.parametrize("text, kind, state", [
    ("现场检查笔录\n检查情况\t无\n当事人签名\n见证人\t王某", "docx", "blank"),    # a table row's end
    ("现场检查笔录\n检查情况：无\n当事人签名：\n见证人：王某", "docx", "blank"),   # the next line is a label
    ("现场检查笔录\n检查情况：无\n当事人签名：", "docx", "blank"),                # the text's end
    ("现场检查笔录\n检查情况：无\n当事人签名：\n张三", "docx", None),             # may be on the next line
    ("现场检查笔录\n检查情况 无\n当事人签名\n见证人 王某", "pdf", "blank"),       # PDF: another label follows
    ("现场检查笔录\n当事人签名：张三", "docx", "found"),
    ("现场检查笔录\n检查情况：无", "docx", None),                                 # no signature label at all
])
def test_extract_states_signature_cell(text: str, kind: str, state: str | None) -> None:
    df = _read(text, "inspection_record", kind)
    assert df.state("party_signed") == state
    if state == "blank":
        assert df.value("party_signed") is None and df.get("party_signed").span.quote.startswith("当事人签名")


@pytest.mark.parametrize("text, want", [
    ("执法人员：陈某（执法证号31190012345）、吴某（执法证号31190012377）",
     [("陈某", "31190012345", "found"), ("吴某", "31190012377", "found")]),
    ("执法人员：陈某 31190012345  吴某 31190012377",
     [("陈某", "31190012345", "found"), ("吴某", "31190012377", "found")]),
    ("执法人员：陈某（沪青城管31190012345）、吴某（31190012377）",
     [("陈某", "31190012345", "found"), ("吴某", "31190012377", "found")]),
    ("执法人员\t陈某、吴某\t执法证号\t31190012345、31190012377",
     [("陈某", "31190012345", "found"), ("吴某", "31190012377", "found")]),
    ("执法人员\t执法证号\n陈某\t31190012345\n吴某\t31190012377\n检查情况\t无",
     [("陈某", "31190012345", "found"), ("吴某", "31190012377", "found")]),
    ("询问人：陈某 执法证号：31190012345    记录人：吴某 执法证号：",
     [("陈某", "31190012345", "found"), ("吴某", None, "blank")]),
    ("执法人员：陈某、吴某 当事人：王某", [("陈某", None, "not_found"), ("吴某", None, "not_found")]),
])
@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_extract_states_officers_in_any_layout(text: str, want: list, kind: str) -> None:
    if kind == "pdf":
        text = text.replace("\t", " ")
    got = _read(text, "inspection_record", kind).value("officers")
    assert [(o["name"], o["cert_no"], o["cert_state"]) for o in got] == want


@pytest.mark.parametrize("cell, service, dispatch", [
    ("2024年6月5日寄出 2024年6月7日签收", "2024-06-07", "2024-06-05"),
    ("邮寄2024年6月5日，妥投2024年6月7日", "2024-06-07", "2024-06-05"),
    ("2024年6月7日", "2024-06-07", None),
])
def test_extract_states_two_dated_events_in_one_cell(cell: str, service: str, dispatch: str | None) -> None:
    df = _read(f"送达回证\n送达方式\t邮寄送达\t送达日期\t{cell}\n送达人\t张某", "service_receipt")
    assert df.value("service_date") == service and df.value("dispatch_date") == dispatch


@pytest.mark.parametrize("rows, paid, issued", [
    ("开票日期\t2024年6月10日\t缴款日期\t2024年6月12日", "2024-06-12", "2024-06-10"),
    ("填制日期\t2024年6月10日", None, "2024-06-10"),          # an issue date is never the paid date
    ("缴款日期\t2024年6月12日", "2024-06-12", None),
    ("缴款日期\t    年  月  日", None, None),                    # an unfilled date: blank
])
def test_extract_states_payment_issue_date_is_not_the_paid_date(rows: str, paid: str | None,
                                                                 issued: str | None) -> None:
    df = _read(f"罚没款缴款凭证\n缴款人\t某某公司\n{rows}", "payment_receipt")
    assert df.value("payment_date") == paid and df.value("payment_issued_date") == issued
    if "年  月  日" in rows:
        assert df.state("payment_date") == "blank"


@pytest.mark.parametrize("text, name", [
    ("上海市青浦区城市管理行政执法局练塘中队", "青浦区城管执法局练塘中队"),
    ("朱家角镇综合行政执法队（城管执法中队）", "青浦区城管执法局朱家角中队"),
    ("2406001-徐泾城管中队", "青浦区城管执法局徐泾中队"),
    ("青浦区城管执法局", None),
])
def test_extract_states_squad_gazetteer(text: str, name: str | None) -> None:
    hit = SQUADS.find(text)
    assert (hit[2] if hit else None) == name


@pytest.mark.parametrize("cites, key", [
    (["《上海市市容环境卫生管理条例》第二十五条第五款"], "kua_men_ying_ye"),
    (["《上海市市容环境卫生管理条例》第四十四条"], None),  # shared by several entries: decides nothing
    ([], None),
])
def test_extract_states_violation_from_its_article(cites: list[str], key: str | None) -> None:
    assert violation_by_provisions(cites)[0] == key


@pytest.mark.parametrize("text, doc_type", [
    ("上海市青浦区城市管理行政执法局行政处罚决定书青城管罚决字〔2024〕第0461号当事人：某某公司。经查，当事人违反了"
     "《上海市市容环境卫生管理条例》第二十五条第二款，"
     "决定对当事人处以罚款人民币伍佰元整。如不服本决定，可申请行政复议。", "decision"),
    ("经查，当事人初次违法。依据《中华人民共和国行政处罚法》第三十三条，决定不予行政处罚。如不服，可申请行政复议。",
     "non_penalty_decision"),
    ("经调查，拟对你作出罚款200元的处罚。你有权进行陈述和申辩。", "prior_notice"),
    ("当事人：张三\n问：你叫什么？\n答：张三。", "inquiry_record"),
    ("受送达人：张三\n送达方式：直接送达", "service_receipt"),
    ("今天天气很好。", "other"),
])
def test_extract_states_untitled_page_typed_by_content(text: str, doc_type: str) -> None:
    assert classify(text)[0] == doc_type
