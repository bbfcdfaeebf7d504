"""The supervision month's reports: 讲评会材料 (.docx + .html with charts) and 月通报 (.docx).

Both render only from the month's view model (``pipeline.supervise.monthview.month_view``). The
bulletin prints counts, squad names, check ids/titles and case numbers only.

Outputs are deterministic: fixed core properties and a re-packed zip (docx), no timestamps (html).
"""
from __future__ import annotations

import logging
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from markupsafe import Markup

from pipeline.core.errors import AnjuanError, msg
from pipeline.supervise.monthview import GRADES
from pipeline.write import charts as ch
from pipeline.write.docx import write_bytes
from pipeline.write.govdoc import GovDoc, is_numeric

log = logging.getLogger("anjuan.report")

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
HTML_TEMPLATE = "report.html.j2"


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
    out["squads"] = {
        "title": "各中队抽查案卷与问题",
        "head": ["中队", "抽查案卷", "简易程序", "一般程序", "问题数", "件均问题", "有问题案卷占比"],
        "rows": [[s["name"], fnum(s["cases"]), fnum(s["simple"]), fnum(s["general"]), fnum(s["findings"]),
                  fnum(s["findings_per_file"]), fpct(s["pct_with_findings"])] for s in squads]
        + [[d["name"], fnum(d["cases"]), fnum(d["simple"]), fnum(d["general"]), fnum(d["findings"]),
            fnum(d["findings_per_file"]), fpct(d["pct_with_findings"])]],
        "total_row": True,
        "note": "问题数不含跨案卷信号和提示类（info）问题。",
    }
    out["scores"] = {
        "title": "各中队评分与等级",
        "head": ["中队", "计分案卷", "平均分", "优秀", "良好", "合格", "不合格", "不评分", "否决", "不合格率", "排名"],
        "rows": [[s["name"], fnum(s["scored"]), fnum(s["average_score"]), *(fnum(s["grades"][g]) for g in GRADES),
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
            rows.append([s["name"], fdelta(sc.get("average_score")), fdelta(sc.get("findings_per_file")),
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
        "rows": [[f"{x['check_id']} {x['title']}", x["case_number"], x["squad"], x["detail"]] for x in view["overdue"]],
        "total_row": False, "note": "" if view["overdue"] else "本月抽查案卷未发现超期或应结未结案件。",
    }
    out["vetoed"] = {
        "title": "否决项案卷",
        "head": ["案号", "中队", "得分", "等级", "否决项"],
        "rows": [[x["case_number"], x["squad"], fnum(x["total"]), x["grade"],
                  "；".join(f"{c['check_id']} {c['title']}" for c in x["checks"]) or "—"] for x in view["vetoed"]],
        "total_row": False, "note": "" if view["vetoed"] else "本月抽查案卷无否决项。",
    }
    out["discussion"] = {
        "title": "建议提交讲评会讨论的案卷",
        "head": ["案号", "中队", "等级", "提请讨论理由"],
        "rows": [[x["case_number"], x["squad"], x["grade"], "；".join(x["reasons"])] for x in view["discussion"]],
        "total_row": False, "note": "" if view["discussion"] else "本月无需提请讨论的案卷。",
    }
    lr = view["legal_review"]
    out["legal_review"] = {
        "title": "法制审核覆盖情况",
        "head": ["应当法制审核的案卷", "有审核记录", "覆盖率", f"{lr['check_id']} {lr['check_title']}", "涉及案号"],
        "rows": [[fnum(lr["needing"]), fnum(lr["with_record"]), fpct(lr["coverage"]), fnum(lr["findings"]),
                  "、".join(f"{c['case_number']}（{c['squad']}）" for c in lr["cases"]) or "—"]],
        "total_row": False,
        "note": "应当法制审核：触发 LRV-01、卷内有法制审核记录、抽查计划列为重大法核，"
                "或罚款达到听证标准的一般程序案卷。",
    }
    lt = view.get("letters")
    if lt:
        out["letters"] = {
            "title": "监督文书（两单两书）",
            "head": [*(i["rung"] for i in lt["issued"]), "合计", "已办结", "办结率", "按期办结率", "月末逾期"],
            "rows": [[*(fnum(i["count"]) for i in lt["issued"]), fnum(lt["issued_total"]), fnum(lt["closed"]),
                      fpct(lt["closure_rate"]), fpct(lt["on_time_rate"]), fnum(lt["overdue_at_month_end"])]],
            "total_row": False, "note": "办结率 = 月内到期文书中月末前办结的 ÷ 月内到期文书。",
        }
        out["letter_list"] = {
            "title": "监督文书清单",
            "head": ["文号", "文书", "中队", "状态", "期限"],
            "rows": [[x["number"], x["rung_name"], x["squad"], x["state_label"], x["due_date"]] for x in lt["letters"]],
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


def _docx_charts(view: Mapping[str, Any]) -> tuple[list[tuple[str, bytes]], str | None]:
    wanted = [c for c in ch.month_charts(view) if c.key in view["charts"]]
    if not wanted:
        return [], None
    font = ch.find_cjk_font()
    if font is None:
        warning = msg("E405")
        log.warning(warning)
        return [], warning
    out = []
    for c in wanted:
        png = ch.to_png(c, font)
        if png is not None:
            out.append((c.key, png))
    return out, None


def meeting_docx(view: Mapping[str, Any]) -> bytes:
    """讲评会材料.docx as bytes."""
    t = _tables(view)
    tables = view["tables"]
    d = GovDoc(view["titles"]["meeting"])
    d.title(f"{view['month_label']}{view['titles']['meeting']}", view["titles"]["subtitle"] or None)
    d.para(f"{view['bureau']}{view['office']}", size=14, indent=False, center=True)
    pngs, warning = _docx_charts(view)
    png = dict(pngs)
    if "overview" in tables:
        d.h1("总体情况")
        for line in overview_lines(view):
            d.para(line)
    if "squads" in tables or "scores" in tables:
        d.h1("各中队情况")
        for key in ("squads", "scores"):
            if key in tables:
                d.h2(t[key]["title"])
                d.table(t[key]["head"], t[key]["rows"], total_row=t[key]["total_row"])
                d.note(t[key]["note"])
        if warning:
            d.note(warning)
        for key in ("grades", "scores"):
            if key in png:
                d.picture(png[key])
        if "change" in tables and "change" in t:
            d.h2(t["change"]["title"])
            d.table(t["change"]["head"], t["change"]["rows"], total_row=True)
            d.note(t["change"]["note"])
    if "defects_by_stage" in tables or "defects_by_family" in tables:
        d.h1("高发问题")
        if "defects" in png:
            d.picture(png["defects"])
        if "defects_by_stage" in tables:
            d.h2("按办案环节")
            if not view["defects_by_stage"]:
                d.para("本月抽查案卷未发现问题。")
            for st in stage_tables(view):
                d.para(st["title"], size=14, indent=False, bold=True)
                d.table(st["head"], st["rows"])
                d.note(st["note"])
        if "defects_by_family" in tables and view["defects_by_family"]:
            fam = family_table(view)
            d.h2(fam["title"])
            d.table(fam["head"], fam["rows"])
    sections = [("overdue", "超期及应结未结案件"), ("vetoed", "否决项案卷"), ("discussion", "提请讨论的案卷"),
                ("legal_review", "法制审核"), ("letters", "监督文书"), ("signals", "跨案卷信号"),
                ("sampling", "抽查指标完成情况")]
    for key, heading in sections:
        if key not in tables or key not in t:
            continue
        d.h1(heading)
        d.table(t[key]["head"], t[key]["rows"], total_row=t[key]["total_row"])
        d.note(t[key]["note"])
        if key == "letters" and "letter_list" in t and t["letter_list"]["rows"]:
            d.table(t["letter_list"]["head"], t["letter_list"]["rows"])
    return d.bytes()


def write_meeting_material(view: Mapping[str, Any], out_dir: Path, *,
                           templates_dir: Path | None = None) -> list[Path]:
    """Write 讲评会材料.docx and 讲评会材料.html into ``out_dir``; returns both paths."""
    out_dir = Path(out_dir)
    docx_path = out_dir / "讲评会材料.docx"
    html_path = out_dir / "讲评会材料.html"
    html = render_html(view, templates_dir)
    write_bytes(docx_path, meeting_docx(view))
    write_bytes(html_path, html.encode("utf-8"))
    return [docx_path, html_path]


def bulletin_docx(view: Mapping[str, Any]) -> bytes:
    """月通报.docx as bytes: district totals, one line per squad, the top five defects, overdue cases
    (case numbers only) and letters. Only counts, squad names, check ids and case numbers appear."""
    d = GovDoc(view["titles"]["bulletin"])
    dist = view["district"]
    d.title(f"{view['month_label']}{view['titles']['bulletin']}")
    d.para("各中队、街镇执法队：", indent=False)
    d.para(f"现将{view['month_label']}执法办案质量评查情况通报如下。")
    d.h1("总体情况")
    for line in overview_lines(view):
        d.para(line)
    d.h1("各中队情况")
    c = view.get("change")
    head = ["中队", "抽查案卷", "平均分", "优秀", "良好", "合格", "不合格", "件均问题", "排名"]
    if c:
        head += ["平均分变化", "排名变化"]
    rows = []
    for s in [*view["squads"], dist]:
        row = [s["name"], fnum(s["cases"]), fnum(s["average_score"]), *(fnum(s["grades"][g]) for g in GRADES),
               fnum(s["findings_per_file"]), fnum(s.get("rank")) if s is not dist else "—"]
        if c:
            sc = (s.get("change") or {}) if s is not dist else c
            row += [fdelta(sc.get("average_score")), frank(sc.get("rank")) if s is not dist else "—"]
        rows.append(row)
    d.table(head, rows, total_row=True)
    d.h1("主要问题")
    top = view["top_defects"][: view["settings"]["bulletin_top"]]
    if top:
        d.table(["序号", "检查项", "问题", "环节", "问题数", "涉及中队"],
                [[str(i), x["check_id"], x["title"], x["stage"], fnum(x["count"]), fnum(x["squads"])]
                 for i, x in enumerate(top, 1)])
    else:
        d.para("本月抽查案卷未发现问题。")
    d.h1("超期及应结未结案件")
    if view["overdue"]:
        d.table(["案号", "中队", "问题"], [[x["case_number"], x["squad"], f"{x['check_id']} {x['title']}"]
                                       for x in view["overdue"]])
    else:
        d.para("本月抽查案卷未发现超期或应结未结案件。")
    d.h1("监督文书")
    lt = view.get("letters")
    if lt:
        issued = "，".join(f"{i['rung']} {i['count']} 份" for i in lt["issued"])
        d.para(f"本月制发监督文书 {lt['issued_total']} 份（{issued}），办结 {lt['closed']} 份，"
               f"办结率 {fpct(lt['closure_rate'])}，按期办结率 {fpct(lt['on_time_rate'])}，"
               f"月末逾期未办结 {lt['overdue_at_month_end']} 份。")
    else:
        d.para("本月尚无监督文书记录。")
    sg = view["signals"]
    if sg["total"]:
        d.para(f"跨案卷信号 {sg['total']} 个（" + "，".join(f"{x['title']} {x['count']} 个" for x in sg["items"])
               + "），待人工核实。")
    d.para("请各中队对照问题清单举一反三、抓好整改。", indent=True)
    d.doc.add_paragraph()
    d.para(f"{view['bureau']}{view['office']}", indent=False, right=True)
    return d.bytes()


def write_bulletin(view: Mapping[str, Any], out_path: Path) -> None:
    """Write 月通报.docx (masked: no names, no id numbers)."""
    write_bytes(Path(out_path), bulletin_docx(view))


__all__ = ["bulletin_docx", "meeting_docx", "render_html", "write_bulletin", "write_meeting_material"]
