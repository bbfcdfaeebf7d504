"""The README keeps in step with the project: every installed package is in its Dependencies table
(and says what it is for), and the two commands it opens with exist in the Makefile."""
from __future__ import annotations

import configparser
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _requirement_names(block: str) -> set[str]:
    names = set()
    for line in block.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.add(re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0].lower())
    return names


def _declared() -> set[str]:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    names = _requirement_names(cfg["options"]["install_requires"])
    for _extra, block in cfg["options.extras_require"].items():
        names |= _requirement_names(block)
    return names


def _table_names() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Dependencies", 1)[1]
    out: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or cells[0] in ("package", "") or set(cells[0]) <= {"-"}:
            continue
        for name in re.split(r",\s*", re.sub(r"\(.*?\)", "", cells[0])):
            if name.strip():
                out[name.strip().lower()] = cells[1]
    return out


def test_readme_dependencies_table_names_every_declared_package() -> None:
    table = _table_names()
    missing = sorted(_declared() - set(table))
    assert not missing, f"setup.cfg declares packages the README's Dependencies table does not explain: {missing}"


def test_readme_dependencies_table_names_no_package_that_is_not_declared() -> None:
    stale = sorted(set(_table_names()) - _declared())
    assert not stale, f"the README's Dependencies table lists packages setup.cfg does not install: {stale}"


def test_readme_dependencies_each_says_what_it_is_for() -> None:
    assert all(len(why) >= 10 for why in _table_names().values())


def test_readme_opens_with_make_demo_and_make_test_and_both_are_targets() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    head = text[: text.index("## 这是什么")]
    assert "make demo" in head and "make test" in head
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
