"""Scanned pages for the corpus: deterministic, degraded like a scanner, image-only PDF."""
from __future__ import annotations

import io
import random

import numpy as np
import pytest
from PIL import Image

from corpus.spec import Block, DocSpec

scan = pytest.importorskip("corpus.scan")

try:
    scan.find_fonts()
except RuntimeError:
    pytest.skip("no Chinese font installed (apt-get install fonts-noto-cjk)", allow_module_level=True)

AGENCY = "上海市青浦区城市管理行政执法局"
DOC = DocSpec("decision", "行政处罚决定书", (
    Block("title", "行政处罚决定书"),
    Block("subtitle", "沪青城管罚字(2024)第0123456号"),
    Block("table", rows=(("当事人", "张建国", "性别", "男"), ("违法地点", "青浦区公园路100号"))),
    Block("para", "经查，当事人擅自占用道路堆放物品。"),
    Block("seal", f"（印章）{AGENCY}"),
    Block("signature", "二〇二四年三月十五日"),
))


def _image(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def test_scan_same_rng_state_same_bytes():
    a = scan.scan_document([DOC], random.Random(11), dpi=150)
    b = scan.scan_document([DOC], random.Random(11), dpi=150)
    c = scan.scan_document([DOC], random.Random(12), dpi=150)
    assert a == b
    assert a != c


def test_scan_page_text_in_reading_order_without_seal_text():
    (page,) = scan.scan_pages([DOC], random.Random(3), dpi=150)
    assert page.text == ("行政处罚决定书\n沪青城管罚字(2024)第0123456号\n当事人\t张建国\t性别\t男\n"
                         "违法地点\t青浦区公园路100号\n经查，当事人擅自占用道路堆放物品。\n二〇二四年三月十五日")


def test_scan_page_is_an_a4_image_at_the_dpi_with_a_red_seal():
    (page,) = scan.scan_pages([DOC], random.Random(5), dpi=150, rotate_p=0.0)
    img = _image(page.image)
    assert img.format in ("JPEG", "PNG")
    assert round(img.info["dpi"][0]) == 150
    # A4 at 150 dpi is 1240 × 1754 px; a skew of ≤ 3° widens it by at most sin(3°)·1754 ≈ 92 px
    assert 1240 <= img.width <= 1240 + 95 and 1754 <= img.height <= 1754 + 70
    assert abs(page.skew) <= 3.0 and page.rotation == 0 and page.stamped
    if img.mode == "RGB":
        rgb = np.asarray(img, dtype=np.int16)
        red = (rgb[..., 0] > 150) & (rgb[..., 1] < 110) & (rgb[..., 2] < 120)
        assert red.sum() > 2000


def test_scan_sometimes_turns_a_page():
    rng = random.Random(8)
    pages = scan.scan_pages([DOC, DOC, DOC], rng, dpi=150, rotate_p=1.0)
    assert {p.rotation for p in pages} <= {90, 180, 270}
    for p in pages:
        img = _image(p.image)
        assert (img.width > img.height) == (p.rotation in (90, 270))


def test_scan_dpi_drawn_from_150_to_300():
    dpis = {scan.scan_pages([DOC], random.Random(seed))[0].dpi for seed in range(4)}
    assert dpis <= {150, 200, 240, 300} and len(dpis) >= 2


def test_scan_long_table_continues_on_the_next_page():
    rows = tuple((f"第{i}项", "内容" * 10) for i in range(60))
    doc = DocSpec("inquiry_record", "询问笔录", (Block("title", "询问笔录"), Block("table", rows=rows)))
    pages = scan.render_page_images([doc], dpi=72)
    assert len(pages) >= 2
    text = "\n".join(t for _, t in pages)
    assert all(f"第{i}项\t" in text for i in range(60))  # no row lost at the break


def test_scanned_pdf_has_pages_but_no_text_layer():
    import pypdfium2 as pdfium

    images = scan.scan_document([DOC, DOC], random.Random(2), dpi=150)
    pdf_bytes = scan.scanned_pdf(images)
    assert scan.scanned_pdf(images) == pdf_bytes
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        assert len(pdf) == 2
        for i in range(2):
            page = pdf[i]
            assert page.get_textpage().get_text_range().strip() == ""
            w, h = page.get_size()  # points; the image is 150 dpi so the page is about A4
            assert 590 <= min(w, h) <= 650 and 835 <= max(w, h) <= 880
    finally:
        pdf.close()


def test_scan_corpus_scanned_fraction_marks_cases_and_writes_image_pdfs(tmp_path) -> None:
    from corpus.generator import generate_cases, register_rows
    from corpus.writer import write_corpus
    from pipeline.read.archive import list_cases, read_case
    from pipeline.read.readers import ReadLimits

    plain = generate_cases(3, "2024-06", 11)
    cases = generate_cases(3, "2024-06", 11, scanned_fraction=0.34)
    assert [c.truth.get("scanned") for c in cases].count(True) == 1
    # marking does not change the cases themselves
    assert [dict(c.truth, scanned=None) for c in cases] == [dict(c.truth, scanned=None) for c in plain]
    write_corpus(cases, register_rows(cases), tmp_path)
    scanned_id = next(c.case_id for c in cases if c.truth.get("scanned"))
    archive = tmp_path / "archive"
    entry = next(e for e in list_cases(archive) if e.case_id == scanned_id)
    ci = read_case(archive, entry, limits=ReadLimits(ocr=False))
    pdf_docs = [d for d in ci.docs if d.kind == "pdf"]
    n_pdf_files = len({d.path for d in pdf_docs})
    no_text = {e.path for e in ci.errors if e.code == "E106"}
    assert n_pdf_files == 0 or no_text, "a scanned case's PDFs must have no text layer"
    assert all(p.endswith(".pdf") or ".pdf" in p for p in no_text)
