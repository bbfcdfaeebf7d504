"""Build templates/letter_{tip,supervise,suggest,decide}.docx (两单两书 docxtpl templates) with python-docx.

Run ``python templates/build_letter_templates.py`` after changing this script and commit the four
files; a test checks that the committed templates are what this script builds. A bureau may edit
the templates in Word: keep the ``{{ … }}`` / ``{%p … %}`` / ``{%tr … %}`` tags intact (type a whole
tag at once; Word may otherwise split it into several runs). The variables are the keys of
``pipeline.write.letterdocs.letter_view``.

Layout follows GB/T 9704-2012: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; body
仿宋_GB2312 三号 (16 pt), fixed line spacing 28.9 pt; title 方正小标宋简体 二号 (22 pt) centred;
first-level headings 黑体; page number 宋体 四号 ``— N —``. Every run carries its East-Asian font
(``w:rFonts w:eastAsia``) so Word and WPS pick the Chinese face.
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(HERE.parent))

from pipeline.write.docx import docx_bytes  # noqa: E402  (the one deterministic .docx writer)

RUNGS = ("tip", "supervise", "suggest", "decide")

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
SONGTI = "宋体"
LATIN = "Times New Roman"
BODY = Pt(16)
LINE = Pt(28.9)
TABLE = Pt(12)
C = WD_ALIGN_PARAGRAPH.CENTER
J = WD_ALIGN_PARAGRAPH.JUSTIFY
L = WD_ALIGN_PARAGRAPH.LEFT
R = WD_ALIGN_PARAGRAPH.RIGHT


def set_fonts(el, east: str, latin: str = LATIN) -> None:
    """ascii/hAnsi/eastAsia/cs fonts and zh-CN East-Asian language on a run or style (its rPr)."""
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


def fmt(par, *, align=J, indent: float = 0, right: float = 0, line=LINE, size=BODY):
    pf = par.paragraph_format
    pf.alignment = align
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = line
    pf.space_before = pf.space_after = Pt(0)
    if indent:
        pf.first_line_indent = Pt(size.pt * indent)
    if right:
        pf.right_indent = Pt(size.pt * right)
    return par


def run(par, text: str, *, east: str = FANGSONG, size=BODY, bold: bool = False):
    r = par.add_run(text)
    r.font.size = size
    r.font.bold = bold
    set_fonts(r._r, east)
    return r


def para(doc, text: str = "", *, east: str = FANGSONG, size=BODY, bold: bool = False, **kw):
    p = fmt(doc.add_paragraph(), size=size, **kw)
    if text:
        run(p, text, east=east, size=size, bold=bold)
    return p


def body(doc, text: str):
    return para(doc, text, indent=2)


def heading(doc, text: str):
    return para(doc, text, east=HEITI, indent=2)


def tag(doc, text: str):
    """A paragraph holding only a docxtpl paragraph tag; it disappears on render."""
    return para(doc, text)


def loop(doc, var: str, text: str = "{{ p }}"):
    tag(doc, f"{{%p for p in {var} %}}")
    body(doc, text)
    tag(doc, "{%p endfor %}")


def cell(c, text: str, *, bold: bool = False, align=L) -> None:
    p = c.paragraphs[0]
    fmt(p, align=align, line=Pt(18), size=TABLE)
    if text:
        run(p, text, size=TABLE, bold=bold, east=HEITI if bold else FANGSONG)


def widths(table, ws) -> None:
    table.autofit = False
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), ws):
        col.set(qn("w:w"), str(int(w.twips)))
    for row in table.rows:
        for c, w in zip(row.cells, ws):
            c.width = w


def items_table(doc) -> None:
    """序号 | 案号（案卷编号） | 检查项 | 问题 | 法律依据 | 证据 — one row per item."""
    head = ("序号", "案号（案卷编号）", "检查项", "存在问题", "法律依据", "证据")
    t = doc.add_table(rows=4, cols=len(head))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(head):
        cell(t.cell(0, i), h, bold=True, align=C)
    t.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeat on each page
    cell(t.cell(1, 0), "{%tr for it in items %}")
    row = ("{{ it.no }}", "{{ it.case }}", "{{ it.check_id }}", "{{ it.problem }}", "{{ it.basis }}",
           "{{ it.evidence }}")
    for i, text in enumerate(row):
        cell(t.cell(2, i), text, align=C if i in (0, 2) else L)
    cell(t.cell(3, 0), "{%tr endfor %}")
    widths(t, (Mm(12), Mm(34), Mm(19), Mm(33), Mm(29), Mm(29)))


def page_number_footer(section) -> None:
    p = fmt(section.footer.paragraphs[0], align=C, line=Pt(20), size=Pt(14))
    run(p, "— ", east=SONGTI, size=Pt(14))
    r = run(p, "", east=SONGTI, size=Pt(14))
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
        r._r.append(el)
    run(p, " —", east=SONGTI, size=Pt(14))


def new_document():
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


def head(doc) -> None:
    para(doc, "{{ bureau }}", align=C, east=XIAOBIAOSONG, size=Pt(22), line=Pt(36))
    para(doc, "{{ title }}", align=C, east=XIAOBIAOSONG, size=Pt(22), line=Pt(36))
    para(doc, "{{ number }}", align=C)
    para(doc)
    para(doc, "{{ addressee }}：")
    loop(doc, "intro")


def signature(doc) -> None:
    para(doc)
    para(doc, "{{ issuing_body }}", align=R, right=1)
    para(doc, "{{ seal }}", align=R, right=6)
    para(doc, "{{ date }}", align=R, right=4)
    para(doc)
    tag(doc, "{%p if cc %}")
    para(doc, "{{ cc_label }}：{{ cc }}", size=Pt(14), line=Pt(24))
    tag(doc, "{%p endif %}")
    para(doc, "（关联：{{ links }}）", size=Pt(12), line=Pt(20))


def reply_paragraph(doc, lead: str = "请于{{ reply_deadline }}前向{{ reply_to }}报送{{ reply_form }}。") -> None:
    body(doc, lead)


def build_tip(doc) -> None:
    head(doc)
    heading(doc, "一、涉及案件")
    body(doc, "{{ cases_line }}")
    heading(doc, "二、存在问题")
    items_table(doc)
    heading(doc, "三、整改要求")
    loop(doc, "correction")
    heading(doc, "四、回复要求")
    reply_paragraph(doc)
    signature(doc)


def build_supervise(doc) -> None:
    head(doc)
    heading(doc, "一、督办事项")
    body(doc, "{{ cases_line }}")
    items_table(doc)
    loop(doc, "matters")
    heading(doc, "二、办结时限")
    body(doc, "请于{{ reply_deadline }}前办结上述督办事项（{{ reply_period }}）。")
    heading(doc, "三、整改报告")
    body(doc, "{{ report }}")
    reply_paragraph(doc)
    signature(doc)


def build_suggest(doc) -> None:
    head(doc)
    heading(doc, "一、发现的问题")
    loop(doc, "facts")
    body(doc, "{{ cases_line }}")
    items_table(doc)
    heading(doc, "二、原因分析")
    loop(doc, "causes")
    heading(doc, "三、监督建议")
    loop(doc, "suggestions")
    heading(doc, "四、约谈情况")
    tag(doc, "{%p for t in talks %}")
    body(doc, "约谈时间：{{ t.date }}；参加人员：{{ t.participants }}；约谈承诺：{{ t.commitments }}。")
    tag(doc, "{%p endfor %}")
    heading(doc, "五、回复要求")
    reply_paragraph(doc)
    signature(doc)


def build_decide(doc) -> None:
    head(doc)
    body(doc, "{{ basis }}，决定如下：")
    heading(doc, "一、决定事项")
    loop(doc, "decisions")
    body(doc, "{{ cases_line }}")
    items_table(doc)
    heading(doc, "二、履行期限")
    body(doc, "请于{{ reply_deadline }}前履行本决定，并向{{ reply_to }}报送{{ reply_form }}。")
    heading(doc, "三、复核")
    body(doc, "{{ review }}")
    signature(doc)


BUILDERS = {"tip": build_tip, "supervise": build_supervise, "suggest": build_suggest,
            "decide": build_decide}
TITLES = {"tip": "执法监督提示单", "supervise": "执法监督督办单", "suggest": "执法监督建议书",
          "decide": "执法监督决定书"}


def build(rung: str) -> bytes:
    doc = new_document()
    BUILDERS[rung](doc)
    return docx_bytes(doc, title=f"{TITLES[rung]}模板")


def main() -> None:
    for rung in RUNGS:
        out = HERE / f"letter_{rung}.docx"
        out.write_bytes(build(rung))
        print(out)


if __name__ == "__main__":
    main()
