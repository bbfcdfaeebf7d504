"""Shared fixtures. A small generated corpus is built once per test process and reviewed once."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite golden files under tests/golden instead of comparing")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    import os

    return bool(request.config.getoption("--update-golden") or os.environ.get("ANJUAN_UPDATE_GOLDEN"))


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 generated cases of 2024-06 (seed 5): OUT/archive, OUT/truth.jsonl."""
    from pipeline.run.commands import generate_corpus

    out = tmp_path_factory.mktemp("corpus")
    generate_corpus(40, "2024-06", 5, out)
    return out


@pytest.fixture(scope="session")
def small_review(small_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small corpus reviewed with one job into OUT (no database)."""
    from pipeline.run.review import ReviewSettings, review_archive

    out = tmp_path_factory.mktemp("review")
    review_archive(small_corpus / "archive", out,
                   ReviewSettings(db_path=None, jobs=1, month="2024-06", progress=False))
    return out


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
