"""Checks: one module per family, auto-discovered (pylint's register_plugins).

Importing this package imports every module in it, which registers its checks with
``checks.registry``. Outside rule packs may register through the ``anjuan.checks`` entry-point
group the same way.

May import: ``pipeline.core``, ``extractors``.
"""
from __future__ import annotations

import importlib
import pkgutil
from importlib.metadata import entry_points

_SKIP = {"registry", "rules", "cross_common"}


def _discover() -> None:
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if mod.name in _SKIP or mod.name.startswith("_"):
            continue
        importlib.import_module(f"{__name__}.{mod.name}")
    try:
        for ep in entry_points(group="anjuan.checks"):
            ep.load()
    except Exception:  # a broken outside pack must not stop the built-in checks
        pass


_discover()
