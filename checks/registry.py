"""The check registry: one registered unit per check id (checks.md), auto-discovered.

A single-file check is a function ``(case: CaseFile, ctx: CheckContext) -> Iterable[Finding |
Unverified]`` decorated with ``@check(...)``. A cross-case check takes ``(cases: Sequence[CaseFile],
ctx: CheckContext)``, yields ``(case_id, Finding | Unverified)`` pairs and is registered with
``cross=True``.

Proven, or not verified (checks.md): a check yields a Finding only on positive evidence — a value
found blank where one must be, or a value found that breaks the rule. When a value or document it
needs was not found it yields ``spec.unverified(point, reason, evidence)`` instead: the point is
listed for the reviewer as 未能核实，需人工核对, never scored. ``run_case_checks`` and
``run_cross_checks`` return both (:class:`CheckOutcome`); a veto whose evidence quotes a value read
from a scan below the confidence bar becomes an Unverified too (a veto needs high confidence).

The docstring is the documentation (`anjuan checks explain ID`): first line a summary, then the
sections 检查内容 / 法律依据 / 不通过示例 / 通过示例.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol, cast

from pipeline.core.digest import CaseDigest
from pipeline.core.errors import AnjuanError, msg
from pipeline.core.models import SEVERITIES, CaseFile, Citation, Evidence, Finding, InputError, Unverified
from pipeline.core.workdays import RecordingCalendar, estimate_note, estimate_unverified

ID_RE = re.compile(r"^[A-Z]{3}-[0-9]{2}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
STAGES = ("立案", "调查取证", "事先告知", "审核决定", "送达执行", "结案", "归档")
# a check: (case, ctx) -> findings and unverified points, or for a cross-case check
# (cases, ctx) -> (case_id, finding or unverified point) pairs
CheckFunc = Callable[..., Iterable[Any]]
# read errors that leave nothing of the case unread: a duplicate read once, an odd file name, a
# merged case id, a page read with low OCR confidence (every other E1xx: something was not read)
BENIGN_READ_ERRORS = frozenset({"E115", "E118", "E124", "E154"})


@dataclass(frozen=True)
class CheckContext:
    """What a check may read besides the case: the rules (parameters, violation catalogue)
    and the working-day calendar. ``params(check_id)`` gives the check's own parameters."""

    rules: Mapping[str, Any]
    calendar: Any  # pipeline.core.workdays.WorkCalendar
    review_date: str | None = None  # ISO date the review is made (for pending cases)
    history: Sequence[Any] = ()  # earlier months' case digests from the database (cross-case)
    register_rows: Sequence[Mapping[str, Any]] | None = None  # the whole 台账 (MIS-04), None if absent
    digests: Sequence[CaseDigest] | None = None  # this month's cross-case digests, in case order (the run's)
    read_errors: tuple[InputError, ...] = ()  # single-file checks: the errors met reading this case

    def params(self, check_id: str) -> Mapping[str, Any]:
        return (self.rules.get("checks") or {}).get(check_id) or {}

    @property
    def unread(self) -> tuple[str, ...]:
        """Codes of the read errors that left part of this case unread (sorted, each once): such a
        case cannot prove a document missing."""
        return tuple(sorted({e.code for e in self.read_errors if e.code.startswith("E1")
                             and e.code not in BENIGN_READ_ERRORS}))


@dataclass(frozen=True)
class CheckSpec:
    id: str
    name: str
    title: str  # short Chinese name
    severity: str
    stage: str | None
    citation: Citation
    func: CheckFunc
    cross: bool = False
    doc: str = ""

    def finding(self, message: str, evidence: Iterable[Evidence] = (), *,
                severity: str | None = None, related_cases: Sequence[str] = (),
                occurrences: int = 1, citation: Citation | str | None = None) -> Finding:
        """Build a Finding of this check with its id, stage and citation filled in."""
        return Finding(
            check_id=self.id,
            severity=severity or self.severity,
            message=message,
            citation=str(citation or self.citation),
            evidence=tuple(evidence),
            related_cases=tuple(sorted(related_cases)),
            stage=self.stage,
            occurrences=occurrences,
        )

    def unverified(self, point: str, reason: str, evidence: Iterable[Evidence] = ()) -> Unverified:
        """A point this check could not verify (未能核实): ``point`` says what, ``reason`` why."""
        return Unverified(check_id=self.id, point=point, reason=reason, evidence=tuple(evidence))


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    """What the checks gave for one case: findings (scored) and points not verified (listed only).

    Iterating an outcome, or taking its ``len``, goes over its findings."""

    findings: tuple[Finding, ...] = ()
    unverified: tuple[Unverified, ...] = ()

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)


class RegisteredCheck(Protocol):
    """A check function after ``@check``: callable as before, with its ``spec`` attached."""

    spec: CheckSpec

    def __call__(self, *args: Any) -> Iterable[Any]: ...


_REGISTRY: dict[str, CheckSpec] = {}


def check(*, id: str, name: str, title: str, severity: str, stage: str | None,
          citation: Citation, cross: bool = False) -> Callable[[CheckFunc], RegisteredCheck]:
    """Register a check. Raises on a malformed or duplicate id or name."""
    if not ID_RE.match(id):
        raise ValueError(f"check id {id!r} does not match {ID_RE.pattern}")
    if not NAME_RE.match(name):
        raise ValueError(f"check name {name!r} must be kebab-case")
    if severity not in SEVERITIES:
        raise ValueError(f"check {id}: severity {severity!r} not in {SEVERITIES}")
    if stage is not None and stage not in STAGES:
        raise ValueError(f"check {id}: stage {stage!r} not in {STAGES}")

    def deco(func: CheckFunc) -> RegisteredCheck:
        if id in _REGISTRY:
            raise ValueError(f"duplicate check id {id}")
        if any(s.name == name for s in _REGISTRY.values()):
            raise ValueError(f"duplicate check name {name}")
        spec = CheckSpec(id=id, name=name, title=title, severity=severity, stage=stage,
                         citation=citation, func=func, cross=cross,
                         doc=(func.__doc__ or "").strip())
        _REGISTRY[id] = spec
        func.spec = spec  # type: ignore[attr-defined]
        return cast(RegisteredCheck, func)

    return deco


def all_checks() -> dict[str, CheckSpec]:
    """Every registered check, by id (importing the ``checks`` package discovers them)."""
    import checks  # noqa: F401  (discovery side effect; imported here: checks/__init__ imports this module)

    return dict(sorted(_REGISTRY.items()))


def get(check_id: str) -> CheckSpec:
    specs = all_checks()
    if check_id not in specs:
        raise AnjuanError("E305", check_id=check_id)
    return specs[check_id]


def crash_finding(spec: CheckSpec, exc: BaseException) -> Finding:
    """A crashing check becomes a finding of its own (PLA-00 style, severity info)."""
    return Finding(
        check_id=spec.id,
        severity="info",
        message=msg("E304", check_id=spec.id, detail=f"{type(exc).__name__}: {exc}"),
        citation=str(spec.citation),
        evidence=(),
        stage=spec.stage,
    )


def run_case_checks(case: CaseFile, ctx: CheckContext, *, only: Sequence[str] | None = None,
                    debug: bool = False, read_errors: Iterable[InputError] = ()) -> CheckOutcome:
    """Run every single-file check on one case, isolating crashes. ``read_errors`` are the errors
    met reading the case (``ctx.read_errors`` for the checks)."""
    errors = tuple(read_errors)
    if errors:
        ctx = replace(ctx, read_errors=errors)
    findings: list[Finding] = []
    unverified: list[Unverified] = []
    weak = low_confidence_quotes(case, veto_bar(ctx))
    for spec in all_checks().values():
        if spec.cross or (only and spec.id not in only):
            continue
        if not _enabled(spec, ctx):
            continue
        calendar = RecordingCalendar(ctx.calendar)  # notes the estimated years this check's periods touch
        mine: list[Finding] = []
        try:
            for item in spec.func(case, replace(ctx, calendar=calendar)):
                if isinstance(item, Unverified):
                    unverified.append(item)
                elif item.severity == "veto" and any((e.document, e.quote) in weak for e in item.evidence):
                    unverified.append(_weak_veto(spec, item, veto_bar(ctx)))
                else:
                    mine.append(item)
        except Exception as exc:  # crash isolation (bandit's tester)
            if debug:
                raise
            mine.append(crash_finding(spec, exc))
        if calendar.touched:
            findings.extend(_estimated(f, calendar.touched) for f in mine)
            unverified.append(_estimate_point(spec, mine, calendar.touched))
        else:
            findings.extend(mine)
    return CheckOutcome(tuple(findings), tuple(unverified))


def _estimated(f: Finding, years: Iterable[int]) -> Finding:
    """The finding, marked: its period was computed on an estimated calendar year."""
    body = f.message[:-1] if f.message.endswith("。") else f.message
    return replace(f, message=body + estimate_note(years) + "。")


def _estimate_point(spec: CheckSpec, findings: Sequence[Finding], years: Iterable[int]) -> Unverified:
    """One 未能核实 entry per check whose periods touched an estimated year (with or without a finding)."""
    evidence = tuple(e for f in findings for e in f.evidence)[:3]
    return estimate_unverified(spec.id, f"{spec.title}所涉期间（按估算的日历计算）", sorted(set(years)), evidence)


def run_cross_checks(cases: Sequence[CaseFile], ctx: CheckContext, *,
                     only: Sequence[str] | None = None, debug: bool = False) -> dict[str, CheckOutcome]:
    """Run every cross-case check; the outcome per case id (register rows without a file under
    their pseudo ids, see checks/register_match.py)."""
    findings: dict[str, list[Finding]] = {}
    unverified: dict[str, list[Unverified]] = {}
    for spec in all_checks().values():
        if not spec.cross or (only and spec.id not in only):
            continue
        if not _enabled(spec, ctx):
            continue
        try:
            for case_id, item in spec.func(cases, ctx):
                if isinstance(item, Unverified):
                    unverified.setdefault(case_id, []).append(item)
                else:
                    findings.setdefault(case_id, []).append(item)
        except Exception as exc:
            if debug:
                raise
            for c in cases:
                findings.setdefault(c.case_id, []).append(crash_finding(spec, exc))
                break
    return {cid: CheckOutcome(tuple(findings.get(cid, ())), tuple(unverified.get(cid, ())))
            for cid in sorted(set(findings) | set(unverified))}


def veto_bar(ctx: CheckContext) -> float:
    """The confidence below which a value read from a scan is listed for a human (OCR-01's bar):
    such a value never carries a veto."""
    return float(ctx.params("OCR-01").get("confidence_bar", 0.85))


def low_confidence_quotes(case: CaseFile, bar: float) -> set[tuple[str, str]]:
    """(doc_id, quote) of every field of the case read from a scan below ``bar``."""
    out = set()
    for d in case.docs:
        if d.doc.text_source != "ocr":
            continue
        for f in d.fields:
            if f.span is not None and f.confidence < bar:
                out.add((f.span.doc_id, f.span.quote))
    return out


def _weak_veto(spec: CheckSpec, finding: Finding, bar: float) -> Unverified:
    return spec.unverified(
        f"{spec.title}：{finding.message.rstrip('。')}",
        f"所依据的要素取自扫描件，识别置信度低于{bar:.2f}，不据以认定否决项，请核对原件",
        finding.evidence)


def _enabled(spec: CheckSpec, ctx: CheckContext) -> bool:
    return bool(ctx.params(spec.id).get("enabled", True))
