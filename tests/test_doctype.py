"""Typing documents by content: titles (exact, framed, damaged), near-titles, splitting."""
from __future__ import annotations

import pytest

from extractors.doctype import classify, find_title, load_table, normalise, split_points
from pipeline.core.models import DOC_TYPES, Page


@pytest.mark.parametrize("title, expected", [
    ("案件来源登记表", "case_source"),
    ("投诉举报登记表", "case_source"),
    ("巡查发现记录", "case_source"),
    ("案件移送函", "case_source"),
    ("立案审批表", "filing_approval"),
    ("现场检查笔录", "inspection_record"),
    ("现场勘验笔录", "inspection_record"),
    ("询问笔录", "inquiry_record"),
    ("调查笔录", "inquiry_record"),
    ("责令改正通知书", "correction_order"),
    ("责令限期改正通知书", "correction_order"),
    ("证据先行登记保存通知书", "evidence_preservation"),
    ("证据先行登记保存清单", "evidence_preservation"),
    ("证据先行登记保存处理决定书", "evidence_preservation"),
    ("查封(扣押)决定书", "coercive_measure"),
    ("暂扣物品清单", "coercive_measure"),
    ("视音频记录登记表", "av_record"),
    ("执法记录仪记录说明", "av_record"),
    ("案件调查终结审批表", "investigation_report"),
    ("案件调查终结报告", "investigation_report"),
    ("重大执法决定法制审核意见书", "legal_review"),
    ("法制审核意见书", "legal_review"),
    ("法制审核意见表", "legal_review"),
    ("集体讨论记录", "collective_discussion"),
    ("行政处罚事先告知书", "prior_notice"),
    ("行政处罚事先（听证）告知书", "prior_notice"),
    ("陈述申辩笔录", "defence_record"),
    ("陈述申辩复核意见", "defence_record"),
    ("听证通知书", "hearing_notice"),
    ("听证笔录", "hearing_record"),
    ("听证报告", "hearing_record"),
    ("行政处罚决定审批表", "decision_approval"),
    ("行政处罚决定书", "decision"),
    ("当场行政处罚决定书", "simple_decision"),
    ("不予行政处罚决定书", "non_penalty_decision"),
    ("送达回证", "service_receipt"),
    ("邮寄送达回执", "service_receipt"),
    ("电子送达确认书", "service_receipt"),
    ("罚没款缴款凭证", "payment_receipt"),
    ("非税收入缴款书", "payment_receipt"),
    ("延长办案期限审批表", "extension_approval"),
    ("撤销立案审批表", "withdrawal_approval"),
    ("销案审批表", "withdrawal_approval"),
    ("结案审批表", "closing_approval"),
    ("结案报告", "closing_approval"),
    ("卷宗封面", "other"),
    ("卷内目录", "other"),
    ("卷内备考表", "other"),
    ("身份证明", "other"),
    ("营业执照", "other"),
])
def test_doctype_exact_title(title: str, expected: str) -> None:
    assert classify(title + "\n当事人：张三") == (expected, 1.0)


@pytest.mark.parametrize("line, expected", [
    ("行 政 处 罚 决 定 书", "decision"),               # letter-spaced title
    ("行政处罚事先(听证)告知书", "prior_notice"),          # half-width brackets
    ("查封（扣押）决定书", "coercive_measure"),
    ("\u3000立案审批表\u3000", "filing_approval"),       # ideographic spaces
])
def test_doctype_normalised_title_is_exact(line: str, expected: str) -> None:
    assert classify(line) == (expected, 1.0)


@pytest.mark.parametrize("line, expected", [
    ("上海市青浦区城市管理行政执法局行政处罚决定书", "decision"),
    ("上海市青浦区城市管理行政执法局当场行政处罚决定书", "simple_decision"),
    ("青浦区华新镇人民政府不予行政处罚决定书", "non_penalty_decision"),
    ("送达回证（存根）", "service_receipt"),
])
def test_doctype_framed_title(line: str, expected: str) -> None:
    assert classify(line) == (expected, 0.95)


@pytest.mark.parametrize("damaged, expected", [
    ("行政处訇决定书", "decision"),
    ("当场行政处訇决定书", "simple_decision"),
    ("不予行政处訇决定书", "non_penalty_decision"),
    ("行政处罚决定审枇表", "decision_approval"),
    ("案件调查终结审枇表", "investigation_report"),
    ("结案审枇表", "closing_approval"),
    ("撤销立案审枇表", "withdrawal_approval"),
    ("立案审枇表", "filing_approval"),
    ("询向笔录", "inquiry_record"),
    ("现场检查筆录", "inspection_record"),
])
def test_doctype_damaged_title_fuzzy(damaged: str, expected: str) -> None:
    doc_type, conf = classify(damaged)
    assert doc_type == expected
    assert 0.5 < conf < 0.95


@pytest.mark.parametrize("title, body, expected", [
    # a damaged generic title: the body settles the near type
    ("行政处訇决定书", "当事人：张三\n执法人员当场收缴罚款五十元。", "simple_decision"),
    ("行政处訇决定书", "当事人：张三\n本机关决定不予行政处罚。", "non_penalty_decision"),
    ("行政处訇决定书", "当事人：张三\n本机关决定罚款人民币贰佰元整。", "decision"),
    # an exact title is never overridden by body words
    ("行政处罚决定书", "当事人曾被当场收缴物品。", "decision"),
    ("结案审批表", "案件调查终结后已执行完毕。", "closing_approval"),
])
def test_doctype_body_tie_breakers(title: str, body: str, expected: str) -> None:
    assert classify(title + "\n" + body)[0] == expected


@pytest.mark.parametrize("lines", [
    ["送达文书：行政处罚决定书", "受送达人：张三"],
    ["依据《行政处罚事先告知书》告知的事项", "本机关决定如下"],
    ["送达文书\t行政处罚决定书"],                                  # a DOCX table row
    ["当事人于2024年3月5日收到行政处罚决定书后未提出异议，特此说明。"],  # too long for a title
])
def test_doctype_title_mentions_are_not_titles(lines: list[str]) -> None:
    assert find_title(lines) is None


def test_doctype_find_title_after_agency_header_and_before_number() -> None:
    lines = ["", "上海市青浦区城市管理行政执法局", "行政处罚事先告知书", "沪青城管罚告字〔2024〕第7号", "当事人：王五"]
    assert find_title(lines) == (2, "行政处罚事先告知书", "prior_notice", 1.0)


def test_doctype_find_title_only_in_first_six_nonempty_lines() -> None:
    lines = ["第一行", "", "第二行", "第三行", "第四行", "第五行", "第六行", "询问笔录"]
    assert find_title(lines) is None
    assert find_title(lines[:1] + lines[7:])[2] == "inquiry_record"


def test_doctype_no_title_is_other_low_confidence() -> None:
    assert classify("当事人：张三\n经查，当事人擅自占道设摊。") == ("other", 0.1)


def test_doctype_title_lower_on_page_gives_half_confidence() -> None:
    text = "\n".join(["第一行", "第二行", "第三行", "第四行", "第五行", "第六行", "第七行", "送达回证",
                      "受送达人：张三"])
    assert classify(text) == ("service_receipt", 0.5)


def test_doctype_given_title_wins_over_text() -> None:
    assert classify("送达文书：行政处罚决定书", title="送达回证") == ("service_receipt", 1.0)


def test_doctype_table_is_consistent() -> None:
    tab = load_table()
    assert set(tab.by_title.values()) == set(DOC_TYPES)  # every doc_type has at least one title
    assert all(len(t) <= tab.max_title_chars for t in tab.titles)
    assert normalise("（ 查封 ) [2024]") == "（查封）〔2024〕"


def _pages(*texts: str) -> list[Page]:
    return [Page(number=i + 1, text=t, source="pdf_text") for i, t in enumerate(texts)]


def test_doctype_split_points_combined_file() -> None:
    pages = _pages(
        "卷内材料",
        "上海市青浦区城市管理行政执法局\n立案审批表\n当事人：李四",
        "询问笔录\n问：你为何张贴小广告？",
        "问：还有补充吗？\n答：没有。",
        "送达回证\n送达文书：行政处罚决定书",
        "",  # a page without text (a scan) continues the document before it
    )
    assert split_points(pages) == [(1, "立案审批表"), (2, "询问笔录"), (4, "送达回证")]


def test_doctype_split_points_continuation_page_does_not_split() -> None:
    pages = _pages("询问笔录\n问：姓名？", "询问笔录（续页）\n问：还有补充吗？", "询问笔录\n问：你是谁？")
    assert split_points(pages) == [(0, "询问笔录"), (2, "询问笔录")]


def test_doctype_split_points_body_mentions_do_not_split() -> None:
    pages = _pages("行政处罚决定书\n当事人：张三",
                   "依据《行政处罚事先告知书》的内容\n送达文书：行政处罚决定书\n如不服本决定……")
    assert split_points(pages) == [(0, "行政处罚决定书")]
