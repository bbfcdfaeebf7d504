"""The extractor registry (``extractors.fields``): its golden snapshot, its registration rules,
and the label data it reads (``extractors/data/labels.yaml``).

Rewrite the snapshot after a deliberate change with:
    ANJUAN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_extract_registry.py
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from extractors.fields import all_extractors, extractor_for
from extractors.fields.labels import ALL_LABELS, LABEL_SETS, load_labels
from extractors.fields.registry import extracts
from pipeline.core.errors import DataFileError
from pipeline.core.models import DOC_TYPES

GOLDEN = Path(__file__).parent / "golden" / "extractors.json"
UPDATE_CMD = "ANJUAN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_extract_registry.py"


def test_extract_registry_matches_golden_snapshot() -> None:
    now = [spec.to_dict() for spec in all_extractors().values()]
    text = json.dumps(now, ensure_ascii=False, indent=1) + "\n"
    if os.environ.get("ANJUAN_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert GOLDEN.exists(), f"no snapshot yet; run {UPDATE_CMD}"
    assert json.loads(GOLDEN.read_text(encoding="utf-8")) == now, f"registry changed; if deliberate run {UPDATE_CMD}"


@pytest.mark.parametrize("doc_type", [d for d in DOC_TYPES])
def test_extract_registry_every_doc_type_has_one_extractor(doc_type: str) -> None:
    spec = extractor_for(doc_type)
    assert doc_type in spec.doc_types or spec.fallback


@pytest.mark.parametrize("kwargs, problem", [
    ({"name": "Decision"}, "does not match"),
    ({"doc_types": ("no_such_type",)}, "unknown doc types"),
    ({"fields": ("no_such_field",)}, "not in pipeline.core.vocab"),
])
def test_extract_registry_rejects_bad_registration(kwargs: dict, problem: str) -> None:
    args = {"name": "tests.bad.v1", "doc_types": ("other",), "fields": ("doc_date",)} | kwargs
    with pytest.raises(ValueError, match=problem):
        extracts(args.pop("name"), **args)(lambda t, o, sd: None)


def test_extract_registry_rejects_a_doc_type_read_twice() -> None:
    with pytest.raises(ValueError, match="already read by decisions.decision.v1"):
        extracts("tests.twice.v1", doc_types=("decision",), fields=("doc_date",))(lambda t, o, sd: None)


def test_extract_labels_ends_value_false_keeps_the_person_asked_out_of_the_cut_set() -> None:
    # 被询问人姓名 names the person asked; it is no label that ends another label's value
    assert "被询问人姓名" in LABEL_SETS["asked"].synonyms
    assert "被询问人姓名" not in ALL_LABELS
    assert "当事人" in ALL_LABELS and "执法证号" in ALL_LABELS


@pytest.mark.parametrize("body, line, problem", [
    ("fields:\n  party:\n    value: name\n    synonym: [当事人]\n", 4, "未知的键“synonym”"),
    ("fields:\n  party:\n    value: nmae\n    synonyms: [当事人]\n", 3, "value“nmae”不在可用值中"),
    ("fields:\n  party:\n    value: name\n    synonyms: [当事人, 当事人]\n", 4, "“当事人”重复"),
    ("fields:\n  party:\n    value: name\n    synonyms: [甲]\n    not: [甲]\n", 5, "not 与 synonyms 重复"),
    ("fields:\n  party:\n    synonyms: [甲]\n", 3, "缺少键“value”"),
    ("fields: [\n", 2, "YAML 格式错误"),
])
def test_extract_labels_errors_name_the_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             body: str, line: int, problem: str) -> None:
    import extractors.fields.labels as L

    (tmp_path / "bad.yaml").write_text(body, encoding="utf-8")
    monkeypatch.setattr(L, "DATA", tmp_path)
    with pytest.raises(DataFileError) as err:
        load_labels("bad.yaml")
    assert f"bad.yaml 第 {line} 行" in str(err.value) and problem in str(err.value)
    assert str(err.value).startswith("[E203]")


# --- assembly precedence (extractors/data/precedence.yaml) -------------------------------------
def test_extract_precedence_covers_every_case_key() -> None:
    from extractors.precedence import PRECEDENCE
    from pipeline.core.models import CASE_FIELD_KEYS

    assert set(PRECEDENCE) == set(CASE_FIELD_KEYS)
    assert PRECEDENCE["decision_service_date"].steps[0].served == ("decision", "non_penalty_decision",
                                                                     "simple_decision")
    assert [s.field for s in PRECEDENCE["violation_type"].steps] == ["case_cause", "violation_type", "facts"]


_KEYS_REST = "".join(f"  {k}: {{from: [decision], field: doc_date}}\n" for k in (
    "procedure", "outcome", "squad", "party", "violation_type", "violation_place", "violation_date", "officers",
    "discovered_date", "filing_date", "notice_date", "notice_service_date", "hearing_waived", "legal_review_date",
    "extension_approved_date", "decision_date", "decision_service_date", "payment_date", "closing_date",
    "withdrawal_date", "violated_provisions", "penalty_basis", "penalty_kinds", "proposed_fine_yuan", "fine_yuan",
    "remedy"))


@pytest.mark.parametrize("first, line, problem", [
    ("  case_number: {from: [decsion], field: doc_number}\n", 2, "未知的文书类型“decsion”"),
    ("  case_number: {from: [decision], field: doc_numbr}\n", 2, "未知的文书字段“doc_numbr”"),
    ("  case_number: {from: [decision], field: doc_number, order: first}\n", 2, "order“first”不在可用值中"),
    ("  case_number: {from: [decision]}\n", 2, "缺少键“field”"),
    ("  case_nubmer: {from: [decision], field: doc_number}\n", 2, "未知的键“case_nubmer”"),
])
def test_extract_precedence_errors_name_the_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 first: str, line: int, problem: str) -> None:
    import extractors.precedence as PR

    (tmp_path / "bad.yaml").write_text("keys:\n" + first + _KEYS_REST, encoding="utf-8")
    monkeypatch.setattr(PR, "DATA", tmp_path)
    with pytest.raises(DataFileError) as err:
        PR.load_precedence("bad.yaml")
    assert f"bad.yaml 第 {line} 行" in str(err.value) and problem in str(err.value)


def test_extract_precedence_missing_key_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import extractors.precedence as PR

    (tmp_path / "bad.yaml").write_text("keys:\n" + _KEYS_REST, encoding="utf-8")
    monkeypatch.setattr(PR, "DATA", tmp_path)
    with pytest.raises(DataFileError, match="缺少键“case_number”"):
        PR.load_precedence("bad.yaml")
