"""Letters as .docx: golden text of each rung, GB/T 9704 layout and fonts, determinism, templates."""
from __future__ import annotations

import difflib
import io
import os
import sqlite3
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate

from pipeline.core.errors import AnjuanError
from pipeline.core.models import CaseResult, Evidence, Finding, empty_case_fields
from pipeline.core.workdays import WorkCalendar
from pipeline.store import letterdb as db
from pipeline.supervise.letters import RUNGS, load_settings
from pipeline.write.docx import docx_text
from pipeline.write.letterdocs import TEMPLATES_DIR, letter_filename, letter_view, render_letter, render_letter_bytes

GOLDEN = Path(__file__).parent / "golden"
CAL = WorkCalendar.default()
S = load_settings()
APL = "《中华人民共和国行政处罚法》"
UPDATE = "ANJUAN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_letterdocs.py"


def case(cid, squad, *findings, party=None):
    f = empty_case_fields()
    f.update(squad=squad, case_number=f"青城管罚〔2024〕第{cid[-3:]}号")
    if party:
        f["party"] = party
    return CaseResult(cid, cid, "ok", (), f, tuple(findings), None, ())


def scenario() -> dict[str, object]:
    """March review of 夏阳中队 / 盈浦中队 / 朱家角中队 / 练塘中队; 夏阳 never replies → 决定书."""
    c = sqlite3.connect(":memory:")
    db.ensure_schema(c)
    person = {"name": "王某某", "kind": "individual", "id_number": "310229198805061234",
              "address": "青浦区公园路88弄3号"}
    xiayang = case("2403001", "夏阳中队",
                   Finding("FIL-02", "minor", "立案日期晚于巡查发现日期17个工作日，超过15个工作日。",
                           f"{APL}第五十四条", (Evidence("2403001/立案审批表.docx", 1, "立案日期：2024年3月4日"),)),
                   Finding("EVD-01", "major", "询问笔录无当事人签名，也未注明拒签。",
                           "《上海市城市管理综合行政执法条例》第十九条",
                           (Evidence("2403001/询问笔录.pdf", 2,
                                     "被询问人王某某，身份证号310229198805061234，住青浦区公园路88弄3号，"
                                     "联系电话13912345678"),)),
                   party=person)
    others = [case(f"24030{10 + i}", sq, Finding("OFF-02", "major", "检查笔录中执法人员未记载执法证号。",
                                                  f"{APL}第五十五条",
                                                  (Evidence(f"24030{10 + i}/现场检查笔录.docx", 1,
                                                            "执法人员：李某、张某"),)))
              for i, sq in enumerate(("盈浦中队", "朱家角中队", "练塘中队"))]
    db.run_month(c, [xiayang, *others], "2024-03", "2024-03-22", settings=S, calendar=CAL)
    suggest = next(x for x in db.list_letters(c) if x.rung == "suggest" and x.squad == "盈浦中队")
    db.record_talk(c, suggest.id, date="2024-03-28", participants="盈浦街道分管领导、盈浦中队中队长",
                   commitments="一个月内完成复查并报送整改报告", who="执法监督科")
    db.run_month(c, [], "2024-03", "2024-04-01", settings=S, calendar=CAL)   # 提示单 → 督办单
    db.run_month(c, [], "2024-04", "2024-04-22", settings=S, calendar=CAL)   # 督办单 → 决定书
    out = {}
    for x in db.list_letters(c):
        if x.squad == "夏阳中队" or (x.rung == "suggest" and x.squad == "盈浦中队"):
            out[x.rung] = x
    c.close()
    return out


@pytest.fixture(scope="module")
def letters():
    return scenario()


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ANJUAN_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"missing {path}; create it with: {UPDATE}"
    want = path.read_text(encoding="utf-8")
    if want != text:
        diff = "\n".join(difflib.unified_diff(want.splitlines(), text.splitlines(), "golden", "rendered",
                                              lineterm=""))
        pytest.fail(f"{name} differs from the rendered letter:\n{diff}\n\nIf the change is intended, "
                    f"update the golden files with:\n  {UPDATE}")


@pytest.mark.parametrize("rung", RUNGS)
def test_letterdocs_golden_text(letters, rung, tmp_path):
    rec = letters[rung]
    out = tmp_path / letter_filename(rec)
    render_letter(rec, out, settings=S)
    check_golden(f"letter_{rung}.txt", docx_text(out))


def test_letterdocs_scenario_shape(letters):
    assert {r: (x.number, x.state) for r, x in letters.items()} == {
        "tip": ("青城管监提〔2024〕1号", "escalated"),
        "supervise": ("青城管监督〔2024〕1号", "escalated"),
        "suggest": ("青城管监建〔2024〕2号", "due"),  # 朱家角中队 sorts before 盈浦中队
        "decide": ("青城管监决〔2024〕1号", "due")}


def test_letterdocs_decide_carries_cc_line_and_tip_none(letters):
    dec = docx_text(render_letter_bytes(letters["decide"], settings=S))
    assert "抄告：夏阳街道办事处" in dec
    assert "青城管监提〔2024〕1号" in dec and "青城管监督〔2024〕1号" in dec
    tip = docx_text(render_letter_bytes(letters["tip"], settings=S))
    assert "抄告" not in tip and "抄送" not in tip


def test_letterdocs_personal_data_masked(letters):
    text = docx_text(render_letter_bytes(letters["tip"], settings=S))
    assert "310229198805061234" not in text and "13912345678" not in text
    assert "公园路88弄" not in text
    assert "310229********1234" in text and "139****5678" in text and "（住址已隐去）" in text


def _runs(doc):
    parts = [doc.element.body] + [s.footer._element for s in doc.sections]
    for part in parts:
        yield from part.iter(qn("w:r"))


def test_letterdocs_layout_and_fonts(letters):
    for rung in RUNGS:
        doc = Document(io.BytesIO(render_letter_bytes(letters[rung], settings=S)))
        sec = doc.sections[0]
        got = (sec.page_width, sec.page_height, sec.top_margin, sec.bottom_margin, sec.left_margin,
               sec.right_margin)
        want = (210, 297, 37, 35, 28, 26)  # A4; GB/T 9704 margins (stored in twips: ±0.05 mm)
        assert all(abs(g - Mm(w)) < Mm(0.05) for g, w in zip(got, want)), got
        runs = list(_runs(doc))
        assert runs
        for r in runs:
            fonts = r.find(qn("w:rPr") + "/" + qn("w:rFonts"))
            assert fonts is not None and fonts.get(qn("w:eastAsia")), f"{rung}: run without East-Asian font"
        title = doc.paragraphs[1]
        assert title.text == letters[rung].rung_name
        assert all(r.font.size == Pt(22) and r._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
                   for r in title.runs)
        addressee = doc.paragraphs[4]
        assert addressee.text == letters[rung].addressee + "："
        assert all(r.font.size == Pt(16) and r._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
                   for r in addressee.runs)


def test_letterdocs_deterministic_bytes(letters, tmp_path):
    a = render_letter_bytes(letters["decide"], settings=S)
    b = render_letter_bytes(letters["decide"], settings=S)
    assert a == b
    z = zipfile.ZipFile(io.BytesIO(a))
    assert {i.date_time for i in z.infolist()} == {(2024, 1, 1, 0, 0, 0)}
    assert z.namelist()[0] == "[Content_Types].xml"
    core = z.read("docProps/core.xml").decode("utf-8")
    assert "2024-01-01T00:00:00Z" in core and core.count("2024-01-01T00:00:00Z") == 2


def test_letterdocs_templates_are_built_by_the_script():
    sys.path.insert(0, str(TEMPLATES_DIR))
    try:
        import build_letter_templates as builder
    finally:
        sys.path.remove(str(TEMPLATES_DIR))
    for rung in RUNGS:
        committed = (TEMPLATES_DIR / f"letter_{rung}.docx").read_bytes()
        assert builder.build(rung) == committed, (
            f"templates/letter_{rung}.docx is stale; run: "
            ".venv/bin/python templates/build_letter_templates.py")


def test_letterdocs_template_variables_are_in_the_view(letters):
    for rung in RUNGS:
        tpl = DocxTemplate(str(TEMPLATES_DIR / f"letter_{rung}.docx"))
        used = tpl.get_undeclared_template_variables()
        missing = used - set(letter_view(letters[rung], S))
        assert not missing, f"letter_{rung}.docx uses {missing}"


def test_letterdocs_bad_template_variable_is_e401(letters, tmp_path):
    doc = Document()
    doc.add_paragraph("{{ no_such_thing }}")
    doc.save(tmp_path / "letter_tip.docx")
    with pytest.raises(AnjuanError) as e:
        render_letter(letters["tip"], tmp_path / "out.docx", settings=S, templates_dir=tmp_path)
    assert e.value.code == "E401" and "no_such_thing" in str(e.value)
    # a templates dir without the file falls back to the built-in template
    render_letter(letters["supervise"], tmp_path / "sup.docx", settings=S, templates_dir=tmp_path)
    assert "执法监督督办单" in docx_text(tmp_path / "sup.docx")


def test_letterdocs_text_settings(letters):
    s2 = load_settings(overrides={"issuing_body": "某区城管执法局（法制科）",
                                  "rungs": {"tip": {"reply_form": "书面说明"}}})
    text = docx_text(render_letter_bytes(letters["tip"], settings=s2))
    assert "某区城管执法局（法制科）" in text and "报送书面说明。" in text
    bad = load_settings(overrides={"texts": {"tip": {"intro": "{nope}"}}})
    with pytest.raises(AnjuanError) as e:
        render_letter_bytes(letters["tip"], settings=bad)
    assert e.value.code == "E512"
