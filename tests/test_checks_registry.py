"""Completeness of the single-file check registry against the catalogue (domain/checks.md),
documentation shape, and the golden snapshot tests/golden/registry.json.

Rewrite the snapshot after a deliberate change with:
    ANJUAN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_checks_registry.py
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from checks.docs import explain, list_checks
from checks.registry import all_checks
from pipeline.core.models import SEVERITIES

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT.parent / "shared" / "domain" / "checks.md"
CASES_DIR = Path(__file__).parent / "cases"
GOLDEN = Path(__file__).parent / "golden" / "registry.json"
UPDATE_CMD = "ANJUAN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_checks_registry.py"
SECTIONS = ("检查内容", "法律依据", "不通过示例", "通过示例")


def catalogue_rows() -> dict[str, dict[str, str | None]]:
    """The rows of the 'Single-file checks' table of checks.md: id -> name, severity, stage."""
    text = CATALOGUE.read_text(encoding="utf-8")
    section = text.split("## Single-file checks", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, dict[str, str | None]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 7 or not re.fullmatch(r"[A-Z]{3}-\d{2}", cells[0]):
            continue
        severity = cells[-2].split()[0]
        stage = cells[-1]
        rows[cells[0]] = {"name": cells[1], "severity": severity,
                          "stage": None if stage.startswith("the stage of") else stage}
    return rows


CATALOGUE_ROWS = catalogue_rows()
CATALOGUE_IDS = sorted(CATALOGUE_ROWS)


def case_names(check_id: str) -> list[str]:
    path = CASES_DIR / f"{check_id}.yml"
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [k for k in data if k != "check"]


def test_checks_registry_catalogue_parsed() -> None:
    assert len(CATALOGUE_ROWS) >= 36
    assert CATALOGUE_ROWS["DEC-01"] == {"name": "overdue-decision", "severity": "major", "stage": "审核决定"}
    assert CATALOGUE_ROWS["DEC-04"]["severity"] == "major"
    assert CATALOGUE_ROWS["ORD-01"]["stage"] is None


@pytest.mark.parametrize("check_id", CATALOGUE_IDS)
def test_checks_registry_catalogue_id_registered(check_id: str) -> None:
    specs = all_checks()
    assert check_id in specs, f"{check_id} of checks.md is not registered"
    spec, row = specs[check_id], CATALOGUE_ROWS[check_id]
    assert not spec.cross
    assert spec.name == row["name"]
    assert spec.severity == row["severity"]
    assert spec.stage == row["stage"]


@pytest.mark.parametrize("check_id", CATALOGUE_IDS)
def test_checks_registry_catalogue_id_has_fail_and_pass_cases(check_id: str) -> None:
    names = case_names(check_id)
    assert any(n.startswith("test_fail_") for n in names), f"tests/cases/{check_id}.yml has no test_fail_* case"
    assert any(n.startswith("test_pass_") for n in names), f"tests/cases/{check_id}.yml has no test_pass_* case"


# Checks this project added that checks.md does not list yet (to be added there by the planners);
# each needs its cases file like a catalogue check.
LOCAL_IDS = ("OCR-01",)  # issue "Scanned case files": 「需人工核对」 as an info finding


def test_checks_registry_no_unknown_single_file_ids() -> None:
    extra = sorted(i for i, s in all_checks().items()
                   if not s.cross and i not in CATALOGUE_ROWS and i not in LOCAL_IDS)
    assert not extra, f"registered but not in checks.md: {extra}"


@pytest.mark.parametrize("check_id", LOCAL_IDS)
def test_checks_registry_local_ids_have_cases_and_docs(check_id: str) -> None:
    spec = all_checks()[check_id]
    assert (Path(__file__).parent / "cases" / f"{check_id}.yml").is_file()
    lines = [ln.strip() for ln in spec.doc.splitlines()]
    for section in SECTIONS:
        assert any(ln.startswith(section + "：") for ln in lines), f"{check_id}: missing section {section}"


@pytest.mark.parametrize("check_id", CATALOGUE_IDS)
def test_checks_registry_docstring_and_citation(check_id: str) -> None:
    spec = all_checks()[check_id]
    lines = [ln.strip() for ln in spec.doc.splitlines()]
    assert lines and lines[0] and not lines[0].startswith(SECTIONS), "first line must be a summary"
    for section in SECTIONS:
        assert any(ln.startswith(section + "：") for ln in lines), f"{check_id}: missing section {section}"
    assert spec.title and re.search(r"[\u4e00-\u9fff]", spec.title)
    assert spec.citation.law.startswith(("中华人民共和国", "上海市"))
    assert re.fullmatch(r"第[一二三四五六七八九十百零]+条", spec.citation.article)
    assert spec.severity in SEVERITIES


@pytest.mark.parametrize("check_id", ["DEC-01", "FIL-02", "CLS-01", "LAW-01"])
def test_checks_registry_explain_shows_parameters(check_id: str) -> None:
    text = explain(check_id)
    assert text.startswith(check_id)
    for section in SECTIONS:
        assert section in text
    if check_id in ("FIL-02", "CLS-01"):
        assert "UNCONFIRMED" in text and "本地假设" in text


def test_checks_registry_explain_marks_user_values() -> None:
    from checks.rules import deep_merge, default_rules

    rules = deep_merge({k: v for k, v in default_rules().items() if k != "meta"},
                       {"checks": {"DEC-01": {"limit_days": 60}}})
    rules["meta"] = dict(default_rules()["meta"],
                         **{"checks.DEC-01.limit_days": {"status": "USER", "source": "x.yaml"}})
    text = explain("DEC-01", rules)
    assert "limit_days = 60" in text and "用户规则文件设定" in text


def _snapshot() -> list[dict]:
    return [{k: row[k] for k in ("id", "name", "severity", "stage", "citation")}
            for row in list_checks() if not row["cross"]]


def test_checks_registry_golden(update_golden: bool) -> None:
    current = _snapshot()
    text = json.dumps(current, ensure_ascii=False, indent=1) + "\n"
    if update_golden or not GOLDEN.exists():
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
        if not update_golden:
            pytest.fail(f"{GOLDEN} did not exist and was written; review it and rerun")
        return
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    if golden != current:
        old = {r["id"]: r for r in golden}
        new = {r["id"]: r for r in current}
        diff = [f"  - {old[i]}" for i in sorted(old) if old[i] != new.get(i)]
        diff += [f"  + {new[i]}" for i in sorted(new) if new[i] != old.get(i)]
        pytest.fail("check registry differs from tests/golden/registry.json:\n" + "\n".join(diff)
                    + f"\nIf the change is intended, rewrite the snapshot with:\n    {UPDATE_CMD}")
