"""Build templates/letter_{tip,supervise,suggest,decide}.docx (两单两书 docxtpl templates) with python-docx.

Run ``python templates/build_letter_templates.py`` after changing this script and commit the four
files; a test checks that the committed templates are what this script builds. A bureau may edit
the templates in Word: keep the ``{{ … }}`` / ``{%p … %}`` / ``{%tr … %}`` tags intact (type a whole
tag at once; Word may otherwise split it into several runs). The variables are the keys of
``pipeline.write.letterdocs.letter_view``.

The four letters share one layout (``templates/docbuild.py``, GB/T 9704 page and fonts): 版头 (bureau
and letter name in 方正小标宋简体 二号, the number), the addressee, one opening paragraph, the table of
problems (序号, 案号, 存在问题 with the check's name and the evidence, 依据; the header repeats and no
row splits across pages), the numbered sections with their headings run in (一、整改要求。…), the
落款 (issuer, seal placeholder, date) kept on one page with the last section, then the 抄送 line.
Letters are 专用文书 set in 仿宋 四号 (14 pt) at 22 pt lines, so that a letter of one or two problems
holds on one page.
"""
from __future__ import annotations

import sys
from pathlib import Path

from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(HERE.parent))

from pipeline.write.docx import docx_bytes  # noqa: E402  (the one deterministic .docx writer)
from templates.docbuild import (  # noqa: E402
    FANGSONG,
    HEITI,
    XIAOBIAOSONG,
    C,
    L,
    R,
    cell,
    fmt,
    head_row,
    new_document,
    para,
    run,
    table,
    tag,
)

RUNGS = ("tip", "supervise", "suggest", "decide")
TITLES = {"tip": "执法监督提示单", "supervise": "执法监督督办单", "suggest": "执法监督建议书",
          "decide": "执法监督决定书"}
SIZE = Pt(14)
LINE = Pt(22)
TABLE_SIZE = Pt(10.5)
WIDTHS = (Mm(9), Mm(35), Mm(76), Mm(36))  # 序号 | 案号（案卷编号） | 存在问题 | 依据 = 156 mm


def text(doc, value: str = "", **kw):
    return para(doc, value, size=SIZE, line=LINE, **kw)


def section(doc, keep: bool = False, var: str = "s") -> None:
    """``一、整改要求。`` in 黑体, run into its text in 仿宋."""
    p = fmt(doc.add_paragraph(), indent=2, size=SIZE, line=LINE, keep=keep)
    run(p, f"{{{{ {var}.heading }}}}", east=HEITI, size=SIZE)
    run(p, f"{{{{ {var}.text }}}}", east=FANGSONG, size=SIZE)


def items_table(doc) -> None:
    t = table(doc, WIDTHS, 4)
    head_row(t, ("序号", "案号（案卷编号）", "存在问题", "依据"), size=TABLE_SIZE)
    cell(t.cell(1, 0), "{%tr for it in items %}", size=TABLE_SIZE)
    cell(t.cell(2, 0), "{{ it.no }}", align=C, size=TABLE_SIZE)
    cell(t.cell(2, 1), "{{ it.case }}", size=TABLE_SIZE)
    problem = t.cell(2, 2)
    cell(problem, "", size=TABLE_SIZE)
    p = problem.paragraphs[0]
    run(p, "【{{ it.check }}】", east=HEITI, size=TABLE_SIZE)
    run(p, "{{ it.problem }}。", size=TABLE_SIZE)
    evidence = problem.add_paragraph()
    fmt(evidence, align=L, size=Pt(9), line=Pt(13.5))
    run(evidence, "证据：{{ it.evidence }}", size=Pt(9))
    cell(t.cell(2, 3), "{{ it.basis }}", size=TABLE_SIZE)
    cell(t.cell(3, 0), "{%tr endfor %}", size=TABLE_SIZE)


def build_letter(doc) -> None:
    para(doc, "{{ bureau }}", align=C, east=XIAOBIAOSONG, size=Pt(22), line=Pt(34))
    para(doc, "{{ title }}", align=C, east=XIAOBIAOSONG, size=Pt(22), line=Pt(34))
    text(doc, "{{ number }}", align=C)
    text(doc, "{{ addressee }}：")
    text(doc, "{{ lead }}", indent=2)
    items_table(doc)
    tag(doc, "{%p for s in sections %}")
    section(doc)
    tag(doc, "{%p endfor %}")
    section(doc, keep=True, var="closing")
    # 落款: kept with the last section and with each other
    text(doc, "{{ issuing_body }}", align=R, right=2, keep=True)
    text(doc, "{{ seal }}", align=R, right=6, keep=True)
    text(doc, "{{ date }}", align=R, right=4, keep=True)  # with the 抄送 line
    tag(doc, "{%p if cc %}")
    text(doc, "{{ cc_label }}：{{ cc }}。")
    tag(doc, "{%p endif %}")


def build(rung: str) -> bytes:
    doc = new_document()
    build_letter(doc)
    return docx_bytes(doc, title=f"{TITLES[rung]}模板")


def main() -> None:
    for rung in RUNGS:
        out = HERE / f"letter_{rung}.docx"
        out.write_bytes(build(rung))
        print(out)


if __name__ == "__main__":
    main()
