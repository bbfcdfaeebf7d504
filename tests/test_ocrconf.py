"""OCR confidence travels from OCR lines to the fields read from them."""
from __future__ import annotations

from extractors.ocrconf import span_ocr_confidence, with_ocr_confidence
from pipeline.core.models import DocFields, Field, Page, SourceDoc, Span


def _doc() -> SourceDoc:
    # page 1 from a text layer, page 2 scanned with three lines of different confidence
    return SourceDoc(doc_id="d.pdf", path="d.pdf", kind="pdf", pages=(
        Page(1, "行政处罚决定书\n当事人：张三", source="pdf_text"),
        Page(2, "罚款人民币伍佰元整\n2024年6月5日\n（印章）", source="ocr", confidence=0.9,
             line_confidence=(0.99, 0.61, 0.95)),
    ))


def test_ocrconf_text_layer_span_has_no_ocr_confidence() -> None:
    doc = _doc()
    start = doc.text.index("张三")
    assert span_ocr_confidence(doc, start, start + 2) is None


def test_ocrconf_span_takes_its_lines_confidence() -> None:
    doc = _doc()
    start = doc.text.index("2024年6月5日")
    assert span_ocr_confidence(doc, start, start + len("2024年6月5日")) == 0.61
    start = doc.text.index("伍佰元整")
    assert span_ocr_confidence(doc, start, start + 4) == 0.99
    # a span over two lines takes the lower one
    assert span_ocr_confidence(doc, doc.text.index("元整"), doc.text.index("6月")) == 0.61


def test_ocrconf_fields_scaled() -> None:
    doc = _doc()
    s = doc.text.index("2024年6月5日")
    date = Field("decision_date", "2024-06-05", Span("d.pdf", 2, s, s + 10, "2024年6月5日"), "t", 0.9)
    s2 = doc.text.index("张三")
    name = Field("party_name", "张三", Span("d.pdf", 1, s2, s2 + 2, "张三"), "t", 1.0)
    out = with_ocr_confidence(DocFields(doc, (date, name)))
    assert out.get("decision_date").confidence == round(0.9 * 0.61, 4)
    assert out.get("party_name").confidence == 1.0


def test_ocrconf_page_confidence_when_lines_unknown() -> None:
    doc = SourceDoc(doc_id="s.jpg", path="s.jpg", kind="image",
                    pages=(Page(1, "罚款100元", source="ocr", confidence=0.7),))
    f = Field("fine_yuan", 100, Span("s.jpg", 1, 2, 5, "100元"), "t", 1.0)
    assert with_ocr_confidence(DocFields(doc, (f,))).get("fine_yuan").confidence == 0.7
