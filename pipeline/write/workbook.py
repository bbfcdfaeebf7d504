"""评查评分表.xlsx: one summary row per case and one sheet per case with every deduction and its basis.

The workbook stays in the supervision office, so party names are kept; 身份证号 and mobile numbers
are masked wherever free text (messages, evidence quotes) is written. Output is byte-identical for the
same input: fixed document properties and a re-packed zip with fixed timestamps.
"""
from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core.masking import mask_personal
from pipeline.core.models import DEDUCTED, DISMISSED, PENDING, UNSCORED_GRADE, VETO, CaseResult, Finding
from pipeline.supervise.labels import (
    OUTCOME_LABELS,
    PROCEDURE_LABELS,
    SEVERITY_LABELS,
    check_title,
    document_label,
    document_titles,
    file_stem,
)
from pipeline.supervise.scoring import ScoreSheet, inapplicable
from pipeline.write.docx import fixed_zip, write_bytes

ITEM_STATUS_LABELS = {"CONFIRMED": "已确认", "UNCONFIRMED": "暂定（待确认）",
                      "PROPOSED": "暂定（建议值）"}

# --- styles -------------------------------------------------------------------------------------
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
_VETO_FILL = PatternFill("solid", fgColor="F8CBAD")
_GREY_FILL = PatternFill("solid", fgColor="EDEDED")
_FONT = "宋体"
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

SUMMARY_COLUMNS = (("序号", 6), ("中队", 18), ("案卷编号", 14), ("案号", 26), ("当事人", 18),
                   ("程序", 9), ("结果", 8), ("得分", 7), ("等级", 10), ("否决", 6),
                   ("否决项", 7), ("重大", 6), ("轻微", 6), ("提示", 6), ("需人工核对", 16))
DETAIL_COLUMNS = (("序号", 5), ("阶段", 9), ("评分项", 7), ("检查项", 8), ("问题", 32),
                  ("扣分", 7), ("评分依据", 32), ("证据（文书、页、摘录）", 34), ("状态", 13),
                  ("复核说明", 16))


def _manual_check(r: CaseResult) -> str | None:
    """「需人工核对」: why the file is not scored (不评分), the points the checks could not verify
    (未能核实), the fields read from scans below the confidence bar (OCR-01) and read errors that
    leave the file incomplete; None when there is nothing to check by hand."""
    notes = []
    if r.score is not None and r.score.unscored:
        notes.append("不评分：" + "；".join(r.score.unscored))
    for u in r.unverified:
        notes.append(f"未能核实（{check_title(u.check_id)}）：{u.point}，{u.reason.rstrip('。')}")
    for fd in r.findings:
        if fd.check_id == "OCR-01":
            notes.append(fd.message.split("：", 1)[-1].rstrip("。"))
    codes = sorted({e.code for e in r.errors if e.code in ("E106", "E117", "E150", "E153", "E154")})
    if codes:
        notes.append("扫描件读取：" + "、".join(codes))
    return "；".join(notes) or None


def _setup_print(ws: Worksheet, header_rows: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True


def _header(ws: Worksheet, row: int, columns: Sequence[tuple[str, int]], *, widths: bool) -> None:
    for c, (name, width) in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=c, value=name)
        cell.font = Font(name=_FONT, bold=True, size=10)
        cell.fill = _HEAD_FILL
        cell.alignment = _CENTER
        cell.border = _BORDER
        if widths:
            ws.column_dimensions[get_column_letter(c)].width = width


def _row(ws: Worksheet, row: int, values: Sequence[Any], *, fill: PatternFill | None = None,
         center: Sequence[int] = ()) -> None:
    for c, v in enumerate(values, start=1):
        cell = ws.cell(row=row, column=c, value=v)
        cell.font = Font(name=_FONT, size=10)
        cell.alignment = _CENTER if c in center else _WRAP
        cell.border = _BORDER
        if fill is not None:
            cell.fill = fill


def _text_width(text: str) -> float:
    """Approximate display width in Excel column units (CJK and full-width count 2)."""
    return sum(2.0 if ord(ch) > 0x2E7F else 1.1 for ch in text)


def _fit_height(ws: Worksheet, row: int, widths: Sequence[float], line_pt: float = 13.5) -> None:
    """Set a row height that shows all wrapped text (Excel does not re-fit rows on open)."""
    lines = 1
    for c, width in enumerate(widths, start=1):
        v = ws.cell(row=row, column=c).value
        if v is None:
            continue
        n = 0
        for part in str(v).split("\n"):
            n += max(1, -(-int(_text_width(part) * 10) // int(max(width - 1, 1) * 10)))
        lines = max(lines, n)
    ws.row_dimensions[row].height = max(lines * line_pt + 3, 16)


def _points(r: CaseResult) -> Any:
    """The score to print: empty for a file not scored on the 100-point sheet (不评分, 简易程序)."""
    return _num(r.score.total) if r.score is not None and r.score.has_points else None


def _num(x: Any) -> Any:
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x


def sheet_names(case_ids: Sequence[str]) -> list[str]:
    """Excel-safe, unique sheet names (≤ 31 chars, no []:*?/\\, not 汇总/评分标准)."""
    used = {"汇总", "评分标准"}
    out = []
    for cid in case_ids:
        base = re.sub(r"[\[\]:*?/\\']", "_", cid).strip() or "案卷"
        base = base[:31]
        name, n = base, 2
        while name in used:
            suffix = f"~{n}"
            name = base[:31 - len(suffix)] + suffix
            n += 1
        used.add(name)
        out.append(name)
    return out


def _fields(r: CaseResult) -> Mapping[str, Any]:
    return r.fields or {}


def _party_name(f: Mapping[str, Any]) -> str:
    party = f.get("party") or {}
    return str(party.get("name") or "") if isinstance(party, Mapping) else ""


def _evidence_text(finding: Finding, titles: Mapping[str, str]) -> str:
    """The quotes for the reviewer: each after its document's full path and page, the path led by
    the document's title when the file name does not name it (``询问笔录 2406006/scan-0010.pdf 第1页``)."""
    parts = []
    for e in finding.evidence:
        where = e.document + (f" 第{e.page}页" if e.page else "")
        label = document_label(e.document, titles)
        if label != file_stem(e.document):
            where = f"{titles[e.document]} {where}"
        parts.append(f"{where}：“{e.quote}”" if e.quote else where)
    return mask_personal("\n".join(parts))


def write_workbook(path: Path | str, results: Sequence[CaseResult], *, title: str,
                   sheet: ScoreSheet) -> None:
    """Write 评查评分表.xlsx: 汇总, one sheet per case (in ``results`` order), 评分标准."""
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    ncol = len(SUMMARY_COLUMNS)
    ws.cell(row=1, column=1, value=title).font = Font(name=_FONT, bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 24
    _header(ws, 2, SUMMARY_COLUMNS, widths=True)
    names = dict(zip((r.case_id for r in results), sheet_names([r.case_id for r in results])))
    # the files not scored come first: they need a reviewer before anything else
    listed = sorted(results, key=lambda r: 0 if r.score is None or r.score.unscored else 1)
    for i, r in enumerate(listed, start=1):
        sname = names[r.case_id]
        f = _fields(r)
        counts = {k: 0 for k in SEVERITY_LABELS}
        for fd in r.findings:
            counts[fd.severity] = counts.get(fd.severity, 0) + 1
        score = r.score
        values = [i, f.get("squad") or "", r.case_id, f.get("case_number") or "", _party_name(f),
                  PROCEDURE_LABELS.get(f.get("procedure") or "", f.get("procedure") or ""),
                  OUTCOME_LABELS.get(f.get("outcome") or "", f.get("outcome") or ""),
                  _points(r), score.grade if score else UNSCORED_GRADE,
                  ("是" if score.vetoed else "否") if score else "",
                  counts["veto"], counts["major"], counts["minor"], counts["info"], _manual_check(r)]
        _row(ws, i + 2, values, fill=_VETO_FILL if score and score.vetoed else None,
             center=(1, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14))
        _fit_height(ws, i + 2, [w for _, w in SUMMARY_COLUMNS])
        link = ws.cell(row=i + 2, column=3)
        link.hyperlink = f"#'{sname}'!A1"
        link.font = Font(name=_FONT, size=10, color="0563C1", underline="single")
    last = max(len(results) + 2, 2)
    ws.auto_filter.ref = f"A2:{get_column_letter(ncol)}{last}"
    ws.freeze_panes = "A3"
    _setup_print(ws, "1:2")

    for r in results:
        _case_sheet(wb.create_sheet(names[r.case_id]), r, sheet)
    _standard_sheet(wb.create_sheet("评分标准"), sheet)

    wb.properties.creator = "anjuan"
    wb.properties.title = title
    buf = io.BytesIO()
    wb.save(buf)
    write_bytes(Path(path), fixed_zip(buf.getvalue()))


def _case_sheet(ws: Worksheet, r: CaseResult, sheet: ScoreSheet) -> None:
    f = _fields(r)
    titles = document_titles(r.documents)
    ncol = len(DETAIL_COLUMNS)
    for c, (_, width) in enumerate(DETAIL_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.cell(row=1, column=1, value=f"案卷评查评分明细：{r.case_id}").font = Font(
        name=_FONT, bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    score = r.score
    info = [("案号", f.get("case_number") or ""), ("当事人", _party_name(f)),
            ("承办中队", f.get("squad") or ""),
            ("程序", PROCEDURE_LABELS.get(f.get("procedure") or "", f.get("procedure") or "")),
            ("结果", OUTCOME_LABELS.get(f.get("outcome") or "", f.get("outcome") or "")),
            ("评分表", sheet.id),
            ("得分", _points(r) if _points(r) is not None else "—"),
            ("等级", score.grade if score else UNSCORED_GRADE),
            ("否决", ("是" if score.vetoed else "否") if score else "")]
    row = 2
    bold = Font(name=_FONT, bold=True, size=10)
    plain = Font(name=_FONT, size=10)
    right = Alignment(horizontal="right", vertical="center")
    for k in range(0, len(info), 2):
        for (label, value), (lc, le, vc, ve) in zip(info[k:k + 2], ((1, 2, 3, 5), (6, 7, 8, 10))):
            a = ws.cell(row=row, column=lc, value=label + "：")
            a.font, a.alignment = bold, right
            ws.merge_cells(start_row=row, start_column=lc, end_row=row, end_column=le)
            b = ws.cell(row=row, column=vc, value=value)
            b.font = plain
            b.alignment = Alignment(horizontal="left", vertical="center")
            ws.merge_cells(start_row=row, start_column=vc, end_row=row, end_column=ve)
        row += 1
    row += 1

    # stage table: 阶段 (A:B) 满分 (C) 扣分 (D) 得分 (E) 适用 (F)
    def stage_row(values: Sequence[Any], *, head: bool = False, fill=None) -> None:
        cols = (1, 3, 4, 5, 6)
        for col, v in zip(cols, values):
            cell = ws.cell(row=row, column=col, value=v)
            cell.font = Font(name=_FONT, size=10, bold=head)
            cell.alignment = _CENTER
            if head:
                cell.fill = _HEAD_FILL
            elif fill is not None:
                cell.fill = fill
        for col in range(1, 7):
            ws.cell(row=row, column=col).border = _BORDER
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)

    stage_row(("阶段", "满分", "扣分", "得分", "适用"), head=True)
    row += 1
    na = set(inapplicable(sheet, f))
    stages = dict(score.stages) if score else {}
    for stage, mx in sheet.stages:
        got: Any = stages.get(stage, "—")
        ded: Any = _num(mx - got) if stage in stages else "—"
        stage_row((stage, _num(mx), ded, _num(got), "不适用" if stage in na else "适用"))
        row += 1
    total_max = sum(m for _, m in sheet.stages)
    total_ded = sum(mx - stages[s] for s, mx in sheet.stages if s in stages)
    stage_row(("合计", _num(total_max), _num(total_ded) if stages else None, _points(r),
               score.grade if score else ""), fill=_GREY_FILL)
    row += 2
    row = _manual_rows(ws, row, r, ncol)

    # one row per finding effect
    _header(ws, row, DETAIL_COLUMNS, widths=False)
    header_row = row
    row += 1
    effects = list(score.effects) if score else []
    order = {s: i for i, s in enumerate(sheet.stage_names)}
    effects.sort(key=lambda e: (0 if e.status == VETO else 1,
                                order.get(e.stage or "", len(order))))
    if not effects:
        _row(ws, row, [None, None, None, None, "未发现问题", None, None, None, None, None])
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncol)
        row += 1
    for n, e in enumerate(effects, start=1):
        fd = e.finding
        points = _num(e.points) if e.status == DEDUCTED else ("否决" if e.status == VETO else 0)
        basis = e.basis or fd.citation
        if fd.citation and fd.citation not in basis:
            basis = f"{basis}\n检查依据：{fd.citation}"
        status = e.label
        if e.status == PENDING and fd.related_cases:
            status += "；关联案卷：" + "、".join(fd.related_cases)
        note = ""
        if e.decision:
            note = {"confirmed": "已确认", "dismissed": "已排除"}.get(e.decision, e.decision)
            if e.reason:
                note += f"：{mask_personal(e.reason)}"
        _row(ws, row, [n, e.stage or "", e.item or "", fd.check_id, mask_personal(fd.message),
                       points, basis, _evidence_text(fd, titles), status, note],
             fill=_VETO_FILL if e.status == VETO else (_GREY_FILL if e.status == DISMISSED else None),
             center=(1, 2, 3, 4, 6))
        _fit_height(ws, row, [w for _, w in DETAIL_COLUMNS])
        row += 1
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    _setup_print(ws, f"{header_row}:{header_row}")


def _manual_rows(ws: Worksheet, row: int, r: CaseResult, ncol: int) -> int:
    """不评分 reasons and the points not verified (未能核实，需人工核对), one merged row each;
    returns the next free row (one left blank)."""
    lines = [f"不评分：{reason}。" for reason in (r.score.unscored if r.score is not None else ())]
    lines += [f"未能核实，需人工核对（{check_title(u.check_id)}）：{u.point}。{u.reason}" for u in r.unverified]
    if not lines:
        return row
    for text in lines:
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = Font(name=_FONT, size=10, bold=True, color="C00000")
        cell.alignment = _WRAP
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncol)
        ws.row_dimensions[row].height = 18 * max(1, -(-int(_text_width(text)) // 180))
        row += 1
    return row + 1


def _standard_sheet(ws: Worksheet, sheet: ScoreSheet) -> None:
    cols = (("阶段", 10), ("评分项", 8), ("检查项", 13), ("评查内容", 40), ("扣分/否决", 12),
            ("依据", 40), ("状态", 16))
    ws.cell(row=1, column=1, value=f"{sheet.title}（{sheet.id}）").font = Font(
        name=_FONT, bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(cols))
    veto_way = "计零分、评为不合格" if sheet.veto_mode == "zero_out" else f"不得评为优秀（最高{sheet.cap_to}）"
    notes = [f"否决方式：{veto_way}",
             "等级：" + "，".join(f"{_num(lo)}分以上{g}" for lo, g in sheet.grade_bands),
             "各阶段扣分扣完为止，不计负分。状态为“暂定”的分值尚无本地依据，可在评分表文件中调整。"]
    for k, text in enumerate(notes, start=2):
        ws.cell(row=k, column=1, value=text).font = Font(name=_FONT, size=10)
        ws.merge_cells(start_row=k, start_column=1, end_row=k, end_column=len(cols))
    hr = len(notes) + 2
    _header(ws, hr, cols, widths=True)
    row = hr + 1
    order = {s: i for i, s in enumerate(sheet.stage_names)}
    items = sorted(enumerate(sheet.items), key=lambda t: (order.get(t[1].stage, 99), t[0]))
    for _, it in items:
        if it.veto:
            amount = "否决" + ("（最高" + sheet.cap_to + "）" if (it.mode or sheet.veto_mode) == "cap_grade" else "")
        else:
            amount = f"−{_num(it.points)}" + ("/处" if (it.per or sheet.deduct_per) == "occurrence" else "")
        check = it.check or "人工"
        if it.confirmed_only:
            check += "（经确认）"
        text = it.text
        for el in it.elements:
            text += f"\n其中“{el.match}”：{el.id} " + ("否决" if el.veto else f"−{_num(el.points)}")
        _row(ws, row, [it.stage, it.id, check, text, amount, it.basis,
                       ITEM_STATUS_LABELS.get(it.status, it.status)],
             fill=_VETO_FILL if it.veto else None, center=(1, 2, 3, 5, 7))
        _fit_height(ws, row, [w for _, w in cols])
        row += 1
    ws.freeze_panes = ws.cell(row=hr + 1, column=1)
    _setup_print(ws, f"{hr}:{hr}")
