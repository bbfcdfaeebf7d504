"""Score a case file from its findings with a score sheet kept as data (domain/scoring.md).

The sheet (``pipeline/data/scoresheet.yaml`` by default, or any file a bureau supplies) lists the
stages with their maxima, the grade bands, the veto mode and one item per check id. Scoring is a pure
function of the case fields, the findings, the sheet and the reviewer's decisions:

1. each finding is mapped to its sheet item (:func:`finding_effects`): a deduction in a stage, a veto,
   or nothing (``info`` severity, cross-case signal not confirmed, dismissed by a reviewer, no item,
   or a second finding of a check that deducts once per file);
2. a stage scores its maximum minus its deductions, floored at 0; the total is their sum
   (or ``100 × earned / applicable`` with ``rescale_applicable``);
3. a veto applies its mode: ``zero_out`` → total 0, lowest grade; ``cap_grade`` → the computed total
   and a grade no better than ``cap_to``;
4. the grade is the first band whose lower bound the *unrounded* total reaches.

Deduction points are positive numbers (points taken off). A veto is a Deduction with 0 points, and so
is a finding a reviewer dismissed (its basis starts with ``已排除``), so the record lists every effect.

Simple-procedure files are not scored on the 100-point sheet when ``score_simple_procedure`` is false:
their Score has total 0, no stages and grade ``simple_procedure_grade`` (default ``不评分（简易程序）``);
legality vetoes (SIM-01, OFF-01 …) still set ``vetoed``, and under ``zero_out`` the grade becomes the
lowest band (不合格).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from checks.common import DOC_NAMES
from pipeline.core.errors import RulesError, msg
from pipeline.core.models import (
    DEDUCTED,
    DISMISSED,
    DOC_TYPES,
    INFO,
    PENDING,
    REPEAT,
    UNMAPPED,
    UNSCORED_GRADE,
    VETO,
    Deduction,
    Finding,
    FindingEffect,
    Score,
)
from pipeline.supervise.labels import PROCEDURE_LABELS

DEFAULT_SHEET = Path(__file__).resolve().parents[1] / "data" / "scoresheet.yaml"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available
VETO_MODES = ("zero_out", "cap_grade")
DEDUCT_PER = ("finding", "occurrence")
ITEM_STATUSES = ("CONFIRMED", "UNCONFIRMED", "PROPOSED")
_CHECK_ID = re.compile(r"^[A-Z]{3}-[0-9]{2}$")



class ScoreSheetError(RulesError):
    """One or more problems in a score-sheet file; ``problems`` holds each formatted message."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.code = "E402"
        self.problems = tuple(problems)
        self.kwargs = {}
        Exception.__init__(self, "\n".join(self.problems))


@dataclass(frozen=True, slots=True)
class SheetElement:
    """A part of a check scored on its own (e.g. the seal inside DEC-02)."""

    match: str
    id: str
    points: float = 0.0
    veto: bool = False
    mode: str | None = None
    text: str = ""
    basis: str = ""


@dataclass(frozen=True, slots=True)
class SheetItem:
    id: str
    stage: str
    text: str
    basis: str = ""
    check: str | None = None
    points: float = 0.0
    veto: bool = False
    mode: str | None = None  # veto mode override; None = the sheet's veto_mode
    per: str | None = None  # finding | occurrence; None = the sheet's deduct_per
    stage_from_finding: bool = False
    confirmed_only: bool = False
    status: str = "UNCONFIRMED"
    elements: tuple[SheetElement, ...] = ()

    @property
    def basis_text(self) -> str:
        """``B3 立案不及时；《…》第五十四条`` — item id, text and statute."""
        return _basis(self.id, self.text, self.basis, self.veto)


@dataclass(frozen=True, slots=True)
class Unscored:
    """When a file is not scored (不评分) but listed for manual review, with the reason."""

    ignore_errors: tuple[str, ...] = ("E115", "E118", "E124", "E154")
    required_documents: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    outcomes: tuple[str, ...] = ("pending",)


@dataclass(frozen=True, slots=True)
class ScoreSheet:
    id: str
    title: str
    veto_mode: str
    cap_to: str
    rescale_applicable: bool
    score_simple_procedure: bool
    simple_procedure_grade: str
    deduct_per: str
    stages: tuple[tuple[str, float], ...]
    grade_bands: tuple[tuple[float, str], ...]
    items: tuple[SheetItem, ...]
    inapplicable_stages: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    path: str = ""
    unscored: Unscored = field(default_factory=lambda: Unscored())

    @property
    def stage_names(self) -> tuple[str, ...]:
        return tuple(s for s, _ in self.stages)

    @property
    def stage_max(self) -> dict[str, float]:
        return dict(self.stages)

    @property
    def grades(self) -> tuple[str, ...]:
        return tuple(g for _, g in self.grade_bands)

    def item_for(self, check_id: str) -> SheetItem | None:
        for it in self.items:
            if it.check == check_id:
                return it
        return None

    def grade_for(self, total: float) -> str:
        for lower, grade in self.grade_bands:
            if total >= lower:
                return grade
        return self.grade_bands[-1][1]

    def cap(self, grade: str, cap_to: str | None = None) -> str:
        """The better of ``grade`` and ``cap_to`` is replaced by ``cap_to`` (at most cap_to)."""
        cap_to = cap_to or self.cap_to
        order = self.grades
        if grade in order and cap_to in order and order.index(grade) < order.index(cap_to):
            return cap_to
        return grade


def _basis(item_id: str, text: str, statute: str, veto: bool) -> str:
    head = f"{item_id} {text}".strip()
    if veto:
        head += "（否决项）"
    return f"{head}；{statute}" if statute else head


# ---------------------------------------------------------------------------------------------
# decisions


def decision_of(decisions: Mapping[tuple[str, str], Any] | None, case_id: str | None,
                check_id: str) -> tuple[str | None, str | None]:
    """A reviewer's decision on ``(case_id, check_id)``: ``(confirmed|dismissed|None, reason)``.

    A decision value is ``"confirmed"`` / ``"dismissed"``, or a mapping / object with ``decision``
    (or ``status``) and ``reason``.
    """
    if not decisions:
        return None, None
    value = decisions.get((case_id or "", check_id))
    if value is None:
        return None, None
    if isinstance(value, str):
        return value, None
    if isinstance(value, Mapping):
        return value.get("decision") or value.get("status"), value.get("reason")
    return (getattr(value, "decision", None) or getattr(value, "status", None),
            getattr(value, "reason", None))


# ---------------------------------------------------------------------------------------------
# scoring


def _finding_text(f: Finding) -> str:
    # the message only: evidence quotes may print 印章 etc. without anything missing
    return f.message


def finding_effects(case_fields: Mapping[str, Any], findings: Sequence[Finding], sheet: ScoreSheet,
                    *, decisions: Mapping[tuple[str, str], Any] | None = None,
                    case_id: str | None = None) -> list[FindingEffect]:
    """Map every finding to its effects on the score, in finding order."""
    out: list[FindingEffect] = []
    stage_names = sheet.stage_names
    deducted_checks: set[str] = set()
    for index, f in enumerate(findings):
        decision, reason = decision_of(decisions, case_id, f.check_id)
        item = sheet.item_for(f.check_id)
        stage = f.stage if f.stage in stage_names else None
        if f.severity == "info":
            out.append(FindingEffect(f, INFO, index=index, stage=stage, decision=decision, reason=reason))
            continue
        if item is None:
            if f.severity == "veto" and decision != "dismissed":
                # a veto check the sheet does not list still fails the file (global mode)
                out.append(FindingEffect(f, VETO, index=index, item="—", stage=stage, mode=sheet.veto_mode,
                                         basis=_basis("—", "否决项（评分表未列）", f.citation, False),
                                         decision=decision, reason=reason))
            else:
                out.append(FindingEffect(f, DISMISSED if decision == "dismissed" else UNMAPPED, index=index,
                                         stage=stage, decision=decision, reason=reason))
            continue
        if item.stage_from_finding and f.stage in stage_names:
            stage = f.stage
        else:
            stage = item.stage
        if decision == "dismissed":
            basis = "已排除" + (f"（{reason}）" if reason else "") + "：" + item.basis_text
            out.append(FindingEffect(f, DISMISSED, index=index, item=item.id, stage=stage, basis=basis,
                                     decision=decision, reason=reason))
            continue
        if item.confirmed_only and decision != "confirmed":
            out.append(FindingEffect(f, PENDING, index=index, item=item.id, stage=stage, basis=item.basis_text,
                                     decision=decision, reason=reason))
            continue

        per = item.per or sheet.deduct_per
        if per == "finding" and not item.veto:
            # "each finding deducts once per file": a check reported twice deducts once
            if f.check_id in deducted_checks:
                out.append(FindingEffect(f, REPEAT, index=index, item=item.id, stage=stage,
                                         basis=item.basis_text, decision=decision, reason=reason))
                continue
            deducted_checks.add(f.check_id)
        text = _finding_text(f)
        matched = [el for el in item.elements if el.match and el.match in text]
        base = FindingEffect(f, DEDUCTED, index=index, stage=stage, decision=decision, reason=reason)
        # (item id, points, veto, veto mode, basis) of each part of the finding that counts
        charges: list[tuple[str, float, bool, str | None, str]] = []
        if per == "occurrence":
            count = max(int(f.occurrences), 1)
            base_count = max(count - len(matched), 0)
            if base_count:
                charges.append((item.id, item.points * base_count, item.veto, item.mode, item.basis_text))
            for el in matched[:count]:
                charges.append((el.id, el.points, el.veto, el.mode,
                                _basis(el.id, el.text or item.text, el.basis or item.basis, el.veto)))
        else:
            charges.append((item.id, item.points, item.veto, item.mode, item.basis_text))
            for el in matched:  # once per finding: only a veto element adds anything
                if el.veto:
                    charges.append((el.id, 0, True, el.mode,
                                    _basis(el.id, el.text or item.text, el.basis or item.basis, True)))
        for item_id, points, veto, mode, basis in charges:
            if veto:
                out.append(replace(base, status=VETO, item=item_id, basis=basis, mode=mode or sheet.veto_mode))
            elif points > 0:
                out.append(replace(base, item=item_id, points=points, basis=basis))
    return out


def unscored_reasons(sheet: ScoreSheet, case_fields: Mapping[str, Any], documents: Sequence[str] | None,
                     error_codes: Sequence[str] = ()) -> tuple[str, ...]:
    """Why a file cannot be scored (empty: it can). ``documents`` are the doc types read (None: not
    known, the document rules are not applied); ``error_codes`` the codes of its read errors."""
    rule = sheet.unscored
    reasons: list[str] = []
    blocking = sorted({c for c in error_codes if c not in rule.ignore_errors})
    if blocking:
        reasons.append(f"有文件未能读取或未能完整读取（{'、'.join(blocking)}），评分可能不准确")
    if documents is None:
        return tuple(reasons)
    procedure = case_fields.get("procedure")
    if not documents:
        reasons.append("未读取到任何案卷文书（文件为空、不是案卷文书或无法识别）")
    elif procedure not in PROCEDURE_LABELS:
        reasons.append("未能识别办案程序（一般程序或简易程序）")
    else:
        needed = rule.required_documents.get(str(procedure), ())
        if needed and not set(needed) & set(documents):
            names = "、".join(DOC_NAMES.get(d, d) for d in needed)
            reasons.append(f"未见{PROCEDURE_LABELS[str(procedure)]}案卷的主要文书（{names}，至少应有其一）")
        elif case_fields.get("outcome") in rule.outcomes:
            reasons.append("案件尚未作出处理决定，也未撤案（未办结），不作为办结案卷评分")
    return tuple(reasons)


def score_case(case_fields: Mapping[str, Any], findings: Sequence[Finding], sheet: ScoreSheet, *,
               decisions: Mapping[tuple[str, str], Any] | None = None,
               case_id: str | None = None, documents: Sequence[str] | None = None,
               error_codes: Sequence[str] = ()) -> Score:
    """Score one case file. ``decisions`` maps ``(case_id, check_id)`` to confirmed/dismissed;
    ``documents`` and ``error_codes`` decide whether it can be scored (``unscored_reasons``)."""
    effects = finding_effects(case_fields, findings, sheet, decisions=decisions, case_id=case_id)
    reasons = unscored_reasons(sheet, case_fields, documents, error_codes)
    if reasons:
        return Score(total=0, grade=UNSCORED_GRADE, vetoed=False, sheet_id=sheet.id, effects=tuple(effects),
                     unscored=reasons)
    deductions: list[Deduction] = []
    stage_ded: dict[str | None, float] = {s: 0.0 for s in sheet.stage_names}
    modes: list[str] = []
    for e in effects:
        if e.status == DEDUCTED:
            stage_ded[e.stage] = stage_ded.get(e.stage, 0.0) + e.points
            deductions.append(Deduction(e.item, _num(e.points), e.finding.check_id, e.stage, e.basis))
        elif e.status == VETO:
            modes.append(e.mode or sheet.veto_mode)
            deductions.append(Deduction(e.item, 0, e.finding.check_id, e.stage, e.basis))
        elif e.status == DISMISSED and e.item:
            deductions.append(Deduction(e.item, 0, e.finding.check_id, e.stage, e.basis))
    vetoed = bool(modes)
    lowest = sheet.grade_bands[-1][1]

    if case_fields.get("procedure") == "simple" and not sheet.score_simple_procedure:
        grade = lowest if "zero_out" in modes else sheet.simple_procedure_grade
        return Score(total=0, grade=grade, vetoed=vetoed, deductions=tuple(deductions),
                     stages={}, sheet_id=sheet.id, effects=tuple(effects))

    stages = {s: max(0.0, m - stage_ded[s]) for s, m in sheet.stages}
    if sheet.rescale_applicable:
        skip = set(sheet.inapplicable_stages.get(str(case_fields.get("outcome")), ()))
        applicable = [s for s in sheet.stage_names if s not in skip]
        full = sum(sheet.stage_max[s] for s in applicable)
        earned = sum(stages[s] for s in applicable)
        total = 100.0 * earned / full if full else 100.0
    else:
        total = sum(stages.values())

    if "zero_out" in modes:
        total = 0.0
        grade = sheet.grade_for(0.0)
    else:
        grade = sheet.grade_for(total)
        if "cap_grade" in modes:
            grade = sheet.cap(grade)
    return Score(total=_num(round(total, 2)), grade=grade, vetoed=vetoed,
                 deductions=tuple(deductions), stages={s: _num(v) for s, v in stages.items()},
                 sheet_id=sheet.id, effects=tuple(effects))


def _num(x: float) -> float:
    """Keep integral values as int so JSON shows 92, not 92.0."""
    return int(x) if float(x).is_integer() else float(x)


def inapplicable(sheet: ScoreSheet, case_fields: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(sheet.inapplicable_stages.get(str(case_fields.get("outcome")), ()))


# ---------------------------------------------------------------------------------------------
# loading and validating the sheet

_TOP_KEYS = {"id", "title", "veto_mode", "cap_to", "rescale_applicable", "inapplicable_stages",
             "score_simple_procedure", "simple_procedure_grade", "deduct_per", "stages",
             "grade_bands", "items", "unscored"}
_UNSCORED_KEYS = {"ignore_errors", "required_documents", "outcomes"}
_ITEM_KEYS = {"id", "stage", "points", "veto", "mode", "check", "per", "stage_from_finding",
              "confirmed_only", "text", "basis", "status", "elements"}
_ELEMENT_KEYS = {"match", "id", "points", "veto", "mode", "text", "basis"}


def _lines(node: yaml.Node, path: tuple = (), out: dict | None = None) -> dict[tuple, int]:
    """Map each key path (('items', 3, 'points')) to its 1-based line in the file."""
    out = {} if out is None else out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            p = path + (k.value,)
            out[p] = k.start_mark.line + 1
            _lines(v, p, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, v in enumerate(node.value):
            p = path + (i,)
            out[p] = v.start_mark.line + 1
            _lines(v, p, out)
    return out


def _key(path: tuple) -> str:
    s = ""
    for p in path:
        s += f"[{p}]" if isinstance(p, int) else (f".{p}" if s else str(p))
    return s or "（根）"


def load_sheet(path: str | Path | None = None) -> ScoreSheet:
    """Load and validate a score sheet; the default one when ``path`` is None.

    Raises ScoreSheetError (E402, every problem with file, line and key) or RulesError (E403).
    """
    p = Path(path) if path is not None else DEFAULT_SHEET
    try:
        text = p.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=_Loader)
        data = _Loader(text).get_single_data() if node is not None else None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RulesError("E403", path=str(p), detail=str(exc).replace("\n", " ")) from exc
    lines = _lines(node) if node is not None else {}
    problems: list[str] = []

    def bad(kp: tuple, problem: str) -> None:
        line = lines.get(kp)
        probe = kp
        while line is None and probe:
            probe = probe[:-1]
            line = lines.get(probe)
        problems.append(msg("E402", path=str(p), line=line or 1, key=_key(kp), problem=problem))

    if not isinstance(data, Mapping):
        bad((), "评分表应为键值映射（YAML 字典）")
        raise ScoreSheetError(problems)
    for k in sorted(set(map(str, data)) - _TOP_KEYS):
        bad((k,), "不是评分表的键（可用：" + "、".join(sorted(_TOP_KEYS)) + "）")

    sheet_id = data.get("id")
    if not isinstance(sheet_id, str) or not sheet_id.strip():
        bad(("id",), "缺失或不是文字")
    veto_mode = data.get("veto_mode", "zero_out")
    if veto_mode not in VETO_MODES:
        bad(("veto_mode",), f"应为 zero_out 或 cap_grade，而不是 {veto_mode!r}")
    deduct_per = data.get("deduct_per", "finding")
    if deduct_per not in DEDUCT_PER:
        bad(("deduct_per",), f"应为 finding 或 occurrence，而不是 {deduct_per!r}")
    for k in ("rescale_applicable", "score_simple_procedure"):
        if k in data and not isinstance(data[k], bool):
            bad((k,), "应为 true 或 false")

    stages: list[tuple[str, float]] = []
    raw_stages = data.get("stages")
    if not isinstance(raw_stages, Mapping) or not raw_stages:
        bad(("stages",), "缺失或不是“阶段: 满分”的映射")
    else:
        for s, m in raw_stages.items():
            if not _is_number(m) or m < 0:
                bad(("stages", s), f"满分应为非负数，而不是 {m!r}")
            else:
                stages.append((str(s), float(m)))
        total = sum(m for _, m in stages)
        if stages and not data.get("rescale_applicable", False) and abs(total - 100) > 1e-9:
            bad(("stages",), f"各阶段满分合计为 {_num(total)}，应为 100")
    stage_names = {s for s, _ in stages}

    bands: list[tuple[float, str]] = []
    raw_bands = data.get("grade_bands")
    if not isinstance(raw_bands, list) or not raw_bands:
        bad(("grade_bands",), "缺失或不是 [[下限, 等级], …] 列表")
    else:
        for i, b in enumerate(raw_bands):
            if (not isinstance(b, list) or len(b) != 2 or not _is_number(b[0])
                    or not isinstance(b[1], str)):
                bad(("grade_bands", i), f"应为 [下限, 等级]，而不是 {b!r}")
                continue
            bands.append((float(b[0]), b[1]))
        lows = [b for b, _ in bands]
        if lows != sorted(lows, reverse=True) or len(set(lows)) != len(lows):
            bad(("grade_bands",), "下限应从高到低排列且不重复")
        if bands and bands[-1][0] > 0:
            bad(("grade_bands",), "最后一档的下限应为 0，否则低分案卷没有等级")
    grades = [g for _, g in bands]
    cap_to = data.get("cap_to", grades[1] if len(grades) > 1 else "")
    if grades and cap_to not in grades:
        bad(("cap_to",), f"“{cap_to}”不是 grade_bands 中的等级（{'、'.join(grades)}）")

    inapp: dict[str, tuple[str, ...]] = {}
    raw_inapp = data.get("inapplicable_stages") or {}
    if not isinstance(raw_inapp, Mapping):
        bad(("inapplicable_stages",), "应为“办理结果: [阶段, …]”的映射")
    else:
        for outcome, lst in raw_inapp.items():
            if not isinstance(lst, list):
                bad(("inapplicable_stages", outcome), "应为阶段列表")
                continue
            for j, s in enumerate(lst):
                if s not in stage_names:
                    bad(("inapplicable_stages", outcome, j), f"“{s}”不是 stages 中的阶段")
            inapp[str(outcome)] = tuple(str(s) for s in lst)

    unscored = _load_unscored(data.get("unscored"), bad)

    items: list[SheetItem] = []
    raw_items = data.get("items")
    if not isinstance(raw_items, list):
        bad(("items",), "缺失或不是列表")
        raw_items = []
    seen_checks: dict[str, int] = {}
    for i, raw in enumerate(raw_items):
        kp = ("items", i)
        if not isinstance(raw, Mapping):
            bad(kp, "应为键值映射")
            continue
        for k in sorted(set(map(str, raw)) - _ITEM_KEYS):
            bad(kp + (k,), "不是评分项的键（可用：" + "、".join(sorted(_ITEM_KEYS)) + "）")
        iid = raw.get("id")
        if not isinstance(iid, str) or not iid.strip():
            bad(kp + ("id",), "缺失或不是文字")
        stage = raw.get("stage")
        if stage not in stage_names:
            bad(kp + ("stage",), f"“{stage}”不是 stages 中的阶段")
        check = raw.get("check")
        if check is not None:
            if not isinstance(check, str) or not _CHECK_ID.match(check):
                bad(kp + ("check",), f"“{check}”不是检查项编号（形如 DEC-02）")
            elif check in seen_checks:
                bad(kp + ("check",), f"{check} 已在 items[{seen_checks[check]}] 中出现，一个检查项只能对应一个评分项")
            else:
                seen_checks[check] = i
        veto, points = _veto_points(raw, kp, bad)
        mode = raw.get("mode")
        if mode is not None and mode not in VETO_MODES:
            bad(kp + ("mode",), f"应为 zero_out 或 cap_grade，而不是 {mode!r}")
        per = raw.get("per")
        if per is not None and per not in DEDUCT_PER:
            bad(kp + ("per",), f"应为 finding 或 occurrence，而不是 {per!r}")
        for k in ("stage_from_finding", "confirmed_only"):
            if k in raw and not isinstance(raw[k], bool):
                bad(kp + (k,), "应为 true 或 false")
        status = raw.get("status", "UNCONFIRMED")
        if status not in ITEM_STATUSES:
            bad(kp + ("status",), f"应为 {' / '.join(ITEM_STATUSES)}，而不是 {status!r}")
        if not isinstance(raw.get("text"), str) or not raw.get("text"):
            bad(kp + ("text",), "缺失或不是文字（评分项内容）")
        elements: list[SheetElement] = []
        raw_el = raw.get("elements") or []
        if not isinstance(raw_el, list):
            bad(kp + ("elements",), "应为列表")
            raw_el = []
        for j, el in enumerate(raw_el):
            ekp = kp + ("elements", j)
            if not isinstance(el, Mapping):
                bad(ekp, "应为键值映射")
                continue
            for k in sorted(set(map(str, el)) - _ELEMENT_KEYS):
                bad(ekp + (k,), "不是要素的键（可用：" + "、".join(sorted(_ELEMENT_KEYS)) + "）")
            if not isinstance(el.get("match"), str) or not el.get("match"):
                bad(ekp + ("match",), "缺失或不是文字（在问题描述中匹配的词）")
            e_veto, e_points = _veto_points(el, ekp, bad)
            e_mode = el.get("mode")
            if e_mode is not None and e_mode not in VETO_MODES:
                bad(ekp + ("mode",), f"应为 zero_out 或 cap_grade，而不是 {e_mode!r}")
            elements.append(SheetElement(
                match=str(el.get("match") or ""), id=str(el.get("id") or iid or ""),
                points=e_points, veto=e_veto, mode=e_mode, text=str(el.get("text") or ""),
                basis=str(el.get("basis") or "")))
        items.append(SheetItem(
            id=str(iid or ""), stage=str(stage or ""), text=str(raw.get("text") or ""),
            basis=str(raw.get("basis") or ""), check=check if isinstance(check, str) else None,
            points=points, veto=veto, mode=mode, per=per,
            stage_from_finding=bool(raw.get("stage_from_finding", False)),
            confirmed_only=bool(raw.get("confirmed_only", False)), status=str(status),
            elements=tuple(elements)))

    if problems:
        raise ScoreSheetError(problems)
    return ScoreSheet(
        id=str(sheet_id), title=str(data.get("title") or sheet_id), veto_mode=veto_mode,
        cap_to=str(cap_to), rescale_applicable=bool(data.get("rescale_applicable", False)),
        score_simple_procedure=bool(data.get("score_simple_procedure", False)),
        simple_procedure_grade=str(data.get("simple_procedure_grade") or "不评分（简易程序）"),
        deduct_per=deduct_per, stages=tuple(stages), grade_bands=tuple(bands),
        items=tuple(items), inapplicable_stages=inapp, path=str(p), unscored=unscored)


def _load_unscored(raw: Any, bad: Callable[[tuple[Any, ...], str], None]) -> Unscored:
    """The sheet's ``unscored`` block (absent: the defaults, with no document rule)."""
    if raw is None:
        return Unscored()
    if not isinstance(raw, Mapping):
        bad(("unscored",), "应为键值映射（ignore_errors、required_documents、outcomes）")
        return Unscored()
    for k in sorted(set(map(str, raw)) - _UNSCORED_KEYS):
        bad(("unscored", k), "不是 unscored 的键（可用：" + "、".join(sorted(_UNSCORED_KEYS)) + "）")

    def texts(key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            bad(("unscored",) + tuple(key.split(".")), "应为文字列表")
            return ()
        return tuple(value)

    required: dict[str, tuple[str, ...]] = {}
    docs = raw.get("required_documents") or {}
    if not isinstance(docs, Mapping):
        bad(("unscored", "required_documents"), "应为“程序: [文书种类, …]”的映射")
    else:
        for proc, lst in docs.items():
            if proc not in PROCEDURE_LABELS:
                bad(("unscored", "required_documents", proc), f"“{proc}”不是程序（general 或 simple）")
                continue
            required[str(proc)] = texts(f"required_documents.{proc}", lst)
            for j, d in enumerate(required[str(proc)]):
                if d not in DOC_TYPES:
                    bad(("unscored", "required_documents", proc, j), f"“{d}”不是文书种类")
    default = Unscored()
    return Unscored(
        ignore_errors=texts("ignore_errors", raw["ignore_errors"]) if "ignore_errors" in raw else default.ignore_errors,
        required_documents=required,
        outcomes=texts("outcomes", raw["outcomes"]) if "outcomes" in raw else default.outcomes)


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _veto_points(raw: Mapping[str, Any], kp: tuple[Any, ...], bad: Callable[[tuple[Any, ...], str], None]
                 ) -> tuple[bool, float]:
    veto = raw.get("veto", False)
    if not isinstance(veto, bool):
        bad(kp + ("veto",), "应为 true 或 false")
        veto = False
    points = raw.get("points")
    if veto:  # a veto item takes no points; points left from a former setting are ignored
        return True, 0.0
    if not isinstance(points, (int, float)) or isinstance(points, bool) or points <= 0:
        bad(kp + ("points",), f"应为正数（扣分值）或设置 veto: true，而不是 {points!r}")
        return False, 0.0
    return False, float(points)
