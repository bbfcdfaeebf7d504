"""The violation catalogue: load ``data/violations.yaml``, match a 案由 text to a key, give fine ranges.

The catalogue is data (violations.md §5). ``load_catalogue()`` validates it and raises a coded
``RulesError`` (E302) naming the file, line, entry key and field on the first problem. A user file
passed as ``path`` replaces or extends the shipped entries by key.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from extractors.normalise.citations import normalise_law_name
from extractors.normalise.numerals import int_to_cn
from pipeline.core.errors import RulesError

DEFAULT_PATH = Path(__file__).parent / "data" / "violations.yaml"

# text → key matching: an exact name/alias hit wins; otherwise rapidfuzz.partial_ratio ≥ this
FUZZY_THRESHOLD = 80.0
PARTY_KINDS = ("individual", "organisation")
ESCALATIONS = ("serious", "refuses_correction")
PRECONDITIONS = ("refuses_correction",)
FORMULA_RE = re.compile(
    r"^(per_ton|per_m2|per_m2_per_day|multiple_of_compensation|pct_of_cost)"
    r"\(\s*\d+(?:\.\d+)?(?:\s*,\s*\d+(?:\.\d+)?)?\s*\)$"
)


@dataclass(frozen=True, slots=True)
class Provision:
    law: str
    article: int
    paragraph: int | None = None
    item: int | None = None

    def canonical(self) -> str:
        """《上海市市容环境卫生管理条例》第二十八条第一款第（四）项"""
        text = f"《{self.law}》第{int_to_cn(self.article)}条"
        if self.paragraph is not None:
            text += f"第{int_to_cn(self.paragraph)}款"
        if self.item is not None:
            text += f"第（{int_to_cn(self.item)}）项"
        return text


@dataclass(frozen=True, slots=True)
class Violation:
    key: str
    name: str
    aliases: tuple[str, ...]
    violated: tuple[Provision, ...]
    penalty: tuple[Provision, ...]
    fine_individual: tuple[float, float] | None
    fine_organisation: tuple[float, float] | None
    fine_formula: str | None
    precondition: str | None
    other_measures: tuple[str, ...]
    status: str
    note: str | None
    # optional extras (defaults keep the core signature stable)
    fine_escalated_individual: tuple[float, float] | None = None
    fine_escalated_organisation: tuple[float, float] | None = None
    escalation: str | None = None  # serious | refuses_correction: when the escalated tier applies
    agency_in_text: str | None = None
    competent: str = "UNCONFIRMED"
    law_version: str | None = None
    verified_on: str | None = None

    @property
    def confirmed(self) -> bool:
        """True when the entry's articles can be used to judge a file (status CONFIRMED …)."""
        return self.status.upper().startswith("CONFIRMED")


# --- loading and validation -------------------------------------------------------------------

_REQUIRED = ("key", "name", "violated", "penalty", "fines", "status")
_KNOWN = set(_REQUIRED) | {
    "aliases", "fine_formula", "precondition", "other_measures", "agency_in_text", "competent",
    "law_version", "verified_on", "note", "escalation",
}


def _fail(path: Path, line: int | str, key: str, problem: str) -> RulesError:
    return RulesError("E302", path=str(path), line=line, key=key, problem=problem)


def _line_map(text: str) -> list[tuple[int, dict[str, int]]]:
    """For each top-level list entry: (line of the entry, {field: line}). Lines are 1-based."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    out: list[tuple[int, dict[str, int]]] = []
    if not isinstance(root, yaml.SequenceNode):
        return out
    for node in root.value:
        fields: dict[str, int] = {}
        if isinstance(node, yaml.MappingNode):
            for knode, _vnode in node.value:
                fields[str(knode.value)] = knode.start_mark.line + 1
        out.append((node.start_mark.line + 1, fields))
    return out


def _as_str(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()[:10]
    return str(v)


def _parse_provisions(raw: Any, where: tuple[Path, int | str, str]) -> tuple[Provision, ...]:
    path, line, key = where
    if not isinstance(raw, list):
        raise _fail(path, line, key, "应为条文列表（[{law, article, paragraph, item}]）或 same")
    out = []
    for i, p in enumerate(raw):
        if not isinstance(p, dict):
            raise _fail(path, line, f"{key}[{i}]", "应为 {law, article, paragraph, item} 映射")
        unknown = set(p) - {"law", "article", "paragraph", "item"}
        if unknown:
            raise _fail(path, line, f"{key}[{i}]", f"含未知字段 {sorted(unknown)}")
        law = p.get("law")
        if not isinstance(law, str) or not law.strip():
            raise _fail(path, line, f"{key}[{i}].law", "应为法规名称（全称，如 上海市市容环境卫生管理条例）")
        nums: dict[str, int | None] = {}
        for f in ("article", "paragraph", "item"):
            v = p.get(f)
            if v is None and f != "article":
                nums[f] = None
                continue
            if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
                raise _fail(path, line, f"{key}[{i}].{f}", f"应为正整数，实际为 {v!r}")
            nums[f] = v
        # a short name (市容条例, 行政处罚法) is accepted and stored as the full name
        article = nums["article"]
        assert article is not None  # checked above: an article is required
        out.append(Provision(normalise_law_name(law), article, nums["paragraph"], nums["item"]))
    return tuple(out)


def _parse_range(raw: Any, where: tuple[Path, int | str, str]) -> tuple[float, float] | None:
    path, line, key = where
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) != {"min", "max"}:
        raise _fail(path, line, key, "应为 {min, max} 或 null")
    lo, hi = raw["min"], raw["max"]
    for name, v in (("min", lo), ("max", hi)):
        if not isinstance(v, (int, float)) or isinstance(v, bool) or v < 0:
            raise _fail(path, line, f"{key}.{name}", f"应为非负数，实际为 {v!r}")
    if lo > hi:
        raise _fail(path, line, key, f"下限 {lo} 大于上限 {hi}")
    return (lo, hi)


def _parse_entry(raw: Any, index: int, path: Path, lines: list[tuple[int, dict[str, int]]]) -> Violation:
    entry_line, field_lines = lines[index] if index < len(lines) else ("?", {})

    def ln(field: str) -> int | str:
        return field_lines.get(field, entry_line)

    if not isinstance(raw, dict):
        raise _fail(path, entry_line, f"#{index + 1}", "条目应为映射（key: …）")
    key = raw.get("key")
    if not isinstance(key, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", key or ""):
        raise _fail(path, ln("key"), f"#{index + 1}.key", f"应为小写拼音下划线形式，实际为 {key!r}")
    for field in _REQUIRED:
        if field not in raw:
            raise _fail(path, entry_line, f"{key}.{field}", "缺失（必填）")
    unknown = sorted(set(raw) - _KNOWN)
    if unknown:
        raise _fail(path, ln(unknown[0]), f"{key}.{unknown[0]}", "是未知字段")
    name = raw["name"]
    if not isinstance(name, str) or not name.strip():
        raise _fail(path, ln("name"), f"{key}.name", "应为非空文字")
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise _fail(path, ln("aliases"), f"{key}.aliases", "应为文字列表")
    violated = _parse_provisions(raw["violated"], (path, ln("violated"), f"{key}.violated"))
    if raw["penalty"] == "same":
        penalty = violated
    else:
        penalty = _parse_provisions(raw["penalty"], (path, ln("penalty"), f"{key}.penalty"))
    fines = raw["fines"]
    if fines is None:
        fines = {}
    if not isinstance(fines, dict):
        raise _fail(path, ln("fines"), f"{key}.fines", "应为 {individual, organisation} 映射")
    allowed = {"individual", "organisation", "escalated_individual", "escalated_organisation"}
    bad = sorted(set(fines) - allowed)
    if bad:
        raise _fail(path, ln("fines"), f"{key}.fines.{bad[0]}", "是未知字段")
    ranges = {f: _parse_range(fines.get(f), (path, ln("fines"), f"{key}.fines.{f}")) for f in sorted(allowed)}
    escalation = raw.get("escalation")
    if escalation is not None and escalation not in ESCALATIONS:
        raise _fail(path, ln("escalation"), f"{key}.escalation", f"应为 {'/'.join(ESCALATIONS)}")
    if (ranges["escalated_individual"] or ranges["escalated_organisation"]) and escalation is None:
        raise _fail(path, ln("fines"), f"{key}.escalation",
                    "有加重幅度时必须写明适用条件（serious / refuses_correction）")
    formula = raw.get("fine_formula")
    if formula is not None and (not isinstance(formula, str) or not FORMULA_RE.match(formula)):
        raise _fail(path, ln("fine_formula"), f"{key}.fine_formula", f"无法识别的公式 {formula!r}")
    precondition = raw.get("precondition")
    if precondition is not None and precondition not in PRECONDITIONS:
        raise _fail(path, ln("precondition"), f"{key}.precondition", f"应为 {'/'.join(PRECONDITIONS)} 或 null")
    measures = raw.get("other_measures") or []
    if not isinstance(measures, list) or not all(isinstance(m, str) for m in measures):
        raise _fail(path, ln("other_measures"), f"{key}.other_measures", "应为文字列表")
    status = _as_str(raw["status"])
    if not status or not (status.upper().startswith("CONFIRMED") or status.upper().startswith("UNCONFIRMED")):
        raise _fail(path, ln("status"), f"{key}.status", "应以 CONFIRMED 或 UNCONFIRMED 开头")
    if status.upper().startswith("CONFIRMED") and not violated and not penalty:
        raise _fail(path, ln("status"), f"{key}.status", "没有条文时不能标为 CONFIRMED")
    return Violation(
        key=key,
        name=name.strip(),
        aliases=tuple(a.strip() for a in aliases),
        violated=violated,
        penalty=penalty,
        fine_individual=ranges["individual"],
        fine_organisation=ranges["organisation"],
        fine_formula=formula,
        precondition=precondition,
        other_measures=tuple(measures),
        status=status,
        note=_as_str(raw.get("note")),
        fine_escalated_individual=ranges["escalated_individual"],
        fine_escalated_organisation=ranges["escalated_organisation"],
        escalation=escalation,
        agency_in_text=_as_str(raw.get("agency_in_text")),
        competent=_as_str(raw.get("competent")) or "UNCONFIRMED",
        law_version=_as_str(raw.get("law_version")),
        verified_on=_as_str(raw.get("verified_on")),
    )


def parse_catalogue_text(text: str, path: Path) -> dict[str, Violation]:
    """Parse and validate catalogue YAML text; ``path`` is used only in messages."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesError("E301", path=str(path), detail=str(exc).replace("\n", " ")) from exc
    if data is None:
        data = []
    if not isinstance(data, list):
        raise _fail(path, 1, "(文件)", "顶层应为条目列表（- key: …）")
    lines = _line_map(text)
    out: dict[str, Violation] = {}
    for i, raw in enumerate(data):
        v = _parse_entry(raw, i, path, lines)
        if v.key in out:
            line = lines[i][0] if i < len(lines) else "?"
            raise _fail(path, line, v.key, "重复（同一文件中键必须唯一）")
        out[v.key] = v
    return out


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError("E301", path=str(path), detail=str(exc)) from exc


@lru_cache(maxsize=1)
def _default_catalogue() -> dict[str, Violation]:
    return parse_catalogue_text(_read(DEFAULT_PATH), DEFAULT_PATH)


def load_catalogue(path: Path | None = None) -> dict[str, Violation]:
    """The shipped catalogue (cached), or the shipped one replaced/extended by key from ``path``.

    RETURNS (dict[str, Violation]): key → entry, in file order (shipped first, then new user keys).
    """
    base = _default_catalogue()
    if path is None:
        return dict(base)
    user = parse_catalogue_text(_read(Path(path)), Path(path))
    merged = dict(base)
    merged.update(user)
    return merged


# --- matching and ranges ------------------------------------------------------------------------

_SPACE_RE = re.compile(r"[\s\u3000]+")
_PUNCT = str.maketrans({"（": "(", "）": ")", "，": ",", "、": ",", "；": ";", "：": ":"})


def _norm(text: str) -> str:
    return _SPACE_RE.sub("", text).translate(_PUNCT)


_PHRASES: dict[int, tuple[dict[str, Violation], list[tuple[str, str, float]]]] = {}


def _phrases(cat: dict[str, Violation]) -> list[tuple[str, str, float]]:
    """(key, normalised phrase, confidence) of every name and alias, in catalogue order (cached)."""
    hit = _PHRASES.get(id(cat))
    if hit is not None and hit[0] is cat:
        return hit[1]
    out = []
    for key, v in cat.items():
        for phrase, conf in [(v.name, 1.0)] + [(a, 0.95) for a in v.aliases]:
            p = _norm(phrase)
            if p:
                out.append((key, p, conf))
    _PHRASES[id(cat)] = (cat, out)
    return out


def match_violation(text: str, catalogue: dict[str, Violation] | None = None) -> tuple[str | None, float]:
    """Best catalogue key for a 案由 or facts text.

    An exact substring hit of a name or alias wins (the longest phrase; confidence 1.0 for the name,
    0.95 for an alias); on a tie the entry listed first wins — the catalogue lists Shanghai law
    before the national fall-backs (violations.md §4: "Shanghai 市容 28 usually applies first").
    Otherwise the best rapidfuzz ``partial_ratio`` of any phrase against the text,
    if at least FUZZY_THRESHOLD (confidence = ratio / 100 × 0.9). RETURNS (None, 0.0) when nothing fits.
    """
    if not text or not text.strip():
        return None, 0.0
    if catalogue is None:
        return _match_default(text)
    return _match(text, catalogue)


@lru_cache(maxsize=8192)
def _match_default(text: str) -> tuple[str | None, float]:
    return _match(text, _default_catalogue())


def _match(text: str, cat: dict[str, Violation]) -> tuple[str | None, float]:
    t = _norm(text)
    phrases = _phrases(cat)
    best: tuple[int, float, str] | None = None  # (phrase length, confidence, key)
    for key, p, conf in phrases:
        if p in t:
            cand = (len(p), conf, key)
            if best is None or cand[:2] > best[:2]:
                best = cand
    if best is not None:
        return best[2], best[1]
    if len(t) < 3:  # two characters say too little for a fuzzy guess
        return None, 0.0
    fuzzy: tuple[float, int, str] | None = None
    for key, p, _conf in phrases:
        if len(p) < 3:
            continue
        if len(p) <= len(t):
            score = fuzz.partial_ratio(p, t)
        else:  # a short text against a longer phrase: discount by how much of the phrase it covers
            score = fuzz.partial_ratio(t, p) * (0.5 + 0.5 * len(t) / len(p))
        near = (float(score), len(p), key)
        if fuzzy is None or near[:2] > fuzzy[:2]:
            fuzzy = near
    if fuzzy is not None and fuzzy[0] >= FUZZY_THRESHOLD:
        return fuzzy[2], round(fuzzy[0] / 100 * 0.9, 3)
    return None, 0.0


def fine_range(
    v: Violation, party_kind: str | None, *, escalated: bool = False
) -> tuple[float, float] | None:
    """The statutory fine range for a party kind, or None when it cannot be stated.

    party_kind (str | None): ``individual`` / ``organisation``; None → the range only if both kinds agree.
    escalated (bool): the higher tier (情节严重 / 拒不改正 per ``v.escalation``) — the normal range if no tier.
    RETURNS: (min, max) in 元; None for a formula-only entry, an unsettled entry, or a kind with no fine.
    """
    def pick(kind: str) -> tuple[float, float] | None:
        if escalated:
            tier = v.fine_escalated_individual if kind == "individual" else v.fine_escalated_organisation
            if tier is not None:
                return tier
        return v.fine_individual if kind == "individual" else v.fine_organisation

    if party_kind is None:
        a, b = pick("individual"), pick("organisation")
        return a if a == b else None
    if party_kind not in PARTY_KINDS:
        raise ValueError(f"party_kind must be one of {PARTY_KINDS} or None, got {party_kind!r}")
    return pick(party_kind)
