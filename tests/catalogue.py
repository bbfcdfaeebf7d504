"""The project's own check catalogue (docs/checks.md), parsed for the tests that hold code against it.

Nothing here reads outside the checkout: a plain clone carries its catalogue.
"""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "docs" / "checks.md"
SEVERITY_OF = {"否决": "veto", "重大": "major", "一般": "minor", "提示": "info"}
SECTIONS = {"单案卷检查": "single", "跨案卷检查": "cross", "读取检查": "reading"}


def catalogue_rows() -> dict[str, dict[str, str | None]]:
    """id -> name, title, severity (veto/major/minor/info), stage (None for —), section."""
    rows: dict[str, dict[str, str | None]] = {}
    section = None
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = SECTIONS.get(line[3:].strip())
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if section is None or len(cells) != 7 or not re.fullmatch(r"[A-Z]{3}-\d{2}", cells[0]):
            continue
        rows[cells[0]] = {"name": cells[1], "title": cells[2], "severity": SEVERITY_OF[cells[5]],
                          "stage": None if cells[6] == "—" else cells[6], "section": section}
    return rows


def catalogue_ids() -> list[str]:
    return sorted(catalogue_rows())
