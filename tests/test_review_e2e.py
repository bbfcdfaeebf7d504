"""End-to-end: a generated month reviewed by `review_archive`, checked against the contract."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import ROOT, SHARED, read_jsonl

SCHEMA = json.loads((ROOT / "pipeline" / "data" / "case-result.schema.json").read_text(encoding="utf-8"))


def test_review_cases_jsonl_valid_against_schema(small_review: Path) -> None:
    lines = read_jsonl(small_review / "cases.jsonl")
    assert len(lines) == 40
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for line in lines:
        errors = sorted(validator.iter_errors(line), key=lambda e: list(e.path))
        assert not errors, f"{line['case_id']}: {errors[0].message} at {list(errors[0].path)}"


def test_review_every_required_field_key_present(small_review: Path) -> None:
    required = SCHEMA["properties"]["fields"]["required"]
    for line in read_jsonl(small_review / "cases.jsonl"):
        assert set(required) <= set(line["fields"]), line["case_id"]


def test_review_every_input_file_accounted_for(small_corpus: Path, small_review: Path) -> None:
    archive = small_corpus / "archive"
    seen: set[str] = set()
    for line in read_jsonl(small_review / "cases.jsonl"):
        for d in line["documents"]:
            seen.add(d["path"].split("!/")[0])
        for e in line["errors"]:
            seen.add(e["path"].split("!/")[0])
    on_disk = {p.relative_to(archive).as_posix() for p in archive.rglob("*") if p.is_file()}
    on_disk = {p for p in on_disk if "台账" not in p}
    assert on_disk <= seen, sorted(on_disk - seen)[:5]


def test_review_case_ids_are_folder_and_file_names(small_corpus: Path, small_review: Path) -> None:
    truth_ids = [t["case_id"] for t in read_jsonl(small_corpus / "truth.jsonl")]
    got = [line["case_id"] for line in read_jsonl(small_review / "cases.jsonl")]
    assert got == sorted(truth_ids)


def test_review_document_typing_accuracy(small_corpus: Path, small_review: Path) -> None:
    truth = {}
    for t in read_jsonl(small_corpus / "truth.jsonl"):
        for d in t["documents"]:
            truth[(d["path"], d["part"])] = d["doc_type"]
    got = {}
    for line in read_jsonl(small_review / "cases.jsonl"):
        for d in line["documents"]:
            got[(d["path"], d.get("part", 0))] = d["doc_type"]
    correct = sum(1 for k, v in truth.items() if got.get(k) == v)
    assert len(truth) > 300
    assert correct / len(truth) >= 0.99, [(k, v, got.get(k)) for k, v in truth.items() if got.get(k) != v][:10]


def test_review_summary_counts_match_cases(small_review: Path) -> None:
    summary = json.loads((small_review / "summary.json").read_text(encoding="utf-8"))
    lines = read_jsonl(small_review / "cases.jsonl")
    assert summary["counts"]["cases"] == len(lines)
    assert summary["counts"]["findings"] == sum(len(x["findings"]) for x in lines)
    assert sum(v["cases"] for v in summary["by_squad"].values()) == len(lines)
    assert set(summary) >= {"by_squad", "by_check", "by_grade", "inputs", "settings", "versions", "timing"}


def test_review_is_deterministic_across_runs_and_jobs(small_corpus: Path, small_review: Path,
                                                      tmp_path: Path) -> None:
    from pipeline.run.review import ReviewSettings, review_archive

    out = tmp_path / "again"
    review_archive(small_corpus / "archive", out,
                   ReviewSettings(db_path=None, jobs=2, month="2024-06", progress=False))
    a = (small_review / "cases.jsonl").read_bytes()
    b = (out / "cases.jsonl").read_bytes()
    assert hashlib.sha256(a).hexdigest() == hashlib.sha256(b).hexdigest()
    s1 = json.loads((small_review / "summary.json").read_text(encoding="utf-8"))
    s2 = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    s1.pop("timing"), s2.pop("timing")
    assert s1 == s2


def test_review_leaves_archive_untouched(small_corpus: Path, small_review: Path) -> None:
    # the review fixture ran on this archive; its files must match the generator's manifest
    from pipeline.run.commands import generate_corpus

    archive = small_corpus / "archive"
    digest = {p.relative_to(archive).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
              for p in sorted(archive.rglob("*")) if p.is_file()}
    fresh = small_corpus.parent / "fresh-corpus"
    generate_corpus(40, "2024-06", 5, fresh)
    fresh_digest = {p.relative_to(fresh / "archive").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                    for p in sorted((fresh / "archive").rglob("*")) if p.is_file()}
    assert digest == fresh_digest


def test_review_refuses_output_inside_archive(small_corpus: Path) -> None:
    from pipeline.core.errors import AnjuanError
    from pipeline.run.review import ReviewSettings, review_archive

    with pytest.raises(AnjuanError) as info:
        review_archive(small_corpus / "archive", small_corpus / "archive" / "out",
                       ReviewSettings(db_path=None, jobs=1, progress=False))
    assert "E100" in str(info.value)
    assert not (small_corpus / "archive" / "out").exists()


def test_schema_copy_matches_contract() -> None:
    shared = SHARED / "contract" / "case-result.schema.json"
    if not shared.exists():
        pytest.skip("../shared/contract is not beside this checkout")
    assert json.loads(shared.read_text(encoding="utf-8")) == SCHEMA
