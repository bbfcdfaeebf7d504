"""Turn DocSpecs into realistic scanned page images (for the ``--scanned-fraction`` corpus).

A page is laid out like :mod:`corpus.render`'s PDF (A4, GB/T 9704 margins, 三号 body with a
28 pt line pitch, 二号 title, 小四 tables with a grid, red seal text) but drawn straight to pixels
with Pillow and an *embedded* CJK font file (Noto Serif CJK SC by default; ``ANJUAN_CJK_FONT``
or any Chinese font :func:`pipeline.write.charts.find_cjk_font` finds otherwise). Then the page is
"scanned": a red round seal stamped over the seal/date lines, paper tint, blur, noise, a small
skew (±3°), sometimes a 90/180/270° turn, and JPEG compression, at 150–300 dpi.

Everything is drawn from the ``random.Random`` passed in, so the same rng state gives the same
bytes. :func:`scan_pages` also returns each page's source text (cells joined with TAB, as the
readers do) and the applied rotation and skew, for the OCR benchmark and tests.
"""
from __future__ import annotations

import io
import math
import os
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from corpus.render import fit_columns
from corpus.spec import Block, DocSpec

__all__ = ["ScanPage", "scan_document", "scan_pages", "scanned_pdf", "render_page_images", "find_fonts"]

# --- page geometry (points), as corpus/render.py ------------------------------------------------

PAGE_W, PAGE_H = 595.2756, 841.8898  # A4
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 37, 35, 28, 26  # mm
_MM = 72 / 25.4
FRAME_X = MARGIN_LEFT * _MM
FRAME_Y = MARGIN_TOP * _MM
FRAME_W = PAGE_W - (MARGIN_LEFT + MARGIN_RIGHT) * _MM
FRAME_BOTTOM = PAGE_H - MARGIN_BOTTOM * _MM
TITLE_PT, BODY_PT, TABLE_PT = 22, 16, 12
BODY_LEADING, TITLE_LEADING, TABLE_LEADING = 28, 22 * 1.45, 12 * 1.5
CELL_PAD = 3
INK = (25, 25, 25)
SEAL_RGB = (0xE6, 0x00, 0x12)
SCAN_DPIS = (150, 200, 240, 300)
_NO_LINE_START = "，。、；：！？）》〉”’〕】」』"
AGENCY = "上海市青浦区城市管理行政执法局"


# --- fonts --------------------------------------------------------------------------------------

def _face_index(path: str, want: str) -> int | None:
    """Index of the face whose family name contains ``want`` (e.g. " SC") in a .ttc, else None."""
    for index in range(12):
        try:
            family = ImageFont.truetype(path, 12, index=index).getname()[0]
        except OSError:
            return None
        if family and want in family:
            return index
    return None


@lru_cache(maxsize=1)
def find_fonts() -> tuple[tuple[str, int], tuple[str, int]]:
    """((body font file, face index), (title font file, face index)) with Chinese glyphs.

    Raises RuntimeError when no CJK font is installed.
    """
    env = os.environ.get("ANJUAN_CJK_FONT")
    if env:
        path, _, idx = env.partition("#")
        if Path(path).is_file():
            face = (path, int(idx) if idx.isdigit() else 0)
            return face, face
    noto = Path("/usr/share/fonts/opentype/noto")
    pairs = (("NotoSerifCJK-Regular.ttc", "NotoSerifCJK-Bold.ttc"),
             ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"))
    for body, title in pairs:
        body_path, title_path = noto / body, noto / title
        if body_path.is_file():
            bi = _face_index(str(body_path), " SC")
            if bi is not None:
                body_face = (str(body_path), bi)
                ti = _face_index(str(title_path), " SC") if title_path.is_file() else None
                return body_face, ((str(title_path), ti) if ti is not None else body_face)
    from pipeline.write.charts import find_cjk_font  # any usable CJK font (fc-list, Windows fonts)

    found = find_cjk_font()
    if found is None:
        raise RuntimeError("scan_document needs a Chinese font file: install fonts-noto-cjk "
                           "(sudo apt-get install -y fonts-noto-cjk) or set ANJUAN_CJK_FONT")
    return found, found


@lru_cache(maxsize=64)
def _font(kind: str, px: int) -> ImageFont.FreeTypeFont:
    body, title = find_fonts()
    path, index = title if kind == "title" else body
    return ImageFont.truetype(path, max(px, 4), index=index)


@lru_cache(maxsize=8192)
def _char_width(kind: str, ch: str) -> float:
    """Advance of ``ch`` in points at 1 pt (measured at 100 px)."""
    return _font(kind, 100).getlength(ch) / 100


def _width(text: str, size: float, kind: str = "body") -> float:
    return sum(_char_width(kind, ch) for ch in text) * size


# --- layout -------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Text:
    x: float
    y: float  # top of the line box, points
    text: str
    size: float
    kind: str  # body | title
    color: tuple[int, int, int]
    cell: bool = False  # a table cell line (joined with TAB in the source text)


@dataclass(frozen=True, slots=True)
class _Rule:
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True, slots=True)
class _SealMark:
    x: float  # centre, points
    y: float
    weak: bool = False  # an agency signature line: stamped only when the page has no seal block


def _wrap(text: str, width: float, size: float, first_indent: float = 0.0,
          kind: str = "body") -> list[str]:
    """Greedy CJK wrapping; closing punctuation hangs instead of starting a line."""
    lines: list[str] = []
    for raw in text.split("\n"):
        line, used, avail = "", 0.0, width - (first_indent if not lines else 0.0)
        for ch in raw:
            w = _char_width(kind, ch) * size
            if line and used + w > avail and ch not in _NO_LINE_START:
                lines.append(line)
                line, used, avail = "", 0.0, width
            line += ch
            used += w
        lines.append(line)
    return lines


def _column_widths(rows: Sequence[Sequence[str]], ncols: int, width: float) -> list[float]:
    """Natural width for columns whose text fits a fair share; the rest split what is left."""
    room = 2 * CELL_PAD + 6
    need: list[float] = [2 * TABLE_PT + room] * ncols
    for row in rows:
        counted = len(row) if len(row) == ncols or ncols == 1 else len(row) - 1
        for c in range(counted):
            longest = max((_width(part, TABLE_PT) for part in row[c].split("\n")), default=0.0)
            need[c] = max(need[c], longest + room)
    return fit_columns(need, width)


class _Layout:
    """Places blocks on pages (points, origin top-left)."""

    def __init__(self) -> None:
        self.pages: list[list[object]] = [[]]
        self.y = FRAME_Y

    @property
    def ops(self) -> list[object]:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append([])
        self.y = FRAME_Y

    def room(self) -> float:
        return FRAME_BOTTOM - self.y

    def fresh(self) -> bool:
        return self.y <= FRAME_Y + 0.01

    def lines(self, lines: list[str], *, size: float, leading: float, align: str, kind: str = "body",
              color=INK, indent: float = 0.0) -> None:
        for i, line in enumerate(lines):
            if self.room() < leading and not self.fresh():
                self.new_page()
            w = _width(line, size, kind)
            if align == "center":
                x = FRAME_X + (FRAME_W - w) / 2
            elif align == "right":
                x = FRAME_X + FRAME_W - w
            else:
                x = FRAME_X + (indent if i == 0 else 0.0)
            top = self.y + (leading - size) / 2
            if line:
                self.ops.append(_Text(x, top, line, size, kind, color))
            self.y += leading

    def block(self, block: Block) -> None:
        kind = block.kind
        if kind == "title":
            self.y += 6
            self.lines(_wrap(block.text, FRAME_W, TITLE_PT, kind="title"), size=TITLE_PT,
                       leading=TITLE_LEADING, align="center", kind="title")
            self.y += 14
        elif kind == "subtitle":
            self.lines(_wrap(block.text, FRAME_W, BODY_PT), size=BODY_PT, leading=BODY_LEADING,
                       align="center")
            self.y += 4
        elif kind == "para":
            indent = 2 * BODY_PT
            self.lines(_wrap(block.text, FRAME_W, BODY_PT, indent), size=BODY_PT,
                       leading=BODY_LEADING, align="left", indent=indent)
        elif kind == "signature":
            if AGENCY in block.text:
                w = min(_width(block.text, BODY_PT), FRAME_W)
                self.ops.append(_SealMark(FRAME_X + FRAME_W - w / 2, self.y + BODY_LEADING, weak=True))
            self.lines(_wrap(block.text, FRAME_W, BODY_PT), size=BODY_PT, leading=BODY_LEADING,
                       align="right")
        elif kind == "seal":
            self.y += 6
            if self.room() < 3 * BODY_LEADING:  # keep with the date line below it
                self.new_page()
            lines = _wrap(block.text, FRAME_W, BODY_PT)
            width = max(_width(line, BODY_PT) for line in lines) if lines else 0.0
            self.ops.append(_SealMark(FRAME_X + FRAME_W - min(width, FRAME_W) / 2,
                                      self.y + BODY_LEADING))
            self.lines(lines, size=BODY_PT, leading=BODY_LEADING, align="right", color=SEAL_RGB)
        elif kind == "table":
            self.y += 4
            self.table(block.rows or (("",),), dict(block.nested), FRAME_X, FRAME_W)
            self.y += 4
        elif kind == "pagebreak":
            self.new_page()

    # Tables: each cell holds items (text lines, or a nested table drawn as one unit); a row
    # that does not fit the page is split between items and continues on the next page.
    def table(self, rows, nested, x: float, width: float) -> None:
        ncols = max((len(r) for r in rows), default=1) or 1
        widths = _column_widths(rows, ncols, width)
        edges = [x]
        for w in widths:
            edges.append(edges[-1] + w)
        for r, row in enumerate(rows):
            n = max(len(row), 1)
            cells = []
            for c in range(n):
                x0 = edges[c]
                x1 = edges[ncols] if c == n - 1 else edges[c + 1]
                text = row[c] if c < len(row) else ""
                items: list[tuple[float, object]] = [
                    (TABLE_LEADING, line) for line in _wrap(text, x1 - x0 - 2 * CELL_PAD - 2, TABLE_PT)
                    if line or not text]
                if (r, c) in nested:
                    sub = _Layout()
                    sub.y = 0.0
                    sub.table(nested[(r, c)], {}, 0.0, x1 - x0 - 2 * CELL_PAD)
                    items.append((sub.y, sub.ops))
                cells.append([x0, x1, items])
            self._row(cells)

    def _row(self, cells) -> None:
        while True:
            need = max(sum(h for h, _ in items) for _, _, items in cells) + 2 * CELL_PAD
            if need > self.room() and not self.fresh():
                fits_fresh = need <= FRAME_BOTTOM - FRAME_Y
                took_any = self.room() > 2 * CELL_PAD + TABLE_LEADING
                if fits_fresh or not took_any:
                    self.new_page()
                    continue
            avail = self.room() - 2 * CELL_PAD
            top = self.y
            piece_h = 0.0
            rest = []
            for x0, x1, items in cells:
                used, k = 0.0, 0
                while k < len(items) and used + items[k][0] <= avail + 0.01:
                    used += items[k][0]
                    k += 1
                if k == 0 and items and self.fresh():
                    used, k = items[0][0], 1  # taller than a page: draw it anyway
                cy = top + CELL_PAD
                for h, item in items[:k]:
                    if isinstance(item, str):
                        if item:
                            self.ops.append(_Text(x0 + CELL_PAD + 1, cy + (h - TABLE_PT) / 2, item,
                                                  TABLE_PT, "body", INK, cell=True))
                    else:
                        for op in item:
                            self.ops.append(_shift(op, x0 + CELL_PAD, cy))
                    cy += h
                piece_h = max(piece_h, used)
                rest.append([x0, x1, items[k:]])
            bottom = top + piece_h + 2 * CELL_PAD
            self.ops.append(_Rule(cells[0][0], top, cells[-1][1], top))
            self.ops.append(_Rule(cells[0][0], bottom, cells[-1][1], bottom))
            for x0, _x1, _ in cells:
                self.ops.append(_Rule(x0, top, x0, bottom))
            self.ops.append(_Rule(cells[-1][1], top, cells[-1][1], bottom))
            self.y = bottom
            if not any(items for _, _, items in rest):
                return
            cells = rest
            self.new_page()


def _shift(op, dx: float, dy: float):
    if isinstance(op, _Text):
        return _Text(op.x + dx, op.y + dy, op.text, op.size, op.kind, op.color, op.cell)
    if isinstance(op, _Rule):
        return _Rule(op.x0 + dx, op.y0 + dy, op.x1 + dx, op.y1 + dy)
    return op


def _layout(docs: Sequence[DocSpec]) -> list[list[object]]:
    if not docs:
        raise ValueError("scan_document needs at least one DocSpec")
    pages: list[list[object]] = []
    for doc in docs:
        lay = _Layout()
        for block in doc.blocks:
            lay.block(block)
        pages.extend(p for p in lay.pages if p or len(lay.pages) == 1)
    return pages


def _page_text(ops: Sequence[object], *, with_seal: bool = False) -> str:
    """The page's text in reading order: lines top to bottom, cells of one row joined by TAB."""
    rows: dict[int, list[_Text]] = {}
    for op in ops:
        if isinstance(op, _Text) and (with_seal or op.color != SEAL_RGB):
            rows.setdefault(round(op.y + op.size / 2), []).append(op)
    out = []
    for key in sorted(rows):
        parts = sorted(rows[key], key=lambda t: t.x)
        out.append("\t".join(t.text for t in parts))
    return "\n".join(out)


# --- drawing ------------------------------------------------------------------------------------

def _draw_page(ops: Sequence[object], dpi: int, paper: int) -> tuple[Image.Image, list[tuple[float, float]]]:
    s = dpi / 72
    img = Image.new("RGB", (round(PAGE_W * s), round(PAGE_H * s)), (paper, paper, paper - 4))
    draw = ImageDraw.Draw(img)
    seals = []
    line_w = max(1, round(0.6 * s))
    for op in ops:
        if isinstance(op, _Text):
            font = _font(op.kind, round(op.size * s))
            draw.text((op.x * s, op.y * s), op.text, font=font, fill=op.color,
                      stroke_width=1 if op.kind == "title" and dpi >= 200 else 0, stroke_fill=op.color)
        elif isinstance(op, _Rule):
            draw.line([(op.x0 * s, op.y0 * s), (op.x1 * s, op.y1 * s)], fill=INK, width=line_w)
        elif isinstance(op, _SealMark) and not op.weak:
            seals.append((op.x * s, op.y * s))
    if not seals:
        seals = [(op.x * s, op.y * s) for op in ops if isinstance(op, _SealMark)][:1]
    return img, seals


def _stamp(img: Image.Image, centre: tuple[float, float], dpi: int, rng: random.Random,
           np_rng: np.random.Generator) -> Image.Image:
    """Multiply a red round seal (ring, star, agency name on an arc) onto ``img``."""
    s = dpi / 72
    radius = 21 * _MM * s  # a 42 mm official seal
    size = int(radius * 2 + 8)
    layer = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(layer)
    c = size / 2
    ring = max(2, round(1.1 * _MM * s))
    d.ellipse([c - radius, c - radius, c + radius, c + radius], outline=255, width=ring)
    star_r = radius * 0.28
    pts = []
    for k in range(10):
        r = star_r if k % 2 == 0 else star_r * 0.38
        a = -math.pi / 2 + k * math.pi / 5
        pts.append((c + r * math.cos(a), c + r * math.sin(a)))
    d.polygon(pts, fill=255)
    font = _font("body", round(radius * 0.26))
    name = AGENCY
    span = math.radians(250)
    for k, ch in enumerate(name):
        a = math.radians(-90) - span / 2 + span * k / (len(name) - 1)
        r = radius * 0.74
        side = int(font.size * 2)
        glyph = Image.new("L", (side, side), 0)
        ImageDraw.Draw(glyph).text((font.size / 2, font.size / 2), ch, font=font, fill=255)
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.Resampling.BICUBIC)
        layer.paste(glyph, (round(c + r * math.cos(a) - font.size), round(c + r * math.sin(a) - font.size)),
                    glyph)
    # uneven ink: a smooth random field scales the stamp's strength
    field: np.ndarray = np_rng.random((8, 8)).astype(np.float32)
    field = np.asarray(Image.fromarray((field * 255).astype(np.uint8)).resize((size, size), Image.Resampling.BICUBIC),
                       dtype=np.float32) / 255
    alpha = np.asarray(layer, dtype=np.float32) / 255 * (0.55 + 0.4 * field) * rng.uniform(0.8, 0.95)
    layer = Image.fromarray(np.clip(alpha * 255, 0, 255).astype(np.uint8))
    layer = layer.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC)
    x0 = round(centre[0] - size / 2 + rng.uniform(-0.15, 0.15) * radius)
    y0 = round(centre[1] - size / 2 + rng.uniform(-0.1, 0.25) * radius)
    box = (max(x0, 0), max(y0, 0), min(x0 + size, img.width), min(y0 + size, img.height))
    if box[0] >= box[2] or box[1] >= box[3]:
        return img
    ink = np.asarray(layer.crop((box[0] - x0, box[1] - y0, box[2] - x0, box[3] - y0)), dtype=np.float32) / 255
    region = np.asarray(img.crop(box), dtype=np.float32)
    red = np.array([rng.randint(200, 235), rng.randint(20, 50), rng.randint(30, 60)], dtype=np.float32) / 255
    out = region * (1 - ink[..., None] + ink[..., None] * red)
    img.paste(Image.fromarray(np.clip(out, 0, 255).astype(np.uint8)), box[:2])
    return img


@dataclass(frozen=True, slots=True)
class ScanPage:
    """One scanned page: the image bytes and what was done to it."""

    image: bytes  # JPEG or PNG
    dpi: int
    rotation: int  # 0/90/180/270: the page was turned this many degrees clockwise
    skew: float  # degrees, counter-clockwise positive (PIL's convention)
    text: str  # the printed black text in reading order, cells joined by TAB
    stamped: bool


def render_page_images(docs: Sequence[DocSpec], dpi: int = 200) -> list[tuple[Image.Image, str]]:
    """Clean page images (no scan effects) and their text: for tests that need a perfect page."""
    out = []
    for ops in _layout(docs):
        img, _ = _draw_page(ops, dpi, 255)
        out.append((img, _page_text(ops)))
    return out


def scan_pages(docs: Sequence[DocSpec], rng: random.Random, *, dpi: int | None = None,
               rotate_p: float = 0.15, stamp: bool = True) -> list[ScanPage]:
    """Scan every page of ``docs`` (see module doc). ``dpi=None`` draws it from 150–300 per
    document; ``rotate_p`` is the chance that a page lies turned by 90/180/270°."""
    pages = _layout(docs)
    doc_dpi = dpi or rng.choice(SCAN_DPIS)
    out = []
    for ops in pages:
        np_rng = np.random.default_rng(rng.getrandbits(63))
        paper = rng.randint(236, 252)
        img, seals = _draw_page(ops, doc_dpi, paper)
        stamped = False
        if stamp:
            for centre in seals:
                img = _stamp(img, centre, doc_dpi, rng, np_rng)
                stamped = True
        blur = rng.uniform(0.25, 0.75) * doc_dpi / 200
        img = img.filter(ImageFilter.GaussianBlur(blur))
        skew = round(rng.uniform(-3.0, 3.0), 2)
        fill = (paper, paper, paper - 4)
        img = img.rotate(skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill)
        rotation = rng.choice((90, 180, 270)) if rng.random() < rotate_p else 0
        if rotation:
            img = img.rotate(-rotation, expand=True)  # clockwise
        arr = np.asarray(img, dtype=np.float32)
        sigma = rng.uniform(3.0, 9.0)
        arr = arr + np_rng.normal(0.0, sigma, arr.shape[:2])[..., None].astype(np.float32)
        specks = np_rng.random(arr.shape[:2]) < rng.uniform(0.0, 0.0004)
        arr[specks] = rng.randint(40, 90)
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
        buf = io.BytesIO()
        if rng.random() < 0.15:  # some scanners save grey PNG
            img.convert("L").save(buf, format="PNG", dpi=(doc_dpi, doc_dpi), optimize=False)
        else:
            img.save(buf, format="JPEG", quality=rng.randint(55, 85), dpi=(doc_dpi, doc_dpi),
                     optimize=False)
        out.append(ScanPage(buf.getvalue(), doc_dpi, rotation, skew, _page_text(ops), stamped))
    return out


def scan_document(docs: Sequence[DocSpec], rng: random.Random, *, dpi: int | None = None) -> list[bytes]:
    """One image (JPEG, sometimes grey PNG) per page of ``docs`` as a scanner would produce it:
    embedded CJK font, red seal stamped over the seal/date lines, blur, noise, skew up to ±3°,
    sometimes turned 90/180/270°, at ``dpi`` (None: drawn from 150–300). Deterministic for a
    given rng state."""
    return [p.image for p in scan_pages(docs, rng, dpi=dpi)]


def scanned_pdf(images: Sequence[bytes]) -> bytes:
    """An image-only PDF (no text layer): one page per image, sized from the image's dpi.

    JPEG images are embedded as they are (DCT); others are stored losslessly. Deterministic.
    """
    if not images:
        raise ValueError("scanned_pdf needs at least one image")
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1, pageCompression=1)
    canvas.setAuthor("anjuan-corpus")
    canvas.setCreator("anjuan-corpus")
    for data in images:
        with Image.open(io.BytesIO(data)) as im:
            dpi = im.info.get("dpi", (200, 200))[0] or 200
            w_pt, h_pt = im.width * 72 / float(dpi), im.height * 72 / float(dpi)
        canvas.setPageSize((w_pt, h_pt))
        canvas.drawImage(ImageReader(io.BytesIO(data)), 0, 0, width=w_pt, height=h_pt)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()
