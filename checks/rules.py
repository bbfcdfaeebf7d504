"""The rules configuration: packaged defaults (``data/rules.yaml``) + an optional user file.

``load_rules(path)`` returns one plain mapping the checks read through ``CheckContext``:
``rules["checks"]["DEC-01"]["limit_days"] == 90``, ``rules["thresholds"]["hearing"]["individual"]
== 5000``. Parameters written as ``{value, status, source}`` are unwrapped; their status and
source are kept in ``rules["meta"]`` under the dotted path (``"checks.DEC-01.limit_days"``) for
``anjuan checks explain``. A user file is deep-merged over the defaults: mappings key by key,
lists and values replaced. A user file that does not fit raises ``RulesError("E302", …)`` naming
its line and key (PyYAML node marks); unreadable YAML raises E301.
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from checks.registry import ID_RE, CheckContext, all_checks
from pipeline.core.errors import RulesError
from pipeline.core.workdays import WorkCalendar

DEFAULT_PATH = Path(__file__).parent / "data" / "rules.yaml"
STATUSES = ("CONFIRMED", "SECONDARY", "UNCONFIRMED", "USER")
_META_KEYS = {"value", "status", "source", "note"}
_COMMON_PARAMS = {"enabled": True, "severity": "major"}
_SEVERITIES = ("veto", "major", "minor", "info")

Path_ = tuple[str, ...]


# --- reading YAML with line numbers ---------------------------------------------------------------

class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text: a bad date becomes an E302 naming its line, not a crash."""


_Loader.yaml_implicit_resolvers = {
    ch: [r for r in rs if r[0] != "tag:yaml.org,2002:timestamp"]
    for ch, rs in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError("E301", path=str(path), detail=str(exc)) from exc


def _parse(text: str, path: Path) -> tuple[Any, dict[Path_, int]]:
    """YAML data plus the 1-based line of every mapping key / list item, by key path."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行，" if mark is not None else ""
        raise RulesError("E301", path=str(path),
                         detail=where + str(getattr(exc, "problem", None) or exc).replace("\n", " ")) from exc
    lines: dict[Path_, int] = {}

    def walk(node: Any, at: Path_) -> None:
        if isinstance(node, yaml.MappingNode):
            for knode, vnode in node.value:
                p = at + (str(knode.value),)
                lines[p] = knode.start_mark.line + 1
                walk(vnode, p)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                p = at + (str(i),)
                lines[p] = item.start_mark.line + 1
                walk(item, p)

    if root is not None:
        lines[()] = root.start_mark.line + 1
        walk(root, ())
    return data, lines


def _is_meta(v: Any) -> bool:
    return isinstance(v, dict) and "value" in v and "status" in v and set(v) <= _META_KEYS


def _unwrap(data: Any, at: Path_, meta: dict[str, dict[str, Any]]) -> Any:
    """Replace ``{value, status, source}`` leaves by their value, collecting the rest in ``meta``."""
    if _is_meta(data):
        meta[".".join(at)] = {k: data.get(k) for k in ("status", "source", "note") if data.get(k) is not None}
        return data["value"]
    if isinstance(data, dict):
        return {k: _unwrap(v, at + (str(k),), meta) for k, v in data.items()}
    return data


# --- validation of a user file against the defaults -------------------------------------------------

class _Checker:
    def __init__(self, path: Path, lines: dict[Path_, int]) -> None:
        self.path = path
        self.lines = lines

    def fail(self, at: Path_, problem: str) -> RulesError:
        line: Any = "?"
        for i in range(len(at), -1, -1):
            if at[:i] in self.lines:
                line = self.lines[at[:i]]
                break
        return RulesError("E302", path=str(self.path), line=line, key=".".join(at) or "(文件)",
                          problem=problem)

    def like(self, user: Any, default: Any, at: Path_) -> None:
        """``user`` must have the shape of ``default`` (type of scalars, known keys of mappings)."""
        if default is None or user is None:
            return
        if isinstance(default, bool):
            if not isinstance(user, bool):
                raise self.fail(at, f"应为 true 或 false，实际为“{user}”")
        elif isinstance(default, (int, float)):
            if isinstance(user, bool) or not isinstance(user, (int, float)):
                raise self.fail(at, f"应为数字，实际为“{user}”")
            if user < 0:
                raise self.fail(at, f"不能为负数（{user}）")
        elif isinstance(default, str):
            if not isinstance(user, (str, dt.date)):
                raise self.fail(at, f"应为文字，实际为“{user}”")
        elif isinstance(default, list):
            if not isinstance(user, list):
                raise self.fail(at, f"应为列表（[...]），实际为“{user}”")
        elif isinstance(default, dict):
            if not isinstance(user, dict):
                raise self.fail(at, f"应为映射（键: 值），实际为“{user}”")

    def check_meta_form(self, raw: Any, at: Path_) -> None:
        if isinstance(raw, dict):
            if _is_meta(raw):
                st = str(raw.get("status", "")).upper()
                if st not in STATUSES:
                    raise self.fail(at + ("status",), f"应为 {'/'.join(STATUSES)} 之一，实际为“{raw.get('status')}”")
                return
            for k, v in raw.items():
                self.check_meta_form(v, at + (str(k),))


def _check_user(user: dict[str, Any], raw: dict[str, Any], defaults: dict[str, Any], ck: _Checker) -> None:
    ck.check_meta_form(raw, ())
    for top, val in user.items():
        at = (str(top),)
        if top not in defaults:
            raise ck.fail(at, f"不是已知的配置项（可用：{'、'.join(sorted(defaults))}）")
        if top == "calendar":
            _check_calendar(val, defaults["calendar"], ck)
        elif top == "checks":
            _check_checks(val, defaults["checks"], ck)
        elif top == "version":
            if val != defaults["version"]:
                raise ck.fail(at, f"不受支持（本版本为 {defaults['version']}）")
        else:
            _check_tree(val, defaults[top], at, ck)


def _check_tree(user: Any, default: Any, at: Path_, ck: _Checker, open_: bool = False) -> None:
    """Shape check; ``open_`` lets a mapping-valued parameter take keys the default lacks."""
    ck.like(user, default, at)
    if isinstance(default, dict) and isinstance(user, dict) and default:
        for k, v in user.items():
            if k not in default:
                if open_:
                    continue
                raise ck.fail(at + (str(k),), f"不是已知参数（可用：{'、'.join(str(x) for x in default)}）")
            _check_tree(v, default[k], at + (str(k),), ck, open_)


def _check_checks(user: Any, default: dict[str, Any], ck: _Checker) -> None:
    at = ("checks",)
    if not isinstance(user, dict):
        raise ck.fail(at, "应为映射（检查项编号: 参数）")
    registered = _registered_ids()
    for cid, params in user.items():
        p = at + (str(cid),)
        if not isinstance(cid, str) or not ID_RE.match(cid) or (cid not in default and cid not in registered):
            raise ck.fail(p, "不是已知的检查项编号（`anjuan checks list` 可查看全部编号）")
        if params is None:
            continue
        if not isinstance(params, dict):
            raise ck.fail(p, "应为映射（参数名: 值）")
        known = dict(_COMMON_PARAMS)
        known.update(default.get(cid) or {})
        for name, value in params.items():
            q = p + (str(name),)
            if name == "severity":
                if value not in _SEVERITIES:
                    raise ck.fail(q, f"应为 {'/'.join(_SEVERITIES)} 之一，实际为“{value}”")
                continue
            if cid not in default:  # an outside or cross-case check: its parameters are its own
                continue
            if name not in known:
                raise ck.fail(q, f"不是 {cid} 的已知参数（可用：{'、'.join(sorted(known))}）")
            _check_tree(value, known[name], q, ck, open_=True)


def _check_calendar(user: Any, default: dict[str, Any], ck: _Checker) -> None:
    at = ("calendar",)
    if not isinstance(user, dict):
        raise ck.fail(at, "应为映射")
    for k, v in user.items():
        if k not in default:
            raise ck.fail(at + (str(k),), f"不是已知参数（可用：{'、'.join(default)}）")
        if k != "years":
            _check_tree(v, default[k], at + (k,), ck)
            continue
        if v is None:
            continue
        if not isinstance(v, dict):
            raise ck.fail(at + ("years",), "应为映射（年份: {holidays: [...], workdays: [...]}）")
        for year, table in v.items():
            y = at + ("years", str(year))
            if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2200:
                raise ck.fail(y, "年份应为四位整数，如 2027")
            if not isinstance(table, dict):
                raise ck.fail(y, "应为 {holidays: [...], workdays: [...]}")
            for name, days in table.items():
                z = y + (str(name),)
                if name not in ("holidays", "workdays"):
                    raise ck.fail(z, "不是已知参数（可用：holidays、workdays）")
                if not isinstance(days, list):
                    raise ck.fail(z, "应为日期列表")
                for i, d in enumerate(days):
                    try:
                        day = d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d))
                    except ValueError:
                        raise ck.fail(z + (str(i),), f"日期格式应为 YYYY-MM-DD，实际为“{d}”") from None
                    if day.year != year:
                        raise ck.fail(z + (str(i),), f"日期 {day.isoformat()} 不在 {year} 年")


def _registered_ids() -> set[str]:
    return set(all_checks())


# --- merging and loading ----------------------------------------------------------------------------

def deep_merge(base: Any, over: Any) -> Any:
    """Mappings merge key by key; anything else in ``over`` replaces ``base``."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = deep_merge(base[k], v) if k in base else copy.deepcopy(v)
        return out
    return copy.deepcopy(over)


def _user_meta(user: Any, at: Path_, meta: dict[str, dict[str, Any]], source: str) -> None:
    if isinstance(user, dict) and at[:2] != ("calendar", "years"):
        for k, v in user.items():
            _user_meta(v, at + (str(k),), meta, source)
    elif at:
        key = ".".join(at)
        if key not in meta or meta[key].get("status") != "USER":
            meta[key] = {"status": "USER", "source": source}


@lru_cache(maxsize=1)
def _defaults() -> dict[str, Any]:
    text = _read_text(DEFAULT_PATH)
    data, _lines = _parse(text, DEFAULT_PATH)
    meta: dict[str, dict[str, Any]] = {}
    plain = _unwrap(data, (), meta)
    plain["meta"] = meta
    return plain


def default_rules() -> dict[str, Any]:
    """The packaged defaults (cached; do not mutate)."""
    return _defaults()


def load_rules(path: str | Path | None = None) -> dict[str, Any]:
    """Packaged defaults, deep-merged with the user file at ``path`` (E301/E302 on a bad file)."""
    base = _defaults()
    if path is None:
        return base
    p = Path(path)
    text = _read_text(p)
    raw, lines = _parse(text, p)
    if raw is None:
        return base
    ck = _Checker(p, lines)
    if not isinstance(raw, dict):
        raise ck.fail((), "顶层应为映射（calendar / thresholds / checks …）")
    meta: dict[str, dict[str, Any]] = {}
    user = _unwrap(raw, (), meta)
    defaults = {k: v for k, v in base.items() if k != "meta"}
    _check_user(user, raw, defaults, ck)
    merged = deep_merge(defaults, user)
    all_meta = dict(base["meta"])
    _user_meta(user, (), all_meta, str(p))
    for k, v in meta.items():  # a user file may give its own status and source
        all_meta[k] = v
    merged["meta"] = all_meta
    return merged


def param_meta(rules: Mapping[str, Any], dotted: str) -> dict[str, Any]:
    """Status and source of one parameter (``"checks.DEC-01.limit_days"``), {} if none recorded."""
    return dict((rules.get("meta") or {}).get(dotted) or {})


# --- calendar and context ---------------------------------------------------------------------------

def build_calendar(rules: Mapping[str, Any]) -> WorkCalendar:
    """The default calendar extended by ``calendar.years``, with the weekend roll-over setting
    (built once per distinct setting)."""
    cal_cfg = rules.get("calendar") or {}
    years = cal_cfg.get("years") or {}
    key = json.dumps({str(y): t for y, t in years.items()}, sort_keys=True, default=str, ensure_ascii=False)
    return _calendar(key, bool(cal_cfg.get("rollover_weekends", True)))


@lru_cache(maxsize=8)
def _calendar(years_json: str, weekends: bool) -> WorkCalendar:
    cal = WorkCalendar.default()
    years = json.loads(years_json)
    if years:
        cal = cal.extended({int(y): t for y, t in years.items()})
    if weekends != cal.rollover_weekends:
        cal = dataclasses.replace(cal, rollover_weekends=weekends)
    return cal


calendar_from_rules = build_calendar


def make_context(rules: Mapping[str, Any] | None = None, *, review_date: str | None = None,
                 history: Any = (), register_rows: Any = None) -> CheckContext:
    """A CheckContext over ``rules`` (default: the packaged rules) and its calendar."""
    r = rules if rules is not None else default_rules()
    return CheckContext(rules=r, calendar=build_calendar(r), review_date=review_date,
                        history=history, register_rows=register_rows)
