"""Check documentation for the CLI (`anjuan checks list` / `anjuan checks explain ID`).

Pure formatting over the registry and the rules: no printing, no files.
"""
from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from checks.registry import all_checks, get
from checks.rules import default_rules

SEVERITY_CN = {"veto": "否决", "major": "重大", "minor": "一般", "info": "提示"}
STATUS_CN = {
    "CONFIRMED": "已核实（法条原文）",
    "SECONDARY": "间接来源（未读原文）",
    "UNCONFIRMED": "本地假设，未经核实，请按本地规定确认",
    "USER": "用户规则文件设定",
}


def list_checks(cross: bool | None = None) -> list[dict[str, Any]]:
    """One row per registered check: id, name, title, severity (+ severity_cn), stage, citation, cross.
    ``cross`` = True/False keeps only cross-case / single-file checks."""
    rows = []
    for spec in all_checks().values():
        if cross is not None and spec.cross != cross:
            continue
        rows.append({
            "id": spec.id,
            "name": spec.name,
            "title": spec.title,
            "severity": spec.severity,
            "severity_cn": SEVERITY_CN.get(spec.severity, spec.severity),
            "stage": spec.stage,
            "citation": str(spec.citation),
            "cross": spec.cross,
        })
    return rows


def _fmt(value: Any) -> str:
    if value is None:
        return "无（不设）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(f"（{'或'.join(str(x) for x in v)}）" if isinstance(v, list) else str(v)
                        for v in value) or "（空）"
    if isinstance(value, dict):
        return "；".join(f"{k}: {_fmt(v)}" for k, v in value.items()) or "（空）"
    return str(value)


def _param_lines(prefix: str, params: Mapping[str, Any], meta: Mapping[str, Any]) -> list[str]:
    lines = []
    for name, value in params.items():
        m = meta.get(f"{prefix}.{name}") or {}
        status = str(m.get("status") or "")
        line = f"- {name} = {_fmt(value)}"
        if status:
            line += f"  [{status}：{STATUS_CN.get(status, status)}]"
        lines.append(line)
        if m.get("source"):
            lines.append(f"    来源：{m['source']}")
    return lines


# shared parameters each check reads besides its own section
_SHARED: dict[str, tuple[str, ...]] = {
    "HRG-01": ("thresholds.hearing", "party"), "HRG-02": ("thresholds.hearing", "party"),
    "LRV-01": ("thresholds.hearing", "party"), "LRV-02": ("thresholds.hearing", "party"),
    "SIM-01": ("thresholds.simple", "party"), "LAW-02": ("party",),
    "DEC-01": ("calendar",), "PAY-01": ("calendar",), "NOT-03": ("calendar",),
}


def explain(check_id: str, rules: Mapping[str, Any] | None = None) -> str:
    """Chinese documentation of one check: heading, severity, stage, citation, the docstring
    sections and the current parameters with their status (UNCONFIRMED marked as local assumptions)."""
    spec = get(check_id)
    r = rules if rules is not None else default_rules()
    meta = r.get("meta") or {}
    out = [
        f"{spec.id} {spec.name}（{spec.title}）",
        f"严重程度：{SEVERITY_CN.get(spec.severity, spec.severity)}（{spec.severity}）"
        f"　评分环节：{spec.stage or '按较晚文书所在环节'}"
        + ("　跨案卷检查" if spec.cross else ""),
        f"法律依据：{spec.citation}" + (f"（{spec.citation.note}）" if spec.citation.note else ""),
        "",
        inspect.cleandoc(spec.doc),
    ]
    own = dict((r.get("checks") or {}).get(spec.id) or {})
    if own:
        out += ["", "当前参数："] + _param_lines(f"checks.{spec.id}", own, meta)
    for path in _SHARED.get(spec.id, ()):
        node: Any = r
        for part in path.split("."):
            node = (node or {}).get(part) if isinstance(node, Mapping) else None
        if isinstance(node, Mapping):
            plain = {k: v for k, v in node.items() if not isinstance(v, Mapping) or k == "years"}
            if path == "calendar":
                plain = {k: v for k, v in plain.items() if k != "years"}
            if plain:
                out += ["", f"共用参数（{path}）："] + _param_lines(path, plain, meta)
    if any("UNCONFIRMED" in line for line in out):
        out += ["", "注：标为 UNCONFIRMED 的数值是本地假设，出具意见前请按现行本地规定核实，"
                    "可在规则文件（--rules）中修改。"]
    return "\n".join(out).rstrip() + "\n"
