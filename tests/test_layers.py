"""The house's import direction: a kernel, pure domain wings, IO at the edges.

Every ``import`` and ``from … import`` of our own packages (at module level or inside a function)
is read with ``ast`` and held against ``MAY_IMPORT``: a layer may import itself and the layers named
beside it, nothing else. The layers, bottom up:

    pipeline.core        pure records and helpers (models, vocab, errors, calendar, masking, months …)
    extractors           pure functions over SourceDoc / CaseFile
    checks               pure rules over CaseFile
    pipeline.supervise   pure domain: scoring, letters, sampling, the month view
    pipeline.read        files in: archive, readers, register, OCR
    pipeline.store       the SQLite store
    pipeline.write       files out: the .docx/.xlsx/.html writers
    corpus               the synthetic corpus (a wing of its own; nothing in the product imports it but run)
    pipeline.run         orchestration; pipeline.serve the workbench; pipeline.cli the click layer
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("pipeline", "extractors", "checks", "corpus", "templates")

# layer -> the other layers it may import (itself is always allowed)
MAY_IMPORT: dict[str, frozenset[str]] = {
    "pipeline.core": frozenset(),
    "extractors": frozenset({"pipeline.core"}),
    "checks": frozenset({"pipeline.core", "extractors"}),
    "pipeline.supervise": frozenset({"pipeline.core", "extractors", "checks"}),
    "pipeline.read": frozenset({"pipeline.core", "extractors"}),
    "pipeline.store": frozenset({"pipeline.core", "pipeline.supervise"}),
    "pipeline.write": frozenset({"pipeline.core", "extractors", "checks", "pipeline.supervise"}),
    "corpus": frozenset({"pipeline.core", "extractors", "pipeline.write"}),
    "templates": frozenset({"pipeline.core", "pipeline.write"}),
    "pipeline.run": frozenset({"pipeline.core", "extractors", "checks", "pipeline.supervise", "pipeline.read",
                               "pipeline.store", "pipeline.write", "corpus"}),
    "pipeline.serve": frozenset({"pipeline.core", "extractors", "checks", "pipeline.supervise", "pipeline.read",
                                 "pipeline.store", "pipeline.write", "pipeline.run"}),
    "pipeline.cli": frozenset({"pipeline.core", "checks", "pipeline.supervise", "pipeline.read", "pipeline.store",
                               "pipeline.write", "pipeline.run", "pipeline.serve"}),
    "pipeline": frozenset(),  # pipeline/__init__.py: the version only
}

# Known arrows that still run the wrong way, as (importing module, imported module). Each entry is
# removed by the change that mends it; the list must end empty.
ALLOWED_FOR_NOW: frozenset[tuple[str, str]] = frozenset()


def _layer(module: str) -> str:
    best = ""
    for layer in MAY_IMPORT:
        if (module == layer or module.startswith(layer + ".")) and len(layer) > len(best):
            best = layer
    return best


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> list[Path]:
    out: list[Path] = []
    for pkg in PACKAGES:
        out.extend(p for p in sorted((ROOT / pkg).rglob("*.py")) if "__pycache__" not in p.parts)
    return out


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    me = _module_name(path)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative import: resolve against this module's package
                base = me.split(".")
                if not path.name == "__init__.py":
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            found.append((node.lineno, mod))
            # `from pipeline import x` names a submodule: count the submodule
            for a in node.names:
                found.append((node.lineno, f"{mod}.{a.name}"))
    return [(ln, m) for ln, m in found if m.split(".")[0] in PACKAGES]


def _violations() -> list[str]:
    bad = []
    for path in _sources():
        me = _module_name(path)
        mine = _layer(me)
        assert mine, f"{me} belongs to no layer: add it to MAY_IMPORT in tests/test_layers.py"
        for line, target in _imports(path):
            theirs = _layer(target)
            # the package root holds only __version__, which any layer may read
            if not theirs or theirs in (mine, "pipeline") or theirs in MAY_IMPORT[mine]:
                continue
            if (me, target) in ALLOWED_FOR_NOW:
                continue
            bad.append(f"{path.relative_to(ROOT)}:{line}: {me} ({mine}) imports {target} ({theirs})")
    return sorted(set(bad))


def test_layers_imports_run_one_way():
    bad = _violations()
    assert not bad, "imports that run the wrong way:\n  " + "\n  ".join(bad)


def test_layers_allowed_for_now_are_still_real():
    """An entry of ALLOWED_FOR_NOW that no longer occurs must be deleted (the list only shrinks)."""
    real = {(_module_name(p), t) for p in _sources() for _, t in _imports(p)}
    stale = sorted(ALLOWED_FOR_NOW - real)
    assert not stale, f"delete these from ALLOWED_FOR_NOW: {stale}"


@pytest.mark.parametrize("package", ["pipeline/core", "pipeline/read", "pipeline/supervise", "pipeline/store",
                                     "pipeline/write", "pipeline/run", "extractors", "checks", "corpus"])
def test_layers_each_package_says_what_it_may_import(package):
    init = ROOT / package / "__init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
    assert "may import:" in doc.lower(), f"{init.relative_to(ROOT)} needs a docstring saying what it may import"
