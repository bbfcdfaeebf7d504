"""The project carries its own documentation of the contract and the catalogue, kept in step here.

- docs/checks-reference.md is generated from the registry and the shipped rules (docs/build_docs.py):
  it must be up to date. (docs/checks.md, the hand-written catalogue, is held against the registry by
  tests/test_checks_registry.py.)
- docs/errors.md, every error code with its Chinese message, is generated from pipeline.core.errors
  the same way: it must be up to date and list every code.
- docs/archive.md names every document type, every case-field key, every top-level key of a
  cases.jsonl line and every output file the code writes.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from pipeline.core.models import CASE_FIELD_KEYS, DOC_TYPES

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
ARCHIVE_MD = (DOCS / "archive.md").read_text(encoding="utf-8")
SCHEMA = json.loads((ROOT / "pipeline" / "data" / "case-result.schema.json").read_text(encoding="utf-8"))

sys.path.insert(0, str(DOCS))
import build_docs  # noqa: E402


def test_docs_checks_reference_is_up_to_date():
    current = (DOCS / "checks-reference.md").read_text(encoding="utf-8")
    assert current == build_docs.build(), \
        "docs/checks-reference.md is out of date: run  .venv/bin/python docs/build_docs.py"


def test_docs_errors_list_is_up_to_date():
    current = (DOCS / "errors.md").read_text(encoding="utf-8")
    assert current == build_docs.build_errors(), \
        "docs/errors.md is out of date: run  .venv/bin/python docs/build_docs.py"


def test_docs_errors_list_names_every_code_once_with_its_message():
    from pipeline.core.errors import MESSAGES

    text = (DOCS / "errors.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (E\d{3}) \| (.+) \|$", text, re.M)
    assert sorted(c for c, _m in rows) == sorted(MESSAGES)
    assert all(m.replace("｜", "|") == MESSAGES[c] for c, m in rows)


@pytest.mark.parametrize("name", ["checks.md", "checks-reference.md"])
def test_docs_checks_lists_every_registered_id(name):
    from checks.registry import all_checks

    text = (DOCS / name).read_text(encoding="utf-8")
    listed = set(re.findall(r"^(?:\| |### )([A-Z]{3}-\d{2}) ", text, re.M))
    assert listed == set(all_checks())


def _table_keys(section_title: str) -> set[str]:
    part = ARCHIVE_MD.split(section_title, 1)[1]
    part = part.split("\n## ", 1)[0].split("\n### ", 1)[0]
    return set(re.findall(r"^\| ([a-z_]+) \|", part, re.M))


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_docs_archive_names_every_doc_type(doc_type):
    assert doc_type in _table_keys("### 文书类型")


def test_docs_archive_names_every_case_field_key():
    assert _table_keys("### 案卷要素") == set(CASE_FIELD_KEYS)
    assert set(SCHEMA["properties"]["fields"]["required"]) == set(CASE_FIELD_KEYS)


def test_docs_archive_names_every_top_level_result_key():
    documented = _table_keys("### cases.jsonl 的一行")
    assert set(SCHEMA["properties"]) <= documented
    assert set(SCHEMA["required"]) <= documented


@pytest.mark.parametrize("output", ["cases.jsonl", "summary.json", "评查评分表.xlsx", "评查意见书/", "监督文书/",
                                    "讲评会材料.docx", "讲评会材料.html", "月通报.docx"])
def test_docs_archive_names_every_output(output):
    assert output in ARCHIVE_MD
