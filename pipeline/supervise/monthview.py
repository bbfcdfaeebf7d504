"""The supervision month as a view model: what the 讲评会材料 and the 月通报 show (pure).

``month_view`` turns the month's CaseResults (plus the letter counts, the previous month's view
and the sampling plan) into a JSON-ready view model; the writers (``pipeline.write.meeting``)
render only from that view. The view holds no party names, no id numbers and no officers' names:
the only free text taken from a finding (the overdue message) is masked (people become "张某",
companies "当事人单位", id and mobile numbers are masked), so the view can be stored in the
database and the bulletin sent out.

Definitions (monthly.md §4; settings in ``pipeline/data/report.yaml``):
- a *defect* is a finding of severity veto/major/minor; cross-case signals (``MIS-*``) are
  counted apart and never as defects of a file;
- findings per file = defects ÷ files; % files with ≥ 1 defect;
- graded files: grade 优秀/良好/合格/不合格 (simple-procedure files graded ``不评分（简易程序）`` are
  counted as 不评分; a simple-procedure file with a veto is graded 不合格); % 不合格 over graded files;
- average score over the files scored on the 100-point sheet: graded files, except simple-procedure
  files whose score has no stage points (their 0 comes from the veto, not from the sheet);
- rank among squads by average score (1 = best; equal averages share a rank; the unidentified
  squad is not ranked); rank change = previous rank − this rank (positive = moved up);
- legal-review coverage = files needing 法制审核 that hold a review record ÷ files needing it.
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from checks.registry import all_checks
from pipeline.core.errors import AnjuanError
from pipeline.core.masking import mask_name, mask_personal
from pipeline.core.models import CaseResult, Finding, dumps
from pipeline.core.months import date_cn, month_cn
from pipeline.supervise.labels import SEVERITY_LABELS
from pipeline.supervise.letters import RUNGS, STATE_LABELS
from pipeline.supervise.letters import load_settings as letter_settings

if TYPE_CHECKING:
    from pipeline.supervise.sampling import Plan

log = logging.getLogger("anjuan.report")

SETTINGS_PATH = Path(__file__).resolve().parents[1] / "data" / "report.yaml"
GRADES = ("优秀", "良好", "合格", "不合格")
UNSCORED = "不评分"
STAGE_ORDER = ("立案", "调查取证", "事先告知", "审核决定", "送达执行", "结案", "归档")
OTHER_STAGE = "其他"
UNKNOWN_SQUAD = "（未识别中队）"


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
        return all_checks()
    except Exception as exc:  # noqa: BLE001 - titles are a nicety; ids still work
        log.warning("check registry unavailable: %s", exc)
        return {}


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
            if r.score is not None and r.score.has_points:
                # a simple-procedure file is only graded (不合格 on a veto), not scored on the sheet
                scores.append(float(r.score.total))
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


def _letters_block(letters: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The month's letters (``letters.count_month``) with every rung and state in words."""
    if not letters:
        return None
    issued_raw = dict(letters.get("issued") or {})
    names = {r: str(c.get("short") or c.get("name") or r) for r, c in (letter_settings().get("rungs") or {}).items()}
    issued = [{"rung": r, "rung_label": names.get(r, r), "count": int(issued_raw.get(r) or 0)} for r in RUNGS]
    items = []
    for x in letters.get("letters") or []:
        state = str(x.get("state") or "")
        items.append({
            "number": str(x.get("number") or ""),
            "rung_name": str(x.get("rung_name") or ""),
            "squad": str(x.get("squad") or ""),
            "state": state,
            "state_label": STATE_LABELS.get(state, state),
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


def _manual_review(results: Sequence[CaseResult], names: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """The files a reviewer must look at by hand, first: not scored (不评分, with the reasons) or holding
    points a check could not verify (未能核实)."""
    out = []
    for r in results:
        reasons = [f"不评分：{x}" for x in (r.score.unscored if r.score is not None else ())]
        reasons += [f"未能核实：{mask_personal(u.point, names).rstrip('。')}" for u in r.unverified]
        if not (r.fields or {}).get("squad") and r.findings:
            reasons.append("未能识别承办中队，本案问题未起草监督文书，请人工确定承办中队")
        if reasons:
            out.append({"case_id": r.case_id, "case_number": _case_number(r), "squad": _squad(r),
                        "scored": r.score is not None and not r.score.unscored, "reasons": reasons})
    out.sort(key=lambda x: (x["scored"], x["squad"], x["case_number"]))
    return out


def _bulletin_number(cfg: Mapping[str, Any], month: str) -> str:
    """月通报 文号 after GB/T 9704: ``青城管监通〔2024〕6号`` (no 第, no padding)."""
    year, mon = (month.split("-") + [""])[:2]
    serial = cfg.get("bulletin_number")
    n = int(serial) if serial is not None else int(mon) if mon.isdigit() else ""
    return f"{cfg.get('bulletin_number_prefix', '')}〔{year}〕{n}号"


def month_view(results: Sequence[CaseResult], *, month: str, letters: Mapping | None = None,
               previous: Mapping | None = None, plan: Plan | None = None,
               settings: Mapping | None = None, issue_date: str | None = None) -> dict[str, Any]:
    """The month's JSON-ready view model (see the module docstring for the definitions).
    ``issue_date`` (ISO) is the date the material and the bulletin are issued (成文日期)."""
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
                           "total": _r(r.score.total) if r.score.has_points else None, "grade": r.score.grade,
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
    letter_block = _letters_block(letters)
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
        "date": date_cn(issue_date),
        "seal": str(cfg.get("seal_placeholder", "（印章）")),
        "bulletin_number": _bulletin_number(cfg, month),
        "manual_review": _manual_review(results, names),
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


def view_digest(view: Mapping[str, Any]) -> str:
    """A short hash of the view (for logs and tests of determinism)."""
    return hashlib.sha256(dumps(view).encode("utf-8")).hexdigest()[:16]


__all__ = ["GRADES", "load_settings", "month_view", "view_digest"]
