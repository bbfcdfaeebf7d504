"""Build templates/meeting.docx (讲评会材料) and templates/bulletin.docx (月通报) with python-docx.

Run ``python templates/build_report_templates.py`` after changing this script and commit the two
files; a test checks that the committed templates are what this script builds. A bureau may restyle
them in Word (fonts, widths, colours, wording around the tags): keep the ``{{ … }}`` / ``{%p … %}`` /
``{%tr … %}`` tags intact. The variables are the keys of ``pipeline.write.meeting.meeting_context``
and ``bulletin_context``: every table is ``{title, head, rows, total, note}``, every heading is
numbered in the context (``hd``), so a block left out of ``report.yaml`` leaves no gap.

Tables: fixed column widths that hold every number on one line (numbers centred, 9 pt in the wide
tables, 10.5 pt otherwise), the header row repeated on every page, no row split across pages.
"""
from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(HERE.parent))

from pipeline.write.docx import docx_bytes  # noqa: E402
from templates.docbuild import (  # noqa: E402
    KAITI,
    RED,
    XIAOBIAOSONG,
    C,
    L,
    body,
    bottom_border,
    cell,
    head_row,
    heading,
    new_document,
    para,
    signature,
    table,
    tag,
)

# key -> (column widths in mm, adding up to 156; numeric columns; font size)
MEETING_TABLES: dict[str, tuple[Sequence[float], Sequence[int], float]] = {
    "manual": ((40, 34, 82), (), 10.5),
    "squads": ((40, 18, 18, 18, 18, 20, 24), (1, 2, 3, 4, 5, 6), 10.5),
    "scores": ((34, 12, 13, 11, 11, 11, 12, 12, 11, 15, 14), (1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 9),
    "change": ((44, 28, 28, 30, 26), (1, 2, 3, 4), 10.5),
    "families": ((34, 16, 106), (1,), 10.5),
    "overdue": ((30, 36, 30, 60), (), 10.5),
    "vetoed": ((38, 30, 14, 16, 58), (2,), 10.5),
    "discussion": ((38, 30, 22, 66), (), 10.5),
    "legal_review": ((26, 20, 18, 26, 66), (0, 1, 2, 3), 10.5),
    "letters": ((16, 16, 16, 16, 16, 18, 18, 22, 18), (0, 1, 2, 3, 4, 5, 6, 7, 8), 10.5),
    "letter_list": ((40, 32, 34, 22, 28), (), 10.5),
    "signals": ((96, 30, 30), (1, 2), 10.5),
    "sampling": ((50, 14, 14, 14, 14, 50), (1, 2, 3, 4), 10.5),
}
STAGE_TABLE = ((20, 76, 20, 20, 20), (2, 3, 4), 10.5)
TOTALS = {"squads", "scores", "change"}
BULLETIN_TABLES: dict[str, tuple[Sequence[float], Sequence[int], float]] = {
    "squads": ((34, 15, 15, 13, 13, 13, 15, 18, 20), (1, 2, 3, 4, 5, 6, 7, 8), 10.5),
    "change": ((44, 28, 28, 30, 26), (1, 2, 3, 4), 10.5),
    "top": ((14, 70, 28, 22, 22), (0, 3, 4), 10.5),
    "overdue": ((50, 46, 60), (), 10.5),
}


def data_table(doc, ref: str, spec: tuple[Sequence[float], Sequence[int], float], *, total: bool = False) -> None:
    """A table of ``ref`` (``{head, rows, total}``): the header, a row loop and, when ``total``, the
    total row in bold."""
    widths, numeric, size_pt = spec
    size = Pt(size_pt)
    t = table(doc, [Mm(w) for w in widths], 4 + (1 if total else 0))
    head_row(t, [f"{{{{ {ref}.head[{i}] }}}}" for i in range(len(widths))], size=size)
    cell(t.cell(1, 0), f"{{%tr for r in {ref}.rows %}}", size=size)
    for i in range(len(widths)):
        cell(t.cell(2, i), f"{{{{ r[{i}] }}}}", align=C if i in numeric else L, size=size)
    cell(t.cell(3, 0), "{%tr endfor %}", size=size)
    if total:
        for i in range(len(widths)):
            cell(t.cell(4, i), f"{{{{ {ref}.total[{i}] }}}}", align=C if i in numeric else L, size=size, bold=True)


def note(doc, ref: str) -> None:
    tag(doc, f"{{%p if {ref} %}}")
    para(doc, f"{{{{ {ref} }}}}", size=Pt(12), line=Pt(20))
    tag(doc, "{%p endif %}")


def block(doc, key: str, *, level: int = 1) -> None:
    """A heading, the table of ``t.<key>`` (when it has rows) and its note."""
    heading(doc, f"{{{{ hd.{key} }}}}", level=level)
    tag(doc, f"{{%p if t.{key}.rows %}}")
    data_table(doc, f"t.{key}", MEETING_TABLES[key], total=key in TOTALS)
    tag(doc, "{%p endif %}")
    note(doc, f"t.{key}.note")


def picture(doc, key: str) -> None:
    tag(doc, f"{{%p if charts.{key} %}}")
    para(doc, f"{{{{ charts.{key} }}}}", align=C, line=None)
    tag(doc, "{%p endif %}")


def build_meeting() -> bytes:
    doc = new_document()
    para(doc, "{{ title }}", align=C, east=XIAOBIAOSONG, size=Pt(22), line=Pt(36))
    tag(doc, "{%p if subtitle %}")
    para(doc, "{{ subtitle }}", align=C, east=KAITI)
    tag(doc, "{%p endif %}")
    para(doc, "{{ issuer }}　{{ date }}", align=C, size=Pt(14), line=Pt(24))
    para(doc)
    tag(doc, "{%p if show.overview %}")
    heading(doc, "{{ hd.overview }}")
    tag(doc, "{%p for line in overview %}")
    body(doc, "{{ line }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if show.manual %}")
    block(doc, "manual")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if show.squads_section %}")
    heading(doc, "{{ hd.squads_section }}")
    for key in ("squads", "scores"):
        tag(doc, f"{{%p if show.{key} %}}")
        block(doc, key, level=2)
        tag(doc, "{%p endif %}")
    note(doc, "chart_note")
    picture(doc, "grades")
    picture(doc, "scores")
    tag(doc, "{%p if show.change %}")
    block(doc, "change", level=2)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if show.defects_section %}")
    heading(doc, "{{ hd.defects_section }}")
    picture(doc, "defects")
    tag(doc, "{%p if show.stages %}")
    heading(doc, "{{ hd.stages }}", level=2)
    tag(doc, "{%p if stage_empty %}")
    body(doc, "{{ stage_empty }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for st in stages %}")
    para(doc, "{{ st.title }}", east=KAITI, size=Pt(14), line=Pt(24), keep=True)
    data_table(doc, "st", STAGE_TABLE)
    note(doc, "st.note")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if show.families %}")
    block(doc, "families", level=2)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")

    for key in ("overdue", "vetoed", "discussion", "legal_review", "letters", "signals", "sampling"):
        tag(doc, f"{{%p if show.{key} %}}")
        block(doc, key)
        if key == "letters":
            tag(doc, "{%p if t.letter_list.rows %}")
            data_table(doc, "t.letter_list", MEETING_TABLES["letter_list"])
            tag(doc, "{%p endif %}")
        tag(doc, "{%p endif %}")
    return docx_bytes(doc, title="讲评会材料模板")


def build_bulletin() -> bytes:
    doc = new_document()
    para(doc, "{{ bureau }}", align=C, east=XIAOBIAOSONG, size=Pt(22), color=RED, line=Pt(36))
    bottom_border(para(doc, "{{ number }}", align=C))
    para(doc)
    para(doc, "{{ title }}", align=C, east=XIAOBIAOSONG, size=Pt(22), line=Pt(36))
    para(doc)
    para(doc, "{{ addressee }}：", align=L)
    body(doc, "现将{{ month_label }}执法办案质量评查情况通报如下。")
    heading(doc, "一、总体情况")
    tag(doc, "{%p for line in overview %}")
    body(doc, "{{ line }}")
    tag(doc, "{%p endfor %}")
    heading(doc, "二、各中队情况")
    data_table(doc, "t.squads", BULLETIN_TABLES["squads"], total=True)
    tag(doc, "{%p if t.change.rows %}")
    para(doc, "{{ t.change.title }}", east=KAITI, size=Pt(14), line=Pt(24), keep=True)
    data_table(doc, "t.change", BULLETIN_TABLES["change"], total=True)
    tag(doc, "{%p endif %}")
    heading(doc, "三、主要问题")
    tag(doc, "{%p if t.top.rows %}")
    data_table(doc, "t.top", BULLETIN_TABLES["top"])
    tag(doc, "{%p else %}")
    body(doc, "本月抽查案卷未发现问题。")
    tag(doc, "{%p endif %}")
    heading(doc, "四、超期及应结未结案件")
    tag(doc, "{%p if t.overdue.rows %}")
    data_table(doc, "t.overdue", BULLETIN_TABLES["overdue"])
    tag(doc, "{%p else %}")
    body(doc, "本月抽查案卷未发现超期或应结未结案件。")
    tag(doc, "{%p endif %}")
    heading(doc, "五、监督文书")
    body(doc, "{{ letters_line }}")
    tag(doc, "{%p if signals_line %}")
    body(doc, "{{ signals_line }}")
    tag(doc, "{%p endif %}")
    body(doc, "请各中队对照问题清单举一反三、抓好整改。", keep=True)
    signature(doc, "{{ issuer }}", "{{ date }}")
    return docx_bytes(doc, title="月通报模板")


BUILDERS = {"meeting.docx": build_meeting, "bulletin.docx": build_bulletin}


def main() -> None:
    for name, builder in BUILDERS.items():
        out = HERE / name
        out.write_bytes(builder())
        print(out)


if __name__ == "__main__":
    main()
