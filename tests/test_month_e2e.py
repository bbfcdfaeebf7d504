"""The month end to end through the CLI: review with a database, letters, reviewer decisions, plan."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from tests.conftest import read_jsonl


@pytest.fixture(scope="module")
def month_run(small_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("month")
    db = work / "anjuan.db"
    out = work / "out"
    result = CliRunner().invoke(cli, ["run", str(small_corpus / "archive"), "--month", "2024-06",
                                      "--out", str(out), "--db", str(db), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return {"db": db, "out": out, "output": result.output, "work": work, "archive": small_corpus / "archive"}


def _doc_text(path: Path) -> str:
    from pipeline.write.docx import docx_text

    return docx_text(path)


def test_month_run_writes_every_contract_output(month_run: dict) -> None:
    out = month_run["out"]
    for name in ("cases.jsonl", "summary.json", "评查评分表.xlsx", "讲评会材料.docx", "讲评会材料.html", "月通报.docx"):
        assert (out / name).is_file(), name
    lines = read_jsonl(out / "cases.jsonl")
    opinions = sorted((out / "评查意见书").glob("*.docx"))
    assert len(opinions) == sum(1 for x in lines if x["status"] != "error")
    letters = sorted((out / "监督文书").glob("*.docx"))
    assert letters, "no 两单两书 drafted for a month with findings"
    # the plan for next month, drawn from the archive's register
    assert (out / "督察任务单.xlsx").is_file() and (out / "督察任务单.docx").is_file()
    assert "2024-07" in month_run["output"]


def test_month_opinion_and_workbook_name_the_cases_and_findings(month_run: dict) -> None:
    from pipeline.supervise.labels import check_title

    out = month_run["out"]
    wb = openpyxl.load_workbook(out / "评查评分表.xlsx", read_only=True)
    sheet_text = "\n".join(str(c) for row in wb.worksheets[0].iter_rows(values_only=True) for c in row if c)
    for line in read_jsonl(out / "cases.jsonl"):
        assert line["case_id"] in sheet_text
        if line["status"] == "error" or not line["findings"]:
            continue
        text = _doc_text(out / "评查意见书" / f"{line['case_id']}.docx")
        for f in line["findings"]:
            if f["check_id"].startswith("MIS-") or f["severity"] == "info":
                continue  # unconfirmed signals and info stay out of the opinion
            # the opinion names the check in words, not by its id (issue 17)
            assert check_title(f["check_id"]) in text and f["check_id"] not in text, (line["case_id"], f["check_id"])


def test_month_letters_listed_and_rerun_issues_nothing_twice(month_run: dict) -> None:
    runner = CliRunner()
    before = runner.invoke(cli, ["letters", "list", "--db", str(month_run["db"])])
    assert before.exit_code == 0 and "提示单" in before.output
    out2 = month_run["work"] / "out-again"
    again = runner.invoke(cli, ["review", str(month_run["archive"]), "--out", str(out2), "--db",
                                str(month_run["db"]), "--month", "2024-06", "--jobs", "1", "--quiet"])
    assert again.exit_code == 0, again.output
    after = runner.invoke(cli, ["letters", "list", "--db", str(month_run["db"])])
    assert after.output == before.output
    a = sorted(p.name for p in (month_run["out"] / "监督文书").glob("*.docx"))
    b = sorted(p.name for p in (out2 / "监督文书").glob("*.docx"))
    assert a == b


def test_month_dismissed_finding_leaves_opinion_and_score(month_run: dict, tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    shutil.copy(month_run["db"], db)
    lines = read_jsonl(month_run["out"] / "cases.jsonl")
    target = next(x for x in lines if x["status"] != "error"
                  and x["score"]["grade"] not in ("不评分（简易程序）", "不评分")
                  and any(f["severity"] in ("major", "minor") and not f["check_id"].startswith("MIS-")
                          for f in x["findings"]) and not x["score"]["vetoed"])
    finding = next(f for f in target["findings"] if f["severity"] in ("major", "minor")
                   and not f["check_id"].startswith("MIS-"))
    runner = CliRunner()
    r = runner.invoke(cli, ["findings", "dismiss", target["case_id"], finding["check_id"], "--reason",
                            "复核后认定不构成问题", "--who", "李评查", "--date", "2024-07-05", "--db", str(db)])
    assert r.exit_code == 0, r.output
    out = tmp_path / "out"
    r = runner.invoke(cli, ["review", str(month_run["archive"]), "--out", str(out), "--db", str(db),
                            "--month", "2024-06", "--jobs", "1", "--quiet"])
    assert r.exit_code == 0, r.output
    new = next(x for x in read_jsonl(out / "cases.jsonl") if x["case_id"] == target["case_id"])
    deducted_before = sum(d["points"] for d in target["score"]["deductions"] if d["check_id"] == finding["check_id"])
    assert deducted_before > 0
    assert new["score"]["total"] == pytest.approx(target["score"]["total"] + deducted_before)
    text = _doc_text(out / "评查意见书" / f"{target['case_id']}.docx")
    assert finding["message"] not in text
    before = _doc_text(month_run["out"] / "评查意见书" / f"{target['case_id']}.docx")
    assert finding["message"] in before
    wb = openpyxl.load_workbook(out / "评查评分表.xlsx", read_only=True)
    all_text = "\n".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c)
    assert "复核后认定不构成问题" in all_text
    hist = runner.invoke(cli, ["findings", "history", target["case_id"], "--db", str(db)])
    assert "排除" in hist.output and "李评查" in hist.output


def test_month_confirmed_signal_deducts(month_run: dict, tmp_path: Path) -> None:
    lines = read_jsonl(month_run["out"] / "cases.jsonl")
    target = next((x for x in lines if any(f["check_id"] in ("MIS-01", "MIS-02", "MIS-03") for f in x["findings"])
                   and x["score"]["grade"] != "不评分（简易程序）"), None)
    if target is None:
        pytest.skip("no cross-case signal on a scored file in this corpus")
    sig = next(f for f in target["findings"] if f["check_id"] in ("MIS-01", "MIS-02", "MIS-03"))
    assert all(d["points"] == 0 for d in target["score"]["deductions"] if d["check_id"] == sig["check_id"])
    db = tmp_path / "a.db"
    shutil.copy(month_run["db"], db)
    runner = CliRunner()
    r = runner.invoke(cli, ["findings", "confirm", target["case_id"], sig["check_id"], "--reason", "经核实属实",
                            "--date", "2024-07-05", "--db", str(db)])
    assert r.exit_code == 0, r.output
    out = tmp_path / "out"
    r = runner.invoke(cli, ["review", str(month_run["archive"]), "--out", str(out), "--db", str(db),
                            "--month", "2024-06", "--jobs", "1", "--quiet"])
    assert r.exit_code == 0, r.output
    new = next(x for x in read_jsonl(out / "cases.jsonl") if x["case_id"] == target["case_id"])
    assert new["score"]["vetoed"] or new["score"]["total"] < target["score"]["total"]
    text = _doc_text(out / "评查意见书" / f"{target['case_id']}.docx")
    from pipeline.supervise.labels import check_title

    assert check_title(sig["check_id"]) in text


def test_month_decision_needs_a_reason(tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["findings", "dismiss", "2406001", "NOT-02", "--reason", " ",
                                 "--db", str(tmp_path / "x.db")])
    assert r.exit_code != 0 and "[E307]" in r.output


def test_month_plan_command(small_corpus: Path, tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["plan", "--register", str(small_corpus / "archive" / "台账.xlsx"), "--month",
                                 "2024-07", "--out", str(tmp_path), "--db", str(tmp_path / "p.db"), "--seed", "3"])
    assert r.exit_code == 0, r.output
    assert "案卷抽查" in r.output and (tmp_path / "督察任务单.xlsx").is_file()
    bad = CliRunner().invoke(cli, ["plan", "--register", str(small_corpus / "archive" / "台账.xlsx"), "--month",
                                   "2024-13", "--out", str(tmp_path), "--db", str(tmp_path / "p.db")])
    assert bad.exit_code != 0 and "[E306]" in bad.output
