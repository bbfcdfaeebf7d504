"""The check registry: one registered unit per check id (checks.md), auto-discovered.

A single-file check is a function ``(case: CaseFile, ctx: CheckContext) -> Iterable[Finding]``
decorated with ``@check(...)``. A cross-case check takes ``(cases: Sequence[CaseFile],
ctx: CheckContext)`` and is registered with ``cross=True``.

The docstring is the documentation (`anjuan checks explain ID`): first line a summary, then the
sections 检查内容 / 法律依据 / 不通过示例 / 通过示例.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast

from pipeline.core.digest import CaseDigest
from pipeline.core.errors import AnjuanError, msg
from pipeline.core.models import SEVERITIES, CaseFile, Citation, Evidence, Finding

ID_RE = re.compile(r"^[A-Z]{3}-[0-9]{2}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
STAGES = ("立案", "调查取证", "事先告知", "审核决定", "送达执行", "结案", "归档")
# a check: (case, ctx) -> findings, or for a cross-case check (cases, ctx) -> (case_id, finding) pairs
CheckFunc = Callable[..., Iterable[Any]]


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

    def params(self, check_id: str) -> Mapping[str, Any]:
        return (self.rules.get("checks") or {}).get(check_id) or {}


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
                    debug: bool = False) -> list[Finding]:
    """Run every single-file check on one case, isolating crashes."""
    out: list[Finding] = []
    for spec in all_checks().values():
        if spec.cross or (only and spec.id not in only):
            continue
        if not _enabled(spec, ctx):
            continue
        try:
            out.extend(spec.func(case, ctx))
        except Exception as exc:  # crash isolation (bandit's tester)
            if debug:
                raise
            out.append(crash_finding(spec, exc))
    return out


def run_cross_checks(cases: Sequence[CaseFile], ctx: CheckContext, *,
                     only: Sequence[str] | None = None, debug: bool = False) -> dict[str, list[Finding]]:
    """Run every cross-case check; findings are returned per case id."""
    out: dict[str, list[Finding]] = {}
    for spec in all_checks().values():
        if not spec.cross or (only and spec.id not in only):
            continue
        if not _enabled(spec, ctx):
            continue
        try:
            for case_id, finding in spec.func(cases, ctx):
                out.setdefault(case_id, []).append(finding)
        except Exception as exc:
            if debug:
                raise
            for c in cases:
                out.setdefault(c.case_id, []).append(crash_finding(spec, exc))
                break
    return out


def _enabled(spec: CheckSpec, ctx: CheckContext) -> bool:
    return bool(ctx.params(spec.id).get("enabled", True))
