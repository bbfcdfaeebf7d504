"""The 督察任务单 (.xlsx / .docx) and the CLI quota table written from a sampling plan."""
from __future__ import annotations

import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook

from pipeline.supervise.sampling import Plan, PlanItem, QuotaRow, draw_plan
from pipeline.write.planwriter import quota_table_text, write_plan

REG_HASH = "ab" * 32


@pytest.fixture(scope="module")
def plan():
    return Plan(
        month="2024-07", seed=2024, last_month="2024-06", squads=("朱家角中队", "练塘中队"),
        items=(
            PlanItem("青城管罚字〔2024〕2406001号", "朱家角中队", ("案卷", "视音频记录"), "general",
                     ("本半年尚未抽查",)),
            PlanItem("青城管罚字〔2024〕2406002号", "练塘中队", ("重大法核", "案卷"), "一般",
                     ("重大执法决定法制审核案件（每案必查）", "重大法核案件一并评查")),
            PlanItem("青城管罚字〔2024〕2406003号", "练塘中队", ("投诉信访",), "simple",
                     ("重复投诉信访6次（优先抽查）",)),
        ),
        quotas=(
            QuotaRow("案卷抽查（上月办结案件≥10%）", 18, 2, 2),
            QuotaRow("抽查中队（≥20%）", 10, 2, 2),
            QuotaRow("视音频记录（上月案件≥10%）", 20, 2, 1),
        ),
        warnings=("视音频记录（上月案件≥10%）未达标：需 2，实抽 1。上月标注有视音频记录的案件只有 1 件。",),
    )


def test_planwriter_quota_table_text(plan):
    text = quota_table_text(plan)
    lines = text.splitlines()
    assert lines[0] == "2024年7月督察任务单（依据2024年6月台账，随机种子 2024）"
    assert "朱家角中队、练塘中队" in lines[1]
    assert lines[2].split() == ["基数", "应抽", "实抽", "达标", "抽查指标"]
    rows = {line.split()[-1]: line.split()[:4] for line in lines[3:6]}
    assert rows["视音频记录（上月案件≥10%）"] == ["20", "2", "1", "✗"]
    assert rows["案卷抽查（上月办结案件≥10%）"] == ["18", "2", "2", "✓"]
    # the names start in the same column (the prefix is ASCII digits, spaces and one ✓/✗)
    starts = {line.index(line.split()[-1]) for line in lines[3:6]}
    assert len(starts) == 1
    assert "未达标指标 1 项。" in text and "上月标注有视音频记录的案件只有 1 件" in text
    assert "共 3 件（案卷 2，重大法核 1，视音频记录 1，投诉信访 1" in text


def test_planwriter_xlsx(plan, tmp_path):
    paths = write_plan(plan, tmp_path, settings={"register_sha256": REG_HASH, "register_name": "台账.xlsx"})
    assert [p.name for p in paths] == ["督察任务单.xlsx", "督察任务单.docx"]
    wb = load_workbook(tmp_path / "督察任务单.xlsx")
    assert wb.sheetnames == ["抽查指标", "抽查清单"]
    ws = wb["抽查指标"]
    head = [c.value for c in ws[1]][0]
    assert head == "2024年7月督察任务单"
    texts = [ws.cell(row=r, column=1).value or "" for r in range(1, 8)]
    assert any("青浦区城管执法局 执法监督" in t for t in texts)
    assert any("随机种子：2024" in t for t in texts)
    assert any(REG_HASH in t for t in texts)
    header_row = next(r for r in range(1, 12) if ws.cell(row=r, column=2).value == "抽查指标")
    assert ws.freeze_panes == f"A{header_row + 1}"
    assert ws.auto_filter.ref.startswith(f"A{header_row}:")
    assert int(ws.page_setup.paperSize) == 9  # A4
    data = [[c.value for c in row] for row in ws.iter_rows(min_row=header_row + 1, max_row=header_row + 3)]
    assert data[2][1:6] == ["视音频记录（上月案件≥10%）", 20, 2, 1, "✗"]
    items = wb["抽查清单"]
    hr = next(r for r in range(1, 12) if items.cell(row=r, column=2).value == "案号")
    assert items.freeze_panes == f"A{hr + 1}" and items.auto_filter.ref == f"A{hr}:H{hr + 3}"
    row = [c.value for c in items[hr + 2]]
    assert row[1:5] == ["青城管罚字〔2024〕2406002号", "练塘中队", "案卷、重大法核", "一般程序"]
    assert [c.value for c in items[hr + 3]][4] == "简易程序"


def test_planwriter_docx_and_determinism(plan, tmp_path):
    write_plan(plan, tmp_path / "a")
    write_plan(plan, tmp_path / "b")
    for name in ("督察任务单.xlsx", "督察任务单.docx"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
        for info in zipfile.ZipFile(tmp_path / "a" / name).infolist():
            assert info.date_time == (2024, 1, 1, 0, 0, 0)
    doc = Document(str(tmp_path / "a" / "督察任务单.docx"))
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    for s in ("督察任务单", "随机种子：2024", "青城管罚字〔2024〕2406003号", "重复投诉信访6次（优先抽查）", "✗",
              "上月标注有视音频记录的案件只有 1 件"):
        assert s in text
    assert "SHA-256" not in text  # no register hash given


def test_planwriter_real_draw_roundtrip(tmp_path):
    rows = [{"case_number": f"N{i:02d}", "squad": "AB"[i % 2], "procedure": "一般", "closing_date": "2024-05-10",
             "status": "已结案", "major_review": False, "av_record": True, "source": "巡查", "complaint_count": 0}
            for i in range(12)]
    plan = draw_plan(rows, "2024-06", seed=3)
    write_plan(plan, tmp_path)
    wb = load_workbook(tmp_path / "督察任务单.xlsx")
    items = wb["抽查清单"]
    listed = [items.cell(row=r, column=2).value for r in range(1, items.max_row + 1)]
    assert all(it.case_number in listed for it in plan.items)
    assert len(plan.quotas) == len(quota_table_text(plan).splitlines()[3:3 + len(plan.quotas)])
