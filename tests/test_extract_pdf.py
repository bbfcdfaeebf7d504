"""Extraction from PDF text layers: cells wrapped inside table rows, spaces between cells."""
from __future__ import annotations

import json

import pytest

from extractors.fields import extract_document
from extractors.nlp import build_nlp, load_patterns, load_windows
from pipeline.core.models import Page, SourceDoc

NLP = build_nlp()


def _pdf(text: str, doc_type: str, title: str) -> SourceDoc:
    return SourceDoc("c.pdf#2", "c.pdf", "pdf", (Page(1, text, "pdf_text"),), part=2, title=title,
                     doc_type=doc_type)


def _fields(text: str, doc_type: str, title: str) -> dict:
    df = extract_document(_pdf(text, doc_type, title), NLP)
    for f in df.fields:
        if f.span is not None:  # quotes are exact slices of the original text, newlines included
            assert df.doc.text[f.span.start:f.span.end] == f.span.quote
    return {f.name: f.value for f in df.fields}


FILING_PDF = """上海市青浦区城市管理行政执法局
立案审批表
立案号 青城管立字［2024］第0294号 承办单
位
青浦区城管执法局香
花桥中队
案由 涉嫌擅自设置户外广告 案件来
源
移送
当事人 上海云帆恒昌广告有限公司 法定代
表人
崔立新
统一社会信
用代码
91310118MA1P****** 联系电
话
139****7180
住所 上海市青浦区新府路794号3幢5层
简要案情 2024-05-09，青浦区新府路794号店铺门
外，当事人涉嫌未经批准擅自设置户外
广告设施。
承办人 余立新（执法证号31016040）、郭子涵
（执法证号31180769）
承办人意见 拟立案查处。 日期 2024年5月8日
审核意见 拟同意 审核人 盛国华
负责人审批
意见
同意立案。 签名 顾建明
日期 2024年5月9日"""

FILING_PDF_BLANK = FILING_PDF.replace("同意立案。 签名 顾建明\n日期 2024年5月9日", "签名\n日期     年  月  日")

INSPECTION_PDF = """现场检查笔录
检查时间 2024年03月01日9时20分至10时01分
检查地点 青浦区浦祥路630号门口人行道
执法人员1 罗金凤 执法
证号
31009984
执法人员2 陆小红 执法
证号
31011409
记录人 陆小红
被检查人（当事
人）
青浦区练塘杨姐水果店 在场
人
杨梦琪
我们是青浦区城管执法局执法人员，已出示执法证件。
检查情况：执法人员于2024年3月1日对青浦区浦祥路630号
门口人行道进行现场检查，当事人正在超出门窗和外墙摆放商
品进行经营，当事人在现场，现场有车辆临时停放，执法人员
当场指出其行为违法并要求立即改正，天气多云，范围约13平
方米，执法人员制作了现场示意图。
本次检查使用执法记录仪（编号683956）全程记录。
当事人（签名）：杨梦琪 2024年3月1日
执法人员（签名）：罗金凤、陆小红"""

SIMPLE_PDF = """当场行政处罚决定书
青城管简罚字〔2024〕第047239号
当事人 曹冬梅 性别 女
身份证
号
31011519******3144 联系电
话
181****8397
住址 上海市青浦区诸光路92弄39号1292室
违法时
间
二〇二四年六月十二日13时10分 违法地
点
青浦区明珠路近诸光路交
叉口
你擅自占用道路设摊经营，违反了《市容条例》第二十五
条第二款的规定，依据《上海市市容环境卫生管理条例》第二
十五条第二款和《中华人民共和国行政处罚法》第五十一条的
规定，当场作出如下处罚决定：
罚款190元。
请于收到本决定书之日起十五日内到指定银行缴纳罚款，
逾期每日按罚款数额的百分之三加处罚款。
如不服本决定，须先于60日内向上海市青浦区人民政府申
请行政复议，对复议决定不服的可依法向有管辖权的人民法院
起诉。
执法人员：郑卫东（执法证号31181621）；袁德华（执法证号
31018235）
当事人签名：曹冬梅
上海市青浦区城市管理行政执法局
二○二四年六月十二日
上海市罚没款收据（当场收缴）
缴款日期 2024年06月14日 票据号码 6977572863"""


def test_extract_pdf_filing_wrapped_labels_and_values():
    f = _fields(FILING_PDF, "filing_approval", "立案审批表")
    assert f["squad"] == "青浦区城管执法局香花桥中队"  # value wrapped over two lines
    assert f["case_cause"] == "涉嫌擅自设置户外广告"
    assert f["violation_type"] == "shan_zi_hu_wai_guang_gao"
    assert f["party_name"] == "上海云帆恒昌广告有限公司"
    assert f["party_id_number"] == "91310118MA1P******"
    assert f["party_address"] == "上海市青浦区新府路794号3幢5层"
    assert f["party_kind"] == "organisation"
    assert f["officers"] == [{"name": "余立新", "cert_no": "31016040", "cert_state": "found"},
                             {"name": "郭子涵", "cert_no": "31180769", "cert_state": "found"}]
    assert f["approval_date"] == "2024-05-09" and f["filing_date"] == "2024-05-09"  # not the 承办人 date
    assert f["approver"] == "顾建明"
    assert f["doc_number"] == "青城管立字［2024］第0294号"


def test_extract_pdf_blank_approval_takes_no_neighbour():
    f = _fields(FILING_PDF_BLANK, "filing_approval", "立案审批表")
    assert "approval_date" not in f and "filing_date" not in f and "approver" not in f


def test_extract_pdf_inspection_prose_labels_are_not_officers():
    f = _fields(INSPECTION_PDF, "inspection_record", "现场检查笔录")
    # "执法人员" at the end of a wrapped prose line is not a label
    assert f["officers"] == [{"name": "罗金凤", "cert_no": "31009984", "cert_state": "found"},
                             {"name": "陆小红", "cert_no": "31011409", "cert_state": "found"}]
    assert f["start_time"] == "2024-03-01T09:20" and f["end_time"] == "2024-03-01T10:01"
    assert f["place"] == "青浦区浦祥路630号门口人行道"
    assert f["party_name"] == "青浦区练塘杨姐水果店"
    assert f["party_signed"] is True and f["violation_date"] == "2024-03-01"
    assert f["body"].startswith("执法人员于2024年3月1日") and "\n" not in f["body"]


def test_extract_pdf_simple_decision_with_glued_receipt():
    df = extract_document(_pdf(SIMPLE_PDF, "simple_decision", "当场行政处罚决定书"), NLP)
    f = {x.name: x.value for x in df.fields}
    assert f["doc_number"] == "青城管简罚字〔2024〕第047239号"
    assert f["place"] == "青浦区明珠路近诸光路交叉口"  # the paragraph after the table is not part of it
    assert f["start_time"] == "2024-06-12T13:10"
    # citations wrapped across lines; the 行政处罚法 article of the simple procedure is not a basis
    assert f["violated_provisions"] == ["《上海市市容环境卫生管理条例》第二十五条第二款"]
    assert f["penalty_basis"] == ["《上海市市容环境卫生管理条例》第二十五条第二款"]
    assert f["fine_yuan"] == 190 and f["penalty_kinds"] == ["罚款"]
    assert f["remedy"]["reconsideration_days"] == 60
    assert f["remedy"]["reconsideration_body"] == "上海市青浦区人民政府"
    assert f["remedy"]["litigation_court"] == "有管辖权的人民法院"
    assert f["reconsideration_first"] is True
    assert f["officers"] == [{"name": "郑卫东", "cert_no": "31181621", "cert_state": "found"},
                             {"name": "袁德华", "cert_no": "31018235", "cert_state": "found"}]
    # the 落款 date after the remedy clause, not the glued receipt's date
    assert f["decision_date"] == "2024-06-12"
    assert f["violation_type"] == "zhan_dao_she_tan"
    quote = df.get("penalty_basis").span.quote
    assert "\n" in quote  # the quote is the original text, line breaks kept


def test_nlp_spans_labels():
    doc = NLP("你有权进行陈述和申辩。逾期视为放弃听证权利。如不服本决定，"
              "可在六十日内向青浦区人民政府申请行政复议。当事人拒绝签名。（印章）")
    labels = {(s.label_, s.text) for s in doc.spans["anjuan"]}
    assert ("RIGHT_STATEMENT", "陈述") in labels
    assert not any(lab == "RIGHT_HEARING" for lab, _ in labels)  # 放弃 vetoes it
    assert ("REMEDY_RECON", "行政复议") in labels
    assert ("REFUSAL_NOTE", "拒绝签名") in labels and ("SEAL", "（印章）") in labels
    assert ("DATE", "六十日") not in labels


def test_nlp_pattern_files_validated(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"label": "NOPE", "pattern": "x"}) + "\n" + "{oops\n", encoding="utf-8")
    with pytest.raises(ValueError) as err:
        load_patterns(bad)
    assert "bad.jsonl:1" in str(err.value) and "bad.jsonl:2" in str(err.value)
    badw = tmp_path / "w.jsonl"
    badw.write_text(json.dumps({"anchor": "KW_STATEMENT", "label": "RIGHT_STATEMENT", "window": -1}) + "\n",
                    encoding="utf-8")
    with pytest.raises(ValueError):
        load_windows(badw)
    with pytest.raises(ValueError):
        build_nlp("bert")


def test_extract_pdf_squad_wrapped_over_three_lines():
    text = ("立案审批表\n立案号 青城管立字[2024]第0154号 承办单位 青"
            "浦区城管\n执法局练塘\n中队\n案由 涉嫌占道设摊 案件来源 巡查\n")
    f = _fields(text, "filing_approval", "立案审批表")
    assert f["squad"] == "青浦区城管执法局练塘中队"
    assert f["source_kind"] == "巡查"


def test_extract_pdf_blank_place_before_paragraph_is_null():
    text = ("行政处罚决定书（当场）\n违法时间 2024年06月14日11时00分 违法地点\n"
            "你单位未履行市容环境卫生责任区责任，门前环境脏乱，\n违反了《上海市市容环境卫生管理条例》第十三条的规定。\n")
    f = _fields(text, "simple_decision", "行政处罚决定书（当场）")
    assert "place" not in f
    assert f["start_time"] == "2024-06-14T11:00"


def test_extract_withdrawal_ground_decides_transfer_not_the_approver_words():
    text = ("销案审批表\n撤案（销案）理由\t当事人违法行为轻微并及时改正，没有造成危害后果，依法不予处罚，拟销案。\n"
            "承办人意见\t建议撤销立案。\n负责人审批意见\t同意移送\t日期\t2024-06-07\n")
    doc = SourceDoc("w.docx", "w.docx", "docx", (Page(1, text),), title="销案审批表", doc_type="withdrawal_approval")
    f = {x.name: x.value for x in extract_document(doc, NLP).fields}
    assert f["transferred"] is False and f["outcome"] == "withdrawn"
    assert f["withdrawal_date"] == "2024-06-07"


CLOSING_PDF = """结案审批表
案号 沪青城管罚字〔2024〕第00462号 案由 餐厨垃圾未单独
收集
当事人 冯小红 承办单位 青浦区城管执法
局夏阳中队
处理结果 罚款人民币800元
执行情况 当事人已于2024年11月26日缴纳罚
款人民币1300元
承办人意见 已执行完毕，建议结案。
负责人审批意见 同意 日期 2024.12.3"""

INQUIRY_PDF = """调查笔录
询问时间 2024年8月27日15时50分至16时24分
询问地点 青浦区城管执法局华新中队询问室
询问人 崔超 执法证号 31013637
记录人 高志强 执法证号 31181117
被询问人 郭建国（青浦区化新郭哥便利店经营者） 性别 女
身份证号 511321199009245545 联系电话 131****8407
当事人 青浦区化新郭哥便利店
问：这家店是谁经营的？
答：店是我开的。"""


def test_extract_pdf_closing_amount_paid_wrapped_over_lines():
    f = _fields(CLOSING_PDF, "closing_approval", "结案审批表")
    assert f["fine_yuan"] == 800
    assert f["amount_yuan"] == 1300  # "缴纳罚\n款人民币1300元": the cell wraps


def test_extract_pdf_inquiry_party_row_not_the_person_asked():
    f = _fields(INQUIRY_PDF, "inquiry_record", "调查笔录")
    assert f["party_name"] == "青浦区化新郭哥便利店"
    assert f["party_representative"] == "郭建国"
    assert "party_id_number" not in f
