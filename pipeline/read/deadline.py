"""A time limit for one document, and isolation of one document's failure from its case.

``call_with_deadline(fn, *args, seconds=…)`` runs ``fn`` in the calling thread; when it has not
returned after ``seconds`` a watchdog thread raises ``DocumentTimeout`` inside it
(``PyThreadState_SetAsyncExc``: no signals, so it works on Windows, in spawn workers and off the
main thread alike). The exception arrives at the next Python bytecode: a pure-Python loop stops
at once, a single long C call (one regex over a huge text) stops when it returns — the run's
process pool, which can end a whole worker, is the backstop for a C call that never returns.
``DocumentTimeout`` derives from ``BaseException`` so that a library's ``except Exception``
cannot swallow it.

``guarded(fn, *args, label=…, seconds=…)`` is what a worker calls per document: the result, or
``None`` and the document's coded error (E136 for the time limit, E900 for a crash such as
spaCy's E088 on an over-long text), so the case keeps its good documents.
"""
from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from pipeline.core.errors import msg
from pipeline.core.models import InputError

T = TypeVar("T")
DEFAULT_DOC_TIMEOUT_S = 300.0


class DocumentTimeout(BaseException):
    """A document's processing ran past its time limit (raised inside the working thread)."""


def default_doc_timeout() -> float:
    """Seconds one document may take: ``$ANJUAN_DOC_TIMEOUT`` or 300; 0 turns the limit off."""
    raw = os.environ.get("ANJUAN_DOC_TIMEOUT", "").strip()
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_DOC_TIMEOUT_S
    except ValueError:
        return DEFAULT_DOC_TIMEOUT_S


def _async_raise(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exc) if exc is not None else None)


def call_with_deadline(fn: Callable[..., T], *args: Any, seconds: float | None, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)``, raising DocumentTimeout if it runs longer than ``seconds``
    (None or 0: no limit)."""
    if not seconds or seconds <= 0:
        return fn(*args, **kwargs)
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _async_raise(target, DocumentTimeout)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        return fn(*args, **kwargs)
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            if state["fired"]:  # fired as fn returned: clear a still-pending exception
                _async_raise(target, None)


def guarded(fn: Callable[..., T], *args: Any, label: str, seconds: float | None,
            **kwargs: Any) -> tuple[T | None, InputError | None]:
    """(result, None), or (None, the coded error of this document): E136 past ``seconds``,
    E900 for any other failure. MemoryError and KeyboardInterrupt pass through."""
    try:
        return call_with_deadline(fn, *args, seconds=seconds, **kwargs), None
    except DocumentTimeout:
        return None, InputError(path=label, code="E136",
                                message=msg("E136", path=label, seconds=f"{seconds:g}"))
    except (MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - one document's failure is that document's error
        detail = f"{type(exc).__name__}: {str(exc)[:300]}"
        return None, InputError(path=label, code="E900", message=msg("E900", path=label, detail=detail))


__all__ = ["DEFAULT_DOC_TIMEOUT_S", "DocumentTimeout", "call_with_deadline", "default_doc_timeout", "guarded"]
