"""The building blocks of the Word templates (opinion, letters, meeting material, bulletin).

Every template follows GB/T 9704-2012 (党政机关公文格式): A4; margins top 37 mm, bottom 35 mm, left
28 mm, right 26 mm; body 仿宋_GB2312 三号 (16 pt) at a fixed 28.9 pt line (22 lines a page); title
方正小标宋简体 二号 (22 pt) centred; first-level headings 黑体, second-level 楷体_GB2312; page number
宋体 四号 ``— N —``. Every run carries its East-Asian font (``w:rFonts w:eastAsia``) so Word and WPS
pick the Chinese face.

Tables: the header row repeats on every page (``w:tblHeader``), no row is split across two pages
(``w:cantSplit``), column widths are fixed (``tblGrid`` and every cell) so Word, WPS and LibreOffice
agree, and cells are narrow-margined so numbers fit on one line. The 落款 block (issuer, seal
placeholder, date) is kept on one page with the paragraph before it (``keep_with_next``).

A template is a docxtpl document: ``{{ … }}`` for values, ``{%p … %}`` paragraphs and ``{%tr … %}``
rows for blocks and loops (those paragraphs and rows disappear on render).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor

from pipeline.write.govdoc import page_number_footer

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
LATIN = "Times New Roman"
BODY = Pt(16)
LINE = Pt(28.9)
RED = RGBColor(0xC0, 0x00, 0x00)
TEXT_WIDTH = Mm(156)  # 210 − 28 − 26
C = WD_ALIGN_PARAGRAPH.CENTER
J = WD_ALIGN_PARAGRAPH.JUSTIFY
L = WD_ALIGN_PARAGRAPH.LEFT
R = WD_ALIGN_PARAGRAPH.RIGHT


def set_fonts(el: Any, east: str, latin: str = LATIN) -> None:
    """ascii/hAnsi/eastAsia/cs fonts and the zh-CN East-Asian language on a run or style (its rPr)."""
    rpr = el.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east), ("w:cs", latin)):
        fonts.set(qn(attr), value)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def fmt(par: Any, *, align: Any = J, indent: float = 0, right: float = 0, line: Length | None = LINE,
        size: Length = BODY, keep: bool = False) -> Any:
    """Paragraph format: alignment, first-line indent and right indent in characters, exact line
    spacing (``line=None``: single, for a paragraph that holds a picture), no space before or after;
    ``keep`` keeps it on the page of the next paragraph."""
    pf = par.paragraph_format
    pf.alignment = align
    if line is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = line
    pf.space_before = pf.space_after = Pt(0)
    if indent:
        pf.first_line_indent = Pt(size.pt * indent)
    if right:
        pf.right_indent = Pt(size.pt * right)
    if keep:
        pf.keep_with_next = True
        pf.keep_together = True
    return par


def run(par: Any, text: str, *, east: str = FANGSONG, size: Length = BODY, bold: bool = False,
        color: RGBColor | None = None, underline: bool = False) -> Any:
    r = par.add_run(text)
    r.font.size = size
    r.font.bold = bold
    if underline:
        r.font.underline = True
    if color is not None:
        r.font.color.rgb = color
    set_fonts(r._r, east)
    return r


def para(doc: Any, text: str = "", *, east: str = FANGSONG, size: Length = BODY, bold: bool = False,
         color: RGBColor | None = None, **kw: Any) -> Any:
    p = fmt(doc.add_paragraph(), size=size, **kw)
    if text:
        run(p, text, east=east, size=size, bold=bold, color=color)
    return p


def body(doc: Any, text: str, **kw: Any) -> Any:
    """A body paragraph: justified, first line indented two characters."""
    return para(doc, text, indent=2, **kw)


def heading(doc: Any, text: str, *, level: int = 1) -> Any:
    """A first-level (黑体) or second-level (楷体) heading, kept with what follows."""
    return para(doc, text, east=HEITI if level == 1 else KAITI, indent=2, keep=True)


def tag(doc: Any, text: str) -> Any:
    """A paragraph holding only a docxtpl paragraph tag; it disappears on render."""
    return para(doc, text)


def loop(doc: Any, var: str, text: str = "{{ p }}", **kw: Any) -> None:
    """One body paragraph per item of ``var``."""
    tag(doc, f"{{%p for p in {var} %}}")
    body(doc, text, **kw)
    tag(doc, "{%p endfor %}")


def signature(doc: Any, issuer: str, date: str, seal: str = "{{ seal }}") -> None:
    """落款: issuer, seal placeholder and date, right-aligned, kept on one page with each other and
    with the paragraph before (which the caller makes ``keep``)."""
    para(doc, keep=True)
    para(doc, issuer, align=R, right=2, keep=True)
    para(doc, seal, align=R, right=4, keep=True)
    para(doc, date, align=R, right=4)


def new_document() -> Any:
    """An empty A4 document with the GB/T 9704 page, the body style and the page-number footer."""
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    sec.header_distance, sec.footer_distance = Mm(15), Mm(20)
    page_number_footer(sec)
    normal = doc.styles["Normal"]
    normal.font.size = BODY
    set_fonts(normal.element, FANGSONG)
    npf = normal.paragraph_format
    npf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    npf.line_spacing = LINE
    npf.space_before = npf.space_after = Pt(0)
    set_fonts(doc.styles["Table Grid"].element, FANGSONG)
    return doc


def bottom_border(par: Any, color: str = "C00000", size_eighths: int = 12) -> None:
    """The red rule under the 版头."""
    ppr = par._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", str(size_eighths)), ("w:space", "1"), ("w:color", color)):
        bottom.set(qn(k), v)
    borders.append(bottom)
    ppr.append(borders)


# --- tables ---------------------------------------------------------------------------------------

def cell(c: Any, text: str, *, bold: bool = False, align: Any = L, size: Length = Pt(10.5),
         line: Length | None = None) -> None:
    """The first paragraph of a cell, in 仿宋 (黑体 when bold), single-spaced for its size."""
    p = c.paragraphs[0]
    fmt(p, align=align, line=line or Pt(size.pt * 1.5), size=size)
    if text:
        run(p, text, size=size, bold=bold, east=HEITI if bold else FANGSONG)


def _row_flag(row: Any, tag_name: str) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement(tag_name)
    el.set(qn("w:val"), "true")
    trpr.append(el)


def table(doc: Any, widths: Sequence[Length], rows: int, *, margins_mm: float = 1.0) -> Any:
    """A grid table of fixed column widths, centred, with narrow cell margins; the first row repeats
    on every page and no row may break across pages."""
    t = doc.add_table(rows=rows, cols=len(widths))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for col, w in zip(t._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(w.twips)))
    for row in t.rows:
        for c, w in zip(row.cells, widths):
            c.width = w
    tblpr = t._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(Mm(margins_mm).twips)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    look = tblpr.find(qn("w:tblLook"))
    if look is not None:  # schema order: tblCellMar comes before tblLook
        look.addprevious(mar)
    else:
        tblpr.append(mar)
    for i, row in enumerate(t.rows):
        _row_flag(row, "w:cantSplit")  # schema order: cantSplit before tblHeader
        if i == 0:
            _row_flag(row, "w:tblHeader")
    return t


def head_row(t: Any, names: Sequence[str], *, size: Length = Pt(10.5), fill: str = "D9E1F2") -> None:
    """The header row: bold, centred, shaded."""
    for i, name in enumerate(names):
        c = t.cell(0, i)
        cell(c, name, bold=True, align=C, size=size)
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), fill)
        c._tc.get_or_add_tcPr().append(shd)


def loop_rows(t: Any, first: int, var: str, cells: Sequence[str], *, align: Sequence[Any] | None = None,
              size: Length = Pt(10.5), bold: bool = False) -> None:
    """Rows ``first`` … ``first + 2`` of ``t`` as a docxtpl row loop: ``{%tr for … %}``, the row of
    ``cells`` (one per column), ``{%tr endfor %}``."""
    cell(t.cell(first, 0), f"{{%tr for {var} %}}", size=size)
    for i, text in enumerate(cells):
        cell(t.cell(first + 1, i), text, align=(align[i] if align else L), size=size, bold=bold)
    cell(t.cell(first + 2, 0), "{%tr endfor %}", size=size)


def no_wrap(c: Any) -> None:
    """A cell whose text never wraps (numbers)."""
    tcpr = c._tc.get_or_add_tcPr()
    tcpr.append(OxmlElement("w:noWrap"))


__all__ = ["BODY", "C", "FANGSONG", "HEITI", "J", "KAITI", "L", "LINE", "R", "RED", "SONGTI", "TEXT_WIDTH",
           "XIAOBIAOSONG", "body", "bottom_border", "cell", "fmt", "head_row", "heading", "loop", "loop_rows",
           "new_document", "no_wrap", "page_number_footer", "para", "run", "set_fonts", "signature", "table",
           "tag"]
