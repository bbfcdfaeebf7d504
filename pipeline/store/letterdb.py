"""Letters, their events and reviewers' decisions on findings, kept in SQLite.

Everything goes through a given ``sqlite3.Connection`` (the main store's, or an in-memory one in
tests); ``ensure_schema(conn)`` creates the tables idempotently. Each public write runs in one
SAVEPOINT, so it works inside or outside the caller's transaction and in autocommit mode.

Tables:

``letters``         one row per letter; unique on ``(month, squad, rung, matter_key)`` (a month
                    re-run never issues twice) and on ``(year, rung, seq)`` (the serial number).
``letter_events``   every transition: date, event, from/to state, who, note. Append-only.
``finding_decisions`` reviewers' confirm/dismiss decisions on ``(case_id, check_id)``. Append-only.

Nothing is ever deleted (triggers refuse DELETE; events and decisions also refuse UPDATE). A letter
issued in error is closed with end reason ``withdrawn``.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.core.errors import AnjuanError
from pipeline.core.models import CaseResult
from pipeline.core.months import quarter_months
from pipeline.core.workdays import WorkCalendar
from pipeline.supervise.letters import (
    RUNGS,
    STATE_LABELS,
    LetterDraft,
    LetterEvent,
    LetterItem,
    LetterRecord,
    advance,
    count_month,
    date_cn,
    draft_letters,
    due_date_for,
    due_soon,
    format_number,
    settings_or_default,
)
from pipeline.supervise.scoring import decision_of

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS letters (
           id INTEGER PRIMARY KEY AUTOINCREMENT,
           number TEXT NOT NULL UNIQUE,
           year INTEGER NOT NULL,
           seq INTEGER NOT NULL,
           rung TEXT NOT NULL CHECK (rung IN ('tip', 'supervise', 'suggest', 'decide')),
           rung_name TEXT NOT NULL,
           squad TEXT NOT NULL,
           addressee TEXT NOT NULL,
           cc TEXT NOT NULL,
           month TEXT NOT NULL,
           matter_key TEXT NOT NULL,
           issued_date TEXT NOT NULL,
           due_date TEXT,
           first_due_date TEXT,
           state TEXT NOT NULL CHECK (state IN
               ('issued', 'due', 'replied', 'overdue', 'escalated', 'closed')),
           parent_id INTEGER REFERENCES letters(id),
           parent_number TEXT NOT NULL DEFAULT '',
           cases TEXT NOT NULL,
           items TEXT NOT NULL,
           reason TEXT NOT NULL DEFAULT '',
           reasons TEXT NOT NULL DEFAULT '[]',
           facts TEXT NOT NULL DEFAULT '[]',
           replied_date TEXT,
           closed_date TEXT,
           end_reason TEXT,
           rejections INTEGER NOT NULL DEFAULT 0,
           fresh_deadlines INTEGER NOT NULL DEFAULT 0,
           UNIQUE (month, squad, rung, matter_key),
           UNIQUE (year, rung, seq)
       )""",
    "CREATE INDEX IF NOT EXISTS letters_state ON letters(state)",
    "CREATE INDEX IF NOT EXISTS letters_parent ON letters(parent_id)",
    """CREATE TABLE IF NOT EXISTS letter_events (
           seq INTEGER PRIMARY KEY AUTOINCREMENT,
           letter_id INTEGER NOT NULL REFERENCES letters(id),
           date TEXT NOT NULL,
           event TEXT NOT NULL,
           from_state TEXT,
           to_state TEXT,
           who TEXT NOT NULL,
           note TEXT NOT NULL DEFAULT ''
       )""",
    "CREATE INDEX IF NOT EXISTS letter_events_letter ON letter_events(letter_id)",
    """CREATE TABLE IF NOT EXISTS finding_decisions (
           seq INTEGER PRIMARY KEY AUTOINCREMENT,
           case_id TEXT NOT NULL,
           check_id TEXT NOT NULL,
           decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'dismissed')),
           reason TEXT NOT NULL DEFAULT '',
           who TEXT NOT NULL,
           at TEXT NOT NULL
       )""",
    "CREATE INDEX IF NOT EXISTS finding_decisions_key ON finding_decisions(case_id, check_id)",
    """CREATE TRIGGER IF NOT EXISTS letters_no_delete BEFORE DELETE ON letters
       BEGIN SELECT RAISE(ABORT, 'letters are never deleted; close them with end_reason withdrawn'); END""",
    """CREATE TRIGGER IF NOT EXISTS letter_events_no_delete BEFORE DELETE ON letter_events
       BEGIN SELECT RAISE(ABORT, 'letter events are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS letter_events_no_update BEFORE UPDATE ON letter_events
       BEGIN SELECT RAISE(ABORT, 'letter events are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS finding_decisions_no_delete BEFORE DELETE ON finding_decisions
       BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS finding_decisions_no_update BEFORE UPDATE ON finding_decisions
       BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END""",
)

_COLUMNS = ("id", "number", "year", "seq", "rung", "rung_name", "squad", "addressee", "cc", "month",
            "matter_key", "issued_date", "due_date", "first_due_date", "state", "parent_id",
            "parent_number", "cases", "items", "reason", "reasons", "facts", "replied_date",
            "closed_date", "end_reason", "rejections", "fresh_deadlines")
_SAVEPOINT = itertools.count(1)


@dataclass(frozen=True, slots=True)
class MonthLetters:
    """What ``run_month`` did: new letters, escalations (parent, child), and the open lists."""

    month: str
    today: str
    issued: tuple[LetterRecord, ...]
    escalated: tuple[tuple[LetterRecord, LetterRecord], ...]
    became_overdue: tuple[LetterRecord, ...]
    already_issued: tuple[LetterRecord, ...]
    # letters issued earlier for this month whose items differ from what the findings give now
    # (a finding dismissed or added since): (stored letter, current draft) — for a human to decide
    differs: tuple[tuple[LetterRecord, LetterDraft], ...]
    overdue: tuple[LetterRecord, ...]
    due_soon: tuple[LetterRecord, ...]


# --- plumbing -----------------------------------------------------------------------------------

def _db_path(conn: sqlite3.Connection) -> str:
    try:
        row = conn.execute("PRAGMA database_list").fetchone()
        return (row[2] or ":memory:") if row else "?"
    except sqlite3.Error:
        return "?"


@contextlib.contextmanager
def _tx(conn: sqlite3.Connection) -> Iterator[None]:
    """One SAVEPOINT (nested-safe); sqlite errors become E502."""
    name = f"anjuan_letters_{next(_SAVEPOINT)}"
    try:
        conn.execute(f"SAVEPOINT {name}")
    except sqlite3.Error as exc:
        raise AnjuanError("E502", path=_db_path(conn), detail=str(exc)) from exc
    try:
        yield
    except BaseException as exc:
        conn.execute(f"ROLLBACK TO {name}")
        conn.execute(f"RELEASE {name}")
        if isinstance(exc, sqlite3.Error):
            raise AnjuanError("E502", path=_db_path(conn), detail=str(exc)) from exc
        raise
    else:
        conn.execute(f"RELEASE {name}")


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the letter, event and decision tables (idempotent)."""
    with _tx(conn):
        for sql in SCHEMA:
            conn.execute(sql)


def _record(conn: sqlite3.Connection, row: Sequence[Any]) -> LetterRecord:
    d = dict(zip(_COLUMNS, row))
    events = tuple(LetterEvent(date=e[0], event=e[1], who=e[2], note=e[3], from_state=e[4],
                               to_state=e[5], seq=e[6]) for e in conn.execute(
        "SELECT date, event, who, note, from_state, to_state, seq FROM letter_events "
        "WHERE letter_id = ? ORDER BY seq", (d["id"],)).fetchall())
    return LetterRecord(
        id=d["id"], number=d["number"], year=d["year"], rung=d["rung"], squad=d["squad"],
        addressee=d["addressee"], cc=tuple(json.loads(d["cc"])), month=d["month"],
        matter_key=d["matter_key"], issued_date=d["issued_date"], due_date=d["due_date"],
        state=d["state"], parent_id=d["parent_id"], cases=tuple(json.loads(d["cases"])),
        items=tuple(LetterItem.from_dict(x) for x in json.loads(d["items"])),
        replied_date=d["replied_date"], closed_date=d["closed_date"], end_reason=d["end_reason"],
        events=events, rung_name=d["rung_name"], reason=d["reason"], facts=tuple(json.loads(d["facts"])),
        parent_number=d["parent_number"], first_due_date=d["first_due_date"],
        rejections=d["rejections"], fresh_deadlines=d["fresh_deadlines"],
        reasons=tuple(json.loads(d["reasons"])))


def get_letter(conn: sqlite3.Connection, letter_id: int) -> LetterRecord:
    row = conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM letters WHERE id = ?", (letter_id,)).fetchone()
    if row is None:
        raise AnjuanError("E510", letter_id=letter_id)
    return _record(conn, row)


def list_letters(conn: sqlite3.Connection, *, state: str | None = None,
                 month: str | None = None) -> list[LetterRecord]:
    """All letters (by id), optionally only those in ``state`` / of review ``month``."""
    sql = f"SELECT {', '.join(_COLUMNS)} FROM letters"
    where, params = [], []
    if state is not None:
        where.append("state = ?")
        params.append(state)
    if month is not None:
        where.append("month = ?")
        params.append(month)
    if where:
        sql += " WHERE " + " AND ".join(where)
    try:
        rows = conn.execute(sql + " ORDER BY id", params).fetchall()
    except sqlite3.Error as exc:
        raise AnjuanError("E502", path=_db_path(conn), detail=str(exc)) from exc
    return [_record(conn, r) for r in rows]


def _event(conn: sqlite3.Connection, letter_id: int, date: str, event: str, who: str, note: str,
           from_state: str | None = None, to_state: str | None = None) -> None:
    conn.execute("INSERT INTO letter_events(letter_id, date, event, from_state, to_state, who, note) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)",
                 (letter_id, date, event, from_state, to_state, who, note or ""))


def _set(conn: sqlite3.Connection, letter_id: int, **cols: Any) -> None:
    keys = sorted(cols)
    conn.execute(f"UPDATE letters SET {', '.join(k + ' = ?' for k in keys)} WHERE id = ?",
                 [cols[k] for k in keys] + [letter_id])


def _refuse(rec: LetterRecord, action: str, hint: str = "") -> AnjuanError:
    return AnjuanError("E511", number=rec.number, state=STATE_LABELS.get(rec.state, rec.state),
                       action=action, hint=hint)


# --- issuing ------------------------------------------------------------------------------------

def find_letter(conn: sqlite3.Connection, month: str, squad: str, rung: str,
                matter_key: str) -> LetterRecord | None:
    row = conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM letters WHERE month = ? AND squad = ? "
                       "AND rung = ? AND matter_key = ?", (month, squad, rung, matter_key)).fetchone()
    return _record(conn, row) if row else None


def issue(conn: sqlite3.Connection, draft: LetterDraft, *, issue_date: str,
          settings: Mapping[str, Any] | None = None, calendar: Any = None,
          who: str = "anjuan") -> LetterRecord:
    """Number and record ``draft``; idempotent on (month, squad, rung, matter_key).

    The number is the next serial of the issue year and rung (``青城管监提〔2024〕3号``). With
    ``delivery_assumed_at_issue`` the letter is ``due`` at once, due date = issue date + the rung's
    reply period; otherwise it stays ``issued`` until ``deliver``.
    """
    s = settings_or_default(settings)
    calendar = _calendar(calendar)
    with _tx(conn):
        existing = find_letter(conn, draft.month, draft.squad, draft.rung, draft.matter_key)
        if existing is not None:
            return existing
        year = int(issue_date[:4])
        seq = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM letters WHERE year = ? AND rung = ?",
                           (year, draft.rung)).fetchone()[0]
        number = format_number(draft.rung, year, seq, s)
        delivered = bool(s.get("delivery_assumed_at_issue", True))
        due = due_date_for(issue_date, draft.rung, settings=s, calendar=calendar) if delivered else None
        cur = conn.execute(
            "INSERT INTO letters(number, year, seq, rung, rung_name, squad, addressee, cc, month, "
            "matter_key, issued_date, due_date, first_due_date, state, parent_id, parent_number, cases, "
            f"items, reason, reasons, facts) VALUES ({', '.join('?' * 21)})",
            (number, year, seq, draft.rung, draft.rung_name, draft.squad, draft.addressee,
             _j(list(draft.cc)), draft.month, draft.matter_key, issue_date, due, due,
             "due" if delivered else "issued", draft.parent_id, draft.parent_number,
             _j(list(draft.cases)), _j([i.to_dict() for i in draft.items]), draft.reason,
             _j(list(draft.reasons)), _j(list(draft.facts))))
        lid = int(cur.lastrowid or 0)
        _event(conn, lid, issue_date, "issued", who, f"制发{draft.rung_name}{number}：{draft.reason}",
               None, "issued")
        if delivered:
            _event(conn, lid, issue_date, "delivered", who,
                   f"制发即视为送达，回复期限至{date_cn(due)}", "issued", "due")
        return get_letter(conn, lid)


def _j(x: Any) -> str:
    return json.dumps(x, ensure_ascii=False, sort_keys=True)


def _calendar(calendar: Any) -> Any:
    if calendar is None:
        return WorkCalendar.default()
    return calendar


def deliver(conn: sqlite3.Connection, letter_id: int, *, date: str, note: str = "", who: str,
            settings: Mapping[str, Any] | None = None, calendar: Any = None) -> LetterRecord:
    """Delivery confirmed (回执): ``issued`` → ``due`` with due date = date + reply period."""
    s = settings_or_default(settings)
    with _tx(conn):
        rec = get_letter(conn, letter_id)
        if rec.state != "issued":
            raise _refuse(rec, "登记送达", "只有“已制发”的文书才能登记送达。")
        due = due_date_for(date, rec.rung, settings=s, calendar=_calendar(calendar))
        _set(conn, letter_id, state="due", due_date=due, first_due_date=rec.first_due_date or due)
        _event(conn, letter_id, date, "delivered", who, note or f"已送达，回复期限至{date_cn(due)}",
               "issued", "due")
        return get_letter(conn, letter_id)


# --- replies and assessment -----------------------------------------------------------------------

def reply(conn: sqlite3.Connection, letter_id: int, *, date: str, note: str, who: str) -> LetterRecord:
    """A reply (整改报告) arrived.

    ``issued`` → ``replied`` (the reply proves delivery); ``due`` and on time → ``replied``;
    ``due`` but late → ``overdue`` (dated the day after the deadline) then ``replied`` marked late;
    ``overdue`` → ``replied`` marked late (an accepted late reply closes it, and the lateness stays
    on record); ``replied`` → a supplement; ``escalated`` → recorded only (the child letter now
    carries the matter); ``closed`` → refused.
    """
    with _tx(conn):
        rec = get_letter(conn, letter_id)
        st = rec.state
        if st == "closed":
            raise _refuse(rec, "登记回复", "该文书已办结。")
        if st == "escalated":
            _event(conn, letter_id, date, "reply_after_escalation", who, note)
            return get_letter(conn, letter_id)
        if st == "replied":
            _event(conn, letter_id, date, "reply_supplement", who, note)
            return get_letter(conn, letter_id)
        if st == "due" and rec.due_date and date > rec.due_date:
            od = (dt.date.fromisoformat(rec.due_date) + dt.timedelta(days=1)).isoformat()
            _event(conn, letter_id, od, "overdue", "anjuan",
                   f"超过回复期限（{date_cn(rec.due_date)}）未回复", "due", "overdue")
            st = "overdue"
        event = "reply_late" if st == "overdue" else "reply"
        _set(conn, letter_id, state="replied", replied_date=date)
        _event(conn, letter_id, date, event, who, note, st, "replied")
        return get_letter(conn, letter_id)


def assess(conn: sqlite3.Connection, letter_id: int, *, accept: bool, date: str, note: str, who: str,
           fresh_deadline: bool | None = None, settings: Mapping[str, Any] | None = None,
           calendar: Any = None) -> LetterRecord:
    """The reviewer's assessment of a reply: accept → ``closed`` (escalated ancestors close too);
    reject → a fresh deadline (``due`` again, at most ``fresh_deadline_max`` times; default on the
    first rejection) or ``overdue`` (escalated on the next run)."""
    s = settings_or_default(settings)
    with _tx(conn):
        rec = get_letter(conn, letter_id)
        if rec.state != "replied":
            raise _refuse(rec, "审核回复", "只有“已回复待审核”的文书才能审核；请先登记回复。")
        if accept:
            reason = "accepted_late" if rec.was_overdue else "accepted"
            _close(conn, rec, date, who, note, reason, "accepted")
            return get_letter(conn, letter_id)
        want_fresh = s.get("reject_gives_fresh_deadline", True) if fresh_deadline is None else fresh_deadline
        if want_fresh and rec.fresh_deadlines < int(s.get("fresh_deadline_max", 1)):
            due = due_date_for(date, rec.rung, settings=s, calendar=_calendar(calendar))
            _set(conn, letter_id, state="due", due_date=due, rejections=rec.rejections + 1,
                 fresh_deadlines=rec.fresh_deadlines + 1)
            _event(conn, letter_id, date, "rejected_fresh_deadline", who,
                   f"{note}（重新限期至{date_cn(due)}）" if note else f"重新限期至{date_cn(due)}",
                   "replied", "due")
        else:
            _set(conn, letter_id, state="overdue", rejections=rec.rejections + 1)
            _event(conn, letter_id, date, "rejected", who, note, "replied", "overdue")
        return get_letter(conn, letter_id)


def _close(conn: sqlite3.Connection, rec: LetterRecord, date: str, who: str, note: str,
           end_reason: str, event: str) -> None:
    _set(conn, rec.id, state="closed", closed_date=date, end_reason=end_reason)
    _event(conn, rec.id, date, event, who, note, rec.state, "closed")
    if end_reason == "withdrawn":
        return
    parent_id = rec.parent_id
    child = rec
    while parent_id is not None:  # an escalated parent waits on its child: close it too
        parent = get_letter(conn, parent_id)
        if parent.state != "escalated":
            break
        _set(conn, parent.id, state="closed", closed_date=date, end_reason="child_closed")
        _event(conn, parent.id, date, "child_closed", who, f"升级文书{child.number}已办结",
               "escalated", "closed")
        child, parent_id = parent, parent.parent_id


def withdraw(conn: sqlite3.Connection, letter_id: int, *, date: str, note: str, who: str) -> LetterRecord:
    """A letter issued in error: closed with end reason ``withdrawn`` (never deleted)."""
    with _tx(conn):
        rec = get_letter(conn, letter_id)
        if rec.state == "closed":
            raise _refuse(rec, "撤回", "该文书已办结。")
        _close(conn, rec, date, who, note, "withdrawn", "withdrawn")
        return get_letter(conn, letter_id)


def record_talk(conn: sqlite3.Connection, letter_id: int, *, date: str, participants: str,
                commitments: str, who: str) -> LetterRecord:
    """The record of a 约谈 held for a letter (usually a 建议书); no state change."""
    with _tx(conn):
        get_letter(conn, letter_id)
        _event(conn, letter_id, date, "talk", who, _j({"participants": participants,
                                                         "commitments": commitments}))
        return get_letter(conn, letter_id)


# --- the month ----------------------------------------------------------------------------------

def apply_transitions(conn: sqlite3.Connection, transitions: Sequence[Any], *, today: str,
                      settings: Mapping[str, Any], calendar: Any, who: str = "anjuan"
                      ) -> tuple[list[LetterRecord], list[tuple[LetterRecord, LetterRecord]]]:
    overdue: list[LetterRecord] = []
    escalated: list[tuple[LetterRecord, LetterRecord]] = []
    for tr in transitions:
        if tr.to_state == "overdue":
            _set(conn, tr.letter_id, state="overdue")
            _event(conn, tr.letter_id, tr.date, tr.event, who, tr.note, tr.from_state, "overdue")
            overdue.append(get_letter(conn, tr.letter_id))
        elif tr.to_state == "escalated" and tr.draft is not None:
            child = issue(conn, tr.draft, issue_date=today, settings=settings, calendar=calendar, who=who)
            _set(conn, tr.letter_id, state="escalated")
            _event(conn, tr.letter_id, tr.date, tr.event, who, f"{tr.note}（{child.number}）",
                   tr.from_state, "escalated")
            escalated.append((get_letter(conn, tr.letter_id), child))
    return overdue, escalated


def quarter_counts(conn: sqlite3.Connection, month: str,
                   decisions: Mapping[tuple[str, str], Any] | None = None) -> dict[tuple[str, str], int]:
    """Files per (squad, check_id) in this quarter's earlier months' letters (not escalations, not
    withdrawn letters, not findings dismissed since)."""
    earlier = [m for m in quarter_months(month) if m < month]
    if not earlier:
        return {}
    rows = conn.execute(
        f"SELECT squad, items FROM letters WHERE parent_id IS NULL AND COALESCE(end_reason, '') != "
        f"'withdrawn' AND month IN ({', '.join('?' for _ in earlier)}) ORDER BY id", earlier).fetchall()
    seen: dict[tuple[str, str], set[str]] = {}
    for squad, items in rows:
        for it in json.loads(items):
            if decision_of(decisions, it["case_id"], it["check_id"])[0] == "dismissed":
                continue
            seen.setdefault((squad, it["check_id"]), set()).add(it["case_id"])
    return {k: len(v) for k, v in sorted(seen.items())}


def run_month(conn: sqlite3.Connection, results: Sequence[CaseResult], month: str, today: str, *,
              settings: Mapping[str, Any] | None = None, calendar: Any = None,
              decisions: Mapping[tuple[str, str], Any] | None = None, who: str = "anjuan") -> MonthLetters:
    """Escalate what is overdue by ``today``, then draft and issue the month's new letters.

    Idempotent: the same month and day run twice issue nothing new (letters are keyed by month,
    squad, rung and matter; an escalated letter is no longer ``overdue``). ``decisions`` default
    to the ones stored in the database.
    """
    s = settings_or_default(settings)
    cal = _calendar(calendar)
    with _tx(conn):
        if decisions is None:
            decisions = load_decisions(conn)
        transitions = advance(list_letters(conn), today, settings=s, calendar=cal)
        became_overdue, escalated = apply_transitions(conn, transitions, today=today, settings=s,
                                                      calendar=cal, who=who)
        drafts = draft_letters(results, month, settings=s, decisions=decisions,
                               prior_counts=quarter_counts(conn, month, decisions))
        issued: list[LetterRecord] = []
        already: list[LetterRecord] = []
        differs: list[tuple[LetterRecord, LetterDraft]] = []
        for d in drafts:
            existing = find_letter(conn, d.month, d.squad, d.rung, d.matter_key)
            if existing is not None:
                already.append(existing)
                if _keys(existing.items) != _keys(d.items):
                    differs.append((existing, d))
            else:
                issued.append(issue(conn, d, issue_date=today, settings=s, calendar=cal, who=who))
        everything = list_letters(conn)
        return MonthLetters(
            month=month, today=today, issued=tuple(issued), escalated=tuple(escalated),
            became_overdue=tuple(became_overdue), already_issued=tuple(already), differs=tuple(differs),
            overdue=tuple(x for x in everything if x.state == "overdue"),
            due_soon=tuple(due_soon(everything, today, settings=s, calendar=cal)))


def _keys(items: Sequence[LetterItem]) -> list[tuple[str, str]]:
    return sorted((i.case_id, i.check_id) for i in items)


def reminders(conn: sqlite3.Connection, today: str, *, settings: Mapping[str, Any] | None = None,
              calendar: Any = None) -> list[LetterRecord]:
    """Letters due within ``remind_before`` of ``today``."""
    return due_soon(list_letters(conn, state="due"), today, settings=settings_or_default(settings),
                    calendar=_calendar(calendar))


def month_counts(conn: sqlite3.Connection, month: str) -> dict[str, Any]:
    """The bulletin's letter numbers for ``month`` (see ``pipeline.supervise.letters.count_month``)."""
    return count_month(list_letters(conn), month)


# --- reviewers' decisions on findings -------------------------------------------------------------

def record_decision(conn: sqlite3.Connection, case_id: str, check_id: str, decision: str, *, reason: str,
                    who: str, at: str) -> None:
    """Append a reviewer's decision; the latest one per (case, check) counts, the history stays."""
    if decision not in ("confirmed", "dismissed"):
        raise AnjuanError("E513", decision=decision, case_id=case_id, check_id=check_id)
    with _tx(conn):
        conn.execute("INSERT INTO finding_decisions(case_id, check_id, decision, reason, who, at) "
                     "VALUES (?, ?, ?, ?, ?, ?)", (case_id, check_id, decision, reason or "", who, at))


def load_decisions(conn: sqlite3.Connection) -> dict[tuple[str, str], dict[str, Any]]:
    """``{(case_id, check_id): {decision, reason, who, at, history: [...]}}`` — latest by entry order."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    try:
        rows = conn.execute("SELECT case_id, check_id, decision, reason, who, at FROM finding_decisions "
                            "ORDER BY seq").fetchall()
    except sqlite3.Error as exc:
        raise AnjuanError("E502", path=_db_path(conn), detail=str(exc)) from exc
    for case_id, check_id, decision, reason, who, at in rows:
        entry = {"decision": decision, "reason": reason, "who": who, "at": at}
        cur = out.setdefault((case_id, check_id), {"history": []})
        cur["history"].append(dict(entry))
        cur.update(entry)
    return {k: out[k] for k in sorted(out)}


__all__ = ["MonthLetters", "RUNGS", "assess", "deliver", "ensure_schema", "find_letter", "get_letter",
           "issue", "list_letters", "load_decisions", "month_counts", "quarter_counts", "record_decision",
           "record_talk", "reminders", "reply", "run_month", "withdraw"]
