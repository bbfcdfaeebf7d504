"""Document-level extraction: realistic texts per doc type, expected values checked by hand."""
from __future__ import annotations

import pytest

from extractors.fields import extract_document
from extractors.nlp import build_nlp
from pipeline.core.models import Page, SourceDoc
from pipeline.core.vocab import DOC_FIELD_NAMES

NLP = build_nlp()


def _doc(text: str, doc_type: str, title: str | None = None, pages: list[str] | None = None) -> SourceDoc:
    pp = tuple(Page(i + 1, t) for i, t in enumerate(pages or [text]))
    return SourceDoc("x/doc.docx", "x/doc.docx", "docx", pp, title=title, doc_type=doc_type)


def _fields(text: str, doc_type: str, title: str | None = None) -> dict:
    df = extract_document(_doc(text, doc_type, title), NLP)
    for f in df.fields:  # every value keeps an exact quote and a known name
        assert f.name in DOC_FIELD_NAMES
        if f.span is not None:
            assert df.doc.text[f.span.start:f.span.end] == f.span.quote
    return {f.name: f.value for f in df.fields}


# --- decisions -----------------------------------------------------------------------------------
DEC_PERSON = """上海市青浦区城市管理行政执法局
行政处罚决定书
沪青城管罚字〔2024〕第0012号
当事人：张三，男，身份证号码：31011519******123X，住址：上海市青浦区华新镇华志路100号。
经查，2024年3月1日，当事人在青浦区华新镇华志路100号超出门窗和外墙摆放商品进行经营，货值人民币3000元。
以上事实有现场检查笔录、询问笔录、现场照片等证据证实。
你的上述行为违反了《上海市市容环境卫生管理条例》第二十五条第五款的规定。依据《上海市市容环境卫生管理条例》第二十五条第五款的规定，参照《上海市城市管理行政执法行政处罚裁量基准》第三条，本局决定对你作出如下行政处罚：罚款人民币贰佰元整（¥200）。
你应当自收到本决定书之日起十五日内，到指定银行缴纳罚款。逾期不缴纳罚款的，依据《中华人民共和国行政处罚法》第七十二条第一款第（一）项的规定，每日按罚款数额的百分之三加处罚款。
如不服本决定，可以在收到本决定书之日起六十日内向上海市青浦区人民政府申请行政复议，或者在六个月内依法向上海市青浦区人民法院提起行政诉讼。
（印章）上海市青浦区城市管理行政执法局
二〇二四年三月十八日"""

DEC_ORG = """行政处罚决定书
青城管罚决字[2024]第88号
当事人：上海某某餐饮管理有限公司
统一社会信用代码：91310118MA1J******
法定代表人：王五
地址：上海市青浦区盈港东路200号
当事人于2024年4月1日在盈港东路200号门前擅自占用道路堆放建材杂物。
上述行为违反了《上海市市容环境卫生管理条例》第二十五条第三款，根据《上海市市容环境卫生管理条例》第二十五条第三款的规定，决定给予警告，并处罚款1,000元。
当事人应于收到本决定书之日起15日内缴至指定银行。到期不缴纳罚款的，每日按罚款数额的3%加处罚款。
如不服本决定，可在60日内向青浦区人民政府申请行政复议，也可在6个月内向青浦区人民法院起诉。
上海市青浦区城市管理行政执法局
2024年4月20日"""

DEC_MISMATCH = """上海市青浦区城市管理行政执法局行政处罚决定书
沪青城管罚字【2024】第0031号
当事人：李四，身份证号：310229********4321
经查明：当事人未经批准擅自设置户外广告设施。
当事人的上述行为违反了《上海市市容环境卫生管理条例》第二十条第二款的规定，依照该条例第二十条第二款的规定，本机关决定：没收违法所得，罚款人民币壹万元整（¥11000）。
当事人须在收到本决定书之日起十五日内将罚款缴至指定银行账户。
如不服本决定，可于收到本决定书之日起六十日内向上海市青浦区人民政府申请行政复议，或于六个月内向上海铁路运输法院提起行政诉讼。
（印章）
2024年5月6日"""


def test_extract_decision_person_prose():
    f = _fields(DEC_PERSON, "decision", "行政处罚决定书")
    assert f["doc_number"] == "沪青城管罚字〔2024〕第0012号"
    assert f["party_name"] == "张三"
    assert f["party_id_number"] == "31011519******123X"
    assert f["party_address"] == "上海市青浦区华新镇华志路100号"
    assert f["party_kind"] == "individual"
    assert f["violated_provisions"] == ["《上海市市容环境卫生管理条例》第二十五条第五款"]
    # the 裁量基准 (参照) and the 行政处罚法 article of the surcharge clause are dropped
    assert f["penalty_basis"] == ["《上海市市容环境卫生管理条例》第二十五条第五款"]
    assert f["penalty_kinds"] == ["罚款"]
    assert f["fine_yuan"] == 200  # not the 货值 3000 in the facts
    assert f["has_facts"] is True and "超出门窗" in f["facts"]
    assert f["has_performance"] is True and f["has_surcharge_clause"] is True
    assert f["remedy"] == {"reconsideration_body": "上海市青浦区人民政府", "reconsideration_days": 60,
                           "litigation_months": 6, "litigation_court": "上海市青浦区人民法院"}
    assert f["has_remedy"] is True
    assert f["decision_date"] == "2024-03-18" and f["doc_date"] == "2024-03-18"
    assert f["agency"] == "上海市青浦区城市管理行政执法局"
    assert f["has_seal"] is True and f["seal_text"] == "上海市青浦区城市管理行政执法局"


def test_extract_decision_organisation_arabic_forms():
    f = _fields(DEC_ORG, "decision", "行政处罚决定书")
    assert f["doc_number"] == "青城管罚决字[2024]第88号"
    assert f["party_name"] == "上海某某餐饮管理有限公司"
    assert f["party_id_number"] == "91310118MA1J******"
    assert f["party_representative"] == "王五"
    assert f["party_kind"] == "organisation"
    assert f["violated_provisions"] == ["《上海市市容环境卫生管理条例》第二十五条第三款"]
    assert f["penalty_basis"] == ["《上海市市容环境卫生管理条例》第二十五条第三款"]
    assert f["penalty_kinds"] == ["警告", "罚款"]
    assert f["fine_yuan"] == 1000
    assert f["remedy"] == {"reconsideration_body": "青浦区人民政府", "reconsideration_days": 60,
                           "litigation_months": 6, "litigation_court": "青浦区人民法院"}
    assert f["decision_date"] == "2024-04-20"
    assert f["has_seal"] is False  # no seal mark at all
    assert f["has_surcharge_clause"] is True


def test_extract_decision_capital_arabic_disagree_keeps_capital():
    df = extract_document(_doc(DEC_MISMATCH, "decision", "上海市青浦区城市管理行政执法局行政处罚决定书"), NLP)
    fine = df.get("fine_yuan")
    assert fine.value == 10000
    assert "壹万元整" in fine.span.quote and "11000" in fine.span.quote  # both forms quoted
    assert fine.confidence < 1.0
    assert df.value("doc_number") == "沪青城管罚字【2024】第0031号"
    assert df.value("penalty_kinds") == ["没收违法所得", "罚款"]
    assert df.value("remedy")["litigation_court"] == "上海铁路运输法院"
    assert df.value("has_seal") is True and df.value("seal_text") is None
    assert df.value("decision_date") == "2024-05-06"
    assert df.value("has_surcharge_clause") is False


def test_extract_decision_without_number_is_null():
    text = DEC_ORG.replace("青城管罚决字[2024]第88号\n", "")
    assert "doc_number" not in _fields(text, "decision", "行政处罚决定书")


def test_extract_decision_number_not_a_correction_order_number():
    text = DEC_ORG.replace("青城管罚决字[2024]第88号", "青城管责改通字〔2024〕第12号")
    assert "doc_number" not in _fields(text, "decision", "行政处罚决定书")


# --- prior notices ----------------------------------------------------------------------------------
NOTICE_CD = """行政处罚事先告知书
沪青城管罚先告〔2024〕第0012号
张三：
经查，你于2024年3月1日在华志路100号超出门窗和外墙摆放商品进行经营。你的行为违反了《上海市市容环境卫生管理条例》第二十五条第五款的规定，依据《上海市市容环境卫生管理条例》第二十五条第五款的规定，本局拟对你作出罚款人民币贰佰元的行政处罚。
根据《中华人民共和国行政处罚法》第四十五条的规定，你有权进行陈述和申辩，可在收到本告知书之日起三日内向本局提出。逾期未提出的，视为放弃陈述和申辩的权利。
（印章）上海市青浦区城市管理行政执法局
2024年3月10日"""

NOTICE_WD = """行政处罚事先（听证）告知书
当事人：上海某某餐饮管理有限公司
经查明，当事人擅自设置户外广告设施。违反了《上海市市容环境卫生管理条例》第二十条第二款，依据该条例第二十条第二款，拟给予罚款人民币伍万元整（¥50000）的处罚。
你单位可以在收到本告知书之日起五个工作日内提出陈述、申辩，并有权要求举行听证。
上海市青浦区城市管理行政执法局
2024年5月8日"""

NOTICE_NARR = """行政处罚事先告知书
当事人：李四
本局已告知当事人拟作出行政处罚的事实、理由、依据，以及依法享有的陈述、申辩和要求听证的权利。拟处以警告。
上海市青浦区城市管理行政执法局
二〇二四年六月三日"""


@pytest.mark.parametrize("text,exp", [
    (NOTICE_CD, {"proposed_fine_yuan": 200, "proposed_penalty_kinds": ["罚款"], "right_statement": True,
                 "statement_period_days": 3, "statement_period_unit": "cd", "right_hearing": False,
                 "has_facts": True, "has_seal": True, "doc_date": "2024-03-10",
                 "violated_provisions": ["《上海市市容环境卫生管理条例》第二十五条第五款"],
                 "penalty_basis": ["《上海市市容环境卫生管理条例》第二十五条第五款"],
                 "doc_number": "沪青城管罚先告〔2024〕第0012号"}),
    (NOTICE_WD, {"proposed_fine_yuan": 50000, "right_statement": True, "statement_period_days": 5,
                 "statement_period_unit": "wd", "right_hearing": True, "has_seal": False,
                 "doc_date": "2024-05-08", "party_name": "上海某某餐饮管理有限公司",
                 "violated_provisions": ["《上海市市容环境卫生管理条例》第二十条第二款"]}),
    (NOTICE_NARR, {"right_statement": True, "right_hearing": True, "proposed_penalty_kinds": ["警告"],
                   "doc_date": "2024-06-03", "has_facts": False}),
], ids=["cd", "wd_hearing", "narrative"])
def test_extract_prior_notice(text, exp):
    f = _fields(text, "prior_notice", text.splitlines()[0])
    for k, v in exp.items():
        assert f.get(k) == v, k
    if text is NOTICE_NARR:
        assert "statement_period_days" not in f and "proposed_fine_yuan" not in f


def test_extract_notice_waiver_sentence_is_not_a_right():
    text = "行政处罚事先告知书\n当事人：李四\n当事人未提出陈述、申辩。\n2024年6月3日"
    f = _fields(text, "prior_notice", "行政处罚事先告知书")
    assert f["right_statement"] is False


# --- records ------------------------------------------------------------------------------------------
INSPECTION_TABLE = (
    "现场检查笔录\n"
    "检查时间\t2024年3月1日9时30分至10时15分\n"
    "检查地点\t青浦区华新镇华志路100号\n"
    "执法人员\t张伟\t执法证号\t31010012\n"
    "执法人员\t李强\t执法证号\t31010013\n"
    "当事人\t张三\t身份证号\t31011519******123X\n"
    "检查情况\t执法人员出示执法证件，现场发现当事人超出门窗摆放货架两个，已用执法记录仪全程录像。\n"
    "当事人签名\t张三\n"
    "见证人\t\n")

INQUIRY_PROSE = """询问笔录
询问时间：2024年03月05日 14:00 至 2024年03月05日 14:40
询问地点：上海市青浦区城市管理行政执法局
询问人：张伟（执法证号：31010012） 记录人：李强（执法证号：31010013）
被询问人：王五  性别：男
问：我们是青浦区城管执法局的执法人员，现依法向你调查，你是否听清楚？
答：听清楚了。
问：你在华志路100号摆放货架是什么情况？
答：是我放的。
被询问人签名：拒绝签名
见证人：孙八"""

INSPECTION_NO_CERT = """现场勘验笔录
勘验时间：2024年6月3日上午10时00分至10时30分
勘验地点：青浦区赵巷镇业辉路88号
执法人员：张伟、李强
当事人：上海某某商贸有限公司
现场情况：门前堆放建材。
当事人（签名）："""


def test_extract_inspection_table_cells():
    f = _fields(INSPECTION_TABLE, "inspection_record", "现场检查笔录")
    assert f["officers"] == [{"name": "张伟", "cert_no": "31010012", "cert_state": "found"},
                             {"name": "李强", "cert_no": "31010013", "cert_state": "found"}]
    assert f["start_time"] == "2024-03-01T09:30"
    assert f["end_time"] == "2024-03-01T10:15"
    assert f["place"] == "青浦区华新镇华志路100号"
    assert f["party_name"] == "张三" and f["party_id_number"] == "31011519******123X"
    assert f["party_signed"] is True and f["refusal_note"] is False
    assert "witness" not in f  # blank 见证人 cell
    assert f["violation_date"] == "2024-03-01"
    assert f["av_reference"] is True
    assert f["body"].startswith("执法人员出示执法证件")


def test_extract_inquiry_prose_refusal():
    f = _fields(INQUIRY_PROSE, "inquiry_record", "询问笔录")
    assert f["officers"] == [{"name": "张伟", "cert_no": "31010012", "cert_state": "found"},
                             {"name": "李强", "cert_no": "31010013", "cert_state": "found"}]
    assert f["start_time"] == "2024-03-05T14:00" and f["end_time"] == "2024-03-05T14:40"
    assert f["place"] == "上海市青浦区城市管理行政执法局"
    assert f["party_signed"] is False and f["refusal_note"] is True
    assert f["witness"] == "孙八"
    assert f["body"].startswith("问：我们是") and f["body"].endswith("是我放的。")


def test_extract_inspection_officers_without_cert():
    f = _fields(INSPECTION_NO_CERT, "inspection_record", "现场勘验笔录")
    assert f["officers"] == [{"name": "张伟", "cert_no": None, "cert_state": "not_found"},
                             {"name": "李强", "cert_no": None, "cert_state": "not_found"}]
    assert f["start_time"] == "2024-06-03T10:00" and f["end_time"] == "2024-06-03T10:30"
    assert f["party_signed"] is None  # the signature line is blank: found blank, no value
    df = extract_document(_doc(INSPECTION_NO_CERT, "inspection_record", "现场勘验笔录"), NLP)
    assert df.state("party_signed") == "blank" and df.get("party_signed").span.quote == "当事人（签名）"
    assert f["party_name"] == "上海某某商贸有限公司"


def test_extract_defence_record_waiver():
    text = ("陈述申辩笔录\n时间：2024年3月12日10时00分至10时20分\n地点：青浦区城管执法局\n"
            "陈述申辩人：张三\n本人自愿放弃陈述、申辩和听证的权利。\n当事人签名：张三")
    f = _fields(text, "defence_record", "陈述申辩笔录")
    assert f["statement_waived"] is True and f["hearing_waived"] is True
    assert f["defence_made"] is False
    assert f["defence_date"] == "2024-03-12"


# --- approvals ------------------------------------------------------------------------------------------
FILING_TABLE = (
    "立案审批表\n"
    "案由\t跨门营业\n"
    "当事人\t张三\t身份证号\t31011519******123X\n"
    "承办人\t张伟\t执法证号\t31010012\n"
    "承办人\t李强\t执法证号\t31010013\n"
    "承办中队\t华新中队\n"
    "承办人意见\t建议立案。签名：张伟 2024年3月4日\n"
    "审核意见\t同意。签名：赵六 2024年3月4日\n"
    "负责人意见\t同意立案。签名：钱七 2024年3月5日\n")

FILING_BLANK_APPROVAL = (
    "立案审批表\n"
    "案由\t占道设摊\n"
    "当事人\t李四\n"
    "批准日期\t2024年  月  日\n"
    "承办人\t张伟\t日期\t2024年3月4日\n")

FILING_PROSE = """立案审批表
案由：擅自占道堆物
当事人：上海某某商贸有限公司
承办人：张伟（执法证号：31010012）、李强（执法证号：31010013）
负责人意见：同意立案。
负责人：钱七
批准日期：二〇二四年六月五日"""


def test_extract_filing_table():
    f = _fields(FILING_TABLE, "filing_approval", "立案审批表")
    assert f["approval_date"] == "2024-03-05" and f["filing_date"] == "2024-03-05"
    assert f["approver"] == "钱七"
    assert f["case_cause"] == "跨门营业" and f["violation_type"] == "kua_men_ying_ye"
    assert f["squad"] == "华新中队"
    assert f["officers"] == [{"name": "张伟", "cert_no": "31010012", "cert_state": "found"},
                             {"name": "李强", "cert_no": "31010013", "cert_state": "found"}]


def test_extract_filing_blank_approval_date_takes_no_neighbour():
    f = _fields(FILING_BLANK_APPROVAL, "filing_approval", "立案审批表")
    assert "approval_date" not in f and "filing_date" not in f
    assert f["case_cause"] == "占道设摊"


def test_extract_filing_prose():
    f = _fields(FILING_PROSE, "filing_approval", "立案审批表")
    assert f["approval_date"] == "2024-06-05" and f["filing_date"] == "2024-06-05"
    assert f["approver"] == "钱七"
    assert f["officers"] == [{"name": "张伟", "cert_no": "31010012", "cert_state": "found"},
                             {"name": "李强", "cert_no": "31010013", "cert_state": "found"}]


def test_extract_extension_and_withdrawal():
    ext = ("延长办案期限审批表\n案由\t跨门营业\n延长理由\t案情复杂\n延长至\t2024年9月30日\n"
           "负责人意见\t同意延长。签名：钱七 2024年6月20日\n")
    f = _fields(ext, "extension_approval", "延长办案期限审批表")
    assert f["extension_approved_date"] == "2024-06-20" and f["extension_until"] == "2024-09-30"
    wd = ("撤销立案审批表\n案由\t占道设摊\n撤案理由\t涉嫌犯罪，移送公安机关处理\n"
          "负责人意见\t同意。签名：钱七 2024年7月2日\n")
    f = _fields(wd, "withdrawal_approval", "撤销立案审批表")
    assert f["withdrawal_date"] == "2024-07-02" and f["transferred"] is True
    assert f["withdrawal_ground"] == "涉嫌犯罪，移送公安机关处理" and f["withdrawal_reasons"] is True
    assert f["outcome"] == "transferred"


# --- service receipts ------------------------------------------------------------------------------------
SERVICE_DIRECT = (
    "送达回证\n"
    "送达文书\t行政处罚决定书\n"
    "受送达人\t张三\n"
    "送达地点\t青浦区华新镇华志路100号\n"
    "送达方式\t直接送达\n"
    "受送达人签名\t张三 2024年3月20日\n"
    "送达人\t张伟、李强\n")

SERVICE_LEFT = (
    "送达回证\n"
    "送达文书\t行政处罚决定书\n"
    "送达方式\t留置送达\n"
    "受送达人签名\t拒绝签收\n"
    "见证人\t孙八\n"
    "送达日期\t2024年3月21日\n")

SERVICE_POST = """邮寄送达回执
送达文书名称：行政处罚事先告知书
送达方式：邮寄送达
寄出日期：2024年3月10日
签收日期：2024年3月12日
收件人签名：张三"""


@pytest.mark.parametrize("text,exp", [
    (SERVICE_DIRECT, {"served_doc": "decision", "service_date": "2024-03-20", "service_method": "直接送达",
                      "receiver_signed": True, "refusal_note": False}),
    (SERVICE_LEFT, {"served_doc": "decision", "service_date": "2024-03-21", "service_method": "留置送达",
                    "receiver_signed": False, "refusal_note": True, "witness": "孙八"}),
    (SERVICE_POST, {"served_doc": "prior_notice", "service_date": "2024-03-12", "dispatch_date": "2024-03-10",
                    "service_method": "邮寄送达", "receiver_signed": True}),
], ids=["direct", "left", "post"])
def test_extract_service_receipt(text, exp):
    f = _fields(text, "service_receipt", text.splitlines()[0])
    for k, v in exp.items():
        assert f.get(k) == v, k


def test_extract_payment_and_source():
    pay = "非税收入缴款书\n缴款人\t张三\n金额（大写）\t贰佰元整\n金额（小写）\t200.00\n缴款日期\t2024-03-25\n"
    f = _fields(pay, "payment_receipt", "非税收入缴款书")
    assert f["amount_yuan"] == 200 and f["payment_date"] == "2024-03-25"
    src = "巡查发现记录\n来源\t巡查发现\n发现时间\t2024年2月28日10时\n发现地点\t华志路100号\n"
    f = _fields(src, "case_source", "巡查发现记录")
    assert f["source_kind"] == "巡查" and f["discovered_date"] == "2024-02-28" and f["place"] == "华志路100号"


def test_extract_simple_decision():
    text = """当场行政处罚决定书
编号：No.0012345
当事人：赵九，身份证号：310118********5678
违法时间：2024年6月10日14时20分
违法地点：青浦区公园路500号
违法事实：当事人擅自占用道路设摊经营。违反了《上海市市容环境卫生管理条例》第二十五条第二款，依据《上海市市容环境卫生管理条例》第二十五条第二款，决定处以罚款人民币壹佰元整（¥100）。
罚款当场收缴。
如不服本决定，应当先向上海市青浦区人民政府申请行政复议。
执法人员：张伟（执法证号：31010012）、李强（执法证号：31010013）
当事人签名：赵九
上海市青浦区城市管理行政执法局
2024年6月10日"""
    f = _fields(text, "simple_decision", "当场行政处罚决定书")
    assert f["doc_number"] == "0012345"
    assert f["fine_yuan"] == 100 and f["penalty_kinds"] == ["罚款"]
    assert f["start_time"] == "2024-06-10T14:20" and f["place"] == "青浦区公园路500号"
    assert f["reconsideration_first"] is True and f["collected_on_spot"] is True
    assert f["remote_area"] is False
    assert f["officers"] == [{"name": "张伟", "cert_no": "31010012", "cert_state": "found"},
                             {"name": "李强", "cert_no": "31010013", "cert_state": "found"}]
    assert f["decision_date"] == "2024-06-10" and f["party_signed"] is True


def test_extract_spans_quote_exact_across_pages():
    df = extract_document(_doc("", "decision", "行政处罚决定书", pages=DEC_PERSON.split("\n经查", 1)[0:1]
                               + ["经查" + DEC_PERSON.split("\n经查", 1)[1]]), NLP)
    f = df.get("decision_date")
    assert f.span.page == 2 and f.span.quote == "二〇二四年三月十八日"
    assert df.get("party_name").span.page == 1


def test_extract_notice_without_penalty_says_so():
    text = ("行政处罚事先告知书\n张三：\n经查，你于2024年3月1日在华志路100号超出门窗和外墙摆放商品进行经营。"
            "本局拟对你依法作出行政处罚。\n你有权进行陈述和申辩。\n上海市青浦区城市管理行政执法局\n2024年3月10日")
    f = _fields(text, "prior_notice", "行政处罚事先告知书")
    assert f["has_penalty"] is False and "proposed_fine_yuan" not in f
    assert f["party_name"] == "张三"  # the addressee line
    assert f["has_facts"] is True and f["doc_date"] == "2024-03-10"


def test_extract_agency_not_taken_from_remedy_sentence():
    f = _fields(DEC_ORG.replace("上海市青浦区城市管理行政执法局\n2024年4月20日", "2024年4月20日"),
                "decision", "行政处罚决定书")
    assert "agency" not in f  # 青浦区人民政府 of the remedy clause is not the issuer


def test_extract_simple_decision_squad_from_its_label() -> None:
    # the on-the-spot form names the squad in a table row (issue: squad recall on simple cases)
    from extractors.fields import extract_document
    from pipeline.core.models import Page, SourceDoc

    text = ("当场行政处罚决定书\n当事人\t张三\t身份证号\t31011519******123X\n"
            "违法时间\t2024年6月3日10时20分\t违法地点\t青浦区公园路88号\n"
            "执法中队\t青浦区城管执法局夏阳中队\n"
            "你在道路上设摊经营，违反了《上海市市容环境卫生管理条例》第二十五条第二款的规定，当场作出如下处罚决定：\n"
            "罚款人民币壹佰元整。\n上海市青浦区城市管理行政执法局\n2024年6月3日")
    doc = SourceDoc(doc_id="s.docx", path="s.docx", kind="docx", pages=(Page(1, text),),
                    doc_type="simple_decision")
    got = extract_document(doc)
    assert got.value("squad") == "青浦区城管执法局夏阳中队"


# --- records: the party apart from the person asked ----------------------------------------------
INQUIRY_FOR_SHOP = """调查笔录
询问时间\t2024年10月9日16时05分至16时37分
询问地点\t青浦区城管执法局华新中队询问室
询问人\t陈国强\t执法证号\t31187413
记录人\t崔超\t执法证号\t31013637
被询问人\t郭玉兰（青浦区华新郭式小卖部经营者）\t性别\t女
身份证号\t31011519580808367X\t联系电话\t180****2285
问：这家店是谁经营的？
答：店是我开的。
被询问人（签名）：郭玉兰"""

INQUIRY_PARTY_ROW = """询问笔录
询问时间：2024年8月27日15时50分至16时24分
被询问人：刘强（系上海青浦某某餐饮有限公司员工）  性别：男
身份证号：310229198805051234
当事人名称：上海青浦某某餐饮有限公司
问：你在店里做什么工作？
答：我是服务员。
被询问人（签名）：刘强"""

INQUIRY_PERSON_ASKED = """询问笔录
询问时间：2024年3月5日14时00分至14时40分
被询问人：王小明  性别：男
身份证号：310229198805051234
问：门口的东西是你放的吗？
答：是我放的。
被询问人（签名）：王小明"""


def test_extract_inquiry_party_is_the_shop_the_person_answers_for():
    # the misspelt shop name (郭式 for 郭氏) must be visible to CON-01: the party is the shop, the
    # person asked is its operator, and the 身份证号 row is the operator's
    f = _fields(INQUIRY_FOR_SHOP, "inquiry_record", "调查笔录")
    assert f["party_name"] == "青浦区华新郭式小卖部"
    assert f["party_representative"] == "郭玉兰"
    assert "party_id_number" not in f
    assert f["party_kind"] == "individual"  # an 经营者 answers for a 个体工商户 (not from 性别/身份证号)


def test_extract_inquiry_party_row_wins_over_the_employee_asked():
    f = _fields(INQUIRY_PARTY_ROW, "inquiry_record", "询问笔录")
    assert f["party_name"] == "上海青浦某某餐饮有限公司"
    assert "party_representative" not in f  # an employee does not represent the company
    assert "party_id_number" not in f


def test_extract_inquiry_person_asked_alone_stays_the_party():
    f = _fields(INQUIRY_PERSON_ASKED, "inquiry_record", "询问笔录")
    assert f["party_name"] == "王小明"
    assert f["party_id_number"] == "310229198805051234"


# --- closing form: the fine decided and the amount paid ------------------------------------------
CLOSING_TABLE = """结案审批表
案号\t青城管执罚决字[2024]0427号\t案由\t运输撒漏
当事人\t上海众邦益丰运输有限公司\t承办单位\t青浦区城管执法局徐泾中队
处理结果\t罚款人民币1100元
执行情况\t当事人已于2024年12月02日缴纳罚款人民币600元
承办人意见\t建议结案。
负责人审批意见\t同意结案\t日期\t2024年12月4日"""

CLOSING_PROSE = """案件结案报告
当事人：冯小红
处罚决定：罚款贰仟元，没收违法所得。
本案当事人已于2024年11月26日缴纳罚款人民币2000元，已执行完毕，建议结案。
负责人意见：同意。2024年12月3日"""

CLOSING_NON_PENALTY = """结案审批表
当事人\t青浦区练塘赵记便利店
处理结果\t不予行政处罚
执行情况\t已送达不予行政处罚决定书，当事人已改正
负责人审批意见\t同意结案\t日期\t二〇二四年十一月十五日"""


def test_extract_closing_fine_and_amount_paid():
    f = _fields(CLOSING_TABLE, "closing_approval", "结案审批表")
    assert f["fine_yuan"] == 1100 and f["amount_yuan"] == 600
    assert f["closing_date"] == "2024-12-04"


def test_extract_closing_prose_amounts():
    f = _fields(CLOSING_PROSE, "closing_approval", "案件结案报告")
    assert f["fine_yuan"] == 2000 and f["amount_yuan"] == 2000


def test_extract_closing_non_penalty_has_no_amounts():
    f = _fields(CLOSING_NON_PENALTY, "closing_approval", "结案审批表")
    assert "fine_yuan" not in f and "amount_yuan" not in f
