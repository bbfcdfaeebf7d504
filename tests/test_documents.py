"""What every document that leaves anjuan must hold (issue 17), checked on the files themselves.

A small month is built by hand (scored files, a file that cannot be scored, a point not verified, a
simple-procedure file, letters of every rung) and every document is rendered: the review opinions,
the four letters, the meeting material and the bulletin. Then, in each:

- no English key of the schema or the settings reaches the text (``decide``, ``tip``, ``general``,
  ``OFF OFF`` …), and the documents that leave the office name no internal code (check ids, score
  item ids, the sheet id);
- our own 文号 follow GB/T 9704: ``〔2024〕7号``, never ``第`` and never a padded serial;
- no table row can break across two pages (``w:cantSplit``) and the header row repeats (``w:tblHeader``);
- the 落款 (issuer, （印章）, date) stays on one page with the paragraph before it (``keep_with_next``);
- in the meeting material and the bulletin every number fits its column on one line.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from pipeline.core.models import CaseResult, DocumentEntry, Evidence, Finding, Unverified, empty_case_fields
from pipeline.supervise.monthview import load_settings as load_report_settings
from pipeline.supervise.monthview import month_view
from pipeline.supervise.sampling import KIND_CASE, Plan, PlanItem, QuotaRow
from pipeline.supervise.scoring import load_sheet, score_case
from pipeline.write.docx import docx_text
from pipeline.write.govdoc import is_numeric
from pipeline.write.letterdocs import render_letter_bytes
from pipeline.write.meeting import bulletin_docx, meeting_docx
from pipeline.write.opinion import render_opinion_bytes
from pipeline.write.planwriter import plan_docx
from tests.test_letterdocs import S as LETTER_SETTINGS
from tests.test_letterdocs import scenario

APL = "《中华人民共和国行政处罚法》"
SEAL = "（印章）"
# lower-case words of the schema and the settings (rungs, states, severities, procedures, outcomes …)
ENGLISH_KEY = re.compile(r"(?<![A-Za-z])[a-z_]{3,}(?![A-Za-z])")
REPEATED_CODE = re.compile(r"\b([A-Z]{3}) \1\b")  # "OFF OFF": a label missing for a family
INTERNAL_CODE = re.compile(r"[A-Z]{3}-\d{2}|(?<![A-Za-z0-9])[BV]\d{1,2}(?![0-9])|qingpu-cg-2024")
OUR_NUMBER = re.compile(r"青城管监[评提督建决通]〔\d{4}〕(\S*?)号")


def _case(case_id: str, squad: str, findings: tuple[Finding, ...], *, procedure: str = "general",
          docs: tuple[str, ...] = ("filing_approval", "decision"), outcome: str = "penalized",
          unverified: tuple[Unverified, ...] = (), errors: tuple = ()) -> CaseResult:
    f = empty_case_fields()
    f.update(case_number=f"青城管罚字〔2024〕第{case_id}号", squad=squad, procedure=procedure, outcome=outcome,
             filing_date="2024-05-06", decision_date="2024-05-20")
    f["party"] = {"name": "王某某", "kind": "individual", "id_number": None, "address": None}
    documents = tuple(DocumentEntry(f"{case_id}/{d}.docx", d, 1, "docx", 1.0) for d in docs)
    score = score_case(f, findings, load_sheet(), case_id=case_id, documents=list(docs),
                       error_codes=[e.code for e in errors])
    return CaseResult(case_id, case_id, "ok", documents, f, findings, score, errors, unverified=unverified)


@pytest.fixture(scope="module")
def month() -> list[CaseResult]:
    return [
        _case("2405001", "青浦区城管执法局朱家角中队", (
            Finding("FIL-02", "minor", "立案晚于发现日期17个工作日。", f"{APL}第五十四条",
                    (Evidence("2405001/立案审批表.docx", 1, "立案日期：2024年5月6日"),), stage="立案"),
            Finding("DEC-02", "major", "行政处罚决定书缺少履行方式和期限、执法机关印章。", f"{APL}第五十九条",
                    (Evidence("2405001/决定书.docx", 1, "上海市青浦区城市管理行政执法局"),), stage="审核决定",
                    occurrences=2),
            Finding("OFF-01", "veto", "现场检查笔录记载的执法人员仅1人。", f"{APL}第四十二条", stage="调查取证"))),
        _case("2405002", "青浦区城管执法局练塘中队", (
            Finding("DEC-01", "major", "立案后已历时195日尚未作出处理决定。", f"{APL}第六十条", stage="审核决定"),
            Finding("CLS-01", "minor", "立案后已195日，仍无处理决定、撤案或结案记录，属悬案。", f"{APL}第六十条",
                    stage="结案")), docs=("filing_approval",), outcome="pending"),
        _case("2405003", "青浦区城管执法局练塘中队", (
            Finding("SRV-01", "minor", "决定书于作出后第9个工作日送达。", f"{APL}第六十一条", stage="送达执行"),),
              unverified=(Unverified("NOT-02", "告知书是否载明陈述申辩权", "告知书第二页未能读取"),)),
        _case("2405004", "青浦区城管执法局朱家角中队", (), procedure="simple", docs=("simple_decision",)),
    ]


@pytest.fixture(scope="module")
def documents(month: list[CaseResult]) -> dict[str, bytes]:
    """Every kind of document, as bytes, by a name that says what it is."""
    out: dict[str, bytes] = {}
    for n, r in enumerate(month, start=1):
        out[f"opinion-{r.case_id}"] = render_opinion_bytes(r, settings={
            "issue_date": "2024-06-03", "opinion_number": n, "score_sheet": load_sheet()})
    for rung, rec in scenario().items():
        out[f"letter-{rung}"] = render_letter_bytes(rec, settings=LETTER_SETTINGS)
    letters = {"issued": {"tip": 2, "supervise": 1, "suggest": 0, "decide": 0}, "closed": 0,
               "closure_rate": None, "on_time_rate": None, "overdue_at_month_end": 0,
               "letters": [{"number": "青城管监提〔2024〕1号", "rung_name": "执法监督提示单",
                            "squad": "青浦区城管执法局朱家角中队", "state": "due", "due_date": "2024-06-10"}]}
    view = month_view(month, month="2024-05", letters=letters, issue_date="2024-06-03")
    out["meeting"] = meeting_docx(view)
    out["bulletin"] = bulletin_docx(view)
    out["plan"] = plan_docx(_plan(), load_report_settings())
    return out


def _plan() -> Plan:
    items = tuple(PlanItem(f"青城管罚字〔2024〕第24050{i}号", "青浦区城管执法局朱家角中队", (KIND_CASE,), "general",
                           ("本半年尚未抽查",)) for i in range(1, 4))
    return Plan(month="2024-06", seed=202406, last_month="2024-05", squads=("青浦区城管执法局朱家角中队",),
                items=items, quotas=(QuotaRow("案卷抽查（上月办结案件≥10%）", 21, 3, 3),))


OUTGOING = ("opinion", "letter", "bulletin")  # documents that leave the supervision office


def _kinds(documents: dict[str, bytes], *prefixes: str) -> list[str]:
    return [name for name in documents if name.startswith(prefixes)]


def test_documents_no_english_key_in_any_text(documents: dict[str, bytes]) -> None:
    for name, data in documents.items():
        text = docx_text(data)
        assert not ENGLISH_KEY.findall(text), (name, ENGLISH_KEY.findall(text))
        assert not REPEATED_CODE.search(text), (name, REPEATED_CODE.search(text))


def test_documents_that_leave_the_office_name_no_internal_code(documents: dict[str, bytes]) -> None:
    for name in _kinds(documents, *OUTGOING):
        text = docx_text(documents[name])
        assert not INTERNAL_CODE.findall(text), (name, INTERNAL_CODE.findall(text))


def test_documents_numbers_after_gbt_9704(documents: dict[str, bytes]) -> None:
    for name in _kinds(documents, *OUTGOING):
        text = docx_text(documents[name])
        serials = OUR_NUMBER.findall(text)
        assert serials, f"{name}: no 文号"
        for serial in serials:
            assert re.fullmatch(r"[1-9]\d*", serial), (name, serial)  # no 第, no leading zero


def _rows(data: bytes) -> list:
    doc = Document(io.BytesIO(data))
    return [(tbl, tbl.findall(qn("w:tr"))) for tbl in doc.element.body.iter(qn("w:tbl"))]


def test_documents_table_rows_never_split_and_headers_repeat(documents: dict[str, bytes]) -> None:
    for name, data in documents.items():
        tables = _rows(data)
        for _tbl, rows in tables:
            for tr in rows:
                assert tr.find(qn("w:trPr") + "/" + qn("w:cantSplit")) is not None, f"{name}: a row may split"
            assert rows[0].find(qn("w:trPr") + "/" + qn("w:tblHeader")) is not None, f"{name}: header not repeated"


def test_documents_signature_kept_on_one_page_with_the_last_paragraph(documents: dict[str, bytes]) -> None:
    for name in _kinds(documents, *OUTGOING):
        paragraphs = Document(io.BytesIO(documents[name])).paragraphs
        seal = next((i for i, p in enumerate(paragraphs) if p.text.strip() == SEAL), None)
        assert seal is not None, f"{name}: no {SEAL} placeholder"
        assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", paragraphs[seal + 1].text.strip()), name  # the date
        # from the last paragraph of text to the seal, every paragraph keeps with the next
        last_text = max(i for i in range(seal - 1) if paragraphs[i].text.strip())
        for p in paragraphs[last_text:seal + 1]:
            assert p.paragraph_format.keep_with_next, (name, p.text)


def _twips_needed(text: str, size_pt: float, margin_twips: int) -> float:
    """Width a one-line number needs: half an em per digit or sign, a full em for 个百分点 etc."""
    ems = sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in text)
    return ems * size_pt * 20 + 2 * margin_twips


@pytest.mark.parametrize("name", ["meeting", "bulletin"])
def test_documents_numbers_fit_their_columns(documents: dict[str, bytes], name: str) -> None:
    checked = 0
    for tbl, rows in _rows(documents[name]):
        widths = [int(c.get(qn("w:w"))) for c in tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))]
        mar = tbl.find(qn("w:tblPr") + "/" + qn("w:tblCellMar") + "/" + qn("w:left"))
        margin = int(mar.get(qn("w:w"))) if mar is not None else 108
        for tr in rows[1:]:
            for col, tc in enumerate(tr.findall(qn("w:tc"))):
                text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
                size = next((int(s.get(qn("w:val"))) / 2 for s in tc.iter(qn("w:sz"))), 10.5)
                if text and is_numeric(text):
                    checked += 1
                    assert _twips_needed(text, size, margin) <= widths[col], (name, text, widths[col])
    assert checked > 10


def test_documents_unscored_file_says_why_first(documents: dict[str, bytes]) -> None:
    text = docx_text(documents["opinion-2405002"])
    head, _, rest = text.partition("案卷基本情况")
    assert "未能核实，需人工核对" in head and "本案卷不评分" in head and "未办结" in head
    assert "评查等级为" not in text and "本案卷不评分" in rest
    unverified = docx_text(documents["opinion-2405003"])
    assert "告知书是否载明陈述申辩权" in unverified.partition("案卷基本情况")[0]


def test_documents_are_byte_identical_on_a_second_run(month: list[CaseResult], documents: dict[str, bytes]) -> None:
    view = month_view(month, month="2024-05", issue_date="2024-06-03")
    assert meeting_docx(view) == meeting_docx(view) and bulletin_docx(view) == bulletin_docx(view)
    for data in documents.values():
        assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(data)).infolist()} == {(2024, 1, 1, 0, 0, 0)}


def test_documents_templates_are_built_by_the_scripts() -> None:
    from templates.build_report_templates import BUILDERS

    here = Path(__file__).resolve().parents[1] / "templates"
    for name, build in BUILDERS.items():
        assert build() == (here / name).read_bytes(), (
            f"templates/{name} is stale; run: .venv/bin/python templates/build_report_templates.py")
