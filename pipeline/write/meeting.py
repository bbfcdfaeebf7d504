"""The supervision month's reports: 讲评会材料 (.docx + .html with charts) and 月通报 (.docx).

``month_view`` turns the month's CaseResults (plus the letter counts, the previous month's view
and the sampling plan) into a JSON-ready view model; the writers render only from that view.
The view holds no party names, no id numbers and no officers' names: the only free text taken from
a finding (the overdue message) is scrubbed (people become "张某", companies "当事人单位", id and
mobile numbers are masked), so the view can be stored in the database and the bulletin sent out.
The bulletin prints counts, squad names, check ids/titles and case numbers only.

Definitions (monthly.md §4; settings in ``pipeline/data/report.yaml``):
- a *defect* is a finding of severity veto/major/minor; cross-case signals (``MIS-*``) are
  counted apart and never as defects of a file;
- findings per file = defects ÷ files; % files with ≥ 1 defect;
- graded files: grade 优秀/良好/合格/不合格 (simple-procedure files graded ``不评分(简易程序)`` are
  counted as 不评分; a simple-procedure file with a veto is graded 不合格); % 不合格 over graded files;
- average score over the files scored on the 100-point sheet: graded files, except simple-procedure
  files whose score has no stage points (their 0 comes from the veto, not from the sheet);
- rank among squads by average score (1 = best; equal averages share a rank; the unidentified
  squad is not ranked); rank change = previous rank − this rank (positive = moved up);
- legal-review coverage = files needing 法制审核 that hold a review record ÷ files needing it.

Outputs are deterministic: fixed core properties and a re-packed zip (docx), no timestamps (html).
"""
from __future__ import annotations

import hashlib
import io
import logging
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

import yaml

from pipeline.write import charts as ch
from pipeline.core.errors import AnjuanError, msg
from pipeline.core.masking import mask_name, mask_personal
from pipeline.core.models import CaseResult, Finding
from pipeline.core.months import month_cn
from pipeline.write.workbook import fixed_zip, write_bytes

if TYPE_CHECKING:
    from pipeline.supervise.sampling import Plan

log = logging.getLogger("anjuan.report")

SETTINGS_PATH = Path(__file__).resolve().parents[1] / "data" / "report.yaml"
TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
HTML_TEMPLATE = "report.html.j2"
GRADES = ("优秀", "良好", "合格", "不合格")
UNSCORED = "不评分"
STAGE_ORDER = ("立案", "调查取证", "事先告知", "审核决定", "送达执行", "结案", "归档")
OTHER_STAGE = "其他"
UNKNOWN_SQUAD = "（未识别中队）"
SEVERITY_LABELS = {"veto": "否决项", "major": "重大", "minor": "轻微", "info": "提示"}


# --- settings -----------------------------------------------------------------------------------

def load_settings(settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """report.yaml merged with ``settings`` (nested mappings are merged one level deep)."""
    try:
        base = yaml.safe_load(SETTINGS_PATH.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise AnjuanError("E406", path=str(SETTINGS_PATH), detail=str(exc)) from exc
    for key, value in (settings or {}).items():
        if isinstance(value, Mapping) and isinstance(base.get(key), Mapping):
            merged = dict(base[key])
            merged.update(value)
            base[key] = merged
        else:
            base[key] = value
    return base


def _check_specs() -> dict[str, Any]:
    try:
        from checks.registry import all_checks

        return all_checks()
    except Exception as exc:  # noqa: BLE001 - titles are a nicety; ids still work
        log.warning("check registry unavailable: %s", exc)
        return {}


# --- small helpers --------------------------------------------------------------------------------

def _r(x: float | None, nd: int = 2) -> float | None:
    if x is None:
        return None
    v = round(float(x) + 0.0, nd)
    return 0.0 if v == 0 else v


def _pct(a: int, b: int) -> float | None:
    return _r(100.0 * a / b, 1) if b else None


def _case_number(r: CaseResult) -> str:
    return str((r.fields or {}).get("case_number") or r.case_id)


def _squad(r: CaseResult) -> str:
    return str((r.fields or {}).get("squad") or UNKNOWN_SQUAD)


def _grade_key(r: CaseResult) -> str:
    g = r.score.grade if r.score is not None else None
    return g if g in GRADES else UNSCORED


def _names_to_scrub(results: Sequence[CaseResult]) -> list[tuple[str, str]]:
    """(name, replacement) of every party (张三 → 张某; a company → 当事人单位) and officer,
    longest first."""
    pairs: dict[str, str] = {}
    for r in results:
        f = r.fields or {}
        party = f.get("party") or {}
        name = party.get("name") if isinstance(party, Mapping) else None
        if name and len(str(name).strip()) >= 2:
            pairs[str(name).strip()] = ("当事人单位" if party.get("kind") == "organisation"
                                        else mask_name(str(name)))
        for o in f.get("officers") or []:
            oname = o.get("name") if isinstance(o, Mapping) else o
            if oname and len(str(oname).strip()) >= 2:
                pairs[str(oname).strip()] = mask_name(str(oname))
    return sorted(pairs.items(), key=lambda kv: (-len(kv[0]), kv[0]))


def _stage_of(f: Finding, specs: Mapping[str, Any]) -> str:
    if f.stage:
        return f.stage
    spec = specs.get(f.check_id)
    return (spec.stage if spec is not None and spec.stage else None) or OTHER_STAGE


def _title_of(check_id: str, specs: Mapping[str, Any]) -> str:
    spec = specs.get(check_id)
    return (getattr(spec, "title", None) or check_id) if spec is not None else check_id


def _is_signal(f: Finding, specs: Mapping[str, Any], prefixes: Sequence[str]) -> bool:
    spec = specs.get(f.check_id)
    if spec is not None and getattr(spec, "cross", False):
        return True
    return f.check_id.split("-")[0] in prefixes


def _stage_key(stage: str) -> tuple[int, str]:
    return (STAGE_ORDER.index(stage) if stage in STAGE_ORDER else len(STAGE_ORDER), stage)


def _money_of(v: Any) -> float | None:
    try:
        return float(v) if v is not None else None
    except (TypeError, ValueError):
        return None


# --- the view ---------------------------------------------------------------------------------

def _squad_block(name: str, rs: Sequence[CaseResult], defects: Mapping[str, list[Finding]]) -> dict[str, Any]:
    n = len(rs)
    grades = {g: 0 for g in GRADES}
    unscored = 0
    scores: list[float] = []
    vetoed = 0
    graded = 0
    n_def = 0
    with_def = 0
    simple = general = unknown = 0
    for r in rs:
        proc = (r.fields or {}).get("procedure")
        if proc == "simple":
            simple += 1
        elif proc == "general":
            general += 1
        else:
            unknown += 1
        g = _grade_key(r)
        if g == UNSCORED:
            unscored += 1
        else:
            grades[g] += 1
            graded += 1
            if proc != "simple" or r.score.stages:  # type: ignore[union-attr]
                # a simple-procedure file is only graded (不合格 on a veto), not scored on the sheet
                scores.append(float(r.score.total))  # type: ignore[union-attr]
        if r.score is not None and r.score.vetoed:
            vetoed += 1
        k = len(defects.get(r.case_id, []))
        n_def += k
        with_def += 1 if k else 0
    scored = len(scores)
    return {
        "name": name,
        "cases": n,
        "simple": simple,
        "general": general,
        "procedure_unknown": unknown,
        "findings": n_def,
        "findings_per_file": _r(n_def / n) if n else None,
        "files_with_findings": with_def,
        "pct_with_findings": _pct(with_def, n),
        "graded": graded,
        "scored": scored,
        "average_score": _r(sum(scores) / scored) if scored else None,
        "grades": grades,
        "unscored": unscored,
        "vetoed": vetoed,
        "pct_fail": _pct(grades["不合格"], graded),
        "rank": None,
        "change": None,
    }


def _rank(squads: list[dict[str, Any]]) -> None:
    """Competition ranking by average score (best = 1); squads without a graded file: None."""
    ranked = sorted((s for s in squads if s["average_score"] is not None and s["name"] != UNKNOWN_SQUAD),
                    key=lambda s: -s["average_score"])
    for s in ranked:
        s["rank"] = 1 + sum(1 for t in ranked if t["average_score"] > s["average_score"])


def _delta(a: Any, b: Any, nd: int = 2) -> float | None:
    if a is None or b is None:
        return None
    try:
        return _r(float(a) - float(b), nd)
    except (TypeError, ValueError):
        return None


def _change_block(cur: Mapping[str, Any], prev: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not prev:
        return None
    out = {
        "average_score": _delta(cur.get("average_score"), prev.get("average_score")),
        "findings_per_file": _delta(cur.get("findings_per_file"), prev.get("findings_per_file")),
        "pct_fail": _delta(cur.get("pct_fail"), prev.get("pct_fail"), 1),
        "previous_average_score": prev.get("average_score"),
        "previous_findings_per_file": prev.get("findings_per_file"),
        "previous_pct_fail": prev.get("pct_fail"),
    }
    if "rank" in cur:
        pr, cr = prev.get("rank"), cur.get("rank")
        out["previous_rank"] = pr
        out["rank"] = (int(pr) - int(cr)) if isinstance(pr, int) and isinstance(cr, int) else None
    return out


def _letters_block(letters: Mapping[str, Any] | None, cfg: Mapping[str, Any]) -> dict[str, Any] | None:
    if not letters:
        return None
    issued_raw = dict(letters.get("issued") or {})
    rungs = list(cfg.get("letter_rungs") or [])
    rungs += sorted(k for k in issued_raw if k not in rungs)
    issued = [{"rung": k, "count": int(issued_raw.get(k) or 0)} for k in rungs]
    states = cfg.get("letter_states") or {}
    items = []
    for x in letters.get("letters") or []:
        state = str(x.get("state") or "")
        items.append({
            "number": str(x.get("number") or ""),
            "rung_name": str(x.get("rung_name") or ""),
            "squad": str(x.get("squad") or ""),
            "state": state,
            "state_label": str(states.get(state, state)),
            "due_date": str(x.get("due_date") or ""),
        })
    items.sort(key=lambda x: (x["number"], x["squad"]))

    def rate(v: Any) -> float | None:
        return _r(float(v) * 100, 1) if isinstance(v, (int, float)) else None

    return {
        "issued": issued,
        "issued_total": sum(i["count"] for i in issued),
        "closed": int(letters.get("closed") or 0),
        "closure_rate": rate(letters.get("closure_rate")),
        "on_time_rate": rate(letters.get("on_time_rate")),
        "overdue_at_month_end": int(letters.get("overdue_at_month_end") or 0),
        "letters": items,
    }


def _needs_review(r: CaseResult, cfg: Mapping[str, Any], major: set[str]) -> tuple[bool, bool]:
    """(needs 法制审核, has a review record)."""
    f = r.fields or {}
    lr = cfg.get("legal_review") or {}
    has_record = bool(f.get("legal_review_date")) or any(d.doc_type == "legal_review" for d in r.documents)
    fired = any(x.check_id == lr.get("check", "LRV-01") for x in r.findings)
    needs = fired or has_record or _case_number(r) in major or r.case_id in major
    if not needs and f.get("procedure") != "simple":
        fine = max((v for v in (_money_of(f.get("fine_yuan")), _money_of(f.get("proposed_fine_yuan")))
                    if v is not None), default=None)
        party = f.get("party") or {}
        kind = party.get("kind") if isinstance(party, Mapping) else None
        levels = lr.get("hearing_level") or {}
        limit = levels.get(kind) if kind else levels.get("organisation")
        if fine is not None and limit is not None and fine >= float(limit):
            needs = True
    return needs, has_record


def month_view(results: Sequence[CaseResult], *, month: str, letters: Mapping | None = None,
               previous: Mapping | None = None, plan: "Plan | None" = None,
               settings: Mapping | None = None) -> dict[str, Any]:
    """The month's JSON-ready view model (see the module docstring for the definitions)."""
    cfg = load_settings(settings)
    specs = _check_specs()
    prefixes = list(cfg.get("signal_prefixes") or ["MIS"])
    defect_sev = set(cfg.get("defect_severities") or ["veto", "major", "minor"])
    results = sorted(results, key=lambda r: r.case_id)
    names = _names_to_scrub(results)

    defects: dict[str, list[Finding]] = {}
    signals: dict[str, list[Finding]] = {}
    for r in results:
        for f in r.findings:
            if _is_signal(f, specs, prefixes):
                signals.setdefault(r.case_id, []).append(f)
            elif f.severity in defect_sev:
                defects.setdefault(r.case_id, []).append(f)

    # --- squads and district ---------------------------------------------------------------------
    by_squad: dict[str, list[CaseResult]] = {}
    for r in results:
        by_squad.setdefault(_squad(r), []).append(r)
    order = [str(s) for s in cfg.get("squad_order") or []]

    def squad_key(name: str) -> tuple[int, int, str]:
        return (name == UNKNOWN_SQUAD, order.index(name) if name in order else len(order), name)

    squads = [_squad_block(name, by_squad[name], defects) for name in sorted(by_squad, key=squad_key)]
    _rank(squads)
    district = _squad_block("全区合计", results, defects)
    district.pop("rank")
    district["squads"] = len(squads)

    # --- defects by stage and family ------------------------------------------------------------------
    counts: dict[str, dict[str, Any]] = {}
    for r in results:
        for f in defects.get(r.case_id, []):
            c = counts.setdefault(f.check_id, {"check_id": f.check_id, "title": _title_of(f.check_id, specs),
                                               "stage": _stage_of(f, specs), "count": 0, "files": set(),
                                               "squads": set(), "severity": f.severity})
            c["count"] += 1
            c["files"].add(r.case_id)
            c["squads"].add(_squad(r))
    rows = []
    for c in counts.values():
        rows.append({"check_id": c["check_id"], "title": c["title"], "stage": c["stage"], "count": c["count"],
                     "files": len(c["files"]), "squads": len(c["squads"]), "severity": c["severity"],
                     "severity_label": SEVERITY_LABELS.get(c["severity"], c["severity"])})
    rows.sort(key=lambda x: (-x["count"], -x["files"], x["check_id"]))
    top_stage = int(cfg.get("top_per_stage") or 5)
    by_stage: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_stage.setdefault(row["stage"], []).append(row)
    defects_by_stage = [{"stage": st, "total": sum(x["count"] for x in items), "items": items[:top_stage],
                         "more": max(0, len(items) - top_stage)}
                        for st, items in sorted(by_stage.items(), key=lambda kv: _stage_key(kv[0]))]
    fam_names = cfg.get("families") or {}
    by_family: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_family.setdefault(row["check_id"].split("-")[0], []).append(row)
    defects_by_family = sorted(
        ({"family": fam, "label": str(fam_names.get(fam, fam)), "total": sum(x["count"] for x in items),
          "items": items} for fam, items in by_family.items()),
        key=lambda x: (-x["total"], x["family"]))

    # --- overdue, vetoed, discussion ---------------------------------------------------------------
    overdue_ids = list(cfg.get("overdue_checks") or ["DEC-01", "CLS-01"])
    overdue = []
    for r in results:
        for f in r.findings:
            if f.check_id in overdue_ids:
                overdue.append({"check_id": f.check_id, "title": _title_of(f.check_id, specs),
                                "case_id": r.case_id, "case_number": _case_number(r), "squad": _squad(r),
                                "detail": mask_personal(f.message, names)})
    overdue.sort(key=lambda x: (overdue_ids.index(x["check_id"]), x["squad"], x["case_number"]))

    vetoed = []
    for r in results:
        if r.score is not None and r.score.vetoed:
            ids = sorted({f.check_id for f in r.findings if f.severity == "veto"})
            vetoed.append({"case_id": r.case_id, "case_number": _case_number(r), "squad": _squad(r),
                           "total": _r(r.score.total), "grade": r.score.grade,
                           "checks": [{"check_id": i, "title": _title_of(i, specs)} for i in ids]})
    vetoed.sort(key=lambda x: (x["squad"], x["case_number"]))

    dcfg = cfg.get("discussion") or {}
    major_min = dcfg.get("major_findings_min")
    discussion = []
    for r in results:
        reasons = []
        if dcfg.get("vetoed", True) and r.score is not None and r.score.vetoed:
            ids = sorted({f.check_id for f in r.findings if f.severity == "veto"})
            reasons.append("否决项：" + "、".join(f"{i} {_title_of(i, specs)}" for i in ids) if ids else "否决项")
        n_major = sum(1 for f in defects.get(r.case_id, []) if f.severity in ("major", "veto"))
        if major_min and n_major >= int(major_min):
            reasons.append(f"重大问题 {n_major} 个")
        if dcfg.get("signals", True) and signals.get(r.case_id):
            ids = sorted({f.check_id for f in signals[r.case_id]})
            reasons.append("跨案卷信号：" + "、".join(f"{i} {_title_of(i, specs)}" for i in ids))
        if reasons:
            discussion.append({"case_id": r.case_id, "case_number": _case_number(r), "squad": _squad(r),
                               "grade": r.score.grade if r.score is not None else "未评分",
                               "reasons": reasons})
    discussion.sort(key=lambda x: (x["squad"], x["case_number"]))

    # --- legal review ------------------------------------------------------------------------------
    major_cases: set[str] = set()
    if plan is not None:
        for it in getattr(plan, "items", ()):
            if "重大法核" in tuple(getattr(it, "kinds", ())):
                major_cases.add(str(it.case_number))
    lr_check = (cfg.get("legal_review") or {}).get("check", "LRV-01")
    needing = with_record = 0
    lrv_cases = []
    for r in results:
        need, rec = _needs_review(r, cfg, major_cases)
        needing += need
        with_record += need and rec
        if any(f.check_id == lr_check for f in r.findings):
            lrv_cases.append({"case_number": _case_number(r), "squad": _squad(r)})
    legal_review = {"needing": needing, "with_record": with_record,
                    "coverage": _pct(with_record, needing), "check_id": lr_check,
                    "check_title": _title_of(lr_check, specs), "findings": len(lrv_cases),
                    "cases": sorted(lrv_cases, key=lambda x: (x["squad"], x["case_number"]))}

    # --- signals -----------------------------------------------------------------------------------
    sig: dict[str, dict[str, Any]] = {}
    for r in results:
        for f in signals.get(r.case_id, []):
            s = sig.setdefault(f.check_id, {"check_id": f.check_id, "title": _title_of(f.check_id, specs),
                                            "count": 0, "files": set()})
            s["count"] += 1
            s["files"].add(r.case_id)
            s["files"].update(f.related_cases)
    signal_rows = [{"check_id": s["check_id"], "title": s["title"], "count": s["count"], "files": len(s["files"])}
                   for _, s in sorted(sig.items())]

    # --- letters, change, plan ---------------------------------------------------------------------------
    letter_block = _letters_block(letters, cfg)
    per_squad_letters: dict[str, int] = {}
    for x in (letter_block or {}).get("letters", []):
        per_squad_letters[x["squad"]] = per_squad_letters.get(x["squad"], 0) + 1
    for s in squads:
        s["letters"] = per_squad_letters.get(s["name"], 0) if letter_block else None

    sheet_ids = sorted({r.score.sheet_id for r in results if r.score is not None and r.score.sheet_id})
    change = None
    notes: list[str] = []
    if previous:
        prev_squads = {s.get("name"): s for s in previous.get("squads") or [] if isinstance(s, Mapping)}
        for s in squads:
            s["change"] = _change_block(s, prev_squads.get(s["name"]))
        change = _change_block(district, previous.get("district") or {})
        if change is not None:
            prev_letters = previous.get("letters") or {}
            change["closure_rate"] = _delta((letter_block or {}).get("closure_rate"),
                                            prev_letters.get("closure_rate"), 1)
            change["previous_month"] = previous.get("month")
        prev_sheets = previous.get("score_sheets")
        if prev_sheets is not None and list(prev_sheets) != sheet_ids:
            notes.append(f"本月评分表（{'、'.join(sheet_ids) or '默认'}）与上月（{'、'.join(prev_sheets) or '默认'}）"
                         "不同，环比数字仅供参考。")

    plan_block = None
    if plan is not None:
        plan_block = {
            "month": plan.month, "seed": plan.seed, "last_month": plan.last_month,
            "squads": list(plan.squads), "items": len(plan.items),
            "quotas": [{"name": q.name, "base": q.base, "required": q.required, "drawn": q.drawn,
                        "met": q.met, "note": q.note} for q in plan.quotas],
            "reviewed": sum(1 for it in plan.items if "案卷" in it.kinds and any(
                _case_number(r) == it.case_number or r.case_id == it.case_number for r in results)),
        }

    view: dict[str, Any] = {
        "month": month,
        "month_label": month_cn(month),
        "bureau": str(cfg.get("bureau", "")),
        "bureau_short": str(cfg.get("bureau_short", "")),
        "office": str(cfg.get("office", "")),
        "titles": {"meeting": str(cfg.get("meeting_title", "")), "subtitle": str(cfg.get("meeting_subtitle", "")),
                   "bulletin": str(cfg.get("bulletin_title", ""))},
        "tables": [str(t) for t in cfg.get("tables") or []],
        "charts": [str(c) for c in cfg.get("charts") or []],
        "settings": {"top_per_stage": top_stage, "top_overall": int(cfg.get("top_overall") or 10),
                     "bulletin_top": int(cfg.get("bulletin_top") or 5),
                     "major_findings_min": major_min, "overdue_checks": overdue_ids},
        "score_sheets": sheet_ids,
        "district": district,
        "squads": squads,
        "top_defects": rows,
        "defects_by_stage": defects_by_stage,
        "defects_by_family": defects_by_family,
        "overdue": overdue,
        "vetoed": vetoed,
        "discussion": discussion,
        "legal_review": legal_review,
        "letters": letter_block,
        "signals": {"items": signal_rows, "total": sum(s["count"] for s in signal_rows)},
        "change": change,
        "plan": plan_block,
        "notes": notes,
    }
    return view


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


_NUMERIC = re.compile(r"[−+\-]?[\d.,]+%?(个百分点)?|—|持平|✓|✗|[↑↓]\d+|上月无数据")


def is_numeric(text: str) -> bool:
    """A cell aligned like a number (right in HTML, centred in DOCX)."""
    return bool(_NUMERIC.fullmatch(text))


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
        "note": "应当法制审核：触发 LRV-01、卷内有法制审核记录、抽查计划列为重大法核，或罚款达到听证标准的一般程序案卷。",
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
    return [{"title": f"{st['stage']}（{st['total']} 个）", "head": ["检查项", "问题", "问题数", "涉及案卷", "涉及中队"],
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
        f"简易程序 {d['simple']} 件" + (f"、程序未识别 {d['procedure_unknown']} 件" if d["procedure_unknown"] else "") + "。",
        f"百分制计分案卷 {d['scored']} 件，平均得分 {fnum(d['average_score'])} 分；{grades}"
        + (f"，不评分 {d['unscored']} 件" if d["unscored"] else "") + f"；否决项案卷 {d['vetoed']} 件。",
        f"发现问题 {d['findings']} 个，件均 {fnum(d['findings_per_file'])} 个，"
        f"有问题的案卷占 {fpct(d['pct_with_findings'])}。",
    ]
    c = view.get("change")
    if c:
        lines.append(f"与上月相比：平均分{_word(c.get('average_score'), '分')}，件均问题{_word(c.get('findings_per_file'), '个')}，"
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


# --- HTML -------------------------------------------------------------------------------------------

def render_html(view: Mapping[str, Any], templates_dir: Path | None = None) -> str:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
    from markupsafe import Markup

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
    import traceback

    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(HTML_TEMPLATE):
            return str(frame.lineno)
    return "?"


# --- DOCX -------------------------------------------------------------------------------------------

FONT_BODY = "仿宋_GB2312"
FONT_TITLE = "方正小标宋简体"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
CN_NUM = "一二三四五六七八九十"


def _set_font(run: Any, name: str, size: float | None = None, bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold


class GovDoc:
    """A GB/T 9704-style document: A4, 37/35/28/26 mm margins, 仿宋_GB2312 三号 body."""

    def __init__(self, title: str) -> None:
        from docx import Document
        from docx.shared import Mm, Pt

        self.doc = Document()
        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
        sec.left_margin, sec.right_margin = Mm(28), Mm(26)
        sec.header_distance, sec.footer_distance = Mm(15), Mm(20)
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT_BODY
        normal.font.size = Pt(16)
        from docx.oxml.ns import qn

        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.insert(0, fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FONT_BODY)
        pf = normal.paragraph_format
        pf.space_before = pf.space_after = Pt(0)
        pf.line_spacing = Pt(28)
        self._footer_page_number()
        cp = self.doc.core_properties
        cp.title = title
        cp.author = cp.last_modified_by = "anjuan"
        cp.comments = ""
        cp.revision = 1
        self.h1_count = 0
        self.h2_count = 0

    def _footer_page_number(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        p = self.doc.sections[0].footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run("— ")
        _set_font(r, "宋体", 14)
        run = p.add_run()
        _set_font(run, "宋体", 14)
        for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
            if tag:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), tag)
            else:
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            run._element.append(el)
        r = p.add_run(" —")
        _set_font(r, "宋体", 14)

    def title(self, text: str, sub: str | None = None) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = Pt(36)
        _set_font(p.add_run(text), FONT_TITLE, 22)
        if sub:
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_font(p.add_run(sub), FONT_H2, 16)
        self.doc.add_paragraph()

    def h1(self, text: str) -> None:
        self.h1_count += 1
        self.h2_count = 0
        p = self.doc.add_paragraph()
        p.paragraph_format.first_line_indent = _pt(32)
        p.paragraph_format.keep_with_next = True
        _set_font(p.add_run(f"{_cn(self.h1_count)}、{text}"), FONT_H1, 16)

    def h2(self, text: str) -> None:
        self.h2_count += 1
        p = self.doc.add_paragraph()
        p.paragraph_format.first_line_indent = _pt(32)
        p.paragraph_format.keep_with_next = True
        _set_font(p.add_run(f"（{_cn(self.h2_count)}）{text}"), FONT_H2, 16)

    def para(self, text: str, *, size: float = 16, indent: bool = True, bold: bool = False,
             center: bool = False, right: bool = False) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = self.doc.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif right:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if indent:
            p.paragraph_format.first_line_indent = _pt(size * 2)
        if size != 16:
            p.paragraph_format.line_spacing = _pt(size * 1.6)
        _set_font(p.add_run(text), FONT_BODY, size, bold or None)

    def table(self, head: Sequence[str], rows: Sequence[Sequence[str]], *, total_row: bool = False,
              widths: Sequence[float] | None = None, size: float | None = None) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

        if not head:
            return
        size = size or (10.5 if len(head) <= 7 else 9)
        t = self.doc.add_table(rows=1 + len(rows), cols=len(head))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        widths = widths or _auto_widths(head, rows, size)
        for ci, col in enumerate(t.columns):
            col.width = Mm(widths[ci])
        for ri, values in enumerate([list(head), *[list(r) for r in rows]]):
            row = t.rows[ri]
            if ri == 0:  # repeat the header row on every page
                trpr = row._tr.get_or_add_trPr()
                el = OxmlElement("w:tblHeader")
                el.set(qn("w:val"), "true")
                trpr.append(el)
            for ci, value in enumerate(values):
                cell = row.cells[ci]
                cell.width = Mm(widths[ci])
                p = cell.paragraphs[0]
                p.paragraph_format.line_spacing = Pt(size * 1.35)
                p.paragraph_format.first_line_indent = Pt(0)
                numeric = is_numeric(str(value))
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER if (ri == 0 or numeric) else WD_ALIGN_PARAGRAPH.LEFT
                bold = ri == 0 or (total_row and ri == len(rows))
                _set_font(p.add_run(str(value)), FONT_BODY, size, bold)
                if ri == 0:
                    shd = OxmlElement("w:shd")
                    shd.set(qn("w:val"), "clear")
                    shd.set(qn("w:color"), "auto")
                    shd.set(qn("w:fill"), "D9E1F2")
                    cell._tc.get_or_add_tcPr().append(shd)
        self.doc.add_paragraph().paragraph_format.line_spacing = Pt(10)

    def note(self, text: str) -> None:
        if text:
            self.para(text, size=12, indent=False)

    def picture(self, png: bytes, width_mm: float = 156) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm

        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = _pt(0)
        p.paragraph_format.line_spacing = 1.0
        p.paragraph_format.keep_together = True
        p.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))

    def bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return fixed_zip(buf.getvalue())


def _pt(x: float) -> Any:
    from docx.shared import Pt

    return Pt(x)


def _cn(n: int) -> str:
    if n <= 10:
        return CN_NUM[n - 1]
    return "十" + CN_NUM[n - 11] if n < 20 else str(n)


def _auto_widths(head: Sequence[str], rows: Sequence[Sequence[str]], size: float = 10.5,
                 total: float = 156) -> list[float]:
    """Column widths (mm): each column's longest value on one line (a header may take two lines);
    spare width is shared out in proportion, a shortfall is taken from the wide text columns."""
    em = size * 0.3528  # mm per em
    pad = 4.0  # Word's default cell margins (2 × 1.9 mm) and a little air
    need = []
    for ci in range(len(head)):
        longest = max([ch.text_width(str(r[ci]), 1) for r in rows] + [2.0])
        header = ch.text_width(str(head[ci]), 1)
        need.append(max(longest, math.ceil(header / 2)) * em + pad)
    s = sum(need)
    if s <= total:
        return [n + (total - s) * n / s for n in need]
    # short values (case numbers, squads, counts) stay on one line when they leave room enough;
    # the long text columns share what is left
    keep_max = 18 * em + pad
    keep = [n <= keep_max for n in need]
    kept = sum(n for n, k in zip(need, keep) if k)
    long_total = sum(n for n, k in zip(need, keep) if not k)
    if long_total and kept <= 0.8 * total:
        room = total - kept
        return [n if k else room * n / long_total for n, k in zip(need, keep)]
    # otherwise cap the widest columns at one level ("water-filling")
    lo, hi = 0.0, max(need)
    for _ in range(40):
        mid = (lo + hi) / 2
        if sum(min(n, mid) for n in need) > total:
            hi = mid
        else:
            lo = mid
    return [min(n, lo) for n in need]


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


# --- bulletin ---------------------------------------------------------------------------------------

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


def view_digest(view: Mapping[str, Any]) -> str:
    """A short hash of the view (for logs and tests of determinism)."""
    from pipeline.core.models import dumps

    return hashlib.sha256(dumps(view).encode("utf-8")).hexdigest()[:16]


__all__ = ["month_view", "write_meeting_material", "write_bulletin", "render_html", "meeting_docx",
           "bulletin_docx", "load_settings"]

