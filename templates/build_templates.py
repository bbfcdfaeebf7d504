"""Build templates/opinion.docx (the 评查意见书 docxtpl template) with python-docx.

Run ``python templates/build_templates.py`` after changing this script and commit both files; a test
checks that the committed template is what this script builds. The template is meant to be edited
in Word by a bureau as well: keep the ``{{ … }}`` / ``{%p … %}`` / ``{%tr … %}`` tags intact (one tag
per run; type a whole tag at once, Word may otherwise split it). The variables are the keys of
``pipeline.write.opinion.opinion_view``.

Layout follows GB/T 9704-2012 (党政机关公文格式): A4, margins top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm; body 仿宋_GB2312 三号 (16 pt), fixed line spacing 28.9 pt; title 方正小标宋简体 二号
(22 pt) centred; first-level headings 黑体, second-level 楷体_GB2312; page number 宋体 四号 ``— N —``.
Every run carries its East-Asian font (``w:rFonts w:eastAsia``) so Word and WPS pick the Chinese face.
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(HERE.parent))

from pipeline.write.docx import docx_bytes  # noqa: E402

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
LATIN = "Times New Roman"
BODY = Pt(16)
LINE = Pt(28.9)
RED = RGBColor(0xC0, 0x00, 0x00)


def set_fonts(rpr_owner, east: str, latin: str = LATIN) -> None:
    """Set ascii/hAnsi/eastAsia fonts on a run or a style (its rPr)."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east),
                        ("w:cs", latin)):
        fonts.set(qn(attr), value)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def add_run(par, text: str, *, east: str = FANGSONG, size=BODY, bold: bool = False,
            color: RGBColor | None = None):
    run = par.add_run(text)
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    set_fonts(run._r, east)
    return run


def fmt(par, *, align=None, indent_chars: float = 0, right_chars: float = 0, line=LINE,
        size=BODY):
    pf = par.paragraph_format
    if align is not None:
        pf.alignment = align
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = line
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    if indent_chars:
        pf.first_line_indent = Pt(size.pt * indent_chars)
    if right_chars:
        pf.right_indent = Pt(size.pt * right_chars)
    return par


def para(doc, text: str = "", **kw):
    east = kw.pop("east", FANGSONG)
    size = kw.pop("size", BODY)
    bold = kw.pop("bold", False)
    color = kw.pop("color", None)
    p = fmt(doc.add_paragraph(), size=size, **kw)
    if text:
        add_run(p, text, east=east, size=size, bold=bold, color=color)
    return p


def tag(doc, text: str):
    """A paragraph that holds only a docxtpl paragraph tag ({%p … %}); it disappears on render."""
    return para(doc, text)


def bottom_border(par, color: str = "C00000", size_eighths: int = 12) -> None:
    ppr = par._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", str(size_eighths)), ("w:space", "1"),
                 ("w:color", color)):
        bottom.set(qn(k), v)
    borders.append(bottom)
    ppr.append(borders)


def cell_text(cell, text: str, *, bold: bool = False, align=WD_ALIGN_PARAGRAPH.LEFT,
              size=Pt(14)) -> None:
    p = cell.paragraphs[0]
    fmt(p, align=align, line=Pt(22), size=size)
    if text:
        add_run(p, text, size=size, bold=bold, east=HEITI if bold else FANGSONG)


def set_widths(table, widths) -> None:
    """Fixed column widths (tblGrid and every cell) so Word, WPS and LibreOffice agree."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(w.twips)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths):
            cell.width = w


def page_number_footer(section) -> None:
    p = section.footer.paragraphs[0]
    fmt(p, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(20), size=Pt(14))
    add_run(p, "— ", east=SONGTI, size=Pt(14))
    run = add_run(p, "", east=SONGTI, size=Pt(14))
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "1":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    add_run(p, " —", east=SONGTI, size=Pt(14))


def build() -> bytes:
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

    C = WD_ALIGN_PARAGRAPH.CENTER
    J = WD_ALIGN_PARAGRAPH.JUSTIFY
    R = WD_ALIGN_PARAGRAPH.RIGHT

    # 版头: issuing bureau in red, document number, red rule
    para(doc, "{{ bureau }}", align=C, east=XIAOBIAOSONG, size=Pt(22), color=RED, line=Pt(36))
    p = para(doc, "{{ doc_number }}", align=C)
    bottom_border(p)
    para(doc)
    para(doc, "{{ title }}", align=C, east=XIAOBIAOSONG, size=Pt(22), line=Pt(36))
    para(doc)
    para(doc, "{{ addressee }}：", align=J)
    para(doc, "根据执法监督工作安排，我局对你单位承办的{{ case_label }}进行了案卷评查。"
              "现将评查意见告知如下：", align=J, indent_chars=2)

    # 一、案卷基本情况
    para(doc, "一、案卷基本情况", east=HEITI, indent_chars=2)
    facts = (("案卷编号", "{{ case_id }}", "案    号", "{{ case_number }}"),
             ("承办中队", "{{ squad }}", "当 事 人", "{{ party }}"),
             ("案    由", "{{ cause }}", "程    序", "{{ procedure }}"),
             ("立案日期", "{{ filing_date }}", "决定日期", "{{ decision_date }}"),
             ("处理结果", "{{ outcome }}", "罚    款", "{{ fine }}"))
    table = doc.add_table(rows=len(facts), cols=4)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, row in enumerate(facts):
        for c, text in enumerate(row):
            cell_text(table.cell(r, c), text, bold=c % 2 == 0,
                      align=C if c % 2 == 0 else WD_ALIGN_PARAGRAPH.LEFT)
    set_widths(table, (Mm(25), Mm(53), Mm(25), Mm(53)))

    # 二、评查发现的问题
    para(doc, "二、评查发现的问题", east=HEITI, indent_chars=2)
    tag(doc, "{%p if has_problems %}")
    tag(doc, "{%p for group in groups %}")
    para(doc, "{{ group.heading }}", east=KAITI, indent_chars=2)
    tag(doc, "{%p for f in group.findings %}")
    para(doc, "{{ f.no }}．{{ f.message }}", align=J, indent_chars=2)
    para(doc, "检查项：{{ f.check_id }}；依据：{{ f.citation }}；评分：{{ f.effect }}。",
         align=J, indent_chars=2)
    tag(doc, "{%p if f.evidence %}")
    para(doc, "证据：{{ f.evidence }}", align=J, indent_chars=2)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, "经评查，本案卷未发现需要指出的问题。", align=J, indent_chars=2)
    tag(doc, "{%p endif %}")

    # 三、评分结果
    para(doc, "三、评分结果", east=HEITI, indent_chars=2)
    para(doc, "{{ score_sentence }}", align=J, indent_chars=2)
    tag(doc, "{%p if show_stage_table %}")
    st = doc.add_table(rows=5, cols=4)
    st.style = doc.styles["Table Grid"]
    st.alignment = WD_TABLE_ALIGNMENT.CENTER
    for c, text in enumerate(("评查阶段", "满分", "扣分", "得分")):
        cell_text(st.cell(0, c), text, bold=True, align=C)
    cell_text(st.cell(1, 0), "{%tr for s in stages %}")
    for c, text in enumerate(("{{ s.name }}", "{{ s.max }}", "{{ s.deducted }}", "{{ s.points }}")):
        cell_text(st.cell(2, c), text, align=C)
    cell_text(st.cell(3, 0), "{%tr endfor %}")
    for c, text in enumerate(("合计", "{{ max_total }}", "{{ total_deducted }}", "{{ total }}")):
        cell_text(st.cell(4, c), text, bold=c == 0, align=C)
    set_widths(st, (Mm(40), Mm(36), Mm(36), Mm(44)))
    tag(doc, "{%p endif %}")

    # 四、整改要求
    para(doc, "四、整改要求", east=HEITI, indent_chars=2)
    tag(doc, "{%p if has_problems %}")
    para(doc, "请你单位对照上述问题逐项核查整改：能够补正的，依法予以补正；无法补正的，书面说明原因。"
              "{% if vetoed %}本案卷存在否决事项，请组织复查，依法予以纠正。{% endif %}"
              "同时举一反三，防止同类问题再次发生。", align=J, indent_chars=2)
    para(doc, "请于{{ reply_deadline }}将整改情况书面报送{{ reply_to }}。", align=J, indent_chars=2)
    tag(doc, "{%p else %}")
    para(doc, "本案卷无需整改，请继续保持。", align=J, indent_chars=2)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if note %}")
    para(doc, "{{ note }}", align=J, indent_chars=2, east=KAITI, size=Pt(14), line=Pt(24))
    tag(doc, "{%p endif %}")

    # 落款
    para(doc)
    para(doc)
    para(doc, "{{ bureau }}", align=R, right_chars=2)
    para(doc, "{{ issue_date }}", align=R, right_chars=4)

    return docx_bytes(doc, title="案卷评查意见书模板")


def main() -> None:
    out = HERE / "opinion.docx"
    out.write_bytes(build())
    print(out)


if __name__ == "__main__":
    main()
