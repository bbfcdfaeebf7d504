"""Issue 14 §2: the same archive reviewed again under new case ids is the same cases.

Before: recognised 0 of 20 times, 8 false split-case (MIS-01) signals, and the old ids stayed in the
database beside the new ones. Now a case is one case by its canonical case number and party: the
re-review replaces the stored cases, says so, and raises no cross-case signal against itself.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from pipeline.core.digest import CaseDigest
from pipeline.run.commands import generate_corpus
from pipeline.run.review import ReviewSettings, review_archive, superseded_ids


def _mis(out: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for line in (out / "cases.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        for f in r["findings"]:
            if f["check_id"].startswith("MIS-0") and f["check_id"] != "MIS-04":
                found.setdefault(r["case_id"], set()).update(f.get("related_cases", []))
    return found


def test_rereview_under_new_ids_replaces_and_raises_no_signal(tmp_path: Path) -> None:
    generate_corpus(12, "2024-06", 21, tmp_path / "c")
    first = tmp_path / "c" / "archive"
    second = tmp_path / "again"
    second.mkdir()
    for p in sorted(first.iterdir()):
        if p.name.startswith("台账"):
            continue  # the register would join on the old ids; the re-review is of the files alone
        target = second / f"R{p.name}"
        (shutil.copytree if p.is_dir() else shutil.copy2)(p, target)
    db = tmp_path / "h.db"
    settings = ReviewSettings(db_path=db, jobs=1, month="2024-06", progress=False)
    review_archive(first, tmp_path / "o1", settings)
    before = _mis(tmp_path / "o1")
    # reviewed again a month later (the earlier month is history now): the cases must not meet themselves
    summary = review_archive(second, tmp_path / "o2", ReviewSettings(db_path=db, jobs=1, month="2024-07",
                                                                     progress=False))

    after = _mis(tmp_path / "o2")
    assert not any(rel and not all(x.startswith("R") for x in rel) for rel in after.values()), after
    assert len(after) == len(before)  # the seeded signals only, none against the earlier review
    replaced = summary.data.get("replaced_cases") or []
    numbered = [json.loads(x) for x in (tmp_path / "o1" / "cases.jsonl").read_text(encoding="utf-8").splitlines()]
    with_number = sorted(r["case_id"] for r in numbered if r["fields"]["case_number"])
    assert replaced == with_number and with_number
    ids = {r[0] for r in sqlite3.connect(db).execute("SELECT case_id FROM case_digests")}
    assert not ids & set(with_number)
    assert "已按同一案卷替换" in summary.report()


def _d(case_id: str, number: str | None, party: str | None) -> CaseDigest:
    return CaseDigest(case_id=case_id, source=case_id, case_number=number, party_name=party)


def test_rereview_superseded_needs_the_same_number_and_a_compatible_party() -> None:
    new = [_d("R1", "青城管罚决字〔2024〕第12号", "张三"), _d("R2", None, "李四")]
    old = [_d("1", "青城管罚决字［2024］12号", "张三"),      # same number, other brackets, no 第: replaced
           _d("2", "青城管罚决字〔2024〕第12号", "王五"),      # same number, another party: kept (a signal)
           _d("3", None, "李四"),                          # no number: never matched on the party alone
           _d("R1", "青城管罚决字〔2024〕第12号", "张三")]     # the same id: not "another" case
    assert superseded_ids(new, old) == ["1"]
