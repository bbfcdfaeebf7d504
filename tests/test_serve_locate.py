"""Finding an evidence quote in a page's text, and the boxes that cover it (pure helpers)."""
from __future__ import annotations

import pytest

from pipeline.serve.locate import find_spans, line_range, merge_lines
from pipeline.serve.pages import marked_text, ocr_quote_boxes

PAGE = "检查时间\t二〇二四年四月二日14时30分至15时17分\r\n检查地点\t青浦区城中东路与\n青松路交叉口\r\n执法人员\t程永康"


@pytest.mark.parametrize("quote,expected", [
    ("青浦区城中东路与青松路交叉口", ["青浦区城中东路与\n青松路交叉口"]),  # a line break inside the quote
    ("检查地点 青浦区", ["检查地点\t青浦区"]),  # a TAB in the page, a space in the quote
    ("15时17分；青浦区城中东路与青松路交叉口", ["15时17分", "青浦区城中东路与\n青松路交叉口"]),  # assembled
    ("二〇二四年四月二日14时30分；不在页上的地点", ["二〇二四年四月二日14时30分"]),
    ("不在页上", []),
    ("程；永康", []),  # parts shorter than MIN_PART point nowhere
    ("", []),
])
def test_serve_locate_find_spans(quote, expected):
    assert [PAGE[a:b] for a, b in find_spans(PAGE, quote)] == expected


def test_serve_locate_merge_lines_joins_characters_per_line():
    chars = [(0.10, 0.20, 0.12, 0.22), (0.12, 0.201, 0.14, 0.221), (0.10, 0.30, 0.12, 0.32)]
    assert merge_lines(chars) == [(0.10, 0.20, 0.14, 0.221), (0.10, 0.30, 0.12, 0.32)]


def test_serve_locate_line_range():
    text = "一行\n二行\n三行"
    assert line_range(text, text.index("二"), text.index("三") + 1) == (1, 2)


def test_serve_locate_marked_text_cuts_the_page_at_each_part():
    pieces = marked_text(PAGE, "15时17分；青浦区城中东路与青松路交叉口")
    assert "".join(p for p, _ in pieces) == PAGE
    assert [p for p, marked in pieces if marked] == ["15时17分", "青浦区城中东路与\n青松路交叉口"]
    assert marked_text(PAGE, "不在页上") is None


def test_serve_locate_ocr_boxes_are_the_lines_holding_the_quote():
    text = "立案审批表\n案由 涉嫌露天焚烧垃圾\n承办人 吕嘉伟"
    boxes = ((0.3, 0.1, 0.7, 0.15), (0.1, 0.2, 0.9, 0.25), (0.1, 0.3, 0.9, 0.35))
    assert ocr_quote_boxes(text, boxes, "涉嫌露天焚烧垃圾") == [boxes[1]]
    assert ocr_quote_boxes(text, boxes[:2], "涉嫌露天焚烧垃圾") == []  # boxes that do not match the lines
    assert ocr_quote_boxes(text, (), "涉嫌露天焚烧垃圾") == []


def test_serve_locate_scan_is_shown_levelled_as_ocr_read_it():
    """A scan lying turned 90° clockwise was shown as scanned while its OCR boxes are fractions of the
    levelled page: the highlight fell across the page, off the words. The image is levelled first."""
    from PIL import Image

    from pipeline.serve.pages import levelled

    scan = Image.new("RGB", (200, 100), (255, 255, 255))  # a portrait page lying turned clockwise
    scan.paste((0, 0, 0), (190, 0, 200, 10))  # ink at the scan's top right = the page's top left
    page = levelled(scan, 90, 0.0, 100)
    assert page.size == (100, 200)
    assert page.getpixel((5, 5)) == (0, 0, 0) and page.getpixel((95, 195)) == (255, 255, 255)
    assert levelled(scan, 0, 0.0, 200) is scan  # a page that was level is left as it is
