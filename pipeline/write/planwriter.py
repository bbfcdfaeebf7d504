"""The month's sampling plan as the 督察任务单: an .xlsx for the reviewers (quota sheet and item list,
frozen headers, autofilter, A4) and a .docx for the file, plus the quota table the CLI prints.

Header: issuing office (青浦区城管执法局 执法监督), month, seed and — when the settings give it — the
register file's name and SHA-256, so that anyone can re-run the draw (monthly.md §2 step 5).
Output is byte-identical for the same plan and settings (fixed properties, re-packed zips).
"""
from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core.months import month_cn
from pipeline.supervise.monthview import load_settings
from pipeline.supervise.sampling import KIND_AV, KIND_CASE, KIND_COMPLAINT, KIND_MAJOR, Plan
from pipeline.write.docx import fixed_zip, write_bytes
from pipeline.write.govdoc import GovDoc

PROCEDURES = {"general": "一般程序", "simple": "简易程序", "一般": "一般程序", "简易": "简易程序",
              "普通": "一般程序", "普通程序": "一般程序"}
KIND_ORDER = (KIND_CASE, KIND_MAJOR, KIND_AV, KIND_COMPLAINT)
FIXED_DT = dt.datetime(2024, 1, 1, 0, 0, 0)

QUOTA_COLUMNS = (("序号", 6), ("抽查指标", 38), ("基数", 9), ("应抽", 9), ("实抽", 9), ("达标", 8), ("说明", 36))
ITEM_COLUMNS = (("序号", 6), ("案号", 28), ("中队", 18), ("抽查类别", 22), ("程序", 10), ("抽查理由", 44),
                ("评查人", 10), ("完成情况", 14))

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
_MISS_FILL = PatternFill("solid", fgColor="F8CBAD")
_FONT = "宋体"


def _procedure(p: Any) -> str:
    return PROCEDURES.get(str(p), str(p)) if p else "—"


def _kinds(kinds: Sequence[str]) -> str:
    order = {k: i for i, k in enumerate(KIND_ORDER)}
    return "、".join(sorted(kinds, key=lambda k: (order.get(k, 99), k)))


def _header_lines(plan: Plan, cfg: Mapping[str, Any]) -> list[str]:
    lines = [f"{cfg.get('bureau_short') or cfg.get('bureau')} {cfg.get('office', '')}".strip(),
             f"督察月份：{month_cn(plan.month)}　抽样依据：{month_cn(plan.last_month)}台账　随机种子：{plan.seed}"]
    reg = cfg.get("register_sha256") or cfg.get("register_hash")
    if reg:
        name = cfg.get("register_name") or cfg.get("register_path")
        lines.append(f"台账文件：{name}　SHA-256：{reg}" if name else f"台账文件 SHA-256：{reg}")
    lines.append(f"本月抽查中队（{len(plan.squads)} 个）：" + ("、".join(plan.squads) or "无"))
    return lines


def _counts(plan: Plan) -> str:
    parts = [f"{k} {sum(1 for i in plan.items if k in i.kinds)}" for k in KIND_ORDER]
    return f"共 {len(plan.items)} 件（" + "，".join(parts) + "；同一案件可属多个类别）"


# --- CLI text ---------------------------------------------------------------------------------------

def _w(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _w(text))
    return gap + text if right else text + gap


def quota_table_text(plan: Plan) -> str:
    """The quota table for the CLI (Chinese; required / drawn / met ✓/✗), then the warnings."""
    # numbers first, the name last: the columns line up whatever width a terminal gives ≥ ✓ ✗
    head = ("基数", "应抽", "实抽", "达标", "抽查指标")
    rows = [(str(q.base), str(q.required), str(q.drawn), "✓" if q.met else "✗", q.name) for q in plan.quotas]
    widths = [max(_w(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = [f"{month_cn(plan.month)}督察任务单（依据{month_cn(plan.last_month)}台账，随机种子 {plan.seed}）",
             f"本月抽查中队（{len(plan.squads)} 个）：" + ("、".join(plan.squads) or "无")]
    for r in [head, *rows]:
        cells = [_pad(v, widths[i], right=True) for i, v in enumerate(r[:3])]
        cells.append(_pad(r[3], 4, right=False) if r is not head else r[3])
        lines.append("  ".join(cells) + "  " + r[4])
    lines.append(_counts(plan) + "。")
    missed = [q for q in plan.quotas if not q.met]
    lines.append("全部指标已达标。" if not missed else f"未达标指标 {len(missed)} 项。")
    if plan.warnings:
        lines.append("提示：")
        lines.extend(f"  · {w}" for w in plan.warnings)
    return "\n".join(lines)


# --- xlsx -----------------------------------------------------------------------------------------

def _setup(ws: Worksheet, header_row: int, columns: Sequence[tuple[str, int]], landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.print_options.horizontalCentered = True
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    for c, (_name, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width


def _title_block(ws: Worksheet, title: str, lines: Sequence[str], ncols: int) -> int:
    ws.cell(row=1, column=1, value=title).font = Font(name=_FONT, bold=True, size=16)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 28
    for i, line in enumerate(lines, start=2):
        cell = ws.cell(row=i, column=1, value=line)
        cell.font = Font(name=_FONT, size=10)
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=ncols)
    return len(lines) + 3  # one blank row, then the header


def _table(ws: Worksheet, row: int, columns: Sequence[tuple[str, int]], rows: Sequence[Sequence[Any]],
           fills: Sequence[PatternFill | None] = ()) -> int:
    for c, (name, _width) in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=c, value=name)
        cell.font = Font(name=_FONT, bold=True, size=10)
        cell.fill = _HEAD_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, values in enumerate(rows, start=1):
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row=row + i, column=c, value=v)
            cell.font = Font(name=_FONT, size=10)
            cell.border = _BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="top",
                                       horizontal="center" if isinstance(v, int) or v in ("✓", "✗") else "left")
            fill = fills[i - 1] if i - 1 < len(fills) else None
            if fill is not None:
                cell.fill = fill
    last = row + len(rows)
    ws.auto_filter.ref = f"A{row}:{get_column_letter(len(columns))}{max(last, row)}"
    return last


def plan_xlsx(plan: Plan, cfg: Mapping[str, Any]) -> bytes:
    wb = Workbook()
    title = f"{month_cn(plan.month)}{cfg.get('plan_title', '督察任务单')}"
    lines = _header_lines(plan, cfg)

    ws = wb.active
    ws.title = "抽查指标"
    header = _title_block(ws, title, lines, len(QUOTA_COLUMNS))
    _setup(ws, header, QUOTA_COLUMNS, landscape=False)
    rows = [[i, q.name, q.base, q.required, q.drawn, "✓" if q.met else "✗", q.note]
            for i, q in enumerate(plan.quotas, start=1)]
    last = _table(ws, header, QUOTA_COLUMNS, rows, [None if q.met else _MISS_FILL for q in plan.quotas])
    r = last + 2
    ws.cell(row=r, column=1, value=_counts(plan) + "。").font = Font(name=_FONT, size=10)
    if plan.warnings:
        r += 1
        ws.cell(row=r, column=1, value="提示：").font = Font(name=_FONT, bold=True, size=10)
        for w in plan.warnings:
            r += 1
            cell = ws.cell(row=r, column=2, value=w)
            cell.font = Font(name=_FONT, size=10)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=len(QUOTA_COLUMNS))
            ws.row_dimensions[r].height = 15 * max(1, -(-_w(w) // 150))

    ws2 = wb.create_sheet("抽查清单")
    header = _title_block(ws2, title + "·抽查清单", lines, len(ITEM_COLUMNS))
    _setup(ws2, header, ITEM_COLUMNS, landscape=True)
    items = [[i, it.case_number, it.squad, _kinds(it.kinds), _procedure(it.procedure), "；".join(it.reasons), "", ""]
             for i, it in enumerate(plan.items, start=1)]
    _table(ws2, header, ITEM_COLUMNS, items)

    props = wb.properties
    props.creator = props.lastModifiedBy = "anjuan"
    props.title = title
    props.created = props.modified = FIXED_DT
    buf = io.BytesIO()
    wb.save(buf)
    return fixed_zip(buf.getvalue())


# --- docx -------------------------------------------------------------------------------------------

def plan_docx(plan: Plan, cfg: Mapping[str, Any]) -> bytes:
    title = f"{month_cn(plan.month)}{cfg.get('plan_title', '督察任务单')}"
    d = GovDoc(title)
    d.title(title)
    for line in _header_lines(plan, cfg):
        d.para(line, size=12, indent=False)
    d.h1("抽查指标")
    d.table(["抽查指标", "基数", "应抽", "实抽", "达标", "说明"],
            [[q.name, str(q.base), str(q.required), str(q.drawn), "✓" if q.met else "✗", q.note or ""]
             for q in plan.quotas], widths=[56, 13, 13, 13, 13, 48])
    d.note(_counts(plan) + "。")
    d.h1("抽查清单")
    if plan.items:
        d.table(["序号", "案号", "中队", "抽查类别", "程序", "抽查理由"],
                [[str(i), it.case_number, it.squad, _kinds(it.kinds), _procedure(it.procedure), "；".join(it.reasons)]
                 for i, it in enumerate(plan.items, start=1)], widths=[9, 34, 26, 25, 18, 44], size=9)
    else:
        d.para("本月没有可抽查的案件。")
    if plan.warnings:
        d.h1("提示")
        for w in plan.warnings:
            d.para(w, size=14)
    d.para("请各中队按清单准备案卷和视音频记录，配合评查。", size=14)
    return d.bytes()


def write_plan(plan: Plan, out_dir: Path, *, settings: Mapping[str, Any] | None = None) -> list[Path]:
    """Write 督察任务单.xlsx and 督察任务单.docx into ``out_dir``; returns both paths.

    Settings (optional, on top of ``pipeline/data/report.yaml``): bureau_short, office, plan_title,
    register_sha256 (or register_hash) and register_name.
    """
    cfg = load_settings(settings)
    out_dir = Path(out_dir)
    xlsx = out_dir / "督察任务单.xlsx"
    docx = out_dir / "督察任务单.docx"
    write_bytes(xlsx, plan_xlsx(plan, cfg))
    write_bytes(docx, plan_docx(plan, cfg))
    return [xlsx, docx]
