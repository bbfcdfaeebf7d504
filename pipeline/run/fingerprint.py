"""Fingerprints of cases: what makes a stored read-and-extract result reusable.

Before reading, each case gets a fingerprint: sha256 over its file names and contents (as the
reader will see them: symlinks, unreadable and special files included) and over ``code_key``, the
code and settings that read them (the source of ``pipeline/`` and ``extractors/`` with their data
files, library versions, ``ReadLimits``). A case whose stored fingerprint is equal is taken from
the database instead of being read again.
"""
from __future__ import annotations

import hashlib
import importlib
import pickle
import platform
import stat as stat_mod
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.read.archive import CaseEntry, walk
from pipeline.run.workers import BLOB_MAGIC

_CODE_PACKAGES = ("pipeline", "extractors")
_CODE_SUFFIXES = frozenset({".py", ".yaml", ".yml", ".json", ".jsonl", ".txt"})
_CODE_KEYS: dict[str, str] = {}


def code_key(limits: Any) -> str:
    """sha256 over what turns files into a stored result: the source and data files of
    ``pipeline/`` and ``extractors/``, the versions of Python and the reading libraries, the pickle
    protocol and the reading limits. Any change there makes every stored result stale."""
    cache_key = repr(limits)
    if cache_key in _CODE_KEYS:
        return _CODE_KEYS[cache_key]
    h = hashlib.sha256()
    for pkg in _CODE_PACKAGES:
        folder = Path(str(importlib.import_module(pkg).__file__)).resolve().parent
        for p in sorted(folder.rglob("*")):
            if p.is_file() and p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts:
                rel = p.relative_to(folder.parent).as_posix()
                h.update(rel.encode("utf-8") + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    versions = [__version__, platform.python_version(), str(pickle.HIGHEST_PROTOCOL), BLOB_MAGIC.decode()]
    for mod in ("docx", "pypdfium2", "pdfplumber", "spacy", "PIL", "lxml"):
        try:
            m = importlib.import_module(mod)
            versions.append(f"{mod}={getattr(m, '__version__', getattr(m, 'V_PYPDFIUM2', '?'))}")
        except Exception:  # noqa: BLE001
            versions.append(f"{mod}=none")
    h.update("|".join(versions).encode("utf-8"))
    h.update(repr(limits).encode("utf-8"))
    _CODE_KEYS[cache_key] = h.hexdigest()
    return _CODE_KEYS[cache_key]


def case_fingerprint(root: Path, entry: CaseEntry, key: str, limits: Any) -> str:
    """sha256 of one case's inputs as the reader will meet them, plus ``key`` (``code_key``).

    Every path below the case (sorted, as ``read_case`` walks it) with: the content hash of a
    regular file (size and mtime only above ``limits.max_file_bytes``, which is not read anyway),
    the target of a symlink and what it points at, or what kept it from being opened (permission,
    special file, unlistable folder).
    """
    root = Path(root)
    real_root = root.resolve()
    h = hashlib.sha256()
    h.update(key.encode("ascii"))
    for source, kind in entry.sources():
        h.update(_bytes_of(f"{entry.case_id}\0{source}\0{kind}"))
        top = root / source
        if kind == "folder":
            unlistable: list[Path] = []
            paths = list(walk(top, unlistable))
        else:
            unlistable, paths = [], [top]
        for p in paths:
            h.update(b"\1" + _bytes_of(p.relative_to(root).as_posix()) + b"\0")
            h.update(_describe(p, real_root, limits).encode("utf-8"))
        for p in unlistable:
            h.update(b"\2" + _bytes_of(p.relative_to(root).as_posix()))
    return h.hexdigest()


def _bytes_of(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def _describe(p: Path, real_root: Path, limits: Any) -> str:
    parts = []
    if p.is_symlink():
        try:
            target = p.resolve(strict=True)
        except (OSError, RuntimeError):
            return "link:broken"
        try:
            target.relative_to(real_root)
        except ValueError:
            return "link:outside"
        parts.append("link:" + target.relative_to(real_root).as_posix())
    try:
        st = p.stat()
    except PermissionError:
        return "|".join(parts + ["noperm"])
    except OSError as exc:
        return "|".join(parts + [f"oserror:{type(exc).__name__}"])
    if stat_mod.S_ISDIR(st.st_mode):
        return "|".join(parts + ["dir"])
    if not stat_mod.S_ISREG(st.st_mode):
        return "|".join(parts + ["special"])
    if st.st_size > limits.max_file_bytes:
        return "|".join(parts + [f"big:{st.st_size}:{st.st_mtime_ns}"])
    h = hashlib.sha256()
    try:
        with p.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except PermissionError:
        return "|".join(parts + ["noperm"])
    except OSError as exc:
        return "|".join(parts + [f"oserror:{type(exc).__name__}"])
    return "|".join(parts + [f"sha256:{h.hexdigest()}"])


def db_key(source: str) -> str:
    """A case's top-level name as database text (an undecodable name keeps its bytes as \\xNN)."""
    return source.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


__all__ = ["case_fingerprint", "code_key", "db_key"]
