"""评查意见书: one Word review opinion per case, rendered from the docxtpl template opinion.docx.

``opinion_view(result, settings)`` builds the view model (plain dicts and strings only); the
template (``templates/opinion.docx``, editable in Word, built by ``templates/build_templates.py``)
uses nothing else. ``render_opinion`` renders it with a StrictUndefined Jinja environment, so a
missing variable is an error (E401 naming the template, the line and the variable), and writes
byte-identical files for the same input (fixed core properties, re-packed zip).

Settings (all optional):
  bureau                  issuing bureau (default 上海市青浦区城市管理行政执法局)
  opinion_number_prefix   document-number prefix (default 青城管监评) → 青城管监评〔2024〕7号 (GB/T 9704:
                          the serial without 第 and without leading zeros)
  opinion_number          the serial N (blank when absent)
  opinion_year            the year in 〔〕 (default: the year of issue_date)
  issue_date              ISO date of issue; the signature date and the start of the reply period
  reply_workdays          working days the squad has to reply (default 10)
  calendar                the run's WorkCalendar (``checks.rules.build_calendar(rules)``) that
                          counts those days (default: the packaged calendar)
  reply_to                to whom the reply goes (default 我局)
  score_sheet             a ScoreSheet or the path of one (default: the built-in sheet)
  seal_placeholder        printed where the seal goes (default （印章）)

What the opinion shows: first what a reviewer must check by hand (未能核实，需人工核对: why a file
is not scored, the points the checks could not verify), then the file's facts, then the veto
findings (否决事项) and the others by stage in sheet order; findings a reviewer dismissed and
cross-case signals not yet confirmed are left out (they are internal until a human decides). The
text names checks and score items by their Chinese wording, never by internal codes (no check id,
item id or sheet id). Full 身份证号 and mobile numbers are masked; names are kept.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateError

from extractors.normalise.numerals import int_to_cn
from pipeline.core.errors import AnjuanError
from pipeline.core.masking import mask_personal
from pipeline.core.models import (
    DEDUCTED,
    DISMISSED,
    INFO,
    PENDING,
    REPEAT,
    UNMAPPED,
    UNSCORED_GRADE,
    VETO,
    CaseResult,
    Finding,
    FindingEffect,
)
from pipeline.core.months import BLANK_DATE, date_cn
from pipeline.core.workdays import WorkCalendar
from pipeline.supervise.labels import (
    OUTCOME_LABELS,
    PROCEDURE_LABELS,
    check_title,
    document_titles,
    evidence_place,
    violation_name,
)
from pipeline.supervise.scoring import ScoreSheet, load_sheet
from pipeline.write.docx import TEMPLATES_DIR, docx_bytes, write_bytes

TEMPLATE_NAME = "opinion.docx"
DEFAULT_BUREAU = "上海市青浦区城市管理行政执法局"
DEFAULT_PREFIX = "青城管监评"
DEFAULT_REPLY_WORKDAYS = 10
DEFAULT_SEAL = "（印章）"
NOT_STATED = "未载明"
QUOTE_MAX = 80



def _money(v: Any) -> str:
    if v is None:
        return "无"
    if isinstance(v, float) and not v.is_integer():
        return f"{v:.2f}元"
    return f"{int(v)}元"


def _num(x: float) -> str:
    x = float(x)
    return str(int(x)) if x.is_integer() else f"{x:g}"


def _evidence(f: Finding, titles: Mapping[str, str]) -> str:
    parts = []
    for e in f.evidence:
        where = evidence_place(e.document, e.page, titles)
        quote = e.quote.strip().replace("\n", " ")
        if len(quote) > QUOTE_MAX:
            quote = quote[:QUOTE_MAX] + "…"
        parts.append(f"{where}：“{quote}”" if quote else where)
    return mask_personal("；".join(parts))


def _cause(value: Any) -> str:
    return violation_name(value) or NOT_STATED


def _sheet(settings: Mapping[str, Any]) -> ScoreSheet:
    s = settings.get("score_sheet")
    if isinstance(s, ScoreSheet):
        return s
    return _load_sheet_cached(str(s) if s else None)


@functools.lru_cache(maxsize=8)
def _load_sheet_cached(path: str | None) -> ScoreSheet:
    return load_sheet(path)


def reply_deadline(issue_date: str | None, workdays: int, calendar: WorkCalendar | None = None) -> str:
    """``2024年3月29日前`` from the issue date + N working days on the run's ``calendar``
    (default: the packaged one), or a relative phrase."""
    if not issue_date:
        return f"收到本意见书之日起{workdays}个工作日内"
    d = (calendar or WorkCalendar.default()).add_workdays(dt.date.fromisoformat(issue_date), workdays)
    return date_cn(d) + "前"


def opinion_view(result: CaseResult, settings: Mapping[str, Any]) -> dict[str, Any]:
    """The view model of one review opinion (every template variable is a key here)."""
    sheet = _sheet(settings)
    f = result.fields or {}
    party = f.get("party") or {}
    titles = document_titles(result.documents)
    issue = settings.get("issue_date")
    year = settings.get("opinion_year") or (str(issue)[:4] if issue else "")
    number = settings.get("opinion_number")
    prefix = settings.get("opinion_number_prefix", DEFAULT_PREFIX)
    doc_number = f"{prefix}〔{year or '　　'}〕{int(number) if number is not None else '　'}号"
    workdays = int(settings.get("reply_workdays", DEFAULT_REPLY_WORKDAYS))

    effects = result.score.effects if result.score is not None else ()
    stage_order = {s: i for i, s in enumerate(sheet.stage_names)}
    veto_items: list[tuple[Finding, list[FindingEffect]]] = []
    staged: dict[str, list[tuple[Finding, list[FindingEffect]]]] = {}
    for index, fd in enumerate(result.findings):
        fx = list(result.score.effects_of(index)) if result.score is not None else []
        if any(e.status in (DISMISSED, PENDING) for e in fx):
            continue
        if any(e.status == VETO for e in fx):
            veto_items.append((fd, fx))
            continue
        stage = next((e.stage for e in fx if e.stage), None) or fd.stage or "其他"
        staged.setdefault(stage, []).append((fd, fx))

    groups = []
    n = 0

    def entry(fd: Finding, fx: list[FindingEffect]) -> dict[str, Any]:
        nonlocal n
        n += 1
        effect = []
        for e in fx:
            words = _item_words(sheet, fd.check_id, e.item)
            if e.status == VETO:
                effect.append(f"否决项（{words}）" if words else "否决项")
            elif e.status == DEDUCTED:
                effect.append(f"扣{_num(e.points)}分（{words}）" if words else f"扣{_num(e.points)}分")
            elif e.status == INFO:
                effect.append("提示，不扣分")
            elif e.status == UNMAPPED:
                effect.append("不扣分")
            elif e.status == REPEAT:
                effect.append("同一检查项已扣分，不重复扣分")
        if result.score is not None and result.score.unscored:
            effect = ["本案卷不评分，不计分"]
        return {"no": n, "check_id": fd.check_id, "check": check_title(fd.check_id),
                "message": mask_personal(fd.message).rstrip("。") + "。",
                "citation": fd.citation or "—", "evidence": _evidence(fd, titles),
                "effect": "、".join(effect) or "不扣分"}

    if veto_items:
        groups.append({"heading": "否决事项", "findings": [entry(*x) for x in veto_items]})
    for stage in sorted(staged, key=lambda s: stage_order.get(s, len(stage_order))):
        label = f"{stage}阶段" if stage in stage_order else "其他问题"
        groups.append({"heading": label, "findings": [entry(*x) for x in staged[stage]]})
    for i, g in enumerate(groups, start=1):
        g["heading"] = f"（{int_to_cn(i)}）{g['heading']}"

    score = result.score
    stage_points = dict(score.stages) if score is not None and score.has_points else {}
    show_table = bool(stage_points)
    stages = []
    deducted_total = 0.0
    for s, mx in sheet.stages:
        if s in stage_points:
            ded = mx - float(stage_points[s])
            deducted_total += ded
            stages.append({"name": s, "max": _num(mx), "deducted": _num(ded) if ded else "0",
                           "points": _num(stage_points[s])})
    if score is None or score.unscored:
        score_sentence = "本案卷不评分，待人工核对上述事项后再行评查。"
    elif not show_table:
        score_sentence = (f"本案卷为简易程序案卷，按《{sheet.title}》不适用百分制评分"
                          + ("；因存在否决事项，评查等级为" + score.grade if score.vetoed
                             and score.grade != sheet.simple_procedure_grade else "")
                          + "。")
    else:
        score_sentence = f"依据《{sheet.title}》，本案卷得分{_num(score.total)}分，评查等级为{score.grade}。"
        if score.vetoed:
            modes = {e.mode for e in effects if e.status == VETO}
            if "zero_out" in modes:
                stage_total = _num(sum(float(v) for v in stage_points.values()))
                score_sentence = (f"依据《{sheet.title}》，本案卷各阶段合计{stage_total}分，"
                                  f"因存在否决事项，总分计为{_num(score.total)}分，评查等级为{score.grade}。")
            else:
                score_sentence += f"因存在否决事项，评查等级最高为{sheet.cap_to}。"

    unconfirmed = any(it.status != "CONFIRMED" for it in sheet.items)
    note = (f"注：评分依据《{sheet.title}》，其中部分分值为本局暂定标准，"
            "供案卷评查内部使用。") if unconfirmed else ""

    case_number = f.get("case_number") or ""
    cause = _cause(f.get("violation_type"))
    party_name = mask_personal(str(party.get("name") or "")) if isinstance(party, Mapping) else ""
    if party_name and cause != NOT_STATED:
        case_label = f"{party_name}{cause}一案（案卷编号{result.case_id}" + (
            f"，案号{case_number}）" if case_number else "）")
    elif case_number:
        case_label = f"案号为{case_number}的案卷（案卷编号{result.case_id}）"
    else:
        case_label = f"编号为{result.case_id}的案卷"
    total = _num(score.total) if stage_points and score is not None else "—"
    if score and score.vetoed and show_table and "zero_out" in {
            e.mode for e in effects if e.status == VETO}:
        total += "（否决）"
    manual = _manual_items(result)
    numbers = (int_to_cn(i) for i in range(1, 11))
    headings = {key: next(numbers) for key in (("manual",) if manual else ()) + ("facts", "problems", "score",
                                                                                  "reform")}
    return {
        "bureau": settings.get("bureau", DEFAULT_BUREAU),
        "doc_number": doc_number,
        "title": "案卷评查意见书",
        "addressee": f.get("squad") or "承办中队（未能识别，请人工填写）",
        "manual": manual,
        "h": headings,
        "case_label": case_label,
        "case_id": result.case_id,
        "case_number": case_number or NOT_STATED,
        "squad": f.get("squad") or NOT_STATED,
        "party": party_name or NOT_STATED,
        "cause": cause,
        "procedure": PROCEDURE_LABELS.get(f.get("procedure") or "", NOT_STATED),
        "outcome": OUTCOME_LABELS.get(f.get("outcome") or "", NOT_STATED),
        "filing_date": date_cn(f.get("filing_date"), blank=NOT_STATED),
        "decision_date": date_cn(f.get("decision_date"), blank=NOT_STATED),
        "fine": _money(f.get("fine_yuan")),
        "has_problems": bool(groups),
        "groups": groups,
        "vetoed": bool(score and score.vetoed),
        "score_sentence": score_sentence,
        "show_stage_table": show_table,
        "stages": stages,
        "max_total": _num(sum(mx for s, mx in sheet.stages if s in stage_points)),
        "total_deducted": _num(deducted_total),
        "total": total,
        "grade": score.grade if score else UNSCORED_GRADE,
        "reply_deadline": reply_deadline(issue, workdays, settings.get("calendar")),
        "reply_workdays": workdays,
        "reply_to": settings.get("reply_to", "我局"),
        "issue_date": date_cn(issue, blank=BLANK_DATE),
        "note": note,
        "seal": settings.get("seal_placeholder", DEFAULT_SEAL),
    }


def _item_words(sheet: ScoreSheet, check_id: str, item_id: str) -> str:
    """The score item's wording for an effect (the check's item, or one of its elements)."""
    item = sheet.item_for(check_id)
    if item is None or not item_id or item_id == "—":
        return ""
    if item.id == item_id:
        return item.text
    element = next((el for el in item.elements if el.id == item_id), None)
    return (element.text or item.text) if element is not None else item.text


def _manual_items(result: CaseResult) -> list[str]:
    """未能核实，需人工核对: why the file is not scored, then each point a check could not verify."""
    items = [f"本案卷不评分：{reason}。" for reason in (result.score.unscored if result.score is not None else ())]
    for u in result.unverified:
        items.append(f"{check_title(u.check_id)}：{u.point.rstrip('。')}（{u.reason.rstrip('。')}）。")
    return [f"{i}．{text}" for i, text in enumerate(items, start=1)]


def template_path(templates_dir: Path | None = None) -> Path:
    """``DIR/opinion.docx`` when the override directory has one, else the built-in template."""
    if templates_dir is not None:
        p = Path(templates_dir) / TEMPLATE_NAME
        if p.is_file():
            return p
    return TEMPLATES_DIR / TEMPLATE_NAME


def jinja_env() -> Environment:
    return Environment(undefined=StrictUndefined, autoescape=True)


def _template_line(exc: BaseException) -> int | str:
    """The failing line as the number of the Word paragraph (table-cell paragraphs included).

    docxtpl puts each ``<w:p>`` of the body XML on its own line, after one line of ``<w:body>``
    opening, so template line N is paragraph N − 1.
    """
    line = getattr(exc, "lineno", None)
    if not line:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename == "<template>" and frame.lineno:
                line = frame.lineno
                break
    return max(int(line) - 1, 1) if line else "?"


def _zh_detail(text: str) -> str:
    """Jinja's English message, with the common cases said in Chinese (the names kept)."""
    m = re.match(r"'([^']+)' is undefined", text)
    if m:
        return f"变量“{m.group(1)}”未定义（不是评查意见书可用的变量）"
    m = re.match(r"'[^']+' has no attribute '([^']+)'", text)
    if m:
        return f"变量没有属性“{m.group(1)}”"
    return f"模板语法错误：{text}"


def render_opinion_bytes(result: CaseResult, *, settings: Mapping[str, Any],
                         templates_dir: Path | None = None) -> bytes:
    path = template_path(templates_dir)
    try:
        tpl = DocxTemplate(str(path))
        tpl.render(opinion_view(result, settings), jinja_env=jinja_env(), autoescape=True)
    except TemplateError as exc:
        context = " ".join(x.strip() for x in getattr(exc, "docx_context", []) if x.strip())
        detail = _zh_detail(exc.message or str(exc))
        if context:
            detail += f"（附近文字：{context[:60]}）"
        raise AnjuanError("E401", template=str(path), line=_template_line(exc),
                          detail=detail) from exc
    return docx_bytes(tpl.docx, title=f"案卷评查意见书 {result.case_id}", saver=tpl)


def render_opinion(result: CaseResult, *, settings: Mapping[str, Any], out_path: Path,
                   templates_dir: Path | None = None) -> None:
    """Render the review opinion of one case to ``out_path`` (.docx)."""
    write_bytes(Path(out_path), render_opinion_bytes(result, settings=settings,
                                                     templates_dir=templates_dir))
