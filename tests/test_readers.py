"""Readers: DOCX order/tables/page breaks, PDF engines and bad PDFs, images, zips."""
from __future__ import annotations

import io
import re
import zipfile

import pytest

from pipeline.core.errors import ReadError
from pipeline.read.readers import ReadLimits, check_image, read_docx, read_pdf, read_zip
from tests.hostile import (
    AGENCY,
    DECISION_LINES,
    gbk_named_zip,
    make_docx,
    make_jpeg,
    make_pdf,
    make_png,
    with_doctype,
    zip_of,
)

# --- DOCX ----------------------------------------------------------------------------------

def test_readers_docx_paragraphs_and_tables_in_order() -> None:
    data = make_docx([
        ("p", AGENCY), ("p", "立案审批表"),
        ("table", [("当事人", "张三"), ("案由", "擅自占道设摊")]),
        ("p", "承办人意见：建议立案。"),
    ])
    pages = read_docx(data, "a.docx")
    assert len(pages) == 1 and pages[0].source == "docx" and pages[0].number == 1
    assert pages[0].text == f"{AGENCY}\n立案审批表\n当事人\t张三\n案由\t擅自占道设摊\n承办人意见：建议立案。"
    assert re.search(r"当事人[:：\s|]*张三", pages[0].text)


def test_readers_docx_nested_table_rows_inside_cell() -> None:
    data = make_docx([("nested", [("证据清单", ""), ("备注", "无")], (0, 1), [("1", "现场照片"), ("2", "询问笔录")])])
    text = read_docx(data, "n.docx")[0].text
    # the outer row keeps label then cell content; the nested rows follow inside the cell, row by
    # row, their cells joined with a space (a TAB separates the outer cells only)
    assert text == "证据清单\t1 现场照片\n2 询问笔录\n备注\t无"


def test_readers_docx_merged_cell_appears_once() -> None:
    import docx

    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    t.cell(0, 0).text = "当事人"
    t.cell(0, 1).merge(t.cell(0, 2)).text = "张三"
    a = t.cell(1, 0).merge(t.cell(1, 1))  # horizontal merge
    a.text = "审批意见"
    t.cell(1, 2).text = "同意"
    buf = io.BytesIO()
    d.save(buf)
    assert read_docx(buf.getvalue(), "m.docx")[0].text == "当事人\t张三\n审批意见\t同意"


def test_readers_docx_vertical_merge_shown_once() -> None:
    import docx

    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "承办人"
    t.cell(0, 1).text = "王五"
    t.cell(1, 1).text = "赵六"
    buf = io.BytesIO()
    d.save(buf)
    assert read_docx(buf.getvalue(), "v.docx")[0].text == "承办人\t王五\n赵六"


@pytest.mark.parametrize("breaker", [("break",), ("pbb", "第二页开头"), ("section", "第一页结尾")])
def test_readers_docx_page_breaks_start_new_page(breaker: tuple) -> None:
    blocks = [("p", "第一页")]
    if breaker[0] == "pbb":
        blocks += [breaker, ("p", "第二页")]
    elif breaker[0] == "section":
        blocks += [breaker, ("p", "第二页")]
    else:
        blocks += [breaker, ("p", "第二页")]
    pages = read_docx(make_docx(blocks), "b.docx")
    assert [p.number for p in pages] == [1, 2]
    assert pages[0].text.startswith("第一页") and pages[1].text.endswith("第二页")
    assert "第一页" not in pages[1].text


def test_readers_docx_continuous_section_does_not_break() -> None:
    import docx
    from docx.enum.section import WD_SECTION

    d = docx.Document()
    d.add_paragraph("甲")
    d.add_section(WD_SECTION.CONTINUOUS)
    d.add_paragraph("乙")
    buf = io.BytesIO()
    d.save(buf)
    pages = read_docx(buf.getvalue(), "c.docx")
    # one page; the paragraph that carries the section properties is an empty line
    assert [p.text for p in pages] == ["甲\n\n乙"]


def test_readers_docx_break_inside_run_splits_paragraph() -> None:
    import docx
    from docx.enum.text import WD_BREAK

    d = docx.Document()
    p = d.add_paragraph("前半")
    p.add_run().add_break(WD_BREAK.PAGE)
    p.add_run("后半")
    buf = io.BytesIO()
    d.save(buf)
    assert [pg.text for pg in read_docx(buf.getvalue(), "r.docx")] == ["前半", "后半"]


@pytest.mark.parametrize("data, code", [
    (b"", "E101"),
    (b"PK\x03\x04truncated", "E102"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptedPackage".encode("utf-16-le"), "E105"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "WordDocument".encode("utf-16-le"), "E111"),
])
def test_readers_docx_bad_files(data: bytes, code: str) -> None:
    with pytest.raises(ReadError) as exc:
        read_docx(data, "bad.docx")
    assert exc.value.code == code
    assert str(exc.value).startswith(f"[{code}]") and "bad.docx" in str(exc.value)


def test_readers_docx_doctype_refused() -> None:
    with pytest.raises(ReadError) as exc:
        read_docx(with_doctype(make_docx([("p", "询问笔录")])), "x.docx")
    assert exc.value.code == "E122"


def test_readers_docx_oversized_xml_part_refused() -> None:
    data = make_docx([("p", "询问笔录" * 200)])
    with pytest.raises(ReadError) as exc:
        read_docx(data, "x.docx", ReadLimits(max_xml_bytes=2000))
    assert exc.value.code == "E122"


def test_readers_docx_truncated_is_e102() -> None:
    data = make_docx([("p", "询问笔录")])
    with pytest.raises(ReadError) as exc:
        read_docx(data[: len(data) - 200], "t.docx")
    assert exc.value.code == "E102"


# --- PDF -----------------------------------------------------------------------------------

@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_readers_pdf_cjk_text_exact(engine: str) -> None:
    pages, errors = read_pdf(make_pdf([DECISION_LINES, ["第二页"]]), "d.pdf", engine=engine)
    assert errors == []
    assert [p.number for p in pages] == [1, 2] and {p.source for p in pages} == {"pdf_text"}
    assert pages[0].text.splitlines() == DECISION_LINES
    assert pages[1].text == "第二页"


def test_readers_pdf_engines_agree_after_whitespace_normalisation() -> None:
    data = make_pdf([DECISION_LINES, ["询问笔录", "问：姓名？", "答：张三。"]])
    a, _ = read_pdf(data, "d.pdf", engine="pdfium")
    b, _ = read_pdf(data, "d.pdf", engine="pdfplumber")
    assert ["".join(p.text.split()) for p in a] == ["".join(p.text.split()) for p in b]


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_readers_pdf_page_without_text_layer_is_e106(engine: str) -> None:
    pages, errors = read_pdf(make_pdf([["现场检查笔录"], [], ["第三页"]], blank_pages=(1,)), "s.pdf",
                             engine=engine)
    assert [p.text for p in pages] == ["现场检查笔录", "", "第三页"]
    assert [(e.code, e.path) for e in errors] == [("E106", "s.pdf")]
    assert "第 2 页" in errors[0].message


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_readers_pdf_encrypted_with_user_password_is_e104(engine: str) -> None:
    with pytest.raises(ReadError) as exc:
        read_pdf(make_pdf([["行政处罚决定书"]], user_password="pw"), "e.pdf", engine=engine)
    assert exc.value.code == "E104"


def test_readers_pdf_encrypted_with_empty_user_password_is_read() -> None:
    pages, errors = read_pdf(make_pdf([["行政处罚决定书"]], owner_password="own"), "o.pdf", engine="pdfium")
    assert errors == [] and pages[0].text == "行政处罚决定书"
    # pdfplumber opens it too, but pdfminer loses the CID→Unicode map of the encrypted file
    pages, errors = read_pdf(make_pdf([["行政处罚决定书"]], owner_password="own"), "o.pdf", engine="pdfplumber")
    assert errors == [] and len(pages) == 1


@pytest.mark.parametrize("data, code", [
    (b"", "E101"),
    ("不是PDF".encode(), "E103"),
    (b"%PDF-1.4\n%%EOF", "E102"),
])
def test_readers_pdf_bad_files(data: bytes, code: str) -> None:
    with pytest.raises(ReadError) as exc:
        read_pdf(data, "bad.pdf")
    assert exc.value.code == code


def test_readers_pdf_truncated_is_e102() -> None:
    data = make_pdf([DECISION_LINES] * 3)
    try:
        _, errors = read_pdf(data[: len(data) * 2 // 3], "t.pdf")
        codes = {e.code for e in errors}
    except ReadError as exc:
        codes = {exc.code}
    assert "E102" in codes


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_readers_pdf_page_cap_reads_up_to_cap(engine: str) -> None:
    data = make_pdf([[f"第{i + 1}页"] for i in range(4)])
    pages, errors = read_pdf(data, "l.pdf", ReadLimits(max_pages=2), engine=engine)
    assert [p.text for p in pages] == ["第1页", "第2页"]
    assert [e.code for e in errors] == ["E114"]


def test_readers_pdf_unknown_engine_refused() -> None:
    with pytest.raises(ValueError):
        read_pdf(make_pdf([["x"]]), "x.pdf", engine="ocr")
    with pytest.raises(ValueError):
        ReadLimits(pdf_engine="ocr")


# --- images --------------------------------------------------------------------------------

@pytest.mark.parametrize("data, code", [
    (make_jpeg(), "E117"),
    (make_png(), "E117"),
    (b"\xff\xd8\xff\xe0 broken jpeg", "E102"),
    (b"", "E101"),
])
def test_readers_image_needs_ocr_or_is_corrupt(data: bytes, code: str) -> None:
    assert [e.code for e in check_image(data, "p.jpg")] == [code]


def test_readers_image_pixel_cap() -> None:
    errors = check_image(make_png(50, 50), "big.png", ReadLimits(max_image_pixels=100))
    assert [e.code for e in errors] == ["E114"]


# --- zips ----------------------------------------------------------------------------------

def test_readers_zip_rejects_traversal_and_reads_the_rest() -> None:
    data = zip_of([("A/ok.docx", b"1"), ("../evil.txt", b"2"), ("/abs.txt", b"3"), ("A/../../x.txt", b"4"),
                   ("C:\\win.txt", b"5"), ("A\\sub\\back.docx", b"6")])
    members, errors = read_zip(data, "c.zip")
    assert [m.name for m in members] == ["A/ok.docx", "A/sub/back.docx"]
    assert sorted(e.message.split("→ ")[1].split("。")[0] for e in errors if e.code == "E108") == sorted(
        ["../evil.txt", "/abs.txt", "A/../../x.txt", "C:\\win.txt"])
    assert all(e.code == "E108" and e.path == "c.zip" for e in errors)


def test_readers_zip_bomb_ratio_trips_without_inflating() -> None:
    data = zip_of([("A/bomb.docx", b"\0" * (2 * 1024 * 1024)), ("A/ok.pdf", b"%PDF-1.4")])
    assert len(data) < 20_000  # small on disk
    members, errors = read_zip(data, "b.zip")
    assert [m.name for m in members] == ["A/ok.pdf"]
    assert [(e.code, e.path) for e in errors] == [("E109", "b.zip!/A/bomb.docx")]


def test_readers_zip_member_count_and_total_size_caps() -> None:
    data = zip_of([(f"A/{i}.txt", bytes([65 + i]) * 100) for i in range(5)])
    members, errors = read_zip(data, "n.zip", ReadLimits(max_zip_members=3))
    assert len(members) == 3 and [e.code for e in errors] == ["E109"]
    members, errors = read_zip(data, "n.zip", ReadLimits(max_zip_bytes=250))
    assert len(members) == 2 and [e.code for e in errors] == ["E109", "E109", "E109"]


def test_readers_zip_gbk_names_recovered_and_undecodable_kept() -> None:
    data = gbk_named_zip([("案卷/询问笔录.docx", b"x"), ("案卷/bad.txt", b"y")], gbk_names=("案卷/询问笔录.docx",),
                         raw_names=(("案卷/bad.txt", "案卷/".encode("gbk") + b"\x80\xff.txt"),))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:  # the flag bit really is unset
        assert all(not (i.flag_bits & 0x800) for i in zf.infolist())
    members, errors = read_zip(data, "g.zip")
    names = [m.name for m in members]
    assert "案卷/询问笔录.docx" in names
    assert [e.code for e in errors] == ["E118"]
    assert len(names) == 2


@pytest.mark.parametrize("data, code", [(b"", "E101"), (b"PK\x03\x04 not a zip", "E110"), (b"hello", "E110")])
def test_readers_zip_corrupt(data: bytes, code: str) -> None:
    with pytest.raises(ReadError) as exc:
        read_zip(data, "z.zip")
    assert exc.value.code == code


def test_readers_docx_without_text_is_e116() -> None:
    from pipeline.read.readers import read_docx_with_errors

    pages, errors = read_docx_with_errors(make_docx([("p", "  ")]), "empty.docx")
    assert len(pages) == 1 and pages[0].text.strip() == ""
    assert [e.code for e in errors] == ["E116"]


def test_readers_docx_page_cap_keeps_first_pages() -> None:
    from pipeline.read.readers import read_docx_with_errors

    data = make_docx([("p", "一"), ("break",), ("p", "二"), ("break",), ("p", "三")])
    pages, errors = read_docx_with_errors(data, "long.docx", ReadLimits(max_pages=2))
    assert [p.text for p in pages] == ["一", "二"] and [e.code for e in errors] == ["E114"]


# --- overprinted (fake bold) characters: pdfplumber dedupes them, the pdfium path collapses them ---

@pytest.mark.parametrize("line,expected", [
    ("行行政政处处罚罚决决定定书书", "行政处罚决定书"),
    ("  送送达达回回证证  ", "送达回证"),
    ("人人人人都都", "人人都"),                # three doubled pairs: collapsed like an overprinted line
    ("当事人人张三", "当事人人张三"),          # odd length: untouched
    ("天天向上好好学习", "天天向上好好学习"),   # not all pairs doubled
])
def test_readers_undouble_line(line: str, expected: str) -> None:
    from pipeline.read.readers import undouble_line

    assert undouble_line(line).strip() == expected


def test_readers_pdf_overprinted_title_read_once(tmp_path) -> None:
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from pipeline.read.readers import read_pdf

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.setFont("STSong-Light", 20)
    for dx in (0, 0.3):  # the same title drawn twice, slightly offset: fake bold
        c.drawString(150 + dx, 750, "行政处罚决定书")
    c.setFont("STSong-Light", 12)
    c.drawString(72, 700, "当事人：张三")
    c.save()
    for engine in ("pdfium", "pdfplumber"):
        pages, errors = read_pdf(buf.getvalue(), "t.pdf", engine=engine)
        assert not errors
        assert "行政处罚决定书" in pages[0].text, (engine, pages[0].text)
        assert "行行政政" not in pages[0].text, (engine, pages[0].text)
