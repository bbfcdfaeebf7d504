"""Build templates/opinion.docx (the 评查意见书 docxtpl template) with python-docx.

Run ``python templates/build_templates.py`` after changing this script and commit both files; a test
checks that the committed template is what this script builds. The template is meant to be edited
in Word by a bureau as well: keep the ``{{ … }}`` / ``{%p … %}`` / ``{%tr … %}`` tags intact (one tag
per run; type a whole tag at once, Word may otherwise split it). The variables are the keys of
``pipeline.write.opinion.opinion_view``. Layout: ``templates/docbuild.py`` (GB/T 9704-2012).
"""
from __future__ import annotations

import sys
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
    heading,
    new_document,
    para,
    signature,
    table,
    tag,
)


def build() -> bytes:
    doc = new_document()

    # 版头: issuing bureau in red, document number, red rule
    para(doc, "{{ bureau }}", align=C, east=XIAOBIAOSONG, size=Pt(22), color=RED, line=Pt(36))
    bottom_border(para(doc, "{{ doc_number }}", align=C))
    para(doc)
    para(doc, "{{ title }}", align=C, east=XIAOBIAOSONG, size=Pt(22), line=Pt(36))
    para(doc)
    para(doc, "{{ addressee }}：")
    body(doc, "根据执法监督工作安排，我局对你单位承办的{{ case_label }}进行了案卷评查。现将评查意见告知如下：")

    # 未能核实，需人工核对 (only when there is something to check by hand): first
    tag(doc, "{%p if manual %}")
    heading(doc, "{{ h.manual }}、未能核实，需人工核对")
    tag(doc, "{%p for m in manual %}")
    body(doc, "{{ m }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    # 案卷基本情况
    heading(doc, "{{ h.facts }}、案卷基本情况")
    facts = (("案卷编号", "{{ case_id }}", "案    号", "{{ case_number }}"),
             ("承办中队", "{{ squad }}", "当 事 人", "{{ party }}"),
             ("案    由", "{{ cause }}", "程    序", "{{ procedure }}"),
             ("立案日期", "{{ filing_date }}", "决定日期", "{{ decision_date }}"),
             ("处理结果", "{{ outcome }}", "罚    款", "{{ fine }}"))
    t = table(doc, (Mm(25), Mm(53), Mm(25), Mm(53)), len(facts), margins_mm=1.9)
    for r, row in enumerate(facts):
        for c, text in enumerate(row):
            cell(t.cell(r, c), text, bold=c % 2 == 0, align=C if c % 2 == 0 else L, size=Pt(14), line=Pt(22))

    # 评查发现的问题
    heading(doc, "{{ h.problems }}、评查发现的问题")
    tag(doc, "{%p if has_problems %}")
    tag(doc, "{%p for group in groups %}")
    heading(doc, "{{ group.heading }}", level=2)
    tag(doc, "{%p for f in group.findings %}")
    body(doc, "{{ f.no }}．{{ f.message }}")
    body(doc, "检查项：{{ f.check }}；依据：{{ f.citation }}；评分：{{ f.effect }}。")
    tag(doc, "{%p if f.evidence %}")
    body(doc, "证据：{{ f.evidence }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    body(doc, "经评查，本案卷未发现需要指出的问题。")
    tag(doc, "{%p endif %}")

    # 评分结果
    heading(doc, "{{ h.score }}、评分结果")
    body(doc, "{{ score_sentence }}")
    tag(doc, "{%p if show_stage_table %}")
    st = table(doc, (Mm(40), Mm(36), Mm(36), Mm(44)), 5, margins_mm=1.9)
    for c, text in enumerate(("评查阶段", "满分", "扣分", "得分")):
        cell(st.cell(0, c), text, bold=True, align=C, size=Pt(14), line=Pt(22))
    cell(st.cell(1, 0), "{%tr for s in stages %}", size=Pt(14), line=Pt(22))
    for c, text in enumerate(("{{ s.name }}", "{{ s.max }}", "{{ s.deducted }}", "{{ s.points }}")):
        cell(st.cell(2, c), text, align=C, size=Pt(14), line=Pt(22))
    cell(st.cell(3, 0), "{%tr endfor %}", size=Pt(14), line=Pt(22))
    for c, text in enumerate(("合计", "{{ max_total }}", "{{ total_deducted }}", "{{ total }}")):
        cell(st.cell(4, c), text, bold=c == 0, align=C, size=Pt(14), line=Pt(22))
    tag(doc, "{%p endif %}")

    # 整改要求, kept on one page with the 落款
    heading(doc, "{{ h.reform }}、整改要求")
    tag(doc, "{%p if has_problems %}")
    body(doc, "请你单位对照上述问题逐项核查整改：能够补正的，依法予以补正；无法补正的，书面说明原因。"
              "{% if vetoed %}本案卷存在否决事项，请组织复查，依法予以纠正。{% endif %}"
              "同时举一反三，防止同类问题再次发生。", keep=True)
    body(doc, "请于{{ reply_deadline }}将整改情况书面报送{{ reply_to }}。", keep=True)
    tag(doc, "{%p else %}")
    body(doc, "本案卷无需整改，请继续保持。", keep=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if note %}")
    body(doc, "{{ note }}", east=KAITI, size=Pt(14), line=Pt(24), keep=True)
    tag(doc, "{%p endif %}")
    signature(doc, "{{ bureau }}", "{{ issue_date }}")
    return docx_bytes(doc, title="案卷评查意见书模板")


def main() -> None:
    out = HERE / "opinion.docx"
    out.write_bytes(build())
    print(out)


if __name__ == "__main__":
    main()
