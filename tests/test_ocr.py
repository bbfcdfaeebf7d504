"""OCR of scanned pages: orientation, skew, seal, reading order, warnings, missing engine.

Images are drawn here (small, ~200 dpi) with the CJK font corpus.scan uses; the real-engine tests
run RapidOCR, the engine chosen in bench/ocr_bench.py, and are skipped when it is not installed.
"""
from __future__ import annotations

import io
import math

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

import pipeline.read.ocr as ocr
import pipeline.read.ocr.engines as ocr_engines
import pipeline.read.ocr.lines as ocr_lines
import pipeline.read.ocr.page as ocr_page
from pipeline.core.errors import ReadError
from pipeline.read.ocr import OcrPage, ocr_image, ocr_image_pages, ocr_pdf_page

ENGINE = "rapidocr"
needs_engine = pytest.mark.skipif(
    ENGINE not in ocr.available_engines(),
    reason="RapidOCR is not installed (pip install rapidocr onnxruntime): real-OCR tests skipped")


def _font(px: int) -> ImageFont.FreeTypeFont:
    try:
        from corpus.scan import find_fonts

        path, index = find_fonts()[0]
    except RuntimeError:
        pytest.skip("no Chinese font installed (apt-get install fonts-noto-cjk)")
    return ImageFont.truetype(path, px, index=index)


def _page(rows: list[list[tuple[int, str]]], *, width: int = 1100, pitch: int = 70, px: int = 36,
          grid: list[int] | None = None) -> Image.Image:
    """White RGB image; each row is [(x, text), …] at 200 dpi-ish sizes; ``grid`` draws a table
    with vertical rules at those x positions around every row."""
    img = Image.new("RGB", (width, 60 + pitch * len(rows)), (250, 250, 248))
    d = ImageDraw.Draw(img)
    font = _font(px)
    for i, row in enumerate(rows):
        y = 30 + i * pitch
        for x, text in row:
            d.text((x, y + (pitch - px) // 2 - 4), text, font=font, fill=(20, 20, 20))
        if grid:
            d.line([(grid[0], y), (grid[-1], y)], fill=(20, 20, 20), width=2)
            d.line([(grid[0], y + pitch), (grid[-1], y + pitch)], fill=(20, 20, 20), width=2)
            for gx in grid:
                d.line([(gx, y), (gx, y + pitch)], fill=(20, 20, 20), width=2)
    return img


def _png(img: Image.Image, dpi: int = 200) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(dpi, dpi))
    return buf.getvalue()


PROSE = [
    [(40, "当事人于2024年3月5日在公园路门口")],
    [(40, "擅自占用道路堆放物品，违反了条例")],
    [(40, "第二十二条第一款的规定。")],
    [(40, "决定处以罚款人民币伍佰元整。")],
]


def _squash(text: str) -> str:
    return "".join(text.split()).replace(",", "，").replace(".", "。")


@needs_engine
@pytest.mark.parametrize("turn", [90, 180])
def test_ocr_rotated_page_is_turned_back(turn):
    img = _page(PROSE).rotate(-turn, expand=True)  # lies turned clockwise
    page = ocr_image(_png(img), engine=ENGINE)
    assert page.rotation == turn
    lines = [_squash(line.text) for line in page.lines]
    assert lines[:2] == ["当事人于2024年3月5日在公园路门口", "擅自占用道路堆放物品，违反了条例"]
    assert "罚款人民币伍佰元整" in _squash(page.text)


@needs_engine
def test_ocr_skewed_page_is_levelled():
    img = _page(PROSE).rotate(2.5, resample=Image.BICUBIC, expand=True, fillcolor=(250, 250, 248))
    page = ocr_image(_png(img), engine=ENGINE)
    assert page.rotation == 0
    assert abs(page.skew - 2.5) <= 0.3
    assert len(page.lines) == 4
    assert _squash(page.lines[0].text) == "当事人于2024年3月5日在公园路门口"
    assert _squash(page.lines[3].text) == "决定处以罚款人民币伍佰元整。"


def _seal(img: Image.Image, centre: tuple[int, int], radius: int) -> Image.Image:
    """Multiply a red ring, a star and red characters over ``img`` (a stamped official seal)."""
    layer = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(layer)
    cx, cy = centre
    d.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=255, width=9)
    star = []
    for k in range(10):
        r = radius * (0.3 if k % 2 == 0 else 0.12)
        a = -math.pi / 2 + k * math.pi / 5
        star.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    d.polygon(star, fill=255)
    d.text((cx - radius * 0.7, cy + radius * 0.35), "执法专用章", font=_font(radius // 4), fill=255)
    a = np.asarray(layer, dtype=np.float32)[..., None] / 255 * 0.9
    base = np.asarray(img, dtype=np.float32)
    red = np.array([0.88, 0.12, 0.16], dtype=np.float32)
    return Image.fromarray(np.clip(base * (1 - a + a * red), 0, 255).astype(np.uint8))


@needs_engine
def test_ocr_stamped_date_line_still_read():
    img = _page([[(500, "上海市青浦区城市管理行政执法局")], [(660, "2024年3月15日")]], width=1200)
    img = _seal(img, (820, 120), 115)  # the seal covers the end of the agency line and the date
    red = np.asarray(img)
    assert ((red[..., 0] > 150) & (red[..., 1] < 120)).sum() > 5000  # the seal is really there
    page = ocr_image(_png(img), engine=ENGINE)
    assert "2024年3月15日" in _squash(page.text)
    assert _squash(page.lines[-1].text) == "2024年3月15日"


@needs_engine
def test_ocr_stamped_grey_scan_keeps_the_date_and_notes_the_seal():
    img = _page([[(500, "上海市青浦区城市管理行政执法局")], [(660, "2024年3月15日")]], width=1200)
    grey = _seal(img, (820, 120), 115).convert("L")  # a grey scan: no red left to drop
    ring = np.asarray(grey)[120, 820 + 111]
    assert 60 < ring < 180  # the ring is there, grey
    page = ocr_image(_png(grey), engine=ENGINE)
    texts = [line.text for line in page.lines]
    assert ocr.SEAL_MARK in texts
    assert "2024年3月15日" in _squash(page.text)
    assert _squash(texts[-1]) == "2024年3月15日"


@needs_engine
def test_ocr_grey_scan_without_a_seal_has_no_seal_line():
    page = ocr_image(_png(_page(PROSE + [[(40, "〇〇〇")]]).convert("L")), engine=ENGINE)
    assert ocr.SEAL_MARK not in page.text
    assert len(page.lines) == 5


@needs_engine
def test_ocr_two_column_form_keeps_label_value_order():
    rows = [
        [(30, "当事人"), (290, "张建国"), (560, "性别"), (800, "男")],
        [(30, "联系电话"), (290, "13912345678"), (560, "职业"), (800, "个体")],
        [(30, "违法地点"), (290, "公园路100号")],
    ]
    img = _page(rows, width=1000, grid=[15, 270, 540, 780, 985])
    page = ocr_image(_png(img), engine=ENGINE)
    assert [line.text for line in page.lines] == [
        "当事人\t张建国\t性别\t男",
        "联系电话\t13912345678\t职业\t个体",
        "违法地点\t公园路100号",
    ]


@needs_engine
def test_ocr_confidence_travels_with_lines_and_page():
    page = ocr_image(_png(_page(PROSE)), engine=ENGINE)
    assert isinstance(page, OcrPage) and page.engine == ENGINE
    assert 0.9 <= page.confidence <= 1.0  # a clean page
    assert all(0.0 <= line.confidence <= 1.0 for line in page.lines)
    assert all(0.0 <= v <= 1.0 for line in page.lines for v in line.box)
    assert page.lines[0].box[1] < page.lines[1].box[1]  # top to bottom
    assert page.warnings == ()


@needs_engine
def test_ocr_multipage_tiff_and_pdf_page():
    from corpus.scan import scanned_pdf

    first = _page(PROSE[:2])
    second = _page([[(40, "送达回证")], [(40, "受送达人：李秀英")]])
    buf = io.BytesIO()
    first.save(buf, format="TIFF", save_all=True, append_images=[second], dpi=(200, 200))
    pages = ocr_image_pages(buf.getvalue(), engine=ENGINE)
    assert [_squash(p.lines[0].text) for p in pages] == ["当事人于2024年3月5日在公园路门口", "送达回证"]
    pdf = scanned_pdf([_png(second)])
    page = ocr_pdf_page(pdf, 0, engine=ENGINE, dpi=200)
    assert _squash(page.text) == "送达回证受送达人：李秀英"


class _DropsLines:
    """A fake engine that only ever finds the first text box of a page."""

    name = "fake"

    def recognise(self, gray, dpi):
        return [ocr_engines.Box("当事人于2024年3月5日在公园路门口", 0.95, 40, 40, 700, 80)]

    def recognise_line(self, gray, dpi):
        return "当事人", 0.9


def test_ocr_warns_when_lines_are_dropped(monkeypatch):
    monkeypatch.setattr(ocr_page, "engine_for", lambda name, path: _DropsLines())
    page = ocr_image(_png(_page(PROSE + PROSE)), path="案卷/扫描.png")
    assert len(page.lines) == 1
    assert len(page.warnings) == 1
    assert page.warnings[0].startswith("[E153]")
    assert "约有 8 行文字，只识别出 1 行" in page.warnings[0]


def test_ocr_missing_engine_names_the_install_command(monkeypatch):
    monkeypatch.setattr(ocr_engines, "available_engines", lambda: [])
    with pytest.raises(ReadError) as err:
        ocr_image(b"\x89PNG not decoded", path="2403001/现场照片.png")
    assert err.value.code == "E150"
    text = str(err.value)
    assert "2403001/现场照片.png" in text
    assert "pip install rapidocr onnxruntime" in text
    assert "apt-get install -y tesseract-ocr tesseract-ocr-chi-sim" in text


def test_ocr_unknown_engine_lists_the_installed_ones(monkeypatch):
    monkeypatch.setattr(ocr_engines, "available_engines", lambda: ["tesseract"])
    with pytest.raises(ReadError) as err:
        ocr_image(b"", engine="rapidocr", path="a.png")
    assert err.value.code == "E151"
    assert "tesseract" in str(err.value)


def test_ocr_rapidocr_uses_models_shipped_in_the_wheel():
    models = ocr_engines._rapidocr_models()
    if models is None:
        pytest.skip("RapidOCR is not installed (pip install rapidocr onnxruntime)")
    det, rec = models
    assert det.is_file() and rec.is_file()
    assert det.parent.parent.name == "rapidocr"  # inside the installed package, not a cache dir


@needs_engine
def test_ocr_downloads_nothing(monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("OCR tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(ocr_engines, "_INSTANCES", {})  # load the models again with the network refused
    page = ocr_image(_png(_page(PROSE[:1])), engine=ENGINE)
    assert _squash(page.text) == "当事人于2024年3月5日在公园路门口"


@pytest.mark.parametrize("read, fixed", [
    ("于二二四年二月五日", "于二〇二四年二月五日"),  # the 〇 dropped
    ("二○二四年三月一日", "二〇二四年三月一日"),  # U+25CB
    ("二O二三年", "二〇二三年"),  # Latin O
    ("于2024年3月", "于2024年3月"),
    ("二〇二四年", "二〇二四年"),
    ("十二二四年", "十二二四年"),  # not a year
])
def test_ocr_fix_years(read, fixed):
    assert ocr.fix_years(read) == fixed


@needs_engine
@pytest.mark.parametrize("printed", [
    "青城管罚决字［2024］第0392号",  # full-width square brackets: the recogniser writes [ ]
    "青城管罚决字[2024]第0392号",
    "青城管罚决字（2024）第0392号",
    "青城管罚决字(2024)第0392号",
    "沪青城管罚字〔2024〕第00383号",
    "送达回证（邮寄）",
    "罚款人民币500元(伍佰元)",
])
def test_ocr_case_number_brackets_keep_their_width(printed):
    page = ocr_image(_png(_page([[(40, printed)]], width=1100)), engine=ENGINE)
    assert page.text == printed


def test_ocr_spaced_ascii_brackets_are_full_width():
    assert ocr_lines._spaced_brackets("青城管罚决字 [2024] 第0392号") == "青城管罚决字［2024］第0392号"
    assert ocr_lines._spaced_brackets("送达回证 (邮寄)") == "送达回证（邮寄）"
    assert ocr_lines._spaced_brackets("青城管罚决字[2024]第0392号") == "青城管罚决字[2024]第0392号"
    assert ocr_lines._spaced_brackets("金额(元)") == "金额(元)"


@pytest.mark.parametrize("printed, full", [
    ("青城管罚决字［2024］第0392号", True), ("青城管罚决字[2024]第0392号", False),
    ("青城管罚决字（2024）第0392号", True), ("青城管罚决字(2024)第0392号", False),
])
def test_ocr_bracket_width_from_the_gaps_beside_the_brackets(printed, full):
    """On scans the recogniser reads ［2024］ as [2024] with no space; the blank halves of the
    full-width brackets in the line image tell them apart."""
    img = _page([[(40, printed)]], width=1100)
    gray = np.asarray(img.convert("L"))
    read = printed.replace("［", "[").replace("］", "]").replace("（", "(").replace("）", ")")
    box = ocr_engines.Box(read, 0.95, 20, 20, 1080, gray.shape[0] - 20)
    assert ocr_lines.bracket_width(gray, box).text == (printed if full else read)


@needs_engine
def test_ocr_wrapped_table_cell_is_one_cell():
    """A value that wraps inside its table cell (the DOCX reader gives one cell) is joined, and
    the next table row stays a row of its own."""
    img = Image.new("RGB", (1100, 330), (250, 250, 248))
    d = ImageDraw.Draw(img)
    font = _font(34)
    grid_x, grid_y = [15, 250, 1085], [20, 160, 240]
    for y in grid_y:
        d.line([(grid_x[0], y), (grid_x[-1], y)], fill=(20, 20, 20), width=2)
    for x in grid_x:
        d.line([(x, grid_y[0]), (x, grid_y[-1])], fill=(20, 20, 20), width=2)
    d.text((30, 70), "当事人", font=font, fill=(20, 20, 20))
    d.text((270, 40), "上海利达云帆环境工程", font=font, fill=(20, 20, 20))
    d.text((270, 100), "有限公司", font=font, fill=(20, 20, 20))
    d.text((30, 180), "住所", font=font, fill=(20, 20, 20))
    d.text((270, 180), "青浦区城中东路303号", font=font, fill=(20, 20, 20))
    page = ocr_image(_png(img), engine=ENGINE)
    assert [line.text for line in page.lines] == ["当事人\t上海利达云帆环境工程有限公司", "住所\t青浦区城中东路303号"]
    assert not page.warnings


@needs_engine
def test_ocr_same_text_with_one_or_two_threads(monkeypatch):
    """Review workers get cores // jobs OCR threads, so --jobs must not change what is read."""
    img = _png(_page(PROSE + [[(40, "沪青城管罚字［2024］第00383号")]]))
    seen = []
    for threads in ("1", "2"):
        monkeypatch.setenv("ANJUAN_OCR_THREADS", threads)
        monkeypatch.setattr(ocr_engines, "_INSTANCES", {})  # a new engine with this many threads
        page = ocr_image(img, engine=ENGINE)
        seen.append((page.text, [line.confidence for line in page.lines]))
    assert seen[0] == seen[1]
    assert "沪青城管罚字［2024］第00383号" in seen[0][0]
