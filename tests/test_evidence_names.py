"""Bug: evidence named a document by its file name only — 「证据：scan-0010（第1页）」, 「9（第1页）」 —
where offices name files by number or scanner default, so a squad could not tell which document was
meant. The document's title now leads when the file name does not name it (opinion, letters, the
workbook); a file named after its document reads as before."""
from __future__ import annotations

from pipeline.core.models import CaseResult, DocumentEntry, Evidence, Finding, empty_case_fields
from pipeline.supervise.labels import document_label, document_titles, evidence_place
from pipeline.supervise.letters import evidence_quote, load_settings
from pipeline.supervise.scoring import load_sheet, score_case
from pipeline.write.docx import docx_text
from pipeline.write.opinion import render_opinion_bytes

DOCS = (DocumentEntry("2406006/scan-0010.pdf", "inquiry_record", 2, "ocr", 0.9, title="询问笔录"),
        DocumentEntry("2406006/询问笔录(2).docx", "inquiry_record", 1, "docx", 0.9, title="询问笔录"),
        DocumentEntry("2406006/合并.pdf", "filing_approval", 1, "pdf", 0.9, title="立案审批表", part=2),
        DocumentEntry("2406006/无标题.docx", "other", 1, "docx", 0.2, title=None))
TITLES = document_titles(DOCS)


def test_evidence_names_titles_keyed_as_evidence_names_documents():
    assert TITLES == {"2406006/scan-0010.pdf": "询问笔录", "2406006/询问笔录(2).docx": "询问笔录",
                      "2406006/合并.pdf#2": "立案审批表"}


def test_evidence_names_title_leads_a_file_name_that_does_not_name_the_document():
    assert document_label("2406006/scan-0010.pdf", TITLES) == "询问笔录（scan-0010.pdf）"
    assert evidence_place("2406006/scan-0010.pdf", 2, TITLES) == "询问笔录（scan-0010.pdf，第2页）"
    assert evidence_place("2406006/合并.pdf#2", 1, TITLES) == "立案审批表（合并.pdf，第1页）"


def test_evidence_names_a_file_named_after_its_document_reads_as_before():
    assert evidence_place("2406006/询问笔录(2).docx", 1, TITLES) == "询问笔录(2)（第1页）"
    assert evidence_place("2406006/无标题.docx", None, TITLES) == "无标题"
    assert evidence_place("x/9.docx", 3, None) == "9（第3页）"


def _result() -> CaseResult:
    fields = empty_case_fields()
    fields.update(procedure="general", outcome="penalized", squad="徐泾中队")
    findings = (Finding("OFF-02", "major", "询问笔录中执法人员未载明执法证号。",
                        "《中华人民共和国行政处罚法》第五十五条",
                        (Evidence("2406006/scan-0010.pdf", 1, "执法人员：徐静 执法证号："),), stage="调查取证"),)
    return CaseResult("2406006", "2406006", "ok", DOCS, fields, findings,
                      score_case(fields, findings, load_sheet()), ())


def test_evidence_names_opinion_names_the_scanned_inquiry_record():
    text = docx_text(render_opinion_bytes(_result(), settings={"issue_date": "2024-07-01"}))
    assert "证据：询问笔录（scan-0010.pdf，第1页）：“执法人员：徐静 执法证号：”" in text
    assert "证据：scan-0010" not in text


def test_evidence_names_letter_item_names_the_scanned_inquiry_record():
    r = _result()
    quote = evidence_quote(r.findings[0], None, load_settings(), document_titles(r.documents))
    assert quote == "询问笔录（scan-0010.pdf，第1页）：“执法人员：徐静 执法证号：”"


def test_evidence_names_workbook_leads_the_path_with_the_title(tmp_path):
    from openpyxl import load_workbook

    from pipeline.write.workbook import write_workbook

    path = tmp_path / "评查评分表.xlsx"
    write_workbook(path, [_result()], title="案卷评查评分表", sheet=load_sheet())
    wb = load_workbook(path)
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert any(v.startswith("询问笔录 2406006/scan-0010.pdf 第1页：“执法人员：徐静") for v in cells), \
        [v for v in cells if "scan-0010" in v]
