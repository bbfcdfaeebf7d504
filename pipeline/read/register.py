"""Read the case register (案件台账) from .xlsx or .csv into rows with canonical keys.

Headers are recognised through synonyms (``HEADER_SYNONYMS``) after removing whitespace, ``*``
and a bracketed unit (``罚款金额（元）`` → ``罚款金额``). The header row is the one, among the
first ten, that names the most known columns. Every row has every canonical key (None when the
column is missing or the cell is empty). Values are converted:

- dates (strings in the usual forms, datetime cells or Excel serial numbers) → ``YYYY-MM-DD``;
- ``procedure``: 简易… → ``simple``, 一般…/普通… → ``general``;
- ``fine_yuan`` → int yuan (a float with two decimals when 角/分 are given);
- ``major_review``, ``av_record`` → bool (是/否, 有/无, Y/N, √/×, 1/0 …);
- ``complaint_count`` → int.

A cell that cannot be converted gives an E121 error and the value None. A register without a
case-number column gives E120 and no rows; an unreadable file gives E119.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from pipeline.core.caseno import case_key
from pipeline.core.errors import msg
from pipeline.core.models import InputError

REGISTER_KEYS: tuple[str, ...] = (
    "case_number", "squad", "party", "cause", "procedure", "filing_date", "closing_date", "status",
    "fine_yuan", "major_review", "av_record", "source", "complaint_count",
)

HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "case_number": ("案件编号", "案号", "编号", "决定书文号", "案件号", "处罚决定书文号"),
    "squad": ("中队", "承办单位", "承办中队", "执法队", "执法中队", "承办部门"),
    "party": ("当事人", "当事人名称", "当事人姓名", "当事人（单位）"),
    "cause": ("案由", "违法行为", "违法事实"),
    "procedure": ("程序", "适用程序", "程序类型", "办案程序"),
    "filing_date": ("立案日期", "立案时间"),
    "closing_date": ("结案日期", "结案时间", "办结日期", "办结时间"),
    "status": ("办结状态", "状态", "案件状态"),
    "fine_yuan": ("罚款金额", "罚款", "罚款数额", "罚没金额"),
    "major_review": ("是否重大法制审核", "重大法核", "重大法制审核", "是否重大执法决定法制审核"),
    "av_record": ("是否有视音频记录", "视音频", "视音频记录", "是否有执法记录仪记录"),
    "source": ("来源", "案件来源", "案源"),
    "complaint_count": ("投诉次数", "重复投诉次数"),
}

HEADER_LABELS = {k: v[0] for k, v in HEADER_SYNONYMS.items()}
_SYNONYM_INDEX = {syn: key for key, syns in HEADER_SYNONYMS.items() for syn in syns}
_UNIT = re.compile(r"[（(][^）)]*[）)]$")
EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class RegisterRow:
    """One register row: ``row`` is the 1-based row number in the sheet or file."""

    row: int
    values: Mapping[str, Any] = field(default_factory=dict)


class _Bad(ValueError):
    pass


def _header_key(cell: Any) -> str | None:
    if cell is None:
        return None
    text = "".join(str(cell).split()).replace("*", "").replace("＊", "")
    if text in _SYNONYM_INDEX:
        return _SYNONYM_INDEX[text]
    stripped = _UNIT.sub("", text)
    return _SYNONYM_INDEX.get(stripped)


# --- converters ------------------------------------------------------------------------------

def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).strip()
    return s or None


_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT].*)?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def to_iso_date(v: Any) -> str | None:
    """A register date cell → ``YYYY-MM-DD`` (None for empty); raises ValueError if unparseable."""
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if 1 <= v < 2958466:  # Excel serial (1900 date system)
            return (EXCEL_EPOCH + dt.timedelta(days=int(v))).isoformat()
        raise _Bad(v)
    s = str(v).strip()
    if not s:
        return None
    m = _DATE_RE.match(s) or _DATE_COMPACT.match(s)
    if not m:
        if re.fullmatch(r"\d{5}(\.0+)?", s):
            return to_iso_date(float(s))
        raise _Bad(s)
    y, mo, d = (int(x) for x in m.groups())
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError as exc:
        raise _Bad(s) from exc


def _procedure(v: Any) -> str | None:
    s = _text(v)
    if s is None:
        return None
    if "简易" in s or s.lower() == "simple":
        return "simple"
    if "一般" in s or "普通" in s or s.lower() == "general":
        return "general"
    raise _Bad(s)


def _money(v: Any) -> int | float | None:
    if v is None:
        return None
    if isinstance(v, bool):
        raise _Bad(v)
    if isinstance(v, (int, float)):
        x = float(v)
    else:
        s = re.sub(r"[\s,，元圆¥￥]|人民币", "", str(v))
        if not s or s in ("-", "—", "无"):
            return None
        try:
            x = float(s)
        except ValueError as exc:
            raise _Bad(v) from exc
    if x < 0:
        raise _Bad(v)
    return int(round(x)) if abs(x - round(x)) < 1e-9 else round(x, 2)


_TRUE = {"是", "有", "y", "yes", "true", "1", "√", "✓", "✔", "需要", "已审核"}
_FALSE = {"否", "无", "n", "no", "false", "0", "×", "✗", "不需要", "未审核", "没有"}


def _bool(v: Any) -> bool | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)) and v in (0, 1):
        return bool(v)
    s = str(v).strip().lower()
    if not s:
        return None
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise _Bad(v)


def _count(v: Any) -> int | None:
    if v is None:
        return None
    if isinstance(v, bool):
        raise _Bad(v)
    if isinstance(v, (int, float)):
        if float(v).is_integer() and v >= 0:
            return int(v)
        raise _Bad(v)
    s = str(v).strip().removesuffix("次")
    if not s:
        return None
    if s.isdigit():
        return int(s)
    raise _Bad(v)


CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "case_number": _text, "squad": _text, "party": _text, "cause": _text, "status": _text,
    "source": _text, "procedure": _procedure, "filing_date": to_iso_date, "closing_date": to_iso_date,
    "fine_yuan": _money, "major_review": _bool, "av_record": _bool, "complaint_count": _count,
}


# --- reading ---------------------------------------------------------------------------------

def _rows_xlsx(path: Path) -> list[tuple[Any, ...]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.active if wb.active is not None else wb.worksheets[0]
        return [tuple(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def _rows_csv(path: Path) -> list[tuple[Any, ...]]:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string that reaches here
        raise ValueError("无法识别的文字编码")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [tuple(c if c.strip() else None for c in r) for r in csv.reader(io.StringIO(text), dialect)]


def _find_header(rows: Sequence[tuple[Any, ...]]) -> tuple[int, dict[int, str]] | None:
    best: tuple[int, dict[int, str]] | None = None
    for i, row in enumerate(rows[:10]):
        cols: dict[int, str] = {}
        for j, cell in enumerate(row):
            key = _header_key(cell)
            if key and key not in cols.values():
                cols[j] = key
        if cols and (best is None or len(cols) > len(best[1])):
            best = (i, cols)
    return best


def read_register(path: Path) -> tuple[list[RegisterRow], list[InputError]]:
    """Rows of the register with canonical keys (``REGISTER_KEYS``) and the errors met."""
    path = Path(path)
    label = path.name

    def err(code: str, **kw: object) -> InputError:
        return InputError(path=label, code=code, message=msg(code, path=label, **kw))

    try:
        if path.suffix.lower() == ".xlsx":
            rows = _rows_xlsx(path)
        elif path.suffix.lower() == ".csv":
            rows = _rows_csv(path)
        else:
            return [], [err("E119", detail="只支持 .xlsx 和 .csv")]
    except Exception as exc:  # openpyxl/zipfile/csv errors all mean "unreadable"
        return [], [err("E119", detail=f"{type(exc).__name__}: {exc}")]
    header = _find_header(rows)
    known = "、".join(HEADER_LABELS.values())
    if header is None or "case_number" not in header[1].values():
        return [], [err("E120", column=HEADER_LABELS["case_number"], known=known)]
    head_idx, cols = header
    out: list[RegisterRow] = []
    errors: list[InputError] = []
    for i, row in enumerate(rows[head_idx + 1:], start=head_idx + 2):
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in row):
            continue
        values: dict[str, Any] = {k: None for k in REGISTER_KEYS}
        for j, key in cols.items():
            cell = row[j] if j < len(row) else None
            try:
                values[key] = CONVERTERS[key](cell)
            except (ValueError, TypeError, OverflowError):
                errors.append(err("E121", row=i, column=HEADER_LABELS[key], value=cell))
        if values["case_number"] is None:
            errors.append(err("E121", row=i, column=HEADER_LABELS["case_number"], value="（空）"))
        out.append(RegisterRow(row=i, values=values))
    return out, errors


def index_by_case_number(rows: Iterable[RegisterRow]) -> dict[str, RegisterRow]:
    """Index rows by the canonical key of their case number (``pipeline.core.caseno.case_key``;
    first row wins); rows without a number are left out."""
    index: dict[str, RegisterRow] = {}
    for r in rows:
        key = case_key(r.values.get("case_number"))
        if key and key not in index:
            index[key] = r
    return index
