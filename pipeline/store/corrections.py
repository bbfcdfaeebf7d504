"""Reviewers' field corrections and the undoing of decisions, kept in SQLite beside the decisions.

Tables (created by migration 4 of ``pipeline.store.db``; ``ensure_schema`` is idempotent):

``field_corrections``  one row per correction of one case field (``action = 'correct'``: the new
                       value and the extracted one as JSON, blank or not, reason, who, at) or per
                       withdrawal of the correction in force (``action = 'withdraw'``). The row with
                       the highest ``seq`` per (case_id, key) decides; append-only.
``decision_undos``     one row per undone reviewer decision: the ``seq`` of the ``finding_decisions``
                       row it takes back (each at most once), the last decision ``seq`` that existed
                       when it was made (its place in the history), who, when and why. Append-only.

``load_decisions`` gives the same mapping as ``pipeline.store.letterdb.load_decisions`` with the
undone decisions taken out: the decision in force per (case_id, check_id) is the latest one not
undone (none left: ``decision`` is None, the finding is open again), and ``history`` lists every decision and every undo
(``decision = "undone"``) in the order they were made.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Any

from pipeline.core.errors import AnjuanError
from pipeline.core.models import dumps
from pipeline.store.letterdb import _db_path, _tx
from pipeline.supervise.corrections import FieldCorrection

UNDONE = "undone"

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS field_corrections (
           seq INTEGER PRIMARY KEY AUTOINCREMENT,
           case_id TEXT NOT NULL,
           key TEXT NOT NULL,
           action TEXT NOT NULL CHECK (action IN ('correct', 'withdraw')),
           value TEXT,
           extracted TEXT,
           blank INTEGER NOT NULL DEFAULT 0,
           reason TEXT NOT NULL DEFAULT '',
           who TEXT NOT NULL,
           at TEXT NOT NULL
       )""",
    "CREATE INDEX IF NOT EXISTS field_corrections_key ON field_corrections(case_id, key)",
    """CREATE TABLE IF NOT EXISTS decision_undos (
           seq INTEGER PRIMARY KEY AUTOINCREMENT,
           decision_seq INTEGER NOT NULL UNIQUE REFERENCES finding_decisions(seq),
           after_seq INTEGER NOT NULL,
           reason TEXT NOT NULL DEFAULT '',
           who TEXT NOT NULL,
           at TEXT NOT NULL
       )""",
    """CREATE TRIGGER IF NOT EXISTS field_corrections_no_delete BEFORE DELETE ON field_corrections
       BEGIN SELECT RAISE(ABORT, 'corrections are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS field_corrections_no_update BEFORE UPDATE ON field_corrections
       BEGIN SELECT RAISE(ABORT, 'corrections are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS decision_undos_no_delete BEFORE DELETE ON decision_undos
       BEGIN SELECT RAISE(ABORT, 'undos are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS decision_undos_no_update BEFORE UPDATE ON decision_undos
       BEGIN SELECT RAISE(ABORT, 'undos are append-only'); END""",
)


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the correction and undo tables (idempotent; the decision table must exist)."""
    with _tx(conn):
        for sql in SCHEMA:
            conn.execute(sql)


def _rows(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.Error as exc:
        raise AnjuanError("E502", path=_db_path(conn), detail=str(exc)) from exc


# --- corrections ---------------------------------------------------------------------------------

def record_correction(conn: sqlite3.Connection, c: FieldCorrection) -> int:
    """Append a correction; returns its ``seq``."""
    with _tx(conn):
        cur = conn.execute(
            "INSERT INTO field_corrections(case_id, key, action, value, extracted, blank, reason, who, at) "
            "VALUES (?, ?, 'correct', ?, ?, ?, ?, ?, ?)",
            (c.case_id, c.key, dumps(c.value), dumps(c.extracted), int(c.blank), c.reason or "", c.who, c.at))
    return int(cur.lastrowid or 0)


def withdraw_correction(conn: sqlite3.Connection, case_id: str, key: str, *, who: str, at: str,
                        reason: str = "") -> bool:
    """Withdraw the correction in force for (case_id, key): the extracted value counts again.
    Returns False (and writes nothing) when no correction is in force."""
    if key not in _in_force(conn, case_id):
        return False
    with _tx(conn):
        conn.execute("INSERT INTO field_corrections(case_id, key, action, reason, who, at) "
                     "VALUES (?, ?, 'withdraw', ?, ?, ?)", (case_id, key, reason or "", who, at))
    return True


def _correction(row: tuple[Any, ...]) -> FieldCorrection:
    seq, case_id, key, _action, value, extracted, blank, reason, who, at = row
    return FieldCorrection(case_id=case_id, key=key, value=json.loads(value), extracted=json.loads(extracted),
                           reason=reason, who=who, at=at, blank=bool(blank), seq=int(seq))


_SELECT = "SELECT seq, case_id, key, action, value, extracted, blank, reason, who, at FROM field_corrections"


def _in_force(conn: sqlite3.Connection, case_id: str | None = None) -> dict[str, FieldCorrection]:
    where, params = ("WHERE case_id = ?", (case_id,)) if case_id is not None else ("", ())
    latest: dict[tuple[str, str], tuple[Any, ...]] = {}
    for row in _rows(conn, f"{_SELECT} {where} ORDER BY seq", params):
        latest[(row[1], row[2])] = row
    return {f"{cid}\0{key}" if case_id is None else key: _correction(row)
            for (cid, key), row in sorted(latest.items()) if row[3] == "correct"}


def load_corrections(conn: sqlite3.Connection) -> dict[str, tuple[FieldCorrection, ...]]:
    """The corrections in force, per case id (keys in order)."""
    out: dict[str, list[FieldCorrection]] = {}
    for c in _in_force(conn).values():
        out.setdefault(c.case_id, []).append(c)
    return {cid: tuple(cs) for cid, cs in sorted(out.items())}


def correction_history(conn: sqlite3.Connection, case_id: str) -> list[dict[str, Any]]:
    """Every correction and withdrawal of one case, oldest first."""
    out = []
    for row in _rows(conn, f"{_SELECT} WHERE case_id = ? ORDER BY seq", (case_id,)):
        seq, _cid, key, action, value, extracted, blank, reason, who, at = row
        out.append({"seq": int(seq), "key": key, "action": action,
                    "value": json.loads(value) if value is not None else None,
                    "extracted": json.loads(extracted) if extracted is not None else None,
                    "blank": bool(blank), "reason": reason, "who": who, "at": at})
    return out


# --- decisions and their undoing --------------------------------------------------------------------

def _decision_events(conn: sqlite3.Connection) -> tuple[list[tuple[Any, ...]], set[int]]:
    """Every decision and undo in the order they were made, as (kind, decision seq, case_id,
    check_id, decision, reason, who, at); and the seqs of the undone decisions. An undo sorts after
    the last decision that existed when it was made (``after_seq``)."""
    events: list[tuple[tuple[int, int, int], tuple[Any, ...]]] = []
    by_seq: dict[int, tuple[Any, ...]] = {}
    for seq, case_id, check_id, decision, reason, who, at in _rows(
            conn, "SELECT seq, case_id, check_id, decision, reason, who, at FROM finding_decisions"):
        by_seq[int(seq)] = (case_id, check_id)
        events.append(((int(seq), 0, 0), ("decide", int(seq), case_id, check_id, decision, reason, who, at)))
    undone: set[int] = set()
    for useq, dseq, after, reason, who, at in _rows(
            conn, "SELECT seq, decision_seq, after_seq, reason, who, at FROM decision_undos"):
        if int(dseq) not in by_seq:
            continue
        undone.add(int(dseq))
        case_id, check_id = by_seq[int(dseq)]
        events.append(((int(after), 1, int(useq)), ("undo", int(dseq), case_id, check_id, UNDONE, reason, who, at)))
    return [ev for _, ev in sorted(events)], undone


def load_decisions(conn: sqlite3.Connection) -> dict[tuple[str, str], dict[str, Any]]:
    """``{(case_id, check_id): {decision, reason, who, at, history}}`` with undone decisions taken
    out (see the module docstring); a key whose decisions were all undone has ``decision`` None
    (the finding is open again) and keeps its history."""
    events, undone = _decision_events(conn)
    in_force: dict[tuple[str, str], dict[str, Any]] = {}
    history: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for kind, dseq, case_id, check_id, decision, reason, who, at in events:
        entry = {"decision": decision, "reason": reason, "who": who, "at": at}
        history.setdefault((case_id, check_id), []).append(entry)
        if kind == "decide" and dseq not in undone:
            in_force[(case_id, check_id)] = entry  # decisions come in seq order: the last one wins
    none: dict[str, Any] = {"decision": None, "reason": None, "who": None, "at": None}
    return {key: dict(in_force.get(key, none), history=[dict(h) for h in history[key]]) for key in sorted(history)}


def decision_history(conn: sqlite3.Connection, case_id: str | None = None) -> list[dict[str, Any]]:
    """Every decision and undo (of one case, or all), in the order made, each with its keys."""
    events, _undone = _decision_events(conn)
    return [{"case_id": cid, "check_id": chk, "decision": dec, "reason": reason, "who": who, "at": at}
            for _kind, _seq, cid, chk, dec, reason, who, at in events if case_id in (None, cid)]


def undo_decision(conn: sqlite3.Connection, case_id: str, check_id: str, *, who: str, at: str,
                  reason: str = "") -> dict[str, Any] | None:
    """Take back the decision in force on (case_id, check_id); returns it, or None when there is
    none (nothing is written then). The decision before it, if any, is in force again."""
    undone = {int(r[0]) for r in _rows(conn, "SELECT decision_seq FROM decision_undos")}
    rows = _rows(conn, "SELECT seq, decision, reason, who, at FROM finding_decisions "
                       "WHERE case_id = ? AND check_id = ? ORDER BY seq DESC", (case_id, check_id))
    for seq, decision, d_reason, d_who, d_at in rows:
        if int(seq) in undone:
            continue
        # the last decision made so far on any key: the undo comes after it in the history
        after = int(_rows(conn, "SELECT COALESCE(MAX(seq), 0) FROM finding_decisions")[0][0])
        with _tx(conn):
            conn.execute("INSERT INTO decision_undos(decision_seq, after_seq, reason, who, at) "
                         "VALUES (?, ?, ?, ?, ?)", (int(seq), after, reason or "", who, at))
        return {"decision": decision, "reason": d_reason, "who": d_who, "at": d_at}
    return None


__all__ = ["UNDONE", "correction_history", "decision_history", "ensure_schema", "load_corrections", "load_decisions",
           "record_correction", "undo_decision", "withdraw_correction"]
