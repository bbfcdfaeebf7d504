"""Scanned pages and images go through OCR in the archive reader; confidence reaches the fields."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from pipeline.core.models import CaseFile, DocFields, Evidence, Field, Finding, Page, SourceDoc, Span


def _engine_and_font() -> None:
    from pipeline.read.ocr import available_engines

    if not available_engines():
        pytest.skip("no OCR engine installed (pip install rapidocr onnxruntime)")
    from pipeline.write.charts import find_cjk_font

    if find_cjk_font() is None:
        pytest.skip("no Chinese font installed (apt-get install fonts-noto-cjk)")


def test_ocr_wiring_scanned_pdf_and_image_are_read(tmp_path: Path) -> None:
    _engine_and_font()
    from corpus.scan import scan_document, scanned_pdf
    from corpus.spec import Block, DocSpec
    from pipeline.read.archive import CaseEntry, read_case

    doc = DocSpec("decision", "行政处罚决定书", (
        Block("title", "行政处罚决定书"),
        Block("para", "当事人：张三，身份证号码：31011519******123X。"),
        Block("para", "罚款人民币伍佰元整。"),
        Block("signature", "2024年6月5日"),
    ))
    images = scan_document([doc], random.Random(3), dpi=200)
    case = tmp_path / "A" / "2406001"
    case.mkdir(parents=True)
    (case / "扫描件(1).pdf").write_bytes(scanned_pdf(images))
    (case / "IMG_0001.jpg").write_bytes(images[0])
    ci = read_case(tmp_path / "A", CaseEntry("2406001", "2406001", "folder"))
    by_path = {d.path: d for d in ci.docs}
    for name in ("2406001/扫描件(1).pdf", "2406001/IMG_0001.jpg"):
        d = by_path[name]
        assert d.text_source == "ocr" and d.doc_type == "decision", (name, d.doc_type)
        assert "2024年6月5日" in d.text.replace(" ", "") or "2024年6月5日" in d.text
        assert d.pages[0].confidence and d.pages[0].confidence > 0.5
        # one box per line of the text, inside the page, top to bottom (the workbench highlights quotes)
        page = d.pages[0]
        boxes = page.line_boxes
        assert len(boxes) == len(page.text.split("\n")) == len(page.line_confidence) >= 3
        assert all(0.0 <= x0 < x1 <= 1.0 and 0.0 <= y0 < y1 <= 1.0 for x0, y0, x1, y1 in boxes)
        assert [b[1] for b in boxes] == sorted(b[1] for b in boxes)
        last = next(i for i, line in enumerate(page.text.split("\n")) if "2024年6月5日" in line.replace(" ", ""))
        assert boxes[last][1] > boxes[0][3]  # the date line lies below the title line
    assert not any(e.code in ("E106", "E117") for e in ci.errors)
    docx_like = Page(1, "当事人\t张三")
    assert docx_like.line_boxes == ()  # a text layer has no boxes


def test_ocr_wiring_off_keeps_the_needs_ocr_errors(tmp_path: Path) -> None:
    import io

    from PIL import Image

    from pipeline.read.archive import CaseEntry, read_case
    from pipeline.read.readers import ReadLimits

    case = tmp_path / "A" / "2406002"
    case.mkdir(parents=True)
    buf = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(buf, "PNG")
    (case / "p.png").write_bytes(buf.getvalue())
    ci = read_case(tmp_path / "A", CaseEntry("2406002", "2406002", "folder"), limits=ReadLimits(ocr=False))
    assert [e.code for e in ci.errors] == ["E117"]


def test_ocr_wiring_low_confidence_evidence_is_marked() -> None:
    from checks.registry import CheckContext
    from checks.rules import load_rules
    from pipeline.core.workdays import WorkCalendar
    from pipeline.run.review import mark_low_confidence

    doc = SourceDoc("s.pdf", "s.pdf", "pdf", (Page(1, "2024年6月5日", source="ocr", confidence=0.6),),
                    doc_type="decision")
    f = Field("decision_date", "2024-06-05", Span("s.pdf", 1, 0, 10, "2024年6月5日"), "t", 0.6)
    case = CaseFile("C1", "C1/", (DocFields(doc, (f,)),), {"decision_date": (f,)})
    ctx = CheckContext(rules=load_rules(None), calendar=WorkCalendar.default())
    weak = Finding("DEC-01", "major", "超期。", "c", (Evidence("s.pdf", 1, "2024年6月5日"),))
    other = Finding("SRV-02", "major", "无送达回证。", "c", (Evidence("t.pdf", 1, "x"),))
    out = mark_low_confidence(case, [weak, other], ctx)
    assert out[0].message.endswith("（需人工核对：所依据的要素取自扫描件，识别置信度较低）")
    assert out[1].message == "无送达回证。"


def test_ocr_wiring_red_seal_is_noted_and_read_as_a_seal(tmp_path: Path) -> None:
    _engine_and_font()
    from corpus.scan import scan_document, scanned_pdf
    from corpus.spec import Block, DocSpec
    from extractors.fields import extract_document
    from pipeline.read.archive import CaseEntry, read_case
    from pipeline.read.ocr import SEAL_MARK

    body = (Block("title", "行政处罚事先告知书"),
            Block("para", "当事人张三：本机关拟对你作出罚款人民币伍佰元整的行政处罚。你有权进行陈述和申辩。"))
    sealed = DocSpec("prior_notice", "行政处罚事先告知书",
                     body + (Block("seal", "（印章）上海市青浦区城市管理行政执法局"),
                             Block("signature", "2024年5月28日")))
    plain = DocSpec("prior_notice", "行政处罚事先告知书", body + (Block("signature", "2024年5月28日"),))
    case = tmp_path / "A" / "2406003"
    case.mkdir(parents=True)
    (case / "a.pdf").write_bytes(scanned_pdf(scan_document([sealed], random.Random(5), dpi=200)))
    (case / "b.pdf").write_bytes(scanned_pdf(scan_document([plain], random.Random(5), dpi=200)))
    ci = read_case(tmp_path / "A", CaseEntry("2406003", "2406003", "folder"))
    docs = {d.path: d for d in ci.docs}
    assert SEAL_MARK in docs["2406003/a.pdf"].text
    assert SEAL_MARK not in docs["2406003/b.pdf"].text
    assert extract_document(docs["2406003/a.pdf"]).value("has_seal") is True
    assert extract_document(docs["2406003/b.pdf"]).value("has_seal") is False
