"""评查意见书: view model, template variables, golden text, errors, determinism."""
from __future__ import annotations

import difflib
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

from pipeline.core.errors import AnjuanError
from pipeline.core.models import CaseResult, Evidence, Finding, empty_case_fields
from pipeline.supervise.scoring import load_sheet, score_case
from pipeline.write.docx import docx_text
from pipeline.write.opinion import (
    TEMPLATES_DIR,
    jinja_env,
    opinion_view,
    render_opinion,
    render_opinion_bytes,
    reply_deadline,
    template_path,
)

GOLDEN = Path(__file__).parent / "golden"
APL = "《中华人民共和国行政处罚法》"
SETTINGS = {"issue_date": "2024-04-01", "opinion_number": 7}


def golden_case() -> CaseResult:
    """A general-procedure 跨门营业 case with findings in several stages (hand-made)."""
    fields = empty_case_fields()
    fields.update(case_number="青城管罚字〔2024〕第0317号", procedure="general", outcome="penalized",
                  squad="青浦区城管执法局第一中队", violation_type="kua_men_ying_ye",
                  filing_date="2024-03-04", decision_date="2024-03-20", fine_yuan=300)
    fields["party"] = {"name": "王某某", "kind": "individual",
                       "id_number": "310229198805061234", "address": "青浦区华新镇某路1号"}
    findings = (
        Finding("FIL-02", "minor", "立案日期晚于巡查发现日期17个工作日，超过15个工作日。",
                f"{APL}第五十四条",
                (Evidence("2403017/立案审批表.docx", 1, "立案日期：2024年3月4日"),), stage="立案"),
        Finding("OFF-02", "major", "询问笔录中执法人员李某未记载执法证号。", f"{APL}第五十五条",
                (Evidence("2403017/询问笔录.pdf", 2,
                          "被询问人王某某，身份证号310229198805061234，联系电话13912345678"),),
                stage="调查取证"),
        Finding("DEC-02", "major", "行政处罚决定书缺少履行方式和期限、执法机关印章。", f"{APL}第五十九条",
                (Evidence("2403017/行政处罚决定书.docx", 1, "上海市青浦区城市管理行政执法局"),),
                stage="审核决定", occurrences=2),
        Finding("NOT-01", "veto", "行政处罚决定书日期早于事先告知书日期。", f"{APL}第六十二条",
                (Evidence("2403017/事先告知书.docx", 1, "2024年3月22日"),
                 Evidence("2403017/行政处罚决定书.docx", 1, "2024年3月20日")), stage="事先告知"),
        Finding("SRV-01", "minor", "决定书于作出后第9个工作日送达，超过7个工作日。", f"{APL}第六十一条",
                (Evidence("2403017/送达回证.pdf", 1, "送达日期：2024年4月2日"),), stage="送达执行"),
        Finding("CON-01", "minor", "当事人姓名在询问笔录中写作“王某其”。", "评查标准（当事人名称前后不一致）",
                (Evidence("2403017/询问笔录.pdf", 1, "王某其"),), stage="归档"),
        Finding("REC-01", "info", "现场检查未见音像记录引用，请核实。", f"{APL}第四十七条", (),
                stage="调查取证"),
        Finding("MIS-01", "major", "与案卷2403018当事人、案由、地点相同，罚款合计达到听证标准。",
                f"{APL}第二十九条", related_cases=("2403018",)),
    )
    decisions = {("2403017", "CON-01"): {"decision": "dismissed", "reason": "笔误已在卷内更正"}}
    score = score_case(fields, findings, load_sheet(), decisions=decisions, case_id="2403017")
    return CaseResult(case_id="2403017", source="2403017", status="ok", documents=(),
                      fields=fields, findings=findings, score=score, errors=())


def golden_settings() -> dict:
    return dict(SETTINGS, decisions={
        ("2403017", "CON-01"): {"decision": "dismissed", "reason": "笔误已在卷内更正"}})


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ANJUAN_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), (f"missing {path}; create it with: "
                           "ANJUAN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_opinion.py")
    want = path.read_text(encoding="utf-8")
    if text != want:
        diff = "\n".join(difflib.unified_diff(want.splitlines(), text.splitlines(), "golden",
                                              "rendered", lineterm=""))
        pytest.fail(f"{name} differs:\n{diff}\nIf the change is intended, update it with:\n"
                    "  ANJUAN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_opinion.py")


def test_opinion_golden_text(tmp_path):
    out = tmp_path / "2403017.docx"
    render_opinion(golden_case(), settings=golden_settings(), out_path=out)
    check_golden("opinion_2403017.txt", docx_text(out))


def test_opinion_view_groups_vetoes_first_then_stage_order():
    v = opinion_view(golden_case(), golden_settings())
    heads = [g["heading"] for g in v["groups"]]
    assert heads == ["（一）否决事项", "（二）立案阶段", "（三）调查取证阶段", "（四）审核决定阶段",
                     "（五）送达执行阶段"]
    assert [f["check_id"] for g in v["groups"] for f in g["findings"]] == [
        "NOT-01", "FIL-02", "OFF-02", "REC-01", "DEC-02", "SRV-01"]
    # numbering runs across groups; the seal element is scored apart (B18 −2, V11 −2)
    dec02 = v["groups"][3]["findings"][0]
    assert dec02["no"] == 5 and dec02["effect"] == "扣2分（B18）、扣2分（V11）"
    # the dismissed CON-01 and the unconfirmed MIS-01 are not shown to the squad
    assert all(f["check_id"] not in ("CON-01", "MIS-01") for g in v["groups"] for f in g["findings"])
    assert v["doc_number"] == "青城管监评〔2024〕第7号"
    assert v["cause"] == "跨门营业" and v["fine"] == "300元"
    assert v["filing_date"] == "2024年3月4日" and v["issue_date"] == "2024年4月1日"
    assert v["total"] == "0（否决）" and v["vetoed"] is True


def test_opinion_personal_data_masked_names_kept():
    v = opinion_view(golden_case(), golden_settings())
    ev = v["groups"][2]["findings"][0]["evidence"]
    assert "310229********1234" in ev and "139****5678" in ev and "王某某" in ev
    assert "310229198805061234" not in str(v) and "13912345678" not in str(v)


def test_opinion_reply_deadline_working_days():
    # 2024-04-01 (Mon) + 10 working days: 4–6 April is 清明 (off), Sunday 7 April is a make-up
    # working day -> 2,3,7,8,9,10,11,12,15,16 -> 16 April
    assert reply_deadline("2024-04-01", 10) == "2024年4月16日前"
    # 2024-09-27 (Fri) + 3: Sunday 9-29 is a make-up working day (1), 9-30 (2),
    # 10-1..7 National Day, 10-8 (3)
    assert reply_deadline("2024-09-27", 3) == "2024年10月8日前"
    assert reply_deadline(None, 10) == "收到本意见书之日起10个工作日内"


def test_opinion_settings_override_bureau_prefix_and_days():
    v = opinion_view(golden_case(), {"issue_date": "2024-04-01", "opinion_number": 12,
                                     "opinion_number_prefix": "青城管督评", "reply_workdays": 5,
                                     "bureau": "上海市青浦区城市管理行政执法局（测试）"})
    assert v["doc_number"] == "青城管督评〔2024〕第12号"
    assert v["reply_deadline"] == "2024年4月9日前"  # 2,3,7,8,9
    assert v["bureau"].endswith("（测试）")
    blank = opinion_view(golden_case(), {})
    assert blank["doc_number"] == "青城管监评〔　　〕第　号"
    assert blank["issue_date"] == "　　年　　月　　日"


def test_opinion_template_variables_subset_of_view():
    tpl = DocxTemplate(str(TEMPLATES_DIR / "opinion.docx"))
    undeclared = tpl.get_undeclared_template_variables(jinja_env=jinja_env())
    view = opinion_view(golden_case(), SETTINGS)
    assert undeclared <= set(view), undeclared - set(view)
    assert {"bureau", "groups", "stages", "reply_deadline"} <= undeclared


def test_opinion_template_is_what_build_script_makes():
    from templates.build_templates import build
    assert build() == (TEMPLATES_DIR / "opinion.docx").read_bytes(), \
        "templates/opinion.docx is stale: run .venv/bin/python templates/build_templates.py"


def test_opinion_docx_layout_gbt9704(tmp_path):
    out = tmp_path / "o.docx"
    render_opinion(golden_case(), settings=SETTINGS, out_path=out)
    doc = Document(str(out))
    sec = doc.sections[0]
    def mm(x: int) -> int:  # EMU -> mm
        return round(x / 36000)

    assert (mm(sec.page_width), mm(sec.page_height)) == (210, 297)
    assert (mm(sec.top_margin), mm(sec.bottom_margin), mm(sec.left_margin),
            mm(sec.right_margin)) == (37, 35, 28, 26)
    runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    runs += [r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs
             for r in p.runs if r.text.strip()]
    assert runs
    for r in runs:
        fonts = r._r.rPr.find(qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")), r.text
    title = [p for p in doc.paragraphs if p.text == "案卷评查意见书"][0]
    assert title.alignment == 1  # centred
    assert title.runs[0].font.size.pt == 22
    assert title.runs[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
    body = [p for p in doc.paragraphs if p.text.startswith("根据执法监督工作安排")][0]
    assert body.runs[0].font.size.pt == 16
    assert body.runs[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert 28 <= body.paragraph_format.line_spacing.pt <= 29


def test_opinion_bytes_deterministic(tmp_path):
    a = render_opinion_bytes(golden_case(), settings=SETTINGS)
    b = render_opinion_bytes(golden_case(), settings=SETTINGS)
    assert a == b
    render_opinion(golden_case(), settings=SETTINGS, out_path=tmp_path / "c.docx")
    assert (tmp_path / "c.docx").read_bytes() == a
    import io
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        assert all(i.date_time == (2024, 1, 1, 0, 0, 0) for i in z.infolist())
        core = z.read("docProps/core.xml").decode("utf-8")
    assert "2024-01-01T00:00:00Z" in core


def test_opinion_no_findings_and_simple_procedure():
    fields = empty_case_fields()
    fields.update(procedure="simple", outcome="penalized", squad="第三中队")
    score = score_case(fields, (), load_sheet())
    r = CaseResult("S1", "S1", "ok", (), fields, (), score, ())
    text = docx_text(render_opinion_bytes(r, settings=SETTINGS))
    assert "经评查，本案卷未发现需要指出的问题。" in text
    assert "本案卷无需整改，请继续保持。" in text
    assert "不适用百分制评分" in text and "评查阶段 | 满分" not in text
    assert "请于" not in text


def test_opinion_template_override_and_error_names_line(tmp_path):
    shutil.copy(TEMPLATES_DIR / "opinion.docx", tmp_path / "unused.docx")
    assert template_path(tmp_path) == TEMPLATES_DIR / "opinion.docx"
    # a bureau template with a misspelt variable
    from docx import Document as NewDoc
    d = NewDoc()
    d.add_paragraph("第一段")
    d.add_paragraph("承办中队：{{ squadd }}")
    d.save(str(tmp_path / "opinion.docx"))
    assert template_path(tmp_path) == tmp_path / "opinion.docx"
    with pytest.raises(AnjuanError) as ei:
        render_opinion_bytes(golden_case(), settings=SETTINGS, templates_dir=tmp_path)
    text = str(ei.value)
    assert text.startswith("[E401]") and "opinion.docx" in text and "squadd" in text
    assert ei.value.kwargs["line"] == 2  # the second paragraph
    assert "变量“squadd”未定义" in text
    # a syntax error also names the line
    d = NewDoc()
    d.add_paragraph("第一段")
    d.add_paragraph("第二段")
    d.add_paragraph("{% if %}")
    d.save(str(tmp_path / "opinion.docx"))
    with pytest.raises(AnjuanError) as ei:
        render_opinion_bytes(golden_case(), settings=SETTINGS, templates_dir=tmp_path)
    assert ei.value.code == "E401" and ei.value.kwargs["line"] == 3


def test_opinion_override_template_renders(tmp_path):
    from docx import Document as NewDoc
    d = NewDoc()
    d.add_paragraph("{{ addressee }}：{{ case_id }} 得分 {{ total }}")
    d.save(str(tmp_path / "opinion.docx"))
    text = docx_text(render_opinion_bytes(golden_case(), settings=SETTINGS,
                                          templates_dir=tmp_path))
    assert text == "青浦区城管执法局第一中队：2403017 得分 0（否决）\n"


def test_opinion_escapes_markup_in_messages():
    fields = empty_case_fields()
    fields.update(procedure="general", outcome="penalized", squad="第一中队")
    findings = (Finding("OFF-02", "major", "笔录写有<执法证号>&“空白”", f"{APL}第五十五条",
                        (Evidence("a.docx", None, "证号：<空>"),), stage="调查取证"),)
    r = CaseResult("E1", "E1", "ok", (), fields, findings, score_case(fields, findings, load_sheet()), ())
    text = docx_text(render_opinion_bytes(r, settings=SETTINGS))
    assert "1．笔录写有<执法证号>&“空白”。" in text
    assert "证据：a：“证号：<空>”" in text
    assert "本案卷得分98分，评查等级为优秀。" in text
