"""GovDoc: an official-document (.docx) builder after GB/T 9704 (A4, 37/35/28/26 mm margins,
仿宋_GB2312 三号 body, 黑体/楷体 headings, tables with repeated header rows and rows that never break
across pages, page numbers in the footer).

Used by the plan writer (督察任务单.docx) and by the template builders. ``bytes()`` gives the same
bytes for the same content (``pipeline.write.docx.fixed_zip``).
"""
from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from extractors.normalise.numerals import int_to_cn
from pipeline.write import charts as ch
from pipeline.write.docx import fixed_zip

FONT_BODY = "仿宋_GB2312"
FONT_TITLE = "方正小标宋简体"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"

_NUMERIC = re.compile(r"[−+\-]?[\d.,]+%?(个百分点)?|—|持平|✓|✗|[↑↓]\d+|上月无数据")


def is_numeric(text: str) -> bool:
    """A cell aligned like a number (right in HTML, centred in DOCX)."""
    return bool(_NUMERIC.fullmatch(text))


def _font_for_all_scripts(rpr: Any, name: str) -> None:
    """Name the font for Latin, East Asian and complex scripts alike (Word picks per script)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _set_font(run: Any, name: str, size: float | None = None, bold: bool | None = None) -> None:
    run.font.name = name
    _font_for_all_scripts(run._element.get_or_add_rPr(), name)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold


def page_number_footer(section: Any) -> None:
    """``— N —`` centred in the footer, 宋体 四号 (a PAGE field showing 1 until the page is laid out)."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(p.add_run("— "), "宋体", 14)
    field = p.add_run()
    _set_font(field, "宋体", 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), ("t", "1"), ("end", None)):
        if kind == "t":
            el = OxmlElement("w:t")
            el.text = text
        elif kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        field._element.append(el)
    _set_font(p.add_run(" —"), "宋体", 14)


class GovDoc:
    """A GB/T 9704-style document: A4, 37/35/28/26 mm margins, 仿宋_GB2312 三号 body."""

    def __init__(self, title: str) -> None:
        self.doc = Document()
        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
        sec.left_margin, sec.right_margin = Mm(28), Mm(26)
        sec.header_distance, sec.footer_distance = Mm(15), Mm(20)
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT_BODY
        normal.font.size = Pt(16)
        _font_for_all_scripts(normal.element.get_or_add_rPr(), FONT_BODY)
        pf = normal.paragraph_format
        pf.space_before = pf.space_after = Pt(0)
        pf.line_spacing = Pt(28)
        page_number_footer(sec)
        cp = self.doc.core_properties
        cp.title = title
        cp.author = cp.last_modified_by = "anjuan"
        cp.comments = ""
        cp.revision = 1
        self.h1_count = 0
        self.h2_count = 0

    def title(self, text: str, sub: str | None = None) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = Pt(36)
        _set_font(p.add_run(text), FONT_TITLE, 22)
        if sub:
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_font(p.add_run(sub), FONT_H2, 16)
        self.doc.add_paragraph()

    def h1(self, text: str) -> None:
        self.h1_count += 1
        self.h2_count = 0
        p = self.doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        p.paragraph_format.keep_with_next = True
        _set_font(p.add_run(f"{int_to_cn(self.h1_count)}、{text}"), FONT_H1, 16)

    def h2(self, text: str) -> None:
        self.h2_count += 1
        p = self.doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        p.paragraph_format.keep_with_next = True
        _set_font(p.add_run(f"（{int_to_cn(self.h2_count)}）{text}"), FONT_H2, 16)

    def para(self, text: str, *, size: float = 16, indent: bool = True, bold: bool = False,
             center: bool = False, right: bool = False) -> None:
        p = self.doc.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif right:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        if size != 16:
            p.paragraph_format.line_spacing = Pt(size * 1.6)
        _set_font(p.add_run(text), FONT_BODY, size, bold or None)

    def table(self, head: Sequence[str], rows: Sequence[Sequence[str]], *, total_row: bool = False,
              widths: Sequence[float] | None = None, size: float | None = None) -> None:
        if not head:
            return
        size = size or (10.5 if len(head) <= 7 else 9)
        t = self.doc.add_table(rows=1 + len(rows), cols=len(head))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        widths = widths or _auto_widths(head, rows, size)
        for ci, col in enumerate(t.columns):
            col.width = Mm(widths[ci])
        for ri, values in enumerate([list(head), *[list(r) for r in rows]]):
            row = t.rows[ri]
            trpr = row._tr.get_or_add_trPr()
            # no row breaks across two pages; the header row repeats on every page (schema order)
            for flag in ("w:cantSplit", "w:tblHeader") if ri == 0 else ("w:cantSplit",):
                el = OxmlElement(flag)
                el.set(qn("w:val"), "true")
                trpr.append(el)
            for ci, value in enumerate(values):
                cell = row.cells[ci]
                cell.width = Mm(widths[ci])
                p = cell.paragraphs[0]
                p.paragraph_format.line_spacing = Pt(size * 1.35)
                p.paragraph_format.first_line_indent = Pt(0)
                numeric = is_numeric(str(value))
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER if (ri == 0 or numeric) else WD_ALIGN_PARAGRAPH.LEFT
                bold = ri == 0 or (total_row and ri == len(rows))
                _set_font(p.add_run(str(value)), FONT_BODY, size, bold)
                if ri == 0:
                    shd = OxmlElement("w:shd")
                    shd.set(qn("w:val"), "clear")
                    shd.set(qn("w:color"), "auto")
                    shd.set(qn("w:fill"), "D9E1F2")
                    cell._tc.get_or_add_tcPr().append(shd)
        self.doc.add_paragraph().paragraph_format.line_spacing = Pt(10)

    def note(self, text: str) -> None:
        if text:
            self.para(text, size=12, indent=False)

    def picture(self, png: bytes, width_mm: float = 156) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.line_spacing = 1.0
        p.paragraph_format.keep_together = True
        p.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))

    def bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return fixed_zip(buf.getvalue())



def _auto_widths(head: Sequence[str], rows: Sequence[Sequence[str]], size: float = 10.5,
                 total: float = 156) -> list[float]:
    """Column widths (mm): each column's longest value on one line (a header may take two lines);
    spare width is shared out in proportion, a shortfall is taken from the wide text columns."""
    em = size * 0.3528  # mm per em
    pad = 4.0  # Word's default cell margins (2 × 1.9 mm) and a little air
    need = []
    for ci in range(len(head)):
        longest = max([ch.text_width(str(r[ci]), 1) for r in rows] + [2.0])
        header = ch.text_width(str(head[ci]), 1)
        need.append(max(longest, math.ceil(header / 2)) * em + pad)
    s = sum(need)
    if s <= total:
        return [n + (total - s) * n / s for n in need]
    # short values (case numbers, squads, counts) stay on one line when they leave room enough;
    # the long text columns share what is left
    keep_max = 18 * em + pad
    keep = [n <= keep_max for n in need]
    kept = sum(n for n, k in zip(need, keep) if k)
    long_total = sum(n for n, k in zip(need, keep) if not k)
    if long_total and kept <= 0.8 * total:
        room = total - kept
        return [n if k else room * n / long_total for n, k in zip(need, keep)]
    # otherwise cap the widest columns at one level ("water-filling")
    lo, hi = 0.0, max(need)
    for _ in range(40):
        mid = (lo + hi) / 2
        if sum(min(n, mid) for n in need) > total:
            hi = mid
        else:
            lo = mid
    return [min(n, lo) for n in need]
