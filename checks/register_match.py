"""MIS-04 register mismatch: the 台账 and the files disagree (台账与案卷不符).

Rows are joined to files by the canonical case number (``pipeline.core.caseno``: the file's case
number, else its case id, against each row's case number or case id), indexed once per run.

A register row without a file has no case to attach to, so its finding is yielded under the
pseudo case id ``台账:<case_number>`` (``REGISTER_PREFIX``). ``run_cross_checks`` therefore returns
these ids next to the real ones; the run lists them in summary.json (``register_only_findings``
picks them out). Shared helpers: ``checks/cross_common.py``.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from rapidfuzz import fuzz

from checks.cross_common import (
    PUNCT_RE,
    case_ev,
    evidence_at,
    fmt_money,
    nfkc,
    params_for,
    parse_date,
    parse_money,
    span_of,
    str_or_none,
)
from checks.registry import CheckContext, check
from pipeline.core.caseno import RegisterIndex
from pipeline.core.digest import CaseDigest
from pipeline.core.models import CaseFile, Citation, Evidence, Finding

REGISTER_PREFIX = "台账:"

_FIELD_LABELS = {"filing_date": "立案日期", "closing_date": "结案日期", "fine_yuan": "罚款金额",
                 "squad": "承办中队"}


def _squad_norm(s: Any) -> str:
    t = PUNCT_RE.sub("", nfkc(str(s or "")))
    for w in ("上海市", "青浦区", "城市管理行政执法局", "城管执法局", "城管执法", "城管"):
        t = t.replace(w, "")
    return t


def _values_differ(key: str, reg: Any, case_val: Any, p: Mapping[str, Any]) -> bool | None:
    """True/False when both sides are known; None when one side is missing or unreadable."""
    if key in ("filing_date", "closing_date"):
        da, db = parse_date(reg), parse_date(case_val)
        return None if da is None or db is None else da != db
    if key == "fine_yuan":
        ma, mb = parse_money(reg), parse_money(case_val)
        return None if ma is None or mb is None else abs(ma - mb) > 0.005
    if key == "squad":
        sa, sb = _squad_norm(reg), _squad_norm(case_val)
        if not sa or not sb:
            return None
        if sa == sb or sa in sb or sb in sa:
            return False
        return fuzz.ratio(sa, sb) < float(p.get("squad_similarity", 85))
    ta, tb = str_or_none(reg), str_or_none(case_val)
    return None if ta is None or tb is None else ta != tb


def register_only_findings(result: Mapping[str, Sequence[Finding]]) -> dict[str, list[Finding]]:
    """The findings of ``run_cross_checks`` filed under ``台账:<case_number>`` pseudo ids
    (register rows without a file), for summary.json."""
    return {k: list(v) for k, v in sorted(result.items()) if k.startswith(REGISTER_PREFIX)}


@check(id="MIS-04", name="register-mismatch", title="台账与案卷不符", severity="minor", stage=None,
       citation=Citation(law="青浦区城管执法系统2024年度执法监督工作方案", article="三（一）",
                         note="青城管执〔2024〕9号；重点检查不作为、办假案"),
       cross=True)
def register_mismatch(cases: Sequence[CaseFile], ctx: CheckContext) -> Iterator[tuple[str, Finding]]:
    """Flags a register row without a file, a file without a register row, and a register row
    that disagrees with its file on filing/closing date, fine or squad.

    检查内容：仅在提供台账时运行。台账行按案号（或案件编号）与案卷对应（案号归一：括号、空格、“第”“号”、全角数字）。
    台账有而案卷无的，挂在伪案件号“台账:<案号>”下报告（summary.json 单列）；案卷有而台账无的、
    两者立案日期、结案日期、罚款金额、承办中队不一致的，挂在该案卷下。
    法律依据：青浦区 2024 年度执法监督工作方案（案卷评查；不作为、办假案）。
    不通过示例：台账立案日期 2024-03-01，案卷立案审批表 2024-03-04。
    通过示例：台账与案卷一致。
    """
    spec = register_mismatch.spec
    if ctx.register_rows is None:
        return
    p = params_for("MIS-04", ctx)
    compare = list(p.get("compare") or ())
    rows = list(ctx.register_rows)
    index = RegisterIndex.of(rows)

    used: set[int] = set()
    for case in sorted(cases, key=lambda c: c.case_id):
        row_i = next((ri for ri in index.candidates(case.value("case_number"), case.case_id) if ri not in used),
                     None)
        row: Mapping[str, Any] | None
        if row_i is None and case.register is not None:
            # a row the run attached itself (e.g. matched by another key): use it as given
            row_i = next((ri for ri, r in enumerate(rows) if ri not in used and r == case.register), None)
            row = case.register
        else:
            row = rows[row_i] if row_i is not None else None
        if row_i is not None:
            used.add(row_i)
        d = digest_light(case)
        if row is None:
            cn = d.case_number or "—"
            yield case.case_id, spec.finding(
                f"台账中未找到本案卷（案号{cn}）的登记记录。请核对台账是否漏登或案号有误。",
                [case_ev(d, "case_number", cn)])
            continue
        diffs: list[str] = []
        ev: list[Evidence] = []
        rowlabel = _row_label(row, row_i)
        for key in compare:
            case_val = getattr(d, key, None)
            differ = _values_differ(key, row.get(key), case_val, p)
            if differ:
                rv = row.get(key)
                shown_r = fmt_money(parse_money(rv)) + "元" if key == "fine_yuan" else str(rv)
                shown_c = fmt_money(parse_money(case_val)) + "元" if key == "fine_yuan" else str(case_val)
                diffs.append(f"{_FIELD_LABELS.get(key, key)}台账为{shown_r}、案卷为{shown_c}")
                ev.append(evidence_at("台账", None, f"{rowlabel} {_FIELD_LABELS.get(key, key)}：{rv}"))
                ev.append(case_ev(d, key, str(case_val)))
        if diffs:
            yield case.case_id, spec.finding(
                f"台账与案卷记载不一致：{'；'.join(diffs)}。请核对后更正台账或案卷。", ev)

    if not p.get("report_rows_without_file", True):
        return
    for ri, row in enumerate(rows):
        if ri in used:
            continue
        cn = str_or_none(row.get("case_number")) or str_or_none(row.get("case_id")) or f"第{ri + 1}行"
        party = str_or_none(row.get("party")) or "—"
        yield f"{REGISTER_PREFIX}{cn}", spec.finding(
            f"台账登记的案件{cn}（当事人{party}）未找到对应案卷。请核对是否缺卷或台账登记有误。",
            [evidence_at("台账", None, f"{_row_label(row, ri)} 案号：{cn}")])


def _row_label(row: Mapping[str, Any], ri: int | None) -> str:
    n = row.get("row") or row.get("_row")
    if n is not None:
        return f"第{n}行"
    return f"第{ri + 1}条" if ri is not None else "台账"


def digest_light(case: CaseFile) -> CaseDigest:
    """The case-level part of a digest (no records): what MIS-04 compares."""
    spans: dict[str, tuple[str, int | None, str]] = {}
    for key in ("filing_date", "closing_date", "fine_yuan", "squad", "case_number"):
        sp = span_of(case, key)
        if sp:
            spans[key] = sp
    return CaseDigest(
        case_id=case.case_id, source=case.source,
        case_number=str_or_none(case.value("case_number")),
        squad=str_or_none(case.value("squad")),
        fine_yuan=case.value("fine_yuan"),
        filing_date=str_or_none(case.value("filing_date")),
        closing_date=str_or_none(case.value("closing_date")),
        spans=spans,
    )
