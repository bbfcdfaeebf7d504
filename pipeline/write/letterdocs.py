"""Render a supervision letter (两单两书) as .docx from the docxtpl template of its rung.

``letter_view(record, settings)`` builds the view model (plain strings, lists and dicts); the
templates ``templates/letter_{tip,supervise,suggest,decide}.docx`` (built by
``templates/build_letter_templates.py``, editable in Word) use nothing else. Rendering uses a
StrictUndefined Jinja environment: a missing variable is E401 naming the template and the
variable. Output is byte-identical for the same input (fixed core properties, re-packed zip).

Personal data: items were masked when drafted (身份证号, 手机号, an individual party's address);
the texts are masked once more here for 身份证号 and mobile numbers (``masking.ids_and_phones``).
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateError

from pipeline.core.errors import AnjuanError
from pipeline.core.months import month_cn
from pipeline.supervise.letters import (
    LetterRecord,
    date_cn,
    mask,
    reply_period_text,
    rung_conf,
    settings_or_default,
    street_of,
)
from pipeline.write.docx import docx_bytes, write_bytes

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
CN_NUM = "一二三四五六七八九十"


def _cn(n: int) -> str:
    if n <= 10:
        return CN_NUM[n - 1]
    return "十" + CN_NUM[n - 11] if n < 20 else str(n)


def _numbered(lines: list[str]) -> list[str]:
    return [f"（{_cn(i)}）{x}" for i, x in enumerate(lines, start=1)] if len(lines) > 1 else list(lines)


def _format(text: str, args: Mapping[str, Any], where: str) -> str:
    try:
        return text.format(**args)
    except (KeyError, IndexError, ValueError) as exc:
        raise AnjuanError("E512", path="letters.yaml",
                          detail=f"texts.{where} 中的占位符 {exc} 无法识别；可用：{'、'.join(sorted(args))}") from exc


def letter_view(record: LetterRecord, settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every template variable of the record's rung, as plain data."""
    s = settings_or_default(settings)
    conf = rung_conf(s, record.rung)
    texts = (s.get("texts") or {}).get(record.rung) or {}
    m = lambda t: mask(t, None, s)  # noqa: E731 - ids and phones; addresses were masked when drafted
    args = {"squad": record.squad, "street": street_of(record.squad, s), "month_cn": month_cn(record.month),
            "n_cases": len(record.cases), "n_items": len(record.items), "reason": record.reason}
    escalated = record.parent_id is not None
    facts = list(record.facts)
    rung = record.rung
    if rung == "tip":
        intro = [_format(texts["intro"], args, "tip.intro")]
    elif rung in ("supervise", "suggest"):
        intro = (facts + [_format(texts["escalated_tail"], args, f"{rung}.escalated_tail")] if escalated
                 else [_format(texts["intro"], args, f"{rung}.intro")])
    else:
        intro = (facts + [_format(texts["conclusion"], args, "decide.conclusion")] if escalated
                 else [_format(texts["intro_direct"], args, "decide.intro_direct")])

    items = []
    by_case: dict[str, list[str]] = {}
    numbers: dict[str, str] = {}
    for n, it in enumerate(record.items, start=1):
        items.append({"no": n, "case": f"{it.case_number}（{it.case_id}）" if it.case_number else it.case_id,
                      "check_id": it.check_id, "problem": m(it.message).rstrip("。"),
                      "basis": it.citation or "—", "evidence": m(it.evidence_quote) or "—"})
        ids = by_case.setdefault(it.case_id, [])
        if it.check_id not in ids:
            ids.append(it.check_id)
        numbers.setdefault(it.case_id, it.case_number)
    cases = sorted(by_case)
    cases_line = f"涉及案件共{len(cases)}件：" + "、".join(
        f"{numbers[c]}（案卷编号{c}）" if numbers[c] else f"案卷编号{c}" for c in cases) + "。"
    links = "；".join(f"案卷{c}（{'、'.join(by_case[c])}）" for c in cases)
    if record.parent_number:
        links = f"前期文书{record.parent_number}；" + links

    causes_conf = texts.get("causes") or {}
    causes = [causes_conf[k] for k in record.reasons if k in causes_conf]
    if rung == "suggest" and not causes and causes_conf:
        causes = [next(iter(causes_conf.values()))]
    talks = []
    for e in record.events:
        if e.event == "talk":
            try:
                d = json.loads(e.note)
            except ValueError:
                d = {"participants": e.note, "commitments": ""}
            talks.append({"date": date_cn(e.date), "participants": d.get("participants") or "—",
                          "commitments": d.get("commitments") or "—"})
    if not talks and rung == "suggest":
        blank = texts.get("talk_blank") or {}
        talks.append({"date": blank.get("date", "　　年　　月　　日"),
                      "participants": blank.get("participants", "　　"),
                      "commitments": blank.get("commitments", "　　")})

    short = conf.get("short", "")
    return {
        "bureau": s.get("bureau", "上海市青浦区城市管理行政执法局"),
        "issuing_body": s.get("issuing_body", "上海市青浦区城市管理行政执法局（执法监督科）"),
        "title": record.rung_name or conf["name"],
        "number": record.number,
        "addressee": record.addressee,
        "intro": [m(x) for x in intro],
        "facts": [] if escalated else [m(x) for x in facts],
        "cases_line": cases_line,
        "items": items,
        "correction": _numbered(list(texts.get("correction") or ())),
        "matters": _numbered(list(texts.get("matters") or ())),
        "report": texts.get("report", ""),
        "causes": causes,
        "suggestions": _numbered(list(texts.get("suggestions") or ())),
        "talks": talks,
        "basis": texts.get("basis", ""),
        "decisions": _numbered(list(texts.get("decisions") or ())),
        "review": texts.get("review", ""),
        "reply_deadline": date_cn(record.due_date) if record.due_date
        else f"收到本{short}之日起{reply_period_text(rung, s)}内",
        "reply_period": f"自{date_cn(record.issued_date)}起{reply_period_text(rung, s)}",
        "reply_form": conf.get("reply_form", "书面整改情况"),
        "reply_to": s.get("reply_to", "我局"),
        "seal": s.get("seal_placeholder", "（印章）"),
        "date": date_cn(record.issued_date),
        "cc": "、".join(record.cc),
        "cc_label": conf.get("cc_label", "抄送"),
        "links": links,
        "reason": record.reason,
    }


def template_path(rung: str, templates_dir: Path | None = None) -> Path:
    name = f"letter_{rung}.docx"
    if templates_dir is not None and (Path(templates_dir) / name).is_file():
        return Path(templates_dir) / name
    return TEMPLATES_DIR / name


def render_letter_bytes(record: LetterRecord, *, settings: Mapping[str, Any] | None = None,
                        templates_dir: Path | None = None) -> bytes:
    s = settings_or_default(settings)
    path = template_path(record.rung, templates_dir)
    try:
        tpl = DocxTemplate(str(path))
        tpl.render(letter_view(record, s), jinja_env=Environment(undefined=StrictUndefined, autoescape=True),
                   autoescape=True)
    except TemplateError as exc:
        text = exc.message or str(exc)
        mm = re.match(r"'([^']+)' is undefined", text)
        detail = f"变量“{mm.group(1)}”未定义（不是监督文书可用的变量）" if mm else f"模板语法错误：{text}"
        raise AnjuanError("E401", template=str(path), line=getattr(exc, "lineno", None) or "?",
                          detail=detail) from exc
    return docx_bytes(tpl.docx, title=f"{record.rung_name} {record.number}", saver=tpl)


def render_letter(record: LetterRecord, out_path: Path, *, settings: Mapping[str, Any] | None = None,
                  templates_dir: Path | None = None) -> None:
    """Write the letter as .docx to ``out_path``."""
    write_bytes(Path(out_path), render_letter_bytes(record, settings=settings, templates_dir=templates_dir))


def letter_filename(record: LetterRecord) -> str:
    """``2024-03_夏阳中队_执法监督提示单_青城管监提〔2024〕3号.docx`` (safe on Windows)."""
    name = f"{record.month}_{record.squad}_{record.rung_name}_{record.number}.docx"
    return re.sub(r'[\\/:*?"<>|]', "_", name)
