"""The month's reports: view model numbers checked by hand, the DOCX/HTML outputs, the bulletin's masking."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document

from pipeline.core.models import CaseResult, DocumentEntry, Finding, Score, empty_case_fields
from pipeline.supervise.monthview import month_view
from pipeline.supervise.sampling import Plan, PlanItem, QuotaRow
from pipeline.write import charts as ch
from pipeline.write.meeting import write_bulletin, write_meeting_material

ID_NUMBER = "310118198503150012"


def _fields(case_number, squad, procedure, *, party=None, kind="individual", officers=(), fine=None,
            legal_review_date=None):
    f = empty_case_fields()
    f.update(case_number=case_number, squad=squad, procedure=procedure, outcome="penalized", fine_yuan=fine,
             legal_review_date=legal_review_date)
    f["party"] = {"name": party, "kind": kind, "id_number": ID_NUMBER if kind == "individual" else None,
                  "address": None}
    f["officers"] = [{"name": o, "cert_no": None} for o in officers]
    return f


def _f(check_id, severity, stage, message="问题", related=()):
    return Finding(check_id=check_id, severity=severity, message=message,
                   citation="《中华人民共和国行政处罚法》第六十条", stage=stage, related_cases=tuple(related))


def _case(case_id, squad, procedure, total, grade, findings=(), *, vetoed=False, docs=(), **kw):
    # a general-procedure file is scored on the sheet (it has stage points); a simple one is not
    stages = {"立案": total} if procedure == "general" else {}
    score = Score(total=total, grade=grade, vetoed=vetoed, sheet_id="qingpu-cg-2024", stages=stages)
    documents = tuple(DocumentEntry(path=f"{case_id}/{d}.docx", doc_type=d, pages=1, text_source="docx",
                                    confidence=1.0) for d in docs)
    return CaseResult(case_id=case_id, source=case_id, status="ok", documents=documents,
                      fields=_fields(f"青城管罚字〔2024〕{case_id}号", squad, procedure, **kw),
                      findings=tuple(findings), score=score, errors=())


@pytest.fixture(scope="module")
def results():
    return [
        # 朱家角中队: 3 files (2 general, 1 simple)
        _case("2405001", "朱家角中队", "general", 95, "优秀", [_f("FIL-02", "minor", "立案")],
              party="张三丰", officers=("李四海", "王五")),
        _case("2405002", "朱家角中队", "general", 0, "不合格", [
            _f("LRV-01", "veto", "审核决定"), _f("DEC-01", "major", "审核决定",
                                                  "立案至决定已过112日，张三丰案无延期审批，身份证310118198503150012。"),
            _f("SRV-02", "major", "送达执行"), _f("FIL-02", "minor", "立案")],
              vetoed=True, party="张三丰", officers=("李四海", "王五"), fine=6000),
        _case("2405003", "朱家角中队", "simple", 0, "不评分（简易程序）", [], party="赵六"),
        # 练塘中队: 2 general files
        _case("2405004", "练塘中队", "general", 85, "良好", [
            _f("DEC-01", "major", "审核决定", "上海某某餐饮有限公司案立案后95日未作决定，经办人孙八。"),
            _f("FIL-02", "minor", "立案"), _f("MIS-01", "major", None, related=("2405005",))],
              party="上海某某餐饮有限公司", kind="organisation", fine=60000, legal_review_date="2024-05-10",
              docs=("legal_review",)),
        _case("2405005", "练塘中队", "general", 75, "合格", [
            _f("MIS-01", "major", None, related=("2405004",)), _f("REC-01", "minor", "调查取证"),
            _f("CLS-01", "minor", "结案"), _f("XYZ-09", "info", None)],
              party="钱七", officers=("孙八",)),
    ]


@pytest.fixture(scope="module")
def letters():
    return {"issued": {"tip": 2, "supervise": 1, "suggest": 0, "decide": 0}, "closed": 1, "closure_rate": 0.5,
            "on_time_rate": 0.25, "overdue_at_month_end": 1,
            "letters": [{"number": "青城管监提〔2024〕3号", "rung_name": "执法监督提示单", "squad": "练塘中队",
                         "state": "issued", "due_date": "2024-06-14"}]}


@pytest.fixture(scope="module")
def previous():
    return {"month": "2024-04", "score_sheets": ["qingpu-cg-2024"],
            "district": {"average_score": 70.0, "findings_per_file": 1.0, "pct_fail": 50.0},
            "letters": {"closure_rate": 40.0},
            "squads": [{"name": "朱家角中队", "average_score": 60.0, "findings_per_file": 2.0, "pct_fail": 50.0,
                        "rank": 2},
                       {"name": "练塘中队", "average_score": 90.0, "findings_per_file": 0.5, "pct_fail": 0.0,
                        "rank": 1}]}


@pytest.fixture(scope="module")
def view(results, letters, previous):
    return month_view(results, month="2024-05", letters=letters, previous=previous)


def _squad(view, name):
    return next(s for s in view["squads"] if s["name"] == name)


# --- view numbers (hand-computed) ------------------------------------------------------------------

def test_report_district_numbers(view):
    d = view["district"]
    assert (d["cases"], d["general"], d["simple"], d["squads"]) == (5, 4, 1, 2)
    # graded: 95, 0, 85, 75 → 255 / 4 = 63.75; 1 不合格 of 4 graded = 25 %
    assert d["average_score"] == 63.75
    assert d["graded"] == 4 and d["scored"] == 4 and d["unscored"] == 1
    assert d["grades"] == {"优秀": 1, "良好": 1, "合格": 1, "不合格": 1}
    assert d["pct_fail"] == 25.0
    # defects: 1 + 4 + 0 + 2 + 2 (MIS-01 signals and the info finding are not defects) = 9; 9 / 5 = 1.8
    assert d["findings"] == 9 and d["findings_per_file"] == 1.8
    # files with ≥ 1 defect: 2405001, 2405002, 2405004, 2405005 = 4 of 5
    assert d["pct_with_findings"] == 80.0
    assert d["vetoed"] == 1


def test_report_squad_numbers_and_rank(view):
    z = _squad(view, "朱家角中队")
    assert (z["cases"], z["simple"], z["general"], z["findings"]) == (3, 1, 2, 5)
    assert z["average_score"] == 47.5  # (95 + 0) / 2
    assert z["pct_fail"] == 50.0 and z["findings_per_file"] == 1.67
    lt = _squad(view, "练塘中队")
    assert lt["average_score"] == 80.0 and lt["findings"] == 4 and lt["pct_with_findings"] == 100.0
    assert (lt["rank"], z["rank"]) == (1, 2)
    assert lt["letters"] == 1 and z["letters"] == 0


def test_report_month_on_month_change(view):
    c = view["change"]
    assert c["average_score"] == -6.25  # 63.75 − 70
    assert c["findings_per_file"] == 0.8  # 1.8 − 1.0
    assert c["pct_fail"] == -25.0
    assert c["closure_rate"] == 10.0  # 50 % − 40 %
    z = _squad(view, "朱家角中队")["change"]
    assert z["average_score"] == -12.5 and z["rank"] == 0  # rank 2 → 2
    lt = _squad(view, "练塘中队")["change"]
    assert lt["average_score"] == -10.0 and lt["findings_per_file"] == 1.5 and lt["rank"] == 0


def test_report_defects_by_stage_and_top(view):
    stages = {s["stage"]: s for s in view["defects_by_stage"]}
    assert [s["stage"] for s in view["defects_by_stage"]] == ["立案", "调查取证", "审核决定", "送达执行", "结案"]
    assert stages["立案"]["total"] == 3
    assert stages["审核决定"]["total"] == 3  # LRV-01 + DEC-01 ×2
    assert [(x["check_id"], x["count"]) for x in stages["审核决定"]["items"]] == [("DEC-01", 2), ("LRV-01", 1)]
    top = view["top_defects"]
    assert (top[0]["check_id"], top[0]["count"], top[0]["files"], top[0]["squads"]) == ("FIL-02", 3, 3, 2)
    assert top[1]["check_id"] == "DEC-01"
    assert all(x["check_id"] not in ("MIS-01", "XYZ-09") for x in top)
    fam = {f["family"]: f["total"] for f in view["defects_by_family"]}
    assert fam == {"FIL": 3, "DEC": 2, "LRV": 1, "SRV": 1, "REC": 1, "CLS": 1}


def test_report_titles_fall_back_to_id(view):
    titles = {x["check_id"]: x["title"] for x in view["top_defects"]}
    assert titles["FIL-02"] == "立案不及时"  # from the registry


def test_report_overdue_vetoed_discussion(view):
    assert [(x["check_id"], x["case_id"]) for x in view["overdue"]] == [("DEC-01", "2405002"), ("DEC-01", "2405004"),
                                                                         ("CLS-01", "2405005")]
    detail = view["overdue"][0]["detail"]
    assert "张三丰" not in detail and "张某" in detail and ID_NUMBER not in detail
    assert view["overdue"][1]["detail"] == "当事人单位案立案后95日未作决定，经办人孙某。"
    assert [x["case_id"] for x in view["vetoed"]] == ["2405002"]
    assert view["vetoed"][0]["checks"][0]["check_id"] == "LRV-01"
    disc = {x["case_id"]: x["reasons"] for x in view["discussion"]}
    # 2405002: vetoed and 3 major-or-veto findings; 2405004/5: cross-case signal
    assert sorted(disc) == ["2405002", "2405004", "2405005"]
    assert len(disc["2405002"]) == 2 and "重大问题 3 个" in disc["2405002"]


def test_report_legal_review_and_signals(view):
    lr = view["legal_review"]
    # needing: 2405002 (LRV-01 fired), 2405004 (record; fine ≥ 50 000) → 2; with a record: 2405004 → 50 %
    assert (lr["needing"], lr["with_record"], lr["coverage"], lr["findings"]) == (2, 1, 50.0, 1)
    sig = view["signals"]
    assert sig["total"] == 2 and sig["items"] == [{"check_id": "MIS-01", "title": "拆分案件", "count": 2, "files": 2}]


def test_report_letters_block(view):
    lt = view["letters"]
    assert lt["issued_total"] == 3 and lt["closure_rate"] == 50.0 and lt["on_time_rate"] == 25.0
    # the rung keys of letters.month_counts, each with its name: no English key reaches a page
    assert [(i["rung"], i["rung_label"], i["count"]) for i in lt["issued"]] == [
        ("tip", "提示单", 2), ("supervise", "督办单", 1), ("suggest", "建议书", 0), ("decide", "决定书", 0)]
    assert lt["letters"][0]["state_label"] == "已制发"


def test_report_view_has_no_personal_data(view):
    from pipeline.core.models import dumps

    text = dumps(view)
    for secret in ("张三丰", "李四海", "王五", "赵六", "钱七", "孙八", "上海某某餐饮有限公司", ID_NUMBER):
        assert secret not in text


def test_report_view_without_letters_or_previous(results):
    v = month_view(results[:1], month="2024-05")
    assert v["letters"] is None and v["change"] is None
    assert v["squads"][0]["change"] is None and v["squads"][0]["letters"] is None
    empty = month_view([], month="2024-05")
    assert empty["district"]["cases"] == 0 and empty["district"]["average_score"] is None


def test_report_discussion_threshold_is_a_setting(results):
    v = month_view(results, month="2024-05", settings={"discussion": {"vetoed": False, "signals": False,
                                                                       "major_findings_min": 1}})
    # files with ≥ 1 major/veto defect: 2405002 (3), 2405004 (DEC-01)
    assert [x["case_id"] for x in v["discussion"]] == ["2405002", "2405004"]


def test_report_settings_note_when_sheets_differ(results, previous):
    prev = dict(previous, score_sheets=["other-sheet"])
    v = month_view(results, month="2024-05", previous=prev)
    assert any("评分表" in n for n in v["notes"])


# --- outputs -------------------------------------------------------------------------------------

def _docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


@pytest.fixture(scope="module")
def written(view, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    paths = write_meeting_material(view, out)
    write_bulletin(view, out / "月通报.docx")
    return out, paths


def test_report_meeting_docx_contents(written):
    out, paths = written
    assert [p.name for p in paths] == ["讲评会材料.docx", "讲评会材料.html"]
    text = _docx_text(out / "讲评会材料.docx")
    for s in ("朱家角中队", "练塘中队", "63.75", "47.5", "FIL-02", "立案不及时", "2405002", "50%"):
        assert s in text
    doc = Document(str(out / "讲评会材料.docx"))
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert (round(sec.top_margin.mm), round(sec.bottom_margin.mm), round(sec.left_margin.mm),
            round(sec.right_margin.mm)) == (37, 35, 28, 26)
    xml = zipfile.ZipFile(out / "讲评会材料.docx").read("word/document.xml").decode("utf-8")
    assert 'w:eastAsia="仿宋_GB2312"' in xml and 'w:eastAsia="方正小标宋简体"' in xml


@pytest.mark.skipif(ch.find_cjk_font() is None, reason="no CJK font installed")
def test_report_meeting_docx_embeds_png_charts(written):
    out, _ = written
    names = zipfile.ZipFile(out / "讲评会材料.docx").namelist()
    assert len([n for n in names if n.startswith("word/media/") and n.endswith(".png")]) == 3


def test_report_docx_without_cjk_font_has_tables_and_warning(view, tmp_path, monkeypatch):
    monkeypatch.setattr(ch, "find_cjk_font", lambda: None)
    write_meeting_material(view, tmp_path)
    names = zipfile.ZipFile(tmp_path / "讲评会材料.docx").namelist()
    assert not [n for n in names if n.startswith("word/media/")]
    text = _docx_text(tmp_path / "讲评会材料.docx")
    assert "[E405]" in text and "fonts-noto-cjk" in text and "朱家角中队" in text


def test_report_html_self_contained_with_svg(written):
    out, _ = written
    html = (out / "讲评会材料.html").read_text(encoding="utf-8")
    assert 'src="http' not in html and "href=\"http" not in html and "<script" not in html
    assert "<link" not in html and "@import" not in html
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) == 3
    assert "各中队评查等级分布" in svgs[0] and "朱家角中队" in svgs[0]
    assert any("立案不及时" in s for s in svgs)
    assert "Noto Sans CJK SC" in svgs[0] and "Microsoft YaHei" in svgs[0]
    assert "63.75" in html and "2405002" in html


def test_report_outputs_are_deterministic(view, written, tmp_path):
    out, _ = written
    write_meeting_material(view, tmp_path)
    write_bulletin(view, tmp_path / "月通报.docx")
    for name in ("讲评会材料.docx", "讲评会材料.html", "月通报.docx"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name
    for info in zipfile.ZipFile(out / "讲评会材料.docx").infolist():
        assert info.date_time == (2024, 1, 1, 0, 0, 0)


def test_report_bulletin_masked_and_complete(written):
    out, _ = written
    text = _docx_text(out / "月通报.docx")
    for secret in ("张三丰", "李四海", "王五", "赵六", "钱七", "孙八", ID_NUMBER, "身份证"):
        assert secret not in text
    for s in ("朱家角中队", "练塘中队", "全区合计", "立案不及时", "青城管罚字〔2024〕2405002号", "办结率 50%"):
        assert s in text
    # the bulletin leaves the office: problems in words, no internal code (issue 17)
    assert "FIL-02" not in text and "CLS-01" not in text
    assert "应结未结（悬案）" in text  # the overdue table names CLS-01 in words
    # 文号 (GB/T 9704: no 第, no padding), 成文日期 and the seal placeholder
    assert "青城管监通〔2024〕5号" in text and "（印章）" in text
    doc = Document(str(out / "月通报.docx"))
    top = next(t for t in doc.tables if t.rows[0].cells[0].text == "序号")
    assert len(top.rows) == 1 + 5


def test_report_template_error_is_coded(view, tmp_path):
    from pipeline.core.errors import AnjuanError

    (tmp_path / "report.html.j2").write_text("<p>{{ view.nothing_here }}</p>", encoding="utf-8")
    with pytest.raises(AnjuanError) as err:
        write_meeting_material(view, tmp_path / "out", templates_dir=tmp_path)
    assert err.value.code == "E401"


def test_report_plan_block_in_view(results):
    plan = Plan(month="2024-05", seed=7, last_month="2024-04", squads=("朱家角中队",),
                items=(PlanItem("青城管罚字〔2024〕2405002号", "朱家角中队", ("案卷", "重大法核"), "general",
                                ("随机抽取",)),),
                quotas=(QuotaRow("案卷抽查（上月办结案件≥10%）", 30, 3, 1),))
    v = month_view(results, month="2024-05", plan=plan)
    assert v["plan"]["reviewed"] == 1 and v["plan"]["quotas"][0]["met"] is False


def test_charts_svg_layout_values():
    chart = ch.BarChart("x", "标题", ("甲中队", "乙中队"), (ch.Series("a", (2.0, 4.0), "#000"),))
    svg = ch.to_svg(chart)
    # the axis maximum of 4 is 4 (integer ticks 0..4); the bar of 4 spans the whole plot width
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="18"', svg)]
    assert len(widths) == 2 and abs(widths[1] - 2 * widths[0]) < 0.2


def test_report_template_variables_are_in_the_context(view):
    import jinja2
    from jinja2 import meta

    from pipeline.write.meeting import TEMPLATES_DIR

    env = jinja2.Environment()
    src = (TEMPLATES_DIR / "report.html.j2").read_text(encoding="utf-8")
    assert meta.find_undeclared_variables(env.parse(src)) <= {"view", "t", "stages", "families", "overview",
                                                               "charts", "font_family"}


def test_report_vetoed_simple_file_is_graded_but_not_averaged(results):
    vetoed_simple = _case("2405006", "练塘中队", "simple", 0, "不合格", [_f("SIM-01", "veto", "审核决定")], vetoed=True)
    v = month_view([*results, vetoed_simple], month="2024-05")
    lt = next(s for s in v["squads"] if s["name"] == "练塘中队")
    # average stays (85 + 75) / 2 = 80; 不合格 1 of 3 graded files = 33.3 %
    assert lt["average_score"] == 80.0 and lt["scored"] == 2 and lt["graded"] == 3
    assert lt["grades"]["不合格"] == 1 and lt["pct_fail"] == 33.3 and lt["vetoed"] == 1
    assert v["district"]["average_score"] == 63.75


def test_report_unidentified_squad_is_not_ranked(results):
    lost = _case("2405009", None, "general", 100, "优秀")
    v = month_view([*results, lost], month="2024-05")
    names = [s["name"] for s in v["squads"]]
    assert names[-1] == "（未识别中队）" and v["squads"][-1]["rank"] is None
    assert next(s for s in v["squads"] if s["name"] == "练塘中队")["rank"] == 1


def test_report_every_check_family_has_a_chinese_label() -> None:
    """``OFF`` unquoted in YAML is the boolean false: the family showed as "OFF OFF" (issue 17)."""
    from checks.registry import all_checks
    from pipeline.supervise.monthview import load_settings

    families = load_settings()["families"]
    assert all(isinstance(k, str) for k in families)
    missing = sorted({cid.split("-")[0] for cid in all_checks()} - set(families))
    assert not missing, missing
