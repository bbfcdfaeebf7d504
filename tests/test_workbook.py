"""评查评分表.xlsx: summary row per case, one detail sheet per case, deterministic bytes."""
from __future__ import annotations

import zipfile

from openpyxl import load_workbook

from pipeline.core.models import CaseResult, Evidence, Finding, empty_case_fields
from pipeline.supervise.scoring import load_sheet, score_case
from pipeline.write.workbook import sheet_names, write_workbook


def make_result(case_id: str, findings, *, procedure="general", party="张三", squad="第一中队",
                decisions=None) -> CaseResult:
    fields = empty_case_fields()
    fields.update(procedure=procedure, outcome="penalized", squad=squad,
                  case_number=f"青城管罚字〔2024〕第{case_id}号")
    fields["party"] = {"name": party, "kind": "individual", "id_number": None, "address": None}
    score = score_case(fields, findings, load_sheet(), decisions=decisions, case_id=case_id)
    return CaseResult(case_id=case_id, source=case_id, status="ok", documents=(), fields=fields,
                      findings=tuple(findings), score=score, errors=())


def sample_results(decisions=None):
    a = make_result("2403017", [
        Finding("FIL-02", "minor", "立案晚于发现日期17个工作日。", "《中华人民共和国行政处罚法》第五十四条",
                (Evidence("2403017/立案审批表.docx", 1, "立案日期：2024年3月1日"),), stage="立案"),
        Finding("OFF-02", "major", "询问笔录未记载执法证号，当事人电话13812345678。",
                "《中华人民共和国行政处罚法》第五十五条",
                (Evidence("2403017/询问笔录.pdf", 2, "身份证号310101199003071234"),), stage="调查取证"),
        Finding("MIS-01", "major", "与2403018当事人、案由、地点相同，合计罚款达到听证标准。",
                "《中华人民共和国行政处罚法》第二十九条", related_cases=("2403018",)),
    ], decisions=decisions)
    b = make_result("2403018", [
        Finding("NOT-01", "veto", "卷内无事先告知书。", "《中华人民共和国行政处罚法》第六十二条",
                stage="事先告知")], party="上海某某餐饮有限公司", squad="第二中队")
    return [a, b]


def test_workbook_summary_rows_and_layout(tmp_path):
    out = tmp_path / "评查评分表.xlsx"
    write_workbook(out, sample_results(), title="2024年3月案卷评查评分表", sheet=load_sheet())
    wb = load_workbook(out)
    assert wb.sheetnames == ["汇总", "2403017", "2403018", "评分标准"]
    ws = wb["汇总"]
    assert ws["A1"].value == "2024年3月案卷评查评分表"
    header = [c.value for c in ws[2]]
    assert header == ["序号", "中队", "案卷编号", "案号", "当事人", "程序", "结果", "得分", "等级",
                      "否决", "否决项", "重大", "轻微", "提示", "需人工核对"]
    row1 = [c.value for c in ws[3]]
    # 100 − FIL-02 1 − OFF-02 2 = 97; MIS-01 unconfirmed deducts nothing
    assert row1 == [1, "第一中队", "2403017", "青城管罚字〔2024〕第2403017号", "张三", "一般程序",
                    "处罚", 97, "优秀", "否", 0, 2, 1, 0, None]
    row2 = [c.value for c in ws[4]]
    assert row2[7:11] == [0, "不合格", "是", 1]
    assert ws.auto_filter.ref == "A2:O4"
    assert ws.freeze_panes == "A3"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.print_title_rows == "$1:$2"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1


def test_workbook_case_sheet_lists_stages_and_deductions(tmp_path):
    out = tmp_path / "w.xlsx"
    decisions = {("2403017", "MIS-01"): {"decision": "dismissed", "reason": "两案地点不同"}}
    results = sample_results(decisions)  # the score carries the decision; the workbook prints it
    write_workbook(out, results, title="t", sheet=load_sheet())
    ws = load_workbook(out)["2403017"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    stage_rows = {r[0]: r[2:6] for r in cells if r[0] in ("立案", "调查取证", "合计")}
    assert stage_rows["立案"] == [10, 1, 9, "适用"]
    assert stage_rows["调查取证"] == [25, 2, 23, "适用"]
    assert stage_rows["合计"] == [100, 3, 97, "优秀"]
    rows = {r[3]: r for r in cells if r[3] in ("FIL-02", "OFF-02", "MIS-01")}
    assert rows["FIL-02"][1:3] == ["立案", "B3"] and rows["FIL-02"][5] == 1
    assert rows["FIL-02"][6].startswith("B3 立案不及时；《中华人民共和国行政处罚法》第五十四条")
    assert "2403017/立案审批表.docx 第1页：“立案日期：2024年3月1日”" == rows["FIL-02"][7]
    # personal data masked in messages and quotes
    assert "138****5678" in rows["OFF-02"][4] and "13812345678" not in rows["OFF-02"][4]
    assert "310101********1234" in rows["OFF-02"][7]
    # the cross-case finding dismissed with its reason
    assert rows["MIS-01"][5] == 0 and rows["MIS-01"][8] == "已排除"
    assert rows["MIS-01"][9] == "已排除：两案地点不同"
    ws2 = load_workbook(out)["2403018"]
    vals = [c.value for row in ws2.iter_rows() for c in row]
    assert "否决" in vals and any(isinstance(v, str) and v.startswith("V15") for v in vals)
    assert ws2.page_setup.orientation == "landscape"


def test_workbook_standard_sheet_lists_items(tmp_path):
    out = tmp_path / "w.xlsx"
    write_workbook(out, sample_results(), title="t", sheet=load_sheet())
    ws = load_workbook(out)["评分标准"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    dec02 = [r for r in rows if r[2] == "DEC-02"][0]
    assert dec02[:2] == ["审核决定", "B18"] and dec02[4] == "−2/处"
    assert [r for r in rows if r[2] == "MIS-01（经确认）"][0][4] == "否决"


def test_workbook_is_byte_identical(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_workbook(a, sample_results(), title="t", sheet=load_sheet())
    write_workbook(b, sample_results(), title="t", sheet=load_sheet())
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        core = z.read("docProps/core.xml").decode("utf-8")
        assert all(i.date_time == (2024, 1, 1, 0, 0, 0) for i in z.infolist())
    assert "2024-01-01T00:00:00Z" in core


def test_workbook_sheet_names_sanitised_and_unique():
    names = sheet_names(["a/b:c", "x" * 40, "x" * 40, "汇总", ""])
    assert names[0] == "a_b_c"
    assert names[1] == "x" * 31 and names[2] == "x" * 29 + "~2" and len(names[2]) == 31
    assert names[3] == "汇总~2" and names[4] == "案卷"


def test_workbook_write_error_is_coded(tmp_path):
    blocker = tmp_path / "dir.xlsx"
    blocker.mkdir()
    try:
        write_workbook(blocker, sample_results(), title="t", sheet=load_sheet())
    except Exception as exc:  # noqa: BLE001
        assert str(exc).startswith("[E404]")
    else:
        raise AssertionError("writing over a directory must fail")


def test_workbook_manual_check_column_lists_ocr_fields_and_scan_errors(tmp_path) -> None:
    import openpyxl

    from pipeline.core.models import CaseResult, Finding, InputError, Score, empty_case_fields
    from pipeline.supervise.scoring import load_sheet
    from pipeline.write.workbook import write_workbook

    ocr = Finding("OCR-01", "info",
                  "以下要素取自扫描件，识别置信度低于0.85，需人工核对原件：决定日期（置信度0.62，“2024年6月5日”）。",
                  "《中华人民共和国行政处罚法》第四十条")
    r1 = CaseResult("2406001", "2406001/", "partial", (), empty_case_fields(), (ocr,),
                    Score(100, "优秀", False), (InputError("2406001/a.jpg", "E154", "[E154] 低"),))
    r2 = CaseResult("2406002", "2406002/", "ok", (), empty_case_fields(), (), Score(100, "优秀", False), ())
    path = tmp_path / "w.xlsx"
    write_workbook(path, [r1, r2], title="t", sheet=load_sheet())
    ws = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in ws[2]]
    col = header.index("需人工核对") + 1
    assert ws.cell(row=3, column=col).value == "决定日期（置信度0.62，“2024年6月5日”）；扫描件读取：E154"
    assert ws.cell(row=4, column=col).value is None


def test_workbook_unscored_files_first_with_reason_and_no_score(tmp_path) -> None:
    """Issue 17: a file that cannot be scored is 不评分 with its reason, listed first; a simple-procedure
    file and an unscored file show an empty 得分, never 0; points not verified are listed."""
    import openpyxl

    from pipeline.core.models import Unverified

    fine = make_result("2406001", [])
    simple = make_result("2406002", [], procedure="simple")
    fields = empty_case_fields()
    fields.update(procedure="general", outcome="pending", squad="第一中队")
    pending = CaseResult("2406003", "2406003", "ok", (), fields, (),
                         score_case(fields, (), load_sheet(), documents=["filing_approval"]), (),
                         unverified=(Unverified("NOT-02", "告知书是否载明陈述申辩权", "告知书第二页未能读取"),))
    path = tmp_path / "w.xlsx"
    write_workbook(path, [fine, simple, pending], title="t", sheet=load_sheet())
    ws = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in ws[2]]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    by_id = {r[header.index("案卷编号")]: r for r in rows}
    assert rows[0][header.index("案卷编号")] == "2406003"  # the file not scored comes first
    assert by_id["2406003"][header.index("等级")] == "不评分"
    manual = by_id["2406003"][header.index("需人工核对")]
    assert "不评分：案件尚未作出处理决定" in manual
    assert "未能核实（事先告知内容不全）：告知书是否载明陈述申辩权" in manual
    assert by_id["2406003"][header.index("得分")] is None
    assert by_id["2406002"][header.index("得分")] is None
    assert by_id["2406002"][header.index("等级")] == "不评分（简易程序）"
    assert by_id["2406001"][header.index("得分")] == 100
    detail = [c.value for row in openpyxl.load_workbook(path)["2406003"].iter_rows() for c in row if c.value]
    assert any(str(v).startswith("未能核实，需人工核对（事先告知内容不全）") for v in detail)
