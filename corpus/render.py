"""Render DocSpecs as DOCX or PDF bytes that look like the bureau's case-file documents.

DOCX (python-docx): A4 with the GB/T 9704 margins (top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm), body in 仿宋_GB2312 三号 with the East-Asian font set on every run, titles in
方正小标宋简体 二号 bold and centred, ``table`` blocks as real Word tables with grid borders
(nested tables inside cells), red bold seal text and real page breaks.

PDF (reportlab platypus): the CID font ``STSong-Light`` (no font file needed; the PDF names the
Adobe-GB1 font and readers substitute a Song face), CJK line wrapping, tables with a grid,
seal text in red, each document of a combined PDF starting on a new page.

Both are deterministic: the same specs give byte-identical files (fixed package dates and zip
entry times for DOCX; ``invariant`` mode, fixed dates and a content-derived id for PDF).
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from copy import deepcopy
from datetime import datetime
from functools import cache, lru_cache
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib import textsplit as _rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as _rl_paragraph

from corpus.spec import Block, DocSpec

__all__ = ["render_docx", "render_pdf", "render_pdf_counted", "repack_zip", "fixed_zipinfo",
           "FIXED_DATETIME"]

# --- shared constants ---------------------------------------------------------------------------

FIXED_DATETIME = datetime(2024, 1, 1, 0, 0, 0)
FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
AUTHOR = "anjuan-corpus"

# GB/T 9704-2012 page: A4, margins in mm.
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 37, 35, 28, 26

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
LATIN_FONT = "Times New Roman"
TITLE_PT = 22  # 二号
BODY_PT = 16  # 三号
TABLE_PT = 12  # 小四
BODY_LINE_PT = 28  # fixed line pitch: 22 lines per page as in GB/T 9704
SEAL_RGB = (0xE6, 0x00, 0x12)
_CELL_PAD = 3  # PDF cell padding, pt
_CELL_ROOM = 12  # horizontal room a cell needs besides its text (Word's default margins ≈ 10.8 pt)


def _text_width(text: str, size: float) -> float:
    """Estimated width in points: CJK and full-width characters 1 em, others about half."""
    longest = 0.0
    for line in text.split("\n"):
        longest = max(longest, sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in line))
    return longest * size


def _column_weights(rows: Sequence[Sequence[str]], ncols: int, width_pt: float) -> list[float]:
    """Column widths as fractions of the table width, like a browser's automatic table layout:
    columns whose text fits in a fair share (labels such as 统一社会信用代码) get their natural
    width and never wrap; the remaining width goes to the long value columns."""
    pad = _CELL_ROOM
    need: list[float] = [2 * TABLE_PT + pad] * ncols
    for row in rows:
        counted = len(row) if len(row) == ncols or ncols == 1 else len(row) - 1  # spans don't count
        for c in range(counted):
            need[c] = max(need[c], _text_width(row[c], TABLE_PT) + pad)
    return [w / width_pt for w in fit_columns(need, width_pt)]


def fit_columns(need: Sequence[float], width: float) -> list[float]:
    """Column widths (same unit as ``width``) from each column's natural width ``need``: columns
    that fit in a fair share keep their natural width, the rest split what is left in
    proportion to their text; slack, if any, is spread in proportion."""
    ncols = len(need)
    widths = [0.0] * ncols
    free = list(range(ncols))
    remaining = width
    while free:
        share = remaining / len(free)
        small = [c for c in free if need[c] <= share]
        if not small:
            break
        for c in small:
            widths[c] = need[c]
            remaining -= need[c]
        free = [c for c in free if c not in small]
    if free:  # wide columns split what is left in proportion to their text
        total = sum(need[c] for c in free)
        for c in free:
            widths[c] = remaining * need[c] / total
    elif remaining > 0:  # everything fits: spread the slack in proportion
        total = sum(widths)
        widths = [w + remaining * w / total for w in widths]
    return widths


def _table_shape(rows: Sequence[Sequence[str]]) -> int:
    return max((len(r) for r in rows), default=1) or 1


def _check_nested(block: Block) -> None:
    """A nested table must sit in an existing cell; anything else is a generator bug."""
    for r, c in block.nested:
        if not (0 <= r < len(block.rows) and 0 <= c < len(block.rows[r])):
            raise ValueError(f"nested table at ({r}, {c}) is outside the table "
                             f"({len(block.rows)} rows): {block.rows[:1]!r}…")


# --- DOCX -----------------------------------------------------------------------------------------
#
# python-docx builds the base package once (A4 section, margins, styles, fixed core properties);
# each render deep-copies its ``w:document`` element, fills the body (paragraphs and runs from
# cached oxml templates, tables parsed from generated XML) and appends ``word/document.xml`` to the
# cached, already compressed zip of the other parts. That keeps a document at a few ms.

_DOC_XML = "word/document.xml"


def _twips(pt: float) -> int:
    return int(round(pt * 20))


@cache
def _run_template(font: str, size: float, bold: bool, rgb: tuple[int, int, int] | None):
    half_points = int(round(size * 2))
    xml = (
        f"<w:r {nsdecls('w')}><w:rPr>"
        f'<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{font}" w:hint="eastAsia"/>'
        + ("<w:b/><w:bCs/>" if bold else "")
        + (f'<w:color w:val="{rgb[0]:02X}{rgb[1]:02X}{rgb[2]:02X}"/>' if rgb else "")
        + f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
        "</w:rPr></w:r>"
    )
    return parse_xml(xml)


@cache
def _paragraph_template(align: str, line_pt: float | None, first_line_pt: float, keep_next: bool):
    spacing = '<w:spacing w:before="0" w:after="0"'
    if line_pt:
        spacing += f' w:line="{_twips(line_pt)}" w:lineRule="exact"'
    spacing += "/>"
    indent = f'<w:ind w:firstLine="{_twips(first_line_pt)}"/>' if first_line_pt else ""
    keep = "<w:keepNext/>" if keep_next else ""
    return parse_xml(f"<w:p {nsdecls('w')}><w:pPr>{keep}{spacing}{indent}<w:jc w:val=\"{align}\"/></w:pPr></w:p>")


_PAGE_BREAK_P = parse_xml(f'<w:p {nsdecls("w")}><w:r><w:br w:type="page"/></w:r></w:p>')


def _docx_p(text: str, *, align: str, font: str = BODY_FONT, size: float = BODY_PT,
            bold: bool = False, rgb=None, indent_chars: int = 0, exact_line: bool = True,
            keep_next: bool = False):
    """A ``w:p`` element with one run (none for empty text)."""
    line = (BODY_LINE_PT if size >= BODY_PT else size * 1.5) if exact_line else None
    p = deepcopy(_paragraph_template(align, line, size * indent_chars, keep_next))
    if text:
        r = deepcopy(_run_template(font, size, bold, rgb))
        r.text = text  # "\n" becomes <w:br/>, "\t" <w:tab/>
        p.append(r)
    return p


_TBL_BORDERS = "<w:tblBorders>" + "".join(
    f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV")) + "</w:tblBorders>"


def _mm_twips(value_mm: float) -> int:
    return int(round(value_mm / 25.4 * 1440))


@cache
def _run_open(font: str, size: float, bold: bool, rgb: tuple[int, int, int] | None) -> str:
    """The ``<w:r><w:rPr>…</w:rPr>`` opening of a run, as XML text (same as _run_template)."""
    from lxml import etree

    xml = etree.tostring(_run_template(font, size, bold, rgb), encoding="unicode")
    return xml[: xml.index("</w:rPr>") + len("</w:rPr>")].replace(f" {nsdecls('w')}", "")


def _run_content(text: str) -> str:
    """Text as ``w:t`` / ``w:br`` / ``w:tab`` elements ("\n" is a line break, "\t" a tab)."""
    out = []
    for i, line in enumerate(text.split("\n")):
        if i:
            out.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                out.append("<w:tab/>")
            if piece:
                out.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return "".join(out)


def _cell_p_xml(text: str) -> str:
    p = ('<w:p><w:pPr><w:spacing w:before="0" w:after="0"/><w:jc w:val="left"/></w:pPr>')
    if text:
        p += _run_open(BODY_FONT, TABLE_PT, False, None) + _run_content(text) + "</w:r>"
    return p + "</w:p>"


def _table_xml(rows: Sequence[Sequence[str]], width_mm: float, nested=None) -> str:
    """A Word table (``w:tbl``) as XML text: grid borders, fixed column widths, short rows
    spanning to the right edge (``w:gridSpan``), nested tables inside cells."""
    ncols = _table_shape(rows)
    weights = _column_weights(rows, ncols, width_mm / 25.4 * 72)
    widths = [_mm_twips(width_mm * w) for w in weights]
    out = [
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>{_TBL_BORDERS}<w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
        "".join(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    for r, row in enumerate(rows):
        cells = list(row) or [""]
        out.append("<w:tr>")
        for c, text in enumerate(cells):
            span = ncols - c if c == len(cells) - 1 else 1
            cell_twips = sum(widths[c:c + span])
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{cell_twips}" w:type="dxa"/>')
            if span > 1:
                out.append(f'<w:gridSpan w:val="{span}"/>')
            out.append("</w:tcPr>")
            out.append(_cell_p_xml(text))
            if nested and (r, c) in nested:
                inner_mm = max(sum(weights[c:c + span]) * width_mm - 4, 10)
                out.append(_table_xml(nested[(r, c)], inner_mm))
                out.append("<w:p/>")  # Word requires a paragraph as a cell's last element
            out.append("</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _docx_table(rows: Sequence[Sequence[str]], width_mm: float, nested=None):
    xml = _table_xml(rows, width_mm, nested)
    return parse_xml(xml.replace("<w:tbl>", f"<w:tbl {nsdecls('w')}>", 1))


def _docx_block(document, block: Block, width_mm: float) -> None:
    kind = block.kind
    body = document.element.body
    if kind == "table":
        _check_nested(block)
        p = _docx_table(block.rows or (("",),), width_mm, block.nested)
    elif kind == "title":
        p = _docx_p(block.text, align="center", font=TITLE_FONT, size=TITLE_PT, bold=True,
                    exact_line=False)
    elif kind == "subtitle":
        p = _docx_p(block.text, align="center")
    elif kind == "para":
        p = _docx_p(block.text, align="both", indent_chars=2)
    elif kind == "seal":
        # the seal is stamped over the date line below it: never a page apart
        p = _docx_p(block.text, align="right", bold=True, rgb=SEAL_RGB, keep_next=True)
    elif kind == "signature":
        p = _docx_p(block.text, align="right")
    elif kind == "pagebreak":
        p = deepcopy(_PAGE_BREAK_P)
    else:  # pragma: no cover - Block validates its kind
        raise ValueError(f"unknown block kind {kind!r}")
    body.sectPr.addprevious(p)


@lru_cache(maxsize=1)
def _docx_base():
    """(python-docx Document, zip bytes of every part except word/document.xml)."""
    document = Document()
    # Drop python-docx's template thumbnail (a Word-saved file has none).
    pkg = document.part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del pkg.rels[rid]
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    core = document.core_properties
    core.author = AUTHOR
    core.last_modified_by = AUTHOR
    core.comments = ""
    core.title = ""
    core.created = FIXED_DATETIME
    core.modified = FIXED_DATETIME
    core.last_printed = FIXED_DATETIME
    core.revision = 1
    if document.styles["Table Grid"].style_id != "TableGrid":  # pragma: no cover - template change
        raise RuntimeError("python-docx default template lacks the 'Table Grid' style")
    buf = io.BytesIO()
    document.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        font_table = zf.read(_FONT_TABLE).decode("utf-8")
    font_table = font_table.replace("</w:fonts>", _CJK_FONTS + "</w:fonts>")
    return document, repack_zip(buf.getvalue(), replace={_FONT_TABLE: font_table.encode("utf-8")},
                                drop=(_DOC_XML,))


_FONT_TABLE = "word/fontTable.xml"
# Word falls back to w:altName when a font is not installed: 仿宋_GB2312 → 仿宋, 方正小标宋简体 → 宋体.
_CJK_FONTS = "".join(
    f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
    f'<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
    for name, alt in ((BODY_FONT, "仿宋"), (TITLE_FONT, "宋体"))
)


def render_docx(docs: Sequence[DocSpec]) -> bytes:
    """One or several documents as one .docx; a page break comes before each next document."""
    if not docs:
        raise ValueError("render_docx needs at least one DocSpec")
    base, base_zip = _docx_base()
    document = DocxDocument(deepcopy(base.element), base.part)
    width_mm = 210 - MARGIN_LEFT - MARGIN_RIGHT
    for i, doc in enumerate(docs):
        if i and not (docs[i - 1].blocks and docs[i - 1].blocks[-1].kind == "pagebreak"):
            document.element.body.sectPr.addprevious(deepcopy(_PAGE_BREAK_P))
        for block in doc.blocks:
            _docx_block(document, block, width_mm)
    buf = io.BytesIO(base_zip)
    buf.seek(0, io.SEEK_END)
    with zipfile.ZipFile(buf, "a") as zf:
        zf.writestr(fixed_zipinfo(_DOC_XML), serialize_part_xml(document.element),
                    compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return buf.getvalue()


def repack_zip(data: bytes, replace: dict[str, bytes] | None = None,
               drop: Sequence[str] = ()) -> bytes:
    """Rewrite an OOXML (or any) zip with fixed entry times, fixed attributes and a stable order.

    ``[Content_Types].xml`` comes first (as Office writes it), then the members sorted by name.
    ``replace`` substitutes the bytes of named members; ``drop`` leaves members out.
    """
    replace = replace or {}
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        members = {name: src.read(name) for name in src.namelist() if name not in drop}
    members.update(replace)
    order = sorted(members, key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in order:
            dst.writestr(fixed_zipinfo(name), members[name], compress_type=zipfile.ZIP_DEFLATED,
                         compresslevel=6)
    return out.getvalue()


def fixed_zipinfo(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
    info.create_system = 3  # the same on every OS, so the bytes are too
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    info.flag_bits |= 0x800  # file names are UTF-8
    return info


# --- PDF ------------------------------------------------------------------------------------------

PDF_FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))

# reportlab's CJK wrapping keeps Japanese closing marks off the start of a line but not the
# Chinese full-width ones; add them (a line never starts with ， 。 、 ； ： ！ ？ ） 》 ” 〕 】).
_CLOSING = "，。、；：！？）》〉”’〕】」』"
for _module in (_rl_textsplit, _rl_paragraph):  # one-frag paragraphs wrap in textsplit
    _module.ALL_CANNOT_START += "".join(ch for ch in _CLOSING if ch not in _module.ALL_CANNOT_START)

_RED = colors.Color(SEAL_RGB[0] / 255, SEAL_RGB[1] / 255, SEAL_RGB[2] / 255)

_STYLES = {
    "title": ParagraphStyle("title", fontName=PDF_FONT, fontSize=TITLE_PT, leading=TITLE_PT * 1.45,
                            alignment=TA_CENTER, wordWrap="CJK", spaceBefore=6, spaceAfter=14),
    "subtitle": ParagraphStyle("subtitle", fontName=PDF_FONT, fontSize=BODY_PT, leading=BODY_LINE_PT,
                               alignment=TA_CENTER, wordWrap="CJK", spaceAfter=4),
    "para": ParagraphStyle("para", fontName=PDF_FONT, fontSize=BODY_PT, leading=BODY_LINE_PT,
                           alignment=TA_JUSTIFY, firstLineIndent=2 * BODY_PT, wordWrap="CJK"),
    "seal": ParagraphStyle("seal", fontName=PDF_FONT, fontSize=BODY_PT, leading=BODY_LINE_PT,
                           alignment=TA_RIGHT, textColor=_RED, wordWrap="CJK", spaceBefore=6,
                           keepWithNext=1),  # stays on the page of the date line below it
    "signature": ParagraphStyle("signature", fontName=PDF_FONT, fontSize=BODY_PT,
                                leading=BODY_LINE_PT, alignment=TA_RIGHT, wordWrap="CJK"),
    "cell": ParagraphStyle("cell", fontName=PDF_FONT, fontSize=TABLE_PT, leading=TABLE_PT * 1.5,
                           alignment=TA_LEFT, wordWrap="CJK"),
}

_PAGE_W, _PAGE_H = A4
_FRAME_W = _PAGE_W - (MARGIN_LEFT + MARGIN_RIGHT) * mm
_FRAME_H = _PAGE_H - (MARGIN_TOP + MARGIN_BOTTOM) * mm


class _BoldParagraph(Paragraph):
    """A paragraph drawn with fill+stroke (text render mode 2): bold for a font with no bold face.

    The characters are still drawn once, so text extraction is unchanged.
    """

    def __init__(self, text, style, *args, stroke=colors.black, stroke_width=0.45, **kwargs):
        super().__init__(text, style, *args, **kwargs)  # split() re-creates with frags=…
        self._stroke = stroke
        self._stroke_width = stroke_width

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for part in parts:
            if isinstance(part, _BoldParagraph):
                part._stroke, part._stroke_width = self._stroke, self._stroke_width
        return parts

    def draw(self):
        canv = self.canv
        canv.setStrokeColor(self._stroke)
        canv.setLineWidth(self._stroke_width)
        canv._code.append("2 Tr")
        super().draw()
        canv._code.append("0 Tr")


def _markup(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


def _pdf_table(rows: Sequence[Sequence[str]], width: float, nested=None) -> Table:
    ncols = _table_shape(rows)
    weights = _column_weights(rows, ncols, width)
    col_w = [width * w for w in weights]
    data = []
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for r, row in enumerate(rows):
        cells: list = []
        for c, text in enumerate(row):
            para = Paragraph(_markup(text), _STYLES["cell"])
            if nested and (r, c) in nested:
                span_w = sum(col_w[c:]) if c == len(row) - 1 else col_w[c]
                inner = _pdf_table(nested[(r, c)], span_w - 2 * _CELL_PAD)
                cells.append([para, inner] if text else [inner])
            else:
                cells.append(para)
        n = max(len(row), 1)
        if n < ncols:
            commands.append(("SPAN", (n - 1, r), (ncols - 1, r)))
        cells.extend([""] * (ncols - len(cells)))
        data.append(cells)
    # splitInRow: a cell longer than a page (a long 案情 or 笔录 cell) flows on instead of failing
    return Table(data, colWidths=col_w, style=TableStyle(commands), hAlign="CENTER", splitInRow=1)


def _pdf_flowables(doc: DocSpec) -> list:
    out: list = []
    for block in doc.blocks:
        kind = block.kind
        if kind == "title":
            out.append(_BoldParagraph(_markup(block.text), _STYLES["title"]))
        elif kind == "seal":
            out.append(_BoldParagraph(_markup(block.text), _STYLES["seal"], stroke=_RED,
                                      stroke_width=0.3))
        elif kind in ("subtitle", "para", "signature"):
            out.append(Paragraph(_markup(block.text), _STYLES[kind]))
        elif kind == "table":
            _check_nested(block)
            out.append(Spacer(1, 4))
            out.append(_pdf_table(block.rows or (("",),), _FRAME_W, nested=block.nested))
            out.append(Spacer(1, 4))
        elif kind == "pagebreak":
            out.append(PageBreak())
        else:  # pragma: no cover - Block validates its kind
            raise ValueError(f"unknown block kind {kind!r}")
    return out


class _FixedCanvas(Canvas):
    """A canvas whose document dates are 2024-01-01T00:00:00Z (invariant mode fixes the rest)."""

    def __init__(self, *args, **kwargs):
        kwargs["invariant"] = 1
        super().__init__(*args, **kwargs)
        stamp = self._doc._timeStamp
        stamp.YMDhms = FIXED_ZIP_TIME
        stamp.dhh = stamp.dmm = 0


def _pdf_template(buf: io.BytesIO, title: str) -> BaseDocTemplate:
    template = BaseDocTemplate(
        buf, pagesize=A4, leftMargin=MARGIN_LEFT * mm, rightMargin=MARGIN_RIGHT * mm,
        topMargin=MARGIN_TOP * mm, bottomMargin=MARGIN_BOTTOM * mm, invariant=1,
        title=title, author=AUTHOR, creator=AUTHOR, subject="", keywords="",
    )
    frame = Frame(MARGIN_LEFT * mm, MARGIN_BOTTOM * mm, _FRAME_W, _FRAME_H, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    template.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    return template


def render_pdf_counted(docs: Sequence[DocSpec]) -> tuple[bytes, int]:
    """Like :func:`render_pdf`, also returning the number of pages."""
    if not docs:
        raise ValueError("render_pdf needs at least one DocSpec")
    story: list = []
    for doc in docs:
        if story and not isinstance(story[-1], PageBreak):
            story.append(PageBreak())
        story.extend(_pdf_flowables(doc))
    buf = io.BytesIO()
    template = _pdf_template(buf, "")  # no metadata title: a reader must type from the content
    saved_a85 = rl_config.useA85
    rl_config.useA85 = 0  # binary (Flate only) streams: smaller and faster than ASCII85 on top
    try:
        template.build(story, canvasmaker=_FixedCanvas)
    finally:
        rl_config.useA85 = saved_a85
    return buf.getvalue(), template.page


def render_pdf(docs: Sequence[DocSpec]) -> bytes:
    """One or several documents as one PDF; each document starts on a new page."""
    return render_pdf_counted(docs)[0]
