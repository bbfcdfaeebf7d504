"""Precision/recall of case-level fields against the corpus truth.

``evaluate(pred, truth)`` compares, per case, the schema ``fields`` objects: a field counts tp when
equal to the truth, fp when non-null and different (whether the truth is null or not), fn when
null while the truth is not null — so a wrong value lowers precision only. Lists are compared
as wholes (an empty list counts as null); ``party`` and ``remedy`` are compared per sub-key
(``party.name`` …). Money compares numerically (``200 == 200.0``).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pipeline.core.models import CASE_FIELD_KEYS

SUBKEYED = {
    "party": ("name", "kind", "id_number", "address"),
    "remedy": ("reconsideration_body", "reconsideration_days", "litigation_months", "litigation_court"),
}


def _null(v: Any) -> bool:
    return v is None or (isinstance(v, (list, tuple)) and len(v) == 0)


def _eq(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) \
            and not isinstance(b, bool):
        return abs(float(a) - float(b)) < 1e-9
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_eq(x, y) for x, y in zip(a, b))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        keys = set(a) | set(b)
        return all(_eq(a.get(k), b.get(k)) for k in keys)
    return a == b


def _flat(fields: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in CASE_FIELD_KEYS:
        v = fields.get(key)
        if key in SUBKEYED:
            v = v or {}
            for sub in SUBKEYED[key]:
                out[f"{key}.{sub}"] = v.get(sub)
        else:
            out[key] = v
    return out


def compare(pred: Mapping[str, Any], truth: Mapping[str, Any]) -> dict[str, str]:
    """Per flat field: 'tp' | 'fp' | 'fn' | 'fp+fn' | 'tn' for one case."""
    p, t = _flat(pred), _flat(truth)
    res: dict[str, str] = {}
    for k in t:
        pv, tv = p.get(k), t.get(k)
        if _null(pv) and _null(tv):
            res[k] = "tn"
        elif _null(pv):
            res[k] = "fn"
        elif _null(tv):
            res[k] = "fp"
        elif _eq(pv, tv):
            res[k] = "tp"
        else:
            res[k] = "fp+fn"
    return res


def evaluate(pred: Mapping[str, Mapping[str, Any]],
             truth: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    """{field: {tp, fp, fn, precision, recall}} over the cases present in ``truth``.

    pred (dict[case_id, fields]): the assembled ``fields`` per case (a missing case is all null).
    truth (dict[case_id, fields]): the truth ``fields`` per case.
    """
    table: dict[str, dict[str, float]] = {}
    for cid in sorted(truth):
        for k, r in compare(pred.get(cid, {}), truth[cid]).items():
            row = table.setdefault(k, {"tp": 0, "fp": 0, "fn": 0})
            if r == "tp":
                row["tp"] += 1
            elif r == "fp":
                row["fp"] += 1
            elif r == "fn":
                row["fn"] += 1
            elif r == "fp+fn":  # a wrong value: counted as fp (the brief's definition)
                row["fp"] += 1
    for row in table.values():
        tp, fp, fn = row["tp"], row["fp"], row["fn"]
        row["precision"] = round(tp / (tp + fp), 4) if tp + fp else 1.0
        row["recall"] = round(tp / (tp + fn), 4) if tp + fn else 1.0
    return table


def format_table(table: Mapping[str, Mapping[str, float]]) -> str:
    lines = [f"{'field':34} {'tp':>5} {'fp':>4} {'fn':>4} {'prec':>7} {'recall':>7}"]
    for k, r in table.items():
        lines.append(f"{k:34} {r['tp']:>5} {r['fp']:>4} {r['fn']:>4} {r['precision']:>7.4f} {r['recall']:>7.4f}")
    return "\n".join(lines)
