"""The CLI: every command has Chinese help and appears in the README; commands work end to end."""
from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from tests.conftest import ROOT, read_jsonl


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        out.append((full, cmd))
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, full + " "))
    return out


COMMANDS = _commands(cli)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("name,cmd", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_cli_command_has_chinese_help(name: str, cmd: click.Command) -> None:
    assert cmd.help and CJK.search(cmd.help), f"`anjuan {name}` has no Chinese help text"
    for param in cmd.params:
        if isinstance(param, click.Option) and param.name not in ("help", "version"):
            assert param.help and CJK.search(param.help), f"`anjuan {name}` option {param.opts} has no Chinese help"


@pytest.mark.parametrize("name,cmd", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_cli_command_documented_in_readme(name: str, cmd: click.Command) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"anjuan {name}" in readme, f"README.md does not mention `anjuan {name}`"


def test_cli_readme_opens_with_make_demo_and_make_test() -> None:
    head = (ROOT / "README.md").read_text(encoding="utf-8")[:1500]
    assert "make demo" in head and "make test" in head


def test_cli_review_missing_archive_gives_coded_chinese_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["review", str(tmp_path / "不存在"), "--out", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert "[E100]" in result.output and "归档目录不存在" in result.output


def test_cli_checks_list_names_every_catalogue_id() -> None:
    from tests.catalogue import catalogue_ids

    ids = set(catalogue_ids())
    result = CliRunner().invoke(cli, ["checks", "list"])
    assert result.exit_code == 0, result.output
    listed = set(re.findall(r"^([A-Z]{3}-\d{2})\s", result.output, re.M))
    assert ids <= listed, sorted(ids - listed)


def test_cli_checks_explain_unknown_id_is_coded_error() -> None:
    result = CliRunner().invoke(cli, ["checks", "explain", "XYZ-99"])
    assert result.exit_code != 0 and "[E305]" in result.output


def test_cli_corpus_generate_and_extract(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["corpus", "generate", "--cases", "6", "--month", "2024-06", "--seed", "3",
                                 "--out", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    truth = read_jsonl(tmp_path / "c" / "truth.jsonl")
    assert len(truth) == 6
    # extract the decision of the first penalized general-procedure case
    for t in truth:
        decisions = [d for d in t["documents"] if d["doc_type"] == "decision" and d["part"] == 0
                     and "!/" not in d["path"]]
        if decisions:
            path = tmp_path / "c" / "archive" / decisions[0]["path"]
            result = runner.invoke(cli, ["extract", str(path), "--json"])
            assert result.exit_code == 0, result.output
            data = json.loads(result.output)
            assert data["documents"][0]["doc_type"] == "decision"
            assert data["fields"].get("fine_yuan") == t["fields"]["fine_yuan"]
            return
    pytest.skip("no single-file decision in this small corpus")
