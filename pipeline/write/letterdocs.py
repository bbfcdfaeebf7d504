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
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateError

from extractors.normalise.numerals import int_to_cn
from pipeline.core.errors import AnjuanError
from pipeline.core.months import month_cn
from pipeline.supervise.labels import check_title
from pipeline.supervise.letters import (
    LetterRecord,
    date_cn,
    mask,
    reply_period_text,
    rung_conf,
    settings_or_default,
    street_of,
)
from pipeline.write.docx import TEMPLATES_DIR, docx_bytes, write_bytes


def _joined(lines: Sequence[str]) -> str:
    """Numbered points in one paragraph: ``（一）…；（二）…。`` (one point: as it is)."""
    points = [x.strip().rstrip("。；;") for x in lines if x.strip()]
    if len(points) == 1:
        return points[0] + "。"
    return "；".join(f"（{int_to_cn(i)}）{x}" for i, x in enumerate(points, start=1)) + ("。" if points else "")


def _format(text: str, args: Mapping[str, Any], where: str) -> str:
    try:
        return text.format(**args)
    except (KeyError, IndexError, ValueError) as exc:
        raise AnjuanError("E512", path="letters.yaml",
                          detail=f"texts.{where} 中的占位符 {exc} 无法识别；可用：{'、'.join(sorted(args))}") from exc


def _talk_lines(record: LetterRecord, texts: Mapping[str, Any]) -> list[str]:
    """约谈情况: each talk recorded, or one fill-in line for the reviewer to complete by hand."""
    lines = []
    for e in record.events:
        if e.event == "talk":
            try:
                d = json.loads(e.note)
            except ValueError:
                d = {"participants": e.note, "commitments": ""}
            lines.append(f"约谈时间：{date_cn(e.date)}；参加人员：{d.get('participants') or '—'}；"
                         f"约谈承诺：{d.get('commitments') or '—'}。")
    if not lines:
        blank = texts.get("talk_blank") or {}
        lines.append(f"约谈时间：{blank.get('date', '＿＿＿＿年＿＿月＿＿日')}；"
                     f"参加人员：{blank.get('participants', '＿' * 10)}；"
                     f"约谈承诺：{blank.get('commitments', '＿' * 12)}。")
    return lines


def _sections(record: LetterRecord, texts: Mapping[str, Any], reply: Mapping[str, str],
              args: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The numbered sections after the table of problems, as (heading, text), by rung. ``reply``:
    the deadline, the reply period, to whom and what (``deadline``, ``period``, ``to``, ``form``)."""
    rung = record.rung
    deadline = reply["deadline"]
    send = f"请于{deadline}前向{reply['to']}报送{reply['form']}。"
    if rung == "tip":
        return [("整改要求", _joined(texts.get("correction") or ())), ("回复要求", send)]
    if rung == "supervise":
        return [("督办事项", _joined(texts.get("matters") or ())),
                ("办结时限", f"请于{deadline}前办结上述督办事项（{reply['period']}）。"),
                ("整改报告", _format(texts.get("report", ""), args, "supervise.report") + send)]
    if rung == "suggest":
        causes_conf = texts.get("causes") or {}
        causes = [causes_conf[k] for k in record.reasons if k in causes_conf] or list(causes_conf.values())[:1]
        return [("原因分析", "".join(causes)), ("监督建议", _joined(texts.get("suggestions") or ())),
                ("约谈情况", "".join(_talk_lines(record, texts))), ("回复要求", send)]
    return [("决定事项", _joined(texts.get("decisions") or ())),
            ("履行期限", f"请于{deadline}前履行本决定，并向{reply['to']}报送{reply['form']}。"),
            ("复核", texts.get("review", ""))]


def letter_view(record: LetterRecord, settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every template variable of the record's rung, as plain data.

    ``lead`` is the opening paragraph (for an escalated letter: one sentence per earlier letter, then
    the rung's closing phrase), ``items`` the table of problems (check names, never codes),
    ``sections`` the numbered sections before the last one and ``closing`` the last one, which the
    template keeps on one page with the 落款."""
    s = settings_or_default(settings)
    conf = rung_conf(s, record.rung)
    texts = (s.get("texts") or {}).get(record.rung) or {}
    args = {"squad": record.squad, "street": street_of(record.squad, s), "month_cn": month_cn(record.month),
            "n_cases": len(record.cases), "n_items": len(record.items), "reason": record.reason}
    escalated = record.parent_id is not None
    rung = record.rung
    if escalated and rung != "tip":  # a 提示单 is never an escalation
        tail = "conclusion" if rung == "decide" else "escalated_tail"
        lead = list(record.facts) + [_format(texts[tail], args, f"{rung}.{tail}")]
    else:
        key = "intro_direct" if rung == "decide" else "intro"
        lead = [_format(texts[key], args, f"{rung}.{key}"), *record.facts]
    if rung == "decide" and texts.get("basis"):
        lead.append(f"{texts['basis']}，决定如下：")

    items = [{"no": n, "case": f"{it.case_number}（{it.case_id}）" if it.case_number else it.case_id,
              "check": check_title(it.check_id), "problem": mask(it.message, None, s).rstrip("。"),
              "basis": it.citation or "—", "evidence": mask(it.evidence_quote, None, s) or "—"}
             for n, it in enumerate(record.items, start=1)]
    reply = {"deadline": date_cn(record.due_date) if record.due_date
             else f"收到本{conf.get('short', '')}之日起{reply_period_text(rung, s)}内",
             "period": f"自{date_cn(record.issued_date)}起{reply_period_text(rung, s)}",
             "to": s.get("reply_to", "我局"), "form": conf.get("reply_form", "书面整改情况")}
    sections = [{"heading": f"{int_to_cn(i)}、{h}。", "text": mask(text, None, s)}
                for i, (h, text) in enumerate(_sections(record, texts, reply, args), start=1)]
    return {
        "bureau": s.get("bureau", "上海市青浦区城市管理行政执法局"),
        "issuing_body": s.get("issuing_body", "上海市青浦区城市管理行政执法局（执法监督科）"),
        "title": record.rung_name or conf["name"],
        "number": record.number,
        "addressee": record.addressee,
        "lead": mask("".join(lead), None, s),  # ids and phones; addresses were masked when drafted
        "items": items,
        "sections": sections[:-1],
        "closing": sections[-1],
        "seal": s.get("seal_placeholder", "（印章）"),
        "date": date_cn(record.issued_date),
        "cc": "、".join(record.cc),
        "cc_label": conf.get("cc_label", "抄送"),
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
