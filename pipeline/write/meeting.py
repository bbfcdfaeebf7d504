"""The supervision month's reports: 讲评会材料 (.docx + .html with charts) and 月通报 (.docx).

Both render only from the month's view model (``pipeline.supervise.monthview.month_view``). The two
.docx are Word templates a bureau can restyle (``templates/meeting.docx``, ``templates/bulletin.docx``,
built by ``templates/build_report_templates.py``; an override directory may hold its own), rendered
with docxtpl from ``meeting_context`` / ``bulletin_context``; the .html from ``report.html.j2``. The
bulletin leaves the office: it prints counts, squad names, the problems in words and case numbers only.

Outputs are deterministic: fixed core properties and a re-packed zip (docx), no timestamps (html).
"""
from __future__ import annotations

import io
import logging
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from markupsafe import Markup

from extractors.normalise.numerals import int_to_cn
from pipeline.core.errors import AnjuanError, msg
from pipeline.supervise.monthview import GRADES
from pipeline.write import charts as ch
from pipeline.write.docx import TEMPLATES_DIR, docx_bytes, write_bytes
from pipeline.write.govdoc import is_numeric

log = logging.getLogger("anjuan.report")

HTML_TEMPLATE = "report.html.j2"
MEETING_TEMPLATE = "meeting.docx"
BULLETIN_TEMPLATE = "bulletin.docx"



# --- formatting helpers shared by the HTML and DOCX ------------------------------------------------

def fnum(v: Any, nd: int = 2) -> str:
    """A number for a table cell: None → —; 85.0 → 85; 85.25 → 85.25."""
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, int):
        return str(v)
    v = float(v)
    if v.is_integer():
        return str(int(v))
    return f"{v:.{nd}f}".rstrip("0").rstrip(".")


def fpct(v: Any) -> str:
    return "—" if v is None else f"{fnum(v, 1)}%"


def fdelta(v: Any, unit: str = "", nd: int = 2) -> str:
    if v is None:
        return "—"
    v = float(v)
    if v == 0:
        return "持平"
    return ("+" if v > 0 else "−") + fnum(abs(v), nd) + unit


def frank(change: Any) -> str:
    if change is None:
        return "—"
    if change == 0:
        return "持平"
    return f"↑{change}" if change > 0 else f"↓{-change}"


def _tables(view: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every table of the material as {key: {title, head, rows, note}} (strings only)."""
    d = view["district"]
    squads = view["squads"]
    out: dict[str, dict[str, Any]] = {}

    def sq(name: str) -> str:
        return _short_squad(name, view)

    out["manual"] = {
        "title": "需人工核对的案卷",
        "head": ["案号", "中队", "需人工核对的事项"],
        "rows": [[x["case_number"], sq(x["squad"]), "；".join(x["reasons"])] for x in view.get("manual_review") or []],
        "total_row": False,
        "note": "不评分的案卷不计入平均分和等级分布，请人工核对原件后重新评查。",
    }
    out["squads"] = {
        "title": "各中队抽查案卷与问题",
        "head": ["中队", "抽查案卷", "简易程序", "一般程序", "问题数", "件均问题", "有问题案卷占比"],
        "rows": [[sq(s["name"]), fnum(s["cases"]), fnum(s["simple"]), fnum(s["general"]), fnum(s["findings"]),
                  fnum(s["findings_per_file"]), fpct(s["pct_with_findings"])] for s in squads]
        + [[d["name"], fnum(d["cases"]), fnum(d["simple"]), fnum(d["general"]), fnum(d["findings"]),
            fnum(d["findings_per_file"]), fpct(d["pct_with_findings"])]],
        "total_row": True,
        "note": "问题数不含跨案卷信号和提示类问题。",
    }
    out["scores"] = {
        "title": "各中队评分与等级",
        "head": ["中队", "计分案卷", "平均分", "优秀", "良好", "合格", "不合格", "不评分", "否决", "不合格率", "排名"],
        "rows": [[sq(s["name"]), fnum(s["scored"]), fnum(s["average_score"]), *(fnum(s["grades"][g]) for g in GRADES),
                  fnum(s["unscored"]), fnum(s["vetoed"]), fpct(s["pct_fail"]), fnum(s["rank"])] for s in squads]
        + [[d["name"], fnum(d["scored"]), fnum(d["average_score"]), *(fnum(d["grades"][g]) for g in GRADES),
            fnum(d["unscored"]), fnum(d["vetoed"]), fpct(d["pct_fail"]), "—"]],
        "total_row": True,
        "note": "平均分按百分制计分案卷计算；简易程序案卷默认不计分（只做合法性检查，有否决项的定为不合格）；"
                "不合格率 = 不合格 ÷ 定级案卷（优秀、良好、合格、不合格）。排名按平均分由高到低。",
    }
    if view.get("change"):
        c = view["change"]
        rows = []
        for s in squads:
            sc = s.get("change") or {}
            rows.append([sq(s["name"]), fdelta(sc.get("average_score")), fdelta(sc.get("findings_per_file")),
                         fdelta(sc.get("pct_fail"), "个百分点", 1),
                         frank(sc.get("rank")) if sc else "上月无数据"])
        rows.append([d["name"], fdelta(c.get("average_score")), fdelta(c.get("findings_per_file")),
                     fdelta(c.get("pct_fail"), "个百分点", 1), "—"])
        out["change"] = {
            "title": f"与上月（{c.get('previous_month') or '上月'}）比较",
            "head": ["中队", "平均分变化", "件均问题变化", "不合格率变化", "排名变化"],
            "rows": rows, "total_row": True,
            "note": "排名变化：↑ 表示名次上升。" + (f"信件办结率变化：{fdelta(c.get('closure_rate'), '个百分点', 1)}。"
                                                if c.get("closure_rate") is not None else ""),
        }
    out["overdue"] = {
        "title": "超期及应结未结案件",
        "head": ["检查项", "案号", "中队", "情况"],
        "rows": [[f"{x['check_id']} {x['title']}", x["case_number"], sq(x["squad"]), x["detail"]]
                 for x in view["overdue"]],
        "total_row": False, "note": "" if view["overdue"] else "本月抽查案卷未发现超期或应结未结案件。",
    }
    out["vetoed"] = {
        "title": "否决项案卷",
        "head": ["案号", "中队", "得分", "等级", "否决项"],
        "rows": [[x["case_number"], sq(x["squad"]), fnum(x["total"]), x["grade"],
                  "；".join(f"{c['check_id']} {c['title']}" for c in x["checks"]) or "—"] for x in view["vetoed"]],
        "total_row": False, "note": "" if view["vetoed"] else "本月抽查案卷无否决项。",
    }
    out["discussion"] = {
        "title": "建议提交讲评会讨论的案卷",
        "head": ["案号", "中队", "等级", "提请讨论理由"],
        "rows": [[x["case_number"], sq(x["squad"]), x["grade"], "；".join(x["reasons"])] for x in view["discussion"]],
        "total_row": False, "note": "" if view["discussion"] else "本月无需提请讨论的案卷。",
    }
    lr = view["legal_review"]
    out["legal_review"] = {
        "title": "法制审核覆盖情况",
        "head": ["应当法制审核的案卷", "有审核记录", "覆盖率", f"{lr['check_id']} {lr['check_title']}", "涉及案号"],
        "rows": [[fnum(lr["needing"]), fnum(lr["with_record"]), fpct(lr["coverage"]), fnum(lr["findings"]),
                  "、".join(f"{c['case_number']}（{sq(c['squad'])}）" for c in lr["cases"]) or "—"]],
        "total_row": False,
        "note": "应当法制审核：触发 LRV-01、卷内有法制审核记录、抽查计划列为重大法核，"
                "或罚款达到听证标准的一般程序案卷。",
    }
    lt = view.get("letters")
    if lt:
        out["letters"] = {
            "title": "监督文书（两单两书）",
            "head": [*(i["rung_label"] for i in lt["issued"]), "合计", "已办结", "办结率", "按期办结率", "月末逾期"],
            "rows": [[*(fnum(i["count"]) for i in lt["issued"]), fnum(lt["issued_total"]), fnum(lt["closed"]),
                      fpct(lt["closure_rate"]), fpct(lt["on_time_rate"]), fnum(lt["overdue_at_month_end"])]],
            "total_row": False, "note": "办结率 = 月内到期文书中月末前办结的 ÷ 月内到期文书。",
        }
        out["letter_list"] = {
            "title": "监督文书清单",
            "head": ["文号", "文书", "中队", "状态", "期限"],
            "rows": [[x["number"], x["rung_name"], sq(x["squad"]), x["state_label"], x["due_date"]]
                     for x in lt["letters"]],
            "total_row": False, "note": "",
        }
    else:
        out["letters"] = {"title": "监督文书（两单两书）", "head": [], "rows": [], "total_row": False,
                          "note": "本月尚无监督文书记录。"}
    sg = view["signals"]
    out["signals"] = {
        "title": "跨案卷信号",
        "head": ["检查项", "信号数", "涉及案卷"],
        "rows": [[f"{x['check_id']} {x['title']}", fnum(x["count"]), fnum(x["files"])] for x in sg["items"]],
        "total_row": False,
        "note": "跨案卷信号须人工核实后才认定为问题，不计入案卷得分。" if sg["items"] else "本月未发现跨案卷信号。",
    }
    pl = view.get("plan")
    if pl:
        out["sampling"] = {
            "title": f"抽查指标完成情况（{pl['month']} 督察任务单）",
            "head": ["指标", "基数", "应抽", "实抽", "达标", "说明"],
            "rows": [[q["name"], fnum(q["base"]), fnum(q["required"]), fnum(q["drawn"]), "✓" if q["met"] else "✗",
                      q["note"] or ""] for q in pl["quotas"]],
            "total_row": False, "note": f"计划抽查案卷中已评查 {pl['reviewed']} 件。",
        }
    return out


def stage_tables(view: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{"title": f"{st['stage']}（{st['total']} 个）",
             "head": ["检查项", "问题", "问题数", "涉及案卷", "涉及中队"],
             "rows": [[x["check_id"], x["title"], fnum(x["count"]), fnum(x["files"]), fnum(x["squads"])]
                      for x in st["items"]],
             "total_row": False, "widths": [12, 40, 16, 16, 16],
             "note": f"另有 {st['more']} 项较少的问题未列出。" if st["more"] else ""}
            for st in view["defects_by_stage"]]


def family_table(view: Mapping[str, Any]) -> dict[str, Any]:
    return {"title": "按问题类别", "head": ["类别", "问题数", "主要检查项"],
            "rows": [[f"{f['family']} {f['label']}", fnum(f["total"]),
                      "、".join(f"{x['check_id']} {x['title']}（{x['count']}）" for x in f["items"][:3])]
                     for f in view["defects_by_family"]],
            "total_row": False, "note": ""}


def overview_lines(view: Mapping[str, Any]) -> list[str]:
    d = view["district"]
    grades = "，".join(f"{g} {d['grades'][g]} 件" for g in GRADES)
    lines = [
        f"{view['month_label']}共抽查评查 {d['squads']} 个中队的案卷 {d['cases']} 件，其中一般程序 {d['general']} 件、"
        f"简易程序 {d['simple']} 件"
        + (f"、程序未识别 {d['procedure_unknown']} 件" if d["procedure_unknown"] else "") + "。",
        f"百分制计分案卷 {d['scored']} 件，平均得分 {fnum(d['average_score'])} 分；{grades}"
        + (f"，不评分 {d['unscored']} 件" if d["unscored"] else "") + f"；否决项案卷 {d['vetoed']} 件。",
        f"发现问题 {d['findings']} 个，件均 {fnum(d['findings_per_file'])} 个，"
        f"有问题的案卷占 {fpct(d['pct_with_findings'])}。",
    ]
    c = view.get("change")
    if c:
        lines.append(f"与上月相比：平均分{_word(c.get('average_score'), '分')}，"
                     f"件均问题{_word(c.get('findings_per_file'), '个')}，"
                     f"不合格率{_word(c.get('pct_fail'), '个百分点', 1)}。")
    lines += list(view.get("notes") or [])
    return lines


def _word(v: Any, unit: str, nd: int = 2) -> str:
    if v is None:
        return "无可比数据"
    v = float(v)
    if v == 0:
        return "持平"
    return ("上升" if v > 0 else "下降") + fnum(abs(v), nd) + unit


def render_html(view: Mapping[str, Any], templates_dir: Path | None = None) -> str:
    tdir = Path(templates_dir) if templates_dir else TEMPLATES_DIR
    env = Environment(loader=FileSystemLoader(str(tdir)), undefined=StrictUndefined, autoescape=True,
                      keep_trailing_newline=True)
    env.tests["numeric"] = is_numeric
    charts = {c.key: Markup(ch.to_svg(c)) for c in ch.month_charts(view) if c.key in view["charts"]}
    ctx = {"view": view, "t": _tables(view), "stages": stage_tables(view), "families": family_table(view),
           "overview": overview_lines(view), "charts": charts, "font_family": ch.FONT_FAMILY}
    try:
        return env.get_template(HTML_TEMPLATE).render(**ctx)
    except TemplateSyntaxError as exc:
        raise AnjuanError("E401", template=exc.name or HTML_TEMPLATE, line=exc.lineno, detail=exc.message) from exc
    except TemplateError as exc:
        raise AnjuanError("E401", template=HTML_TEMPLATE, line=_template_line(exc), detail=str(exc)) from exc


def _template_line(exc: BaseException) -> str:
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(HTML_TEMPLATE):
            return str(frame.lineno)
    return "?"


def _docx_charts(view: Mapping[str, Any]) -> tuple[dict[str, bytes], str]:
    """PNG charts for the .docx (none, with the E405 note, when no CJK font is installed)."""
    wanted = [c for c in ch.month_charts(view) if c.key in view["charts"]]
    if not wanted:
        return {}, ""
    font = ch.find_cjk_font()
    if font is None:
        warning = msg("E405")
        log.warning(warning)
        return {}, warning
    out = {}
    for c in wanted:
        png = ch.to_png(c, font)
        if png is not None:
            out[c.key] = png
    return out, ""


def _split(tb: Mapping[str, Any]) -> dict[str, Any]:
    """A table of ``_tables`` for a Word template: the total row apart (it is printed in bold)."""
    rows = list(tb.get("rows") or [])
    total = rows.pop() if tb.get("total_row") and rows else None
    return {"title": tb.get("title", ""), "head": list(tb.get("head") or []), "rows": rows, "total": total,
            "note": tb.get("note", "")}


def _numbered(keys: Sequence[str], titles: Mapping[str, str], ordinal: Callable[[int], str]) -> dict[str, str]:
    return {key: ordinal(i) + titles[key] for i, key in enumerate(keys, start=1)}


def meeting_context(view: Mapping[str, Any], images: Mapping[str, Any] | None = None,
                    chart_note: str = "") -> dict[str, Any]:
    """Every variable of templates/meeting.docx: the blocks chosen in ``report.yaml`` (``show``),
    their headings numbered without gaps (``hd``), the tables (``t``, ``stages``), the overview lines
    and the charts (``images``: key → an inline image)."""
    t = {key: _split(tb) for key, tb in _tables(view).items()}
    t["families"] = _split(family_table(view))
    tables = set(view["tables"])
    show = {
        "overview": "overview" in tables, "manual": bool(view.get("manual_review")),
        "squads": "squads" in tables, "scores": "scores" in tables,
        "change": "change" in tables and "change" in t,
        "stages": "defects_by_stage" in tables,
        "families": "defects_by_family" in tables and bool(view["defects_by_family"]),
    }
    show["squads_section"] = show["squads"] or show["scores"]
    show["defects_section"] = show["stages"] or "defects_by_family" in tables
    for key in ("overdue", "vetoed", "discussion", "legal_review", "letters", "signals", "sampling"):
        show[key] = key in tables and key in t
    titles = {"overview": "总体情况", "manual": "需人工核对的案卷", "squads_section": "各中队情况",
              "defects_section": "高发问题", "overdue": "超期及应结未结案件", "vetoed": "否决项案卷",
              "discussion": "提请讨论的案卷", "legal_review": "法制审核", "letters": "监督文书",
              "signals": "跨案卷信号", "sampling": "抽查指标完成情况",
              "squads": t["squads"]["title"], "scores": t["scores"]["title"],
              "change": t.get("change", {}).get("title", ""), "stages": "按办案环节", "families": "按问题类别"}
    top = [k for k in ("overview", "manual", "squads_section", "defects_section", "overdue", "vetoed",
                       "discussion", "legal_review", "letters", "signals", "sampling") if show[k]]
    hd = _numbered(top, titles, lambda i: int_to_cn(i) + "、")
    def sub(i: int) -> str:
        return f"（{int_to_cn(i)}）"

    hd.update(_numbered([k for k in ("squads", "scores", "change") if show[k]], titles, sub))
    hd.update(_numbered([k for k in ("stages", "families") if show[k]], titles, sub))
    t.setdefault("change", _split({}))
    t.setdefault("sampling", _split({}))
    t.setdefault("letter_list", _split({}))
    images = images or {}
    return {
        "title": f"{view['month_label']}{view['titles']['meeting']}",
        "subtitle": view["titles"]["subtitle"],
        "issuer": f"{view['bureau']}{view['office']}",
        "date": view.get("date", ""),
        "show": show, "hd": hd, "t": t,
        "overview": overview_lines(view),
        "stages": [_split(st) for st in stage_tables(view)],
        "stage_empty": "" if view["defects_by_stage"] else "本月抽查案卷未发现问题。",
        "charts": {key: images.get(key, "") for key in ("grades", "scores", "defects")},
        "chart_note": chart_note,
    }


def bulletin_context(view: Mapping[str, Any]) -> dict[str, Any]:
    """Every variable of templates/bulletin.docx. The bulletin leaves the office (to the 街镇): it
    prints counts, squad names, the problems in words and case numbers, never a name, an id number
    or an internal code."""
    dist = view["district"]
    rows = []
    for s in [*view["squads"], dist]:
        rows.append([_short_squad(s["name"], view), fnum(s["cases"]), fnum(s["average_score"]),
                     *(fnum(s["grades"][g]) for g in GRADES), fnum(s["findings_per_file"]),
                     fnum(s.get("rank")) if s is not dist else "—"])
    squads = {"head": ["中队", "抽查案卷", "平均分", "优秀", "良好", "合格", "不合格", "件均问题", "排名"],
              "rows": rows[:-1], "total": rows[-1], "title": "", "note": ""}
    tables = _tables(view)
    change = _split(tables["change"]) if "change" in tables else _split({})
    top = view["top_defects"][: view["settings"]["bulletin_top"]]
    t = {"squads": squads, "change": change,
         "top": {"head": ["序号", "问题", "环节", "问题数", "涉及中队"], "total": None, "title": "", "note": "",
                 "rows": [[str(i), x["title"], x["stage"], fnum(x["count"]), fnum(x["squads"])]
                          for i, x in enumerate(top, 1)]},
         "overdue": {"head": ["案号", "中队", "问题"], "total": None, "title": "", "note": "",
                     "rows": [[x["case_number"], _short_squad(x["squad"], view), x["title"]]
                              for x in view["overdue"]]}}
    lt = view.get("letters")
    if lt:
        issued = "，".join(f"{i['rung_label']} {i['count']} 份" for i in lt["issued"])
        letters_line = (f"本月制发监督文书 {lt['issued_total']} 份（{issued}），办结 {lt['closed']} 份，"
                        f"办结率 {fpct(lt['closure_rate'])}，按期办结率 {fpct(lt['on_time_rate'])}，"
                        f"月末逾期未办结 {lt['overdue_at_month_end']} 份。")
    else:
        letters_line = "本月尚无监督文书记录。"
    sg = view["signals"]
    signals_line = (f"跨案卷信号 {sg['total']} 个（" + "，".join(f"{x['title']} {x['count']} 个" for x in sg["items"])
                    + "），待人工核实。") if sg["total"] else ""
    return {
        "bureau": view["bureau"], "number": view.get("bulletin_number", ""),
        "title": f"{view['month_label']}{view['titles']['bulletin']}",
        "addressee": view.get("bulletin_addressee") or "各中队、街镇执法队",
        "month_label": view["month_label"], "overview": overview_lines(view), "t": t,
        "letters_line": letters_line, "signals_line": signals_line,
        "issuer": f"{view['bureau']}{view['office']}", "seal": view.get("seal", "（印章）"),
        "date": view.get("date", ""),
    }


def _short_squad(name: str, view: Mapping[str, Any]) -> str:
    """``青浦区城管执法局朱家角中队`` → ``朱家角中队`` in tables (the bureau is in the heading)."""
    prefix = str(view.get("bureau_short") or "")
    return name[len(prefix):] if prefix and name.startswith(prefix) and len(name) > len(prefix) else name


def template_path(name: str, templates_dir: Path | None = None) -> Path:
    """``DIR/name`` when the override directory has it, else the built-in template."""
    if templates_dir is not None and (Path(templates_dir) / name).is_file():
        return Path(templates_dir) / name
    return TEMPLATES_DIR / name


def _render(name: str, context_of: Callable[[DocxTemplate], Mapping[str, Any]], title: str,
            templates_dir: Path | None) -> bytes:
    path = template_path(name, templates_dir)
    try:
        tpl = DocxTemplate(str(path))
        tpl.render(context_of(tpl), jinja_env=Environment(undefined=StrictUndefined, autoescape=True),
                   autoescape=True)
    except TemplateError as exc:
        raise AnjuanError("E401", template=str(path), line=getattr(exc, "lineno", None) or "?",
                          detail=exc.message or str(exc)) from exc
    return docx_bytes(tpl.docx, title=title, saver=tpl)


def meeting_docx(view: Mapping[str, Any], templates_dir: Path | None = None) -> bytes:
    """讲评会材料.docx as bytes (templates/meeting.docx)."""
    pngs, warning = _docx_charts(view)

    def context(tpl: DocxTemplate) -> Mapping[str, Any]:
        images = {key: InlineImage(tpl, io.BytesIO(png), width=Mm(150)) for key, png in pngs.items()}
        return meeting_context(view, images, warning)

    return _render(MEETING_TEMPLATE, context, view["titles"]["meeting"], templates_dir)


def write_meeting_material(view: Mapping[str, Any], out_dir: Path, *,
                           templates_dir: Path | None = None) -> list[Path]:
    """Write 讲评会材料.docx and 讲评会材料.html into ``out_dir``; returns both paths."""
    out_dir = Path(out_dir)
    docx_path = out_dir / "讲评会材料.docx"
    html_path = out_dir / "讲评会材料.html"
    html = render_html(view, templates_dir)
    write_bytes(docx_path, meeting_docx(view, templates_dir))
    write_bytes(html_path, html.encode("utf-8"))
    return [docx_path, html_path]


def bulletin_docx(view: Mapping[str, Any], templates_dir: Path | None = None) -> bytes:
    """月通报.docx as bytes (templates/bulletin.docx)."""
    return _render(BULLETIN_TEMPLATE, lambda _tpl: bulletin_context(view), view["titles"]["bulletin"],
                   templates_dir)


def write_bulletin(view: Mapping[str, Any], out_path: Path, *, templates_dir: Path | None = None) -> None:
    """Write 月通报.docx (masked: no names, no id numbers)."""
    write_bytes(Path(out_path), bulletin_docx(view, templates_dir))


__all__ = ["bulletin_context", "bulletin_docx", "meeting_context", "meeting_docx", "render_html", "write_bulletin",
           "write_meeting_material"]
