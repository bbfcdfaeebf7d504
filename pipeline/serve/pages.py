"""A document page as the reviewer sees it: an image of the page, and where a quote stands on it.

Files are read from the archive on demand, read-only (a zip member in memory, never extracted).
A path names a file below the archive root as the readers label it (``2406004/决定书.pdf``, or
``2406004.zip!/2406004/决定书.pdf`` for a zip member); ``resolve_file`` refuses anything that
would leave the root (``..``, an absolute path, a symlink pointing outside).

- PDF pages (text layer or scanned) are rendered with pypdfium2; the quote's boxes come from the
  character boxes of pdfium's text page.
- Image files (scans: .jpg .png .tif) are converted to PNG with Pillow (one frame per page).
- OCR pages get their boxes from ``Page.line_boxes`` (one box per text line, fractions of the
  page) when the reader recorded them; otherwise there are none and the page shows the quote
  beside the image.
- DOCX documents have no page image: the page's text is shown with the quote marked.
"""
from __future__ import annotations

import functools
import io
from pathlib import Path, PurePosixPath
from typing import Any

from pipeline.read.readers import IMAGE_EXTS, PDF_EXTS, ReadLimits, read_zip
from pipeline.serve.locate import Box, find_spans, line_range, merge_lines

ZIP_SEP = "!/"
PAGE_WIDTH = 1000  # pixels of a rendered page
CACHE_PAGES = 96


class NotServed(Exception):
    """A path that is not a readable file below the root (or not a page of it)."""


def resolve_file(root: Path, rel: str) -> Path:
    """The file ``rel`` below ``root``; raises NotServed for a path that would leave it."""
    if not rel or "\\" in rel or "\0" in rel:
        raise NotServed(rel)
    parts = PurePosixPath(rel).parts
    if PurePosixPath(rel).is_absolute() or any(p in ("..", "") for p in parts) or ":" in parts[0]:
        raise NotServed(rel)
    real_root = root.resolve()
    target = (real_root / Path(*parts)).resolve()
    try:
        target.relative_to(real_root)
    except ValueError as exc:
        raise NotServed(rel) from exc
    if not target.is_file():
        raise NotServed(rel)
    return target


@functools.lru_cache(maxsize=16)
def _zip_members(path: str, mtime_ns: int) -> dict[str, bytes]:
    members, _errors = read_zip(Path(path).read_bytes(), Path(path).name, ReadLimits())
    return {m.name: m.data for m in members}


def file_bytes(root: Path, rel: str) -> bytes:
    """The bytes of archive file ``rel`` (a zip member read in memory)."""
    outer, _, member = rel.partition(ZIP_SEP)
    path = resolve_file(root, outer)
    if not member:
        return path.read_bytes()
    members = _zip_members(str(path), path.stat().st_mtime_ns)
    if member not in members:
        raise NotServed(rel)
    return members[member]


def suffix(rel: str) -> str:
    return PurePosixPath(rel.rpartition(ZIP_SEP)[2] or rel).suffix.lower()


def page_image(root: Path, rel: str, page: int, width: int = PAGE_WIDTH, *, turn: int = 0,
               skew: float = 0.0) -> bytes:
    """PNG of page ``page`` (1-based) of a PDF or image file of the archive. ``turn`` and ``skew``
    level a scanned page the way OCR levelled it (``Page.rotation``, ``Page.skew``), so the OCR
    line boxes, fractions of the levelled page, fall on the words."""
    path_key = rel
    outer = rel.partition(ZIP_SEP)[0]
    stamp = resolve_file(root, outer).stat().st_mtime_ns
    return _page_png(str(root.resolve()), path_key, stamp, int(page), int(width), int(turn) % 360,
                     round(float(skew), 1))


@functools.lru_cache(maxsize=CACHE_PAGES)
def _page_png(root: str, rel: str, _stamp: int, page: int, width: int, turn: int, skew: float) -> bytes:
    data = file_bytes(Path(root), rel)
    ext = suffix(rel)
    if ext in PDF_EXTS:
        image = _pdf_image(data, page, width)
    elif ext in IMAGE_EXTS:
        image = _image_frame(data, page, width)
    else:
        raise NotServed(rel)
    return _png(levelled(image, turn, skew, width))


def levelled(image: Any, turn: int, skew: float, width: int) -> Any:
    """The page as OCR read it: turned ``turn`` degrees counter-clockwise, then untilted by ``skew``
    (the canvas grows, new corners white, as the OCR's own rotation does), scaled to ``width``."""
    if turn % 360:
        image = image.rotate(turn % 360, expand=True)
    if abs(skew) >= 0.05:
        image = image.rotate(-skew, expand=True, fillcolor=(255, 255, 255))
    if image.width != width and (turn % 360 or abs(skew) >= 0.05):
        image = image.resize((width, max(1, round(image.height * width / image.width))))
    return image


def _pdf_image(data: bytes, page: int, width: int) -> Any:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        if not 1 <= page <= len(pdf):
            raise NotServed(f"page {page}")
        p = pdf[page - 1]
        try:
            scale = width / max(p.get_width(), 1.0)
            image = p.render(scale=scale).to_pil()
        finally:
            p.close()
    finally:
        pdf.close()
    return image.convert("RGB")


def _image_frame(data: bytes, page: int, width: int) -> Any:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        try:
            im.seek(page - 1)
        except EOFError as exc:
            raise NotServed(f"page {page}") from exc
        frame = im.convert("RGB")
    if frame.width > width:
        frame = frame.resize((width, max(1, round(frame.height * width / frame.width))))
    return frame


def _png(image: Any) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False, compress_level=3)
    return buf.getvalue()


def pdf_quote_boxes(root: Path, rel: str, page: int, quote: str) -> list[Box]:
    """Boxes (one per line) covering ``quote`` on a PDF page with a text layer; [] when the quote
    is not found there (or the page has no text layer)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(file_bytes(root, rel))
    try:
        if not 1 <= page <= len(pdf):
            return []
        p = pdf[page - 1]
        tp = p.get_textpage()
        try:
            n = tp.count_chars()
            text = tp.get_text_range() if n else ""
            if len(text) != n:  # a character outside the BMP: offsets would not line up
                return []
            w, h = p.get_width(), p.get_height()
            boxes = []
            for start, end in find_spans(text, quote):
                for i in range(start, end):
                    if text[i].isspace():
                        continue
                    left, bottom, right, top = tp.get_charbox(i)
                    boxes.append((left / w, 1 - top / h, right / w, 1 - bottom / h))
            return merge_lines(boxes)
        finally:
            tp.close()
            p.close()
    finally:
        pdf.close()


def ocr_quote_boxes(text: str, line_boxes: tuple[Box, ...], quote: str) -> list[Box]:
    """The line boxes of an OCR page that hold ``quote``; [] when the page has no line boxes, they
    do not match its lines, or the quote is not found."""
    lines = text.split("\n")
    if not line_boxes or len(line_boxes) != len(lines):
        return []
    rows: set[int] = set()
    for start, end in find_spans(text, quote):
        first, last = line_range(text, start, end)
        rows.update(range(first, last + 1))
    return [tuple(line_boxes[i]) for i in sorted(rows)]  # type: ignore[misc]


def marked_text(text: str, quote: str) -> list[tuple[str, bool]] | None:
    """A page's text cut into ``(piece, marked)`` pieces, the quote's spans marked; None when no
    part of the quote is in it."""
    spans = find_spans(text, quote)
    if not spans:
        return None
    out: list[tuple[str, bool]] = []
    pos = 0
    for start, end in spans:
        start = max(start, pos)  # two parts of the quote overlap: the later one starts inside the mark
        if end <= start:
            continue
        out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = max(pos, end)
    out.append((text[pos:], False))
    return out


__all__ = ["NotServed", "ZIP_SEP", "file_bytes", "marked_text", "ocr_quote_boxes", "page_image",
           "pdf_quote_boxes", "resolve_file", "suffix"]
