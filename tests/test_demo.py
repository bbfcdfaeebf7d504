"""`anjuan demo` runs again over its own output; `anjuan corpus generate` never overwrites silently."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.core.errors import AnjuanError
from pipeline.run.commands import DEMO_MARK, _prepare_demo_folder, generate_corpus


def test_demo_folder_of_an_earlier_demo_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    _prepare_demo_folder(out)
    (out / "语料" / "archive").mkdir(parents=True)
    (out / "语料" / "archive" / "old.docx").write_bytes(b"x")
    (out / "评查结果").mkdir()
    (out / "anjuan.db").write_bytes(b"")
    _prepare_demo_folder(out)
    assert (out / DEMO_MARK).is_file()
    assert not (out / "语料").exists() and not (out / "评查结果").exists() and not (out / "anjuan.db").exists()


def test_demo_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(AnjuanError) as info:
        _prepare_demo_folder(tmp_path)
    assert info.value.code == "E421"
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "keep me"


def test_demo_cli_twice(tmp_path: Path) -> None:
    out = tmp_path / "d"
    for _ in range(2):
        result = CliRunner().invoke(cli, ["demo", "--cases", "4", "--seed", "3", "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert "演示完成" in result.output
    assert len(list((out / "评查结果" / "评查意见书").glob("*.docx"))) == 4


def test_corpus_generate_into_a_corpus_folder_is_a_coded_error_unless_overwrite(tmp_path: Path) -> None:
    generate_corpus(3, "2024-06", 1, tmp_path)
    with pytest.raises(AnjuanError) as info:
        generate_corpus(3, "2024-06", 2, tmp_path)
    assert info.value.code == "E420"
    result = CliRunner().invoke(cli, ["corpus", "generate", "--cases", "3", "--seed", "2", "--out", str(tmp_path)])
    assert result.exit_code != 0 and "[E420]" in result.output
    manifest = generate_corpus(3, "2024-06", 2, tmp_path, overwrite=True)
    assert manifest["cases"] == 3
