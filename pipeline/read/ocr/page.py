"""The page driver: one scanned page (an image frame or a PDF page) → an :class:`OcrPage`.

Decode and level the page (``image``), pick the orientation that reads best, recognise the boxes of
the page cropped to its ink (``engines``; a box across a table rule is cut and read again), join
them into lines (``lines``), note where a red seal was (``SEAL_MARK``), and warn when OCR found far
fewer lines than the ink holds (E153) or its confidence is low (E154). The glue for the archive
reader turns scanned pages into ``Page`` records with one confidence and one box per line.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageOps

from pipeline.core.errors import ReadError, msg
from pipeline.core.models import InputError, Page
from pipeline.read.ocr.engines import Box, engine_for
from pipeline.read.ocr.image import (
    clean_rules,
    image_dpi,
    ink_box,
    orientations,
    page_arrays,
    red_stamp_box,
    rotate,
    text_rows,
)
from pipeline.read.ocr.lines import OcrLine, box_rows, bracket_width, page_lines

__all__ = ["DROPPED_RATIO", "LOW_CONFIDENCE", "MAX_PIXELS", "SEAL_MARK", "OcrPage", "image_page_count",
           "ocr_image", "ocr_image_file", "ocr_image_pages", "ocr_missing_pdf_pages", "ocr_pdf_page"]

MAX_PIXELS = 80_000_000  # A4 at 600 dpi is 35 MP
LOW_CONFIDENCE = 0.75  # page confidence below this gets an E154 warning
DROPPED_RATIO = 0.75  # fewer OCR rows than this share of the ink's text lines gets an E153 warning


@dataclass(frozen=True, slots=True)
class OcrPage:
    """The OCR of one page. ``text`` is the lines joined with ``\\n``; ``rotation`` is how many
    degrees clockwise the page lay turned (0/90/180/270) and ``skew`` its small tilt in degrees
    (counter-clockwise positive), both already corrected; ``warnings`` are coded messages."""

    text: str
    confidence: float
    lines: tuple[OcrLine, ...]
    engine: str
    rotation: int
    skew: float
    warnings: tuple[str, ...]


def _score(boxes: Sequence[Box]) -> float:
    return sum(b.confidence * len(b.text) for b in boxes)


def _line_crops(gray, ink, rows: Sequence[tuple[int, int]], dpi: int, n: int):
    """Crops of the ``n`` inkiest text lines (the ink's horizontal extent, a small margin)."""
    ranked = sorted(rows, key=lambda r: -int(ink[r[0]:r[1]].sum()))[:n]
    pad = max(3, dpi // 40)
    crops = []
    for a, b in sorted(ranked):
        cols = np.flatnonzero(ink[a:b].any(axis=0))
        if cols.size == 0:
            continue
        crops.append(np.ascontiguousarray(gray[max(a - pad, 0):b + pad,
                                               max(int(cols[0]) - pad, 0):int(cols[-1]) + pad + 1]))
    return crops


def _upside_down(engine, gray, ink, rows: Sequence[tuple[int, int]], dpi: int) -> bool:
    """Is the (level) page upside down? The engine's direction classifier votes over pieces of
    the three inkiest lines; when it has none or its vote is not clear, two lines are recognised
    as they are and turned 180° and the reading with clearly more confidence wins."""
    if getattr(engine, "has_direction", False):
        upright, turned = engine.direction(_line_crops(gray, ink, rows, dpi, 3))
        if turned > 2 * upright + 1.0:
            return True
        if upright > 2 * turned + 1.0:
            return False
    crops = _line_crops(gray, ink, rows, dpi, 2)
    upright = _read_score(engine, crops, dpi)
    turned = _read_score(engine, [c[::-1, ::-1].copy() for c in crops], dpi)
    return turned > upright * 1.15 + 1.0


def _read_score(engine, crops, dpi: int) -> float:
    """Confidence-weighted number of characters recognised in the line images ``crops``."""
    score = 0.0
    for crop in crops:
        text, conf = engine.recognise_line(crop, dpi)
        score += conf * len(text)
    return score


@dataclass(frozen=True)
class _Level:
    """A page turned level: ``base``/``skew`` as found, ``turned`` when it then lay upside down
    (already undone in the arrays), the rule-free page, its vertical-rule and ink masks, and the
    text rows of its ink."""

    base: int
    skew: float
    turned: bool
    clean: np.ndarray
    v_rule: np.ndarray
    ink: np.ndarray
    rows: list[tuple[int, int]]
    h_rule: np.ndarray


def _level(eng, gray, dpi: int, base: int, skew: float) -> _Level:
    level = rotate(gray, base, skew)
    clean, v_rule, ink, h_rule = clean_rules(level, dpi)
    min_px = max(3, round(dpi * 2.2 / 25.4))  # a text line is ≥ 2.2 mm tall (about 7 pt)
    rows = text_rows(ink, min_px)
    turned = _upside_down(eng, clean, ink, rows, dpi)
    if turned:
        h = level.shape[0]
        return _Level(base, skew, True, np.ascontiguousarray(clean[::-1, ::-1]), v_rule[::-1, ::-1],
                      ink[::-1, ::-1], [(h - b, h - a) for a, b in reversed(rows)], h_rule[::-1, ::-1])
    return _Level(base, skew, False, clean, v_rule, ink, rows, h_rule)


def _reading_score(eng, lv: _Level, dpi: int) -> float:
    """Confidence-weighted characters read from the page's two inkiest lines."""
    return _read_score(eng, _line_crops(lv.clean, lv.ink, lv.rows, dpi, 2), dpi)



def _split_at_rules(engine, gray, v_rule, boxes: Sequence[Box], dpi: int) -> list[Box]:
    """A box that runs across a vertical table rule (the detector merged two cells) is cut at the
    rule and each part recognised again, so label and value end up in separate cells."""
    if v_rule is None or not v_rule.any():
        return list(boxes)
    out: list[Box] = []
    for box in boxes:
        y0, y1 = int(box.y0 + box.h * 0.3), int(box.y1 - box.h * 0.3)
        x0, x1 = int(box.x0) + 2, int(box.x1) - 2
        if y1 <= y0 or x1 <= x0:
            out.append(box)
            continue
        cols = np.flatnonzero(v_rule[max(y0, 0):y1, max(x0, 0):x1].all(axis=0)) + max(x0, 0)
        if cols.size == 0:
            out.append(box)
            continue
        cuts, last = [], -10
        for c in cols.tolist():
            if c - last > 2:
                cuts.append(c)
            last = c
        edges = [int(box.x0)] + cuts + [int(box.x1) + 1]
        for a, b in zip(edges, edges[1:]):
            a2, b2 = a + (2 if a != edges[0] else 0), b - (2 if b != edges[-1] else 0)
            if b2 - a2 < box.h * 0.5:
                continue
            crop = np.ascontiguousarray(gray[max(int(box.y0), 0):int(box.y1) + 1, max(a2, 0):b2])
            text, conf = engine.recognise_line(crop, dpi)
            if text:
                out.append(Box(text, conf, float(a2), box.y0, float(b2), box.y1))
    return out


SEAL_MARK = "［印章］（扫描件上的印章）"


def _ocr_pil(img, *, engine: str | None, dpi: int | None, path: str, page: int) -> OcrPage:
    eng = engine_for(engine, path)
    if img.width * img.height > MAX_PIXELS:
        raise ReadError("E152", path, detail=f"{img.width}×{img.height} 像素")
    gray, red, src_dpi = page_arrays(img, dpi or image_dpi(img))
    levels = [_level(eng, gray, src_dpi, base, skew) for base, skew in orientations(gray, src_dpi)]
    lv = levels[0] if len(levels) == 1 else max(levels, key=lambda v: _reading_score(eng, v, src_dpi))
    base, skew, turned, clean, v_rule, ink, ink_rows = (lv.base, lv.skew, lv.turned, lv.clean, lv.v_rule,
                                                        lv.ink, lv.rows)
    seal_box = None
    if red is not None:  # the seal's place on the levelled page (page_arrays keeps only a seal's mask)
        seal_red = rotate((red[::4, ::4] * 255).astype(np.uint8) ^ 255, base + (180 if turned else 0), skew) < 128
        seal_box = red_stamp_box(seal_red, src_dpi / 4)
    y0, y1, x0, x1 = ink_box(ink, pad=round(src_dpi * 5 / 25.4))
    part, part_rule = clean[y0:y1, x0:x1], v_rule[y0:y1, x0:x1]
    boxes = [Box(b.text, b.confidence, b.x0 + x0, b.y0 + y0, b.x1 + x0, b.y1 + y0)
             for b in (bracket_width(part, b) for b in
                       _split_at_rules(eng, part, part_rule, eng.recognise(part, src_dpi), src_dpi))]
    rows = box_rows(boxes)
    lines = page_lines(rows, v_rule, clean.shape[1], clean.shape[0], lv.h_rule)
    if seal_box is not None:  # the seal was removed with its red ink: say where it was
        mid = (seal_box[1] + seal_box[3]) / 2
        at = sum(1 for line in lines if (line.box[1] + line.box[3]) / 2 < mid)
        lines.insert(at, OcrLine(text=SEAL_MARK, confidence=0.9,
                                 box=tuple(round(v, 4) for v in seal_box)))  # type: ignore[arg-type]
    n = sum(len(line.text) for line in lines if line.text != SEAL_MARK)
    confidence = round(sum(line.confidence * len(line.text) for line in lines
                           if line.text != SEAL_MARK) / n, 4) if n else 0.0
    warnings = []
    n_lines = len(rows)  # lines as seen, before wrapped table cells are joined
    if len(ink_rows) >= 3 and n_lines < DROPPED_RATIO * len(ink_rows) and len(ink_rows) - len(lines) >= 2:
        warnings.append(msg("E153", page=page, ink=len(ink_rows), found=n_lines, path=path))
    if n and confidence < LOW_CONFIDENCE:
        warnings.append(msg("E154", page=page, confidence=f"{confidence:.2f}", path=path))
    # base turned the image CCW; the page lay turned clockwise by that much (plus 180 if upside down)
    rotation = (base + (180 if turned else 0)) % 360
    return OcrPage(text="\n".join(line.text for line in lines), confidence=confidence, lines=tuple(lines),
                   engine=eng.name, rotation=rotation, skew=round(-skew, 1), warnings=tuple(warnings))



def _open(data: bytes, path: str) -> Image.Image:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        img = Image.open(io.BytesIO(data))
        img.load()
    except Image.DecompressionBombError as exc:
        raise ReadError("E152", path, detail=str(exc)[:80]) from exc
    except Exception as exc:  # noqa: BLE001 - any decoder failure is a damaged file
        raise ReadError("E102", path, detail=type(exc).__name__) from exc
    return img


def image_page_count(data: bytes, path: str = "") -> int:
    """Frames in an image file (a multi-page TIFF has several; JPEG/PNG one)."""
    img = _open(data, path)
    return getattr(img, "n_frames", 1)


def ocr_image(data: bytes, *, engine: str | None = None, dpi: int | None = None, path: str = "",
              page: int = 1) -> OcrPage:
    """OCR the first page (frame) of an image file (JPEG, PNG, TIFF, BMP…).

    ``engine``: ``"rapidocr"`` / ``"tesseract"`` or None for :func:`default_engine`; ``dpi``
    overrides the file's resolution; ``path`` and ``page`` only label messages. Raises
    ReadError E150 when no engine is installed (the message names the packages to install),
    E151 for an engine that is not available, E152 for an oversized image, E102 for an
    unreadable file.
    """
    engine_for(engine, path)  # fail fast, before decoding
    img = _open(data, path)
    return _ocr_pil(ImageOps.exif_transpose(img), engine=engine, dpi=dpi, path=path, page=page)


def ocr_image_pages(data: bytes, *, engine: str | None = None, dpi: int | None = None,
                    path: str = "") -> list[OcrPage]:
    """OCR every page of an image file (each frame of a multi-page TIFF)."""
    engine_for(engine, path)
    img = _open(data, path)
    out = []
    for i in range(getattr(img, "n_frames", 1)):
        img.seek(i)
        frame = ImageOps.exif_transpose(img.copy()) if i == 0 else img.copy()
        out.append(_ocr_pil(frame, engine=engine, dpi=dpi, path=path, page=i + 1))
    return out


def ocr_pdf_page(pdf_bytes: bytes, page_index: int, *, engine: str | None = None, dpi: int = 200,
                 path: str = "") -> OcrPage:
    """Rasterise page ``page_index`` (0-based) of a PDF with pypdfium2 at ``dpi`` and OCR it."""
    engine_for(engine, path)
    try:
        pdf = pdfium.PdfDocument(pdf_bytes)
    except pdfium.PdfiumError as exc:
        raise ReadError("E102", path, detail=str(exc)[:80]) from exc
    try:
        pg = pdf[page_index]
        w, h = pg.get_size()
        if w * h * (dpi / 72) ** 2 > MAX_PIXELS:
            raise ReadError("E152", path, detail=f"{w / 72 * 25.4:.0f}×{h / 72 * 25.4:.0f} mm @ {dpi} dpi")
        img = pg.render(scale=dpi / 72, grayscale=False).to_pil()
    finally:
        pdf.close()
    return _ocr_pil(img, engine=engine, dpi=dpi, path=path, page=page_index + 1)


# ---------------------------------------------------------------------------------------------
# glue for the archive reader: scanned pages become OCR pages, with their confidence
# ---------------------------------------------------------------------------------------------

def _lines_match(p: OcrPage) -> bool:
    """The page text is its lines joined by newlines (so line i of the text is ``p.lines[i]``)."""
    return bool(p.lines) and "\n".join(line.text for line in p.lines) == p.text


def _line_conf(p: OcrPage) -> tuple[float, ...]:
    """One confidence per text line (empty when the text is not the lines joined)."""
    return tuple(round(line.confidence, 4) for line in p.lines) if _lines_match(p) else ()


def _line_boxes(p: OcrPage) -> tuple[tuple[float, float, float, float], ...]:
    """One box per text line, fractions of the page (empty when the text is not the lines joined)."""
    return tuple(line.box for line in p.lines) if _lines_match(p) else ()


def _page_of(number: int, p: OcrPage) -> Page:
    """The archive reader's page for an OCR page: text, confidence, one confidence and box per line."""
    return Page(number=number, text=p.text, source="ocr", confidence=p.confidence,
                line_confidence=_line_conf(p), line_boxes=_line_boxes(p), rotation=p.rotation, skew=p.skew)


def _warning_errors(p: OcrPage, path: str) -> list[InputError]:
    out = []
    for w in p.warnings:
        code = w[1:5] if w.startswith("[E") else "E154"
        out.append(InputError(path=path, code=code, message=w))
    return out


def ocr_missing_pdf_pages(data: bytes, pages: Sequence[Page], errors: Sequence[InputError],
                          path: str) -> tuple[list[Page], list[InputError]]:
    """Replace the PDF pages that have no text layer (the reader's E106) with OCR pages.

    The E106 error of a page is dropped when OCR read it (its warnings E153/E154 take its place);
    when no OCR engine is installed, every E106 stays and one E150 says what to install.
    """
    missing = {e for e in range(len(pages)) if not pages[e].text.strip()}
    if not missing:
        return list(pages), list(errors)
    out_pages = list(pages)
    out_errors = [e for e in errors if e.code != "E106"]
    kept_106 = [e for e in errors if e.code == "E106"]
    try:
        for i in sorted(missing):
            p = ocr_pdf_page(data, i, path=path)
            out_pages[i] = _page_of(pages[i].number, p)
            out_errors.extend(_warning_errors(p, path))
            kept_106 = [e for e in kept_106 if f"第 {i + 1} 页" not in e.message]
    except ReadError as exc:
        if exc.code in ("E150", "E151"):
            return list(pages), list(errors) + [InputError(path=path, code=exc.code, message=str(exc))]
        out_errors.append(InputError(path=path, code=exc.code, message=str(exc)))
    return out_pages, out_errors + kept_106


def ocr_image_file(data: bytes, path: str) -> tuple[list[Page], list[InputError]]:
    """An image file (each frame of a multi-page TIFF) as OCR pages; E117 + E150 without an engine."""
    try:
        ocr_pages = ocr_image_pages(data, path=path)
    except ReadError as exc:
        errs = [InputError(path=path, code=exc.code, message=str(exc))]
        if exc.code in ("E150", "E151"):
            errs.insert(0, InputError(path=path, code="E117", message=msg("E117", path=path)))
        return [], errs
    pages, errors = [], []
    for i, p in enumerate(ocr_pages):
        pages.append(_page_of(i + 1, p))
        errors.extend(_warning_errors(p, path))
    return pages, errors
