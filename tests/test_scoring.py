"""Scoring against the score sheet (domain/scoring.md); expected values worked out by hand."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.core.errors import RulesError
from pipeline.core.models import Evidence, Finding
from pipeline.supervise.scoring import DEFAULT_SHEET, ScoreSheetError, finding_effects, load_sheet, score_case

GENERAL = {"procedure": "general", "outcome": "penalized"}


def F(check: str, severity: str = "major", *, occurrences: int = 1, message: str = "问题",
      stage: str | None = None, related: tuple[str, ...] = ()) -> Finding:
    return Finding(check, severity, message, "《中华人民共和国行政处罚法》第一条",
                   evidence=(Evidence("决定书.docx", 1, "摘录"),), related_cases=related,
                   stage=stage, occurrences=occurrences)


def worked_example() -> list[Finding]:
    # scoring.md §7: FIL-02 −1, OFF-02 −2, DEC-02 two elements −4, SRV-01 −1
    return [F("FIL-02", "minor"), F("OFF-02"),
            F("DEC-02", occurrences=2, message="决定书缺少履行方式和期限、申请行政复议或者提起行政诉讼的途径和期限"),
            F("SRV-01", "minor")]


def sheet_with(tmp_path: Path, **changes) -> object:
    data = yaml.safe_load(DEFAULT_SHEET.read_text(encoding="utf-8"))
    items = changes.pop("items_patch", {})
    for it in data["items"]:
        if it.get("check") in items:
            it.update(items[it["check"]])
    data.update(changes)
    p = tmp_path / "sheet.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_sheet(p)


def test_scoring_default_sheet_loads_with_scoring_md_stages():
    sheet = load_sheet()
    assert sheet.id == "qingpu-cg-2024"
    assert sheet.stages == (("立案", 10), ("调查取证", 25), ("事先告知", 15), ("审核决定", 25),
                            ("送达执行", 10), ("结案", 5), ("归档", 10))
    assert sheet.grade_bands == ((90, "优秀"), (80, "良好"), (60, "合格"), (0, "不合格"))
    assert sheet.veto_mode == "zero_out" and sheet.cap_to == "良好"
    # every check of checks.md §6 except MIS-04 has an item
    for cid in ("FIL-01 FIL-02 LIM-01 OFF-01 OFF-02 EVD-01 EVD-02 REC-01 NOT-01 NOT-02 HRG-01 HRG-02 "
                "DEF-01 LRV-01 DEC-01 DEC-02 DEC-03 DEC-04 NOT-03 DEF-02 LRV-02 SIM-02 SIM-03 ORD-02 "
                "SIM-01 LAW-01 LAW-02 SRV-01 SRV-02 PAY-01 CLS-01 CLS-02 ORD-01 CON-01 CON-02 DOC-01 "
                "MIS-01 MIS-02 MIS-03").split():
        assert sheet.item_for(cid) is not None, cid
    assert sheet.item_for("MIS-04") is None


def test_scoring_worked_example_92_excellent():
    s = score_case(GENERAL, worked_example(), load_sheet())
    assert s.total == 92 and s.grade == "优秀" and not s.vetoed
    assert dict(s.stages) == {"立案": 9, "调查取证": 23, "事先告知": 15, "审核决定": 21,
                              "送达执行": 9, "结案": 5, "归档": 10}
    assert [(d.check_id, d.item, d.points, d.stage) for d in s.deductions] == [
        ("FIL-02", "B3", 1, "立案"), ("OFF-02", "B9", 2, "调查取证"),
        ("DEC-02", "B18", 4, "审核决定"), ("SRV-01", "B24", 1, "送达执行")]
    d = s.deductions[0]
    assert d.basis == "B3 立案不及时；《中华人民共和国行政处罚法》第五十四条"
    assert s.sheet_id == "qingpu-cg-2024"


def test_scoring_worked_example_with_not01_zero_out():
    s = score_case(GENERAL, worked_example() + [F("NOT-01", "veto")], load_sheet())
    assert s.total == 0 and s.grade == "不合格" and s.vetoed
    veto = [d for d in s.deductions if d.check_id == "NOT-01"][0]
    assert veto.item == "V15" and veto.points == 0 and "否决项" in veto.basis
    assert "第六十二条" in veto.basis


def test_scoring_worked_example_cap_grade(tmp_path):
    sheet = sheet_with(tmp_path, veto_mode="cap_grade")
    s = score_case(GENERAL, worked_example() + [F("NOT-01", "veto")], sheet)
    assert s.total == 92 and s.grade == "良好" and s.vetoed


def test_scoring_cap_grade_keeps_lower_grade(tmp_path):
    sheet = sheet_with(tmp_path, veto_mode="cap_grade")
    # 25 points off in 审核决定 (DEC-02 × 13 = 26, floored at 0) -> 75 合格, the cap does not raise it
    s = score_case(GENERAL, [F("DEC-02", occurrences=13), F("NOT-01", "veto")], sheet)
    assert s.total == 75 and s.grade == "合格" and s.vetoed


def test_scoring_per_item_mode_override(tmp_path):
    # global zero_out, LAW-02 set to cap_grade: 100 -> 良好; DEC-04 raised to veto (global zero_out)
    sheet = sheet_with(tmp_path, items_patch={"LAW-02": {"mode": "cap_grade"},
                                              "DEC-04": {"veto": True}})
    s = score_case(GENERAL, [F("LAW-02", "veto")], sheet)
    assert (s.total, s.grade, s.vetoed) == (100, "良好", True)
    s = score_case(GENERAL, [F("DEC-04")], sheet)
    assert (s.total, s.grade, s.vetoed) == (0, "不合格", True)
    # a zero_out veto wins over a cap_grade one
    s = score_case(GENERAL, [F("LAW-02", "veto"), F("NOT-01", "veto")], sheet)
    assert (s.total, s.grade) == (0, "不合格")


def test_scoring_dec04_default_deducts_two():
    s = score_case(GENERAL, [F("DEC-04")], load_sheet())
    assert (s.total, s.grade, s.vetoed) == (98, "优秀", False)


def test_scoring_stage_floor_at_zero():
    # 结案 max 5: CLS-01 (−2) + CLS-02 (−2) = 4 -> 1; 立案 max 10: FIL-01 2 + ORD-02 2 + FIL-02 1 -> 5
    s = score_case(GENERAL, [F("CLS-01"), F("CLS-02"), F("FIL-01"), F("ORD-02"), F("FIL-02")],
                   load_sheet())
    assert s.stages["结案"] == 1 and s.stages["立案"] == 5 and s.total == 91
    # DOC-01 per missing document: 8 missing × 2 = 16 > 10 -> 归档 floored at 0, total 90
    s = score_case(GENERAL, [F("DOC-01", occurrences=8, message="缺少送达回证等文书")], load_sheet())
    assert s.stages["归档"] == 0 and s.total == 90 and s.grade == "优秀"


def test_scoring_once_per_finding_except_dec02():
    # OFF-02 reported with occurrences=3 still deducts 2 once; DEC-02 × 3 = 6
    s = score_case(GENERAL, [F("OFF-02", occurrences=3), F("DEC-02", occurrences=3)], load_sheet())
    assert s.stages["调查取证"] == 23 and s.stages["审核决定"] == 19 and s.total == 92


def test_scoring_dec02_seal_element_scored_apart(tmp_path):
    f = F("DEC-02", occurrences=2, message="决定书缺少履行方式和期限、执法机关印章")
    s = score_case(GENERAL, [f], load_sheet())
    assert [(d.item, d.points) for d in s.deductions] == [("B18", 2), ("V11", 2)]
    assert s.total == 96
    sheet = sheet_with(tmp_path, items_patch={"DEC-02": {"elements": [
        {"match": "印章", "id": "V11", "veto": True, "mode": "cap_grade", "text": "未盖印章"}]}})
    s = score_case(GENERAL, [f], sheet)
    assert (s.total, s.grade, s.vetoed) == (98, "良好", True)


def test_scoring_doc01_investigation_report_minus_three():
    f = F("DOC-01", occurrences=2, message="缺少案件调查终结审批表、结案审批表")
    s = score_case(GENERAL, [f], load_sheet())
    assert sorted((d.item, d.points) for d in s.deductions) == [("B10", 3), ("B22", 2)]
    assert s.stages["归档"] == 5


def test_scoring_ord01_deducts_in_its_own_stage():
    s = score_case(GENERAL, [F("ORD-01", stage="送达执行")], load_sheet())
    assert s.stages["送达执行"] == 8 and s.stages["审核决定"] == 25
    s = score_case(GENERAL, [F("ORD-01", stage="事先告知")], load_sheet())
    assert s.stages["事先告知"] == 13


def test_scoring_info_never_deducts():
    s = score_case(GENERAL, [F("OFF-02", "info"), F("NOT-01", "info")], load_sheet())
    assert (s.total, s.grade, s.vetoed, s.deductions) == (100, "优秀", False, ())


def test_scoring_cross_case_only_after_confirmation():
    f = F("MIS-01", related=("2403018",))
    s = score_case(GENERAL, [f], load_sheet(), case_id="2403017")
    assert (s.total, s.grade, s.vetoed, s.deductions) == (100, "优秀", False, ())
    s = score_case(GENERAL, [f], load_sheet(), case_id="2403017",
                   decisions={("2403017", "MIS-01"): "confirmed"})
    assert (s.total, s.grade, s.vetoed) == (0, "不合格", True)
    assert s.deductions[0].item == "V17"
    # a decision about another case does not apply
    s = score_case(GENERAL, [f], load_sheet(), case_id="2403017",
                   decisions={("2403018", "MIS-01"): "confirmed"})
    assert s.vetoed is False


def test_scoring_dismissed_finding_deducts_nothing_and_is_listed():
    decisions = {("C1", "OFF-02"): {"decision": "dismissed", "reason": "执法证号记载于第二页"}}
    s = score_case(GENERAL, [F("OFF-02"), F("SRV-01", "minor")], load_sheet(), case_id="C1",
                   decisions=decisions)
    assert s.total == 99
    d = s.deductions[0]
    assert (d.check_id, d.points) == ("OFF-02", 0)
    assert d.basis.startswith("已排除（执法证号记载于第二页）") and "B9" in d.basis
    # a dismissed veto does not veto
    s = score_case(GENERAL, [F("NOT-01", "veto")], load_sheet(), case_id="C1",
                   decisions={("C1", "NOT-01"): "dismissed"})
    assert (s.total, s.vetoed) == (100, False)


def test_scoring_unmapped_veto_still_vetoes_and_unmapped_major_does_not():
    s = score_case(GENERAL, [F("XYZ-01", "veto")], load_sheet())
    assert (s.total, s.grade, s.vetoed) == (0, "不合格", True)
    s = score_case(GENERAL, [F("XYZ-02", "major")], load_sheet())
    assert (s.total, s.vetoed) == (100, False)


def test_scoring_simple_procedure_not_scored_but_vetoed():
    simple = {"procedure": "simple", "outcome": "penalized"}
    s = score_case(simple, [F("SRV-01", "minor")], load_sheet())
    assert (s.total, s.grade, s.vetoed, dict(s.stages)) == (0, "不评分（简易程序）", False, {})
    s = score_case(simple, [F("SIM-01", "veto")], load_sheet())
    assert (s.grade, s.vetoed) == ("不合格", True)


def test_scoring_simple_procedure_scored_when_enabled(tmp_path):
    sheet = sheet_with(tmp_path, score_simple_procedure=True)
    s = score_case({"procedure": "simple"}, [F("SRV-01", "minor")], sheet)
    assert (s.total, s.grade) == (99, "优秀")


def test_scoring_rescale_applicable(tmp_path):
    sheet = sheet_with(tmp_path, rescale_applicable=True)
    withdrawn = {"procedure": "general", "outcome": "withdrawn"}
    # applicable: 100 − 15 − 10 = 75 points; CLS-02 −2 -> 73/75 × 100 = 97.333…
    s = score_case(withdrawn, [F("CLS-02")], sheet)
    assert s.total == 97.33 and s.grade == "优秀"
    # default (no rescale): the inapplicable stages keep full points -> 98
    s = score_case(withdrawn, [F("CLS-02")], load_sheet())
    assert s.total == 98


def test_scoring_bands_compared_unrounded(tmp_path):
    sheet = sheet_with(tmp_path, rescale_applicable=True)
    # withdrawn: 75 applicable points; 7 off -> 68/75 = 90.667 -> 优秀; 8 off -> 89.333 -> 良好
    fs = [F("FIL-01"), F("ORD-02"), F("FIL-02"), F("CLS-01")]  # 2 + 2 + 1 + 2 = 7
    s = score_case({"outcome": "withdrawn"}, fs, sheet)
    assert s.total == 90.67 and s.grade == "优秀"
    s = score_case({"outcome": "withdrawn"}, fs + [F("CON-02")], sheet)  # 8 off
    assert s.total == 89.33 and s.grade == "良好"


def test_scoring_grade_band_edges():
    sheet = load_sheet()
    assert [sheet.grade_for(x) for x in (100, 90, 89.999, 80, 79.99, 60, 59.5, 0)] == [
        "优秀", "优秀", "良好", "良好", "合格", "合格", "不合格", "不合格"]


def test_scoring_effects_report_pending_and_info():
    fx = finding_effects(GENERAL, [F("MIS-02"), F("REC-01", "info"), F("ZZZ-01")], load_sheet())
    assert [(e.status, e.item) for e in fx] == [("pending", "V5"), ("info", ""), ("unmapped", "")]


def test_scoring_sheet_errors_name_file_line_key(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text(
        "id: x\n"
        "veto_mode: erase\n"
        "stages: {立案: 10, 调查取证: 25, 事先告知: 15, 审核决定: 25, 送达执行: 10, 结案: 5, 归档: 10}\n"
        "grade_bands: [[90, 优秀], [80, 良好], [60, 合格], [0, 不合格]]\n"
        "items:\n"
        "  - {id: B3, stage: 立案, points: 1, check: FIL-02, text: 立案不及时}\n"
        "  - {id: B9, stage: 侦查, points: -2, check: OFF-02, text: 证号}\n"
        "  - {id: B1, stage: 立案, points: 1, check: FIL-02, text: 重复, colour: red}\n",
        encoding="utf-8")
    with pytest.raises(ScoreSheetError) as ei:
        load_sheet(p)
    text = str(ei.value)
    probs = ei.value.problems
    assert all(x.startswith("[E402]") and str(p) in x for x in probs)
    assert any("第 2 行" in x and "veto_mode" in x for x in probs)
    assert any("第 7 行" in x and "items[1].stage" in x and "侦查" in x for x in probs)
    assert any("第 7 行" in x and "items[1].points" in x for x in probs)
    assert any("第 8 行" in x and "items[2].check" in x and "items[0]" in x for x in probs)
    assert any("items[2].colour" in x for x in probs)
    assert len(probs) == 5, text
    assert isinstance(ei.value, RulesError)


def test_scoring_sheet_stage_total_and_cap_validated(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("id: x\ncap_to: 很好\nstages: {立案: 10, 归档: 10}\n"
                 "grade_bands: [[90, 优秀], [0, 不合格]]\nitems: []\n", encoding="utf-8")
    with pytest.raises(ScoreSheetError) as ei:
        load_sheet(p)
    probs = ei.value.problems
    assert any("stages" in x and "合计为 20" in x for x in probs)
    assert any("cap_to" in x and "很好" in x for x in probs)


def test_scoring_sheet_unreadable(tmp_path):
    with pytest.raises(RulesError) as ei:
        load_sheet(tmp_path / "none.yaml")
    assert str(ei.value).startswith("[E403]")
    p = tmp_path / "broken.yaml"
    p.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(RulesError) as ei:
        load_sheet(p)
    assert ei.value.code == "E403"


def test_scoring_check_reported_twice_deducts_once():
    # two EVD-01 findings (two unsigned records) -> −2 once; the second is listed as a repeat
    fs = [F("EVD-01", message="询问笔录无当事人签名"), F("EVD-01", message="现场检查笔录无当事人签名")]
    s = score_case(GENERAL, fs, load_sheet())
    assert s.stages["调查取证"] == 23 and s.total == 98
    assert [e.status for e in finding_effects(GENERAL, fs, load_sheet())] == ["deducted", "repeat"]
    # DOC-01 deducts per missing document: one finding each, −2 + −2, and −3 for the report
    fs = [F("DOC-01", message="案卷缺少现场检查笔录或询问笔录，该文书是一般程序处罚案件的必备文书。"),
          F("DOC-01", message="案卷缺少结案审批表，该文书是一般程序处罚案件的必备文书。"),
          F("DOC-01", message="案卷缺少案件调查终结审批表，该文书是一般程序处罚案件的必备文书。")]
    s = score_case(GENERAL, fs, load_sheet())
    assert [(d.item, d.points) for d in s.deductions] == [("B22", 2), ("B22", 2), ("B10", 3)]
    assert s.stages["归档"] == 3


def test_scoring_element_matched_in_message_not_in_quote():
    # the DEC-02 wording of checks/decision.py; the quote mentions a seal but nothing is missing there
    f = Finding("DEC-02", "major", "行政处罚决定书未载明履行方式和期限、行政机关印章，共缺2项法定事项。",
                "c", (Evidence("决定书.docx", 1, "（印章）"),), occurrences=2)
    s = score_case(GENERAL, [f], load_sheet())
    assert [(d.item, d.points) for d in s.deductions] == [("B18", 2), ("V11", 2)]
    f2 = Finding("DEC-02", "major", "行政处罚决定书未载明履行方式和期限，共缺1项法定事项。", "c",
                 (Evidence("决定书.docx", 1, "上海市青浦区城市管理行政执法局（印章）"),))
    s = score_case(GENERAL, [f2], load_sheet())
    assert [(d.item, d.points) for d in s.deductions] == [("B18", 2)]


# --- files that cannot be scored (不评分, issue 17) ------------------------------------------------------

@pytest.mark.parametrize("fields, documents, codes, reason", [
    (GENERAL, ["filing_approval", "decision"], ["E104"], "未能读取或未能完整读取（E104）"),
    (GENERAL, [], ["E107"], "未读取到任何案卷文书"),
    ({"procedure": None, "outcome": None}, ["other"], [], "未能识别办案程序"),
    (GENERAL, ["other"], [], "未见一般程序案卷的主要文书"),  # a blank .docx typed 其他文书
    ({"procedure": "general", "outcome": "pending"}, ["filing_approval"], [], "尚未作出处理决定"),
    ({"procedure": "simple", "outcome": "penalized"}, ["inquiry_record"], [], "未见简易程序案卷的主要文书"),
])
def test_scoring_unscored_with_the_reason(fields, documents, codes, reason) -> None:
    s = score_case(fields, [F("FIL-02", "minor")], load_sheet(), documents=documents, error_codes=codes)
    assert s.grade == "不评分" and not s.has_points and not s.vetoed
    assert any(reason in r for r in s.unscored), s.unscored
    assert s.to_dict()["unscored"] == list(s.unscored) and s.to_dict()["total"] == 0
    assert [e.finding.check_id for e in s.effects] == ["FIL-02"]  # the findings are still listed


def test_scoring_the_220_day_pending_case_is_not_excellent() -> None:
    """The 悬案 of issue 17: DEC-01 −3 (B19) and CLS-01 −2 (B2) as scoring.md §6 says give 95, 优秀,
    for a file that was never decided; a file not finished is 不评分 and listed for the reviewer."""
    pending = {"procedure": "general", "outcome": "pending"}
    found = [F("DEC-01", stage="审核决定"), F("CLS-01", "minor", stage="结案")]
    assert score_case(pending, found, load_sheet()).total == 95  # the sheet alone (no document rule)
    s = score_case(pending, found, load_sheet(), documents=["filing_approval"])
    assert s.grade == "不评分" and "未办结" in s.unscored[0]


def test_scoring_errors_that_leave_the_file_read_do_not_unscore() -> None:
    s = score_case(GENERAL, [], load_sheet(), documents=["filing_approval", "decision"],
                   error_codes=["E115", "E154"])  # a duplicate read once; low OCR confidence
    assert s.grade == "优秀" and s.has_points and not s.unscored


def test_scoring_sheet_unscored_block_is_validated(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_SHEET.read_text(encoding="utf-8"))
    data["unscored"] = {"required_documents": {"general": ["no_such_doc"], "odd": []}, "colour": 1}
    path = tmp_path / "sheet.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ScoreSheetError) as e:
        load_sheet(path)
    text = "\n".join(e.value.problems)
    assert "no_such_doc" in text and "odd" in text and "colour" in text
