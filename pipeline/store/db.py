"""The review database (``anjuan.db``, ``--db PATH``): what anjuan keeps between monthly runs.

SQLite through the standard library. The database is opened in WAL mode with foreign keys on, so
a reader (e.g. the monthly report) and a writer (a review run) can use it at the same time.

Tables (schema version 1; versions 2, 3 and 4 below):

``meta(key, value)``
    ``schema_version`` (int as text) and ``created_by`` (anjuan version that created the file).
``runs(id, started, finished, archive, settings_hash, version, month, summary)``
    one row per review run; ``summary`` is the run's summary as deterministic JSON.
``case_digests(case_id, month, run_id, json)``
    one cross-case digest (``pipeline.core.digest.CaseDigest``) per case and month ('YYYY-MM'), upserted by
    (case_id, month); the cross-case checks of later months read them (``load_digests``).

Version 2 adds letters, decisions, register counts, month views and plans (``pipeline/letterdb.py``).

Version 3 adds ``case_results(archive, source, fingerprint, blob, reads)``: the read-and-extract
result of each case of an archive (keyed by the case's top-level entry name, which is unique where
case ids may not be: ``A.pdf`` and ``A.docx``) (``pipeline.run.review`` serialises it; the store only keeps bytes),
committed as each case finishes. ``fingerprint`` covers the case's file contents and the code and
settings that read them; a later run reuses the blob only when it is equal. ``reads`` counts how
many times the case was actually read for this archive (a resumed run must not read a case again).

Version 4 adds ``field_corrections`` and ``decision_undos`` (the workbench; ``pipeline/store/corrections.py``).

Extension point: later tables (reviewer decisions on findings, letters and their states) are added
as new entries at the end of ``MIGRATIONS`` — ``(version, [SQL, ...])`` with the next version
number — and never by editing an applied migration. ``Store.open`` applies the missing ones in one
``BEGIN IMMEDIATE`` transaction, so two processes opening an old file at once migrate it once.
A file whose ``schema_version`` is newer than this program knows is refused (E502).

Errors: a file that cannot be opened is ``AnjuanError("E501", path=…, detail=…)``; a failed read or
write afterwards is ``AnjuanError("E502", path=…, detail=…)``.
"""
from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from types import TracebackType
from typing import Any

from pipeline.core.digest import CaseDigest
from pipeline.core.errors import AnjuanError
from pipeline.core.models import dumps
from pipeline.core.months import month_at, month_index
from pipeline.store import corrections
from pipeline.store.letterdb import ensure_schema
from pipeline.supervise.sampling import PastDraw, draws_of

SCHEMA_VERSION = 4


def _letters_schema(conn: sqlite3.Connection) -> None:
    ensure_schema(conn)


def _corrections_schema(conn: sqlite3.Connection) -> None:
    corrections.ensure_schema(conn)


# Each migration is a list of SQL statements or callables taking the connection; they run in
# one BEGIN IMMEDIATE transaction, so two processes opening an old file migrate it once.
MIGRATIONS: list[tuple[int, list[Any]]] = [
    (1, [
        """CREATE TABLE IF NOT EXISTS runs (
               id INTEGER PRIMARY KEY AUTOINCREMENT,
               started TEXT NOT NULL,
               finished TEXT,
               archive TEXT NOT NULL,
               settings_hash TEXT NOT NULL,
               version TEXT NOT NULL,
               month TEXT,
               summary TEXT
           )""",
        """CREATE TABLE IF NOT EXISTS case_digests (
               case_id TEXT NOT NULL,
               month TEXT NOT NULL,
               run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
               json TEXT NOT NULL,
               PRIMARY KEY (case_id, month)
           )""",
        "CREATE INDEX IF NOT EXISTS case_digests_month ON case_digests(month)",
    ]),
    (2, [
        _letters_schema,  # letters, letter_events, finding_decisions (pipeline/letterdb.py)
        """CREATE TABLE IF NOT EXISTS register_counts (
               month TEXT NOT NULL,
               squad TEXT NOT NULL,
               closed INTEGER NOT NULL,
               PRIMARY KEY (month, squad)
           )""",
        """CREATE TABLE IF NOT EXISTS month_views (
               month TEXT PRIMARY KEY,
               json TEXT NOT NULL
           )""",
        """CREATE TABLE IF NOT EXISTS plan_draws (
               month TEXT NOT NULL,
               case_number TEXT NOT NULL,
               squad TEXT NOT NULL,
               kind TEXT NOT NULL,
               PRIMARY KEY (month, case_number, kind)
           )""",
        """CREATE TABLE IF NOT EXISTS plans (
               month TEXT PRIMARY KEY,
               seed INTEGER NOT NULL,
               json TEXT NOT NULL
           )""",
    ]),
    (3, [
        # one row per (archive, case): the read-and-extract result of a case and the fingerprint of
        # its inputs, committed as each case finishes (resumable and incremental reviews)
        """CREATE TABLE IF NOT EXISTS case_results (
               archive TEXT NOT NULL,
               source TEXT NOT NULL,
               fingerprint TEXT NOT NULL,
               blob BLOB NOT NULL,
               reads INTEGER NOT NULL DEFAULT 1,
               PRIMARY KEY (archive, source)
           )""",
    ]),
    (4, [
        _corrections_schema,  # field_corrections, decision_undos (pipeline/store/corrections.py)
    ]),
    # (5, [...]),  <- the next tables go here
]
assert [v for v, _ in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))

def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _package_version() -> str:
    try:
        return version("anjuan")
    except Exception:
        return "0+unknown"


class Store:
    """The anjuan database. Use as a context manager::

        with Store.open("anjuan.db") as db:
            run_id = db.start_run(archive="2024-03", settings_hash="…", month="2024-03")
            db.save_digests("2024-03", digests, run_id)
            history = db.load_digests(before_month="2024-03", months=12)
            db.finish_run(run_id, {"cases": 120})
    """

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self._conn = conn
        self.path = path

    # -- opening and migrating ------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, timeout: float = 30.0) -> Store:
        """Open (and create or migrate) the database at ``path``; ``":memory:"`` for tests."""
        spath = str(path)
        try:
            if spath != ":memory:":
                parent = Path(spath).parent
                if not parent.is_dir():
                    raise AnjuanError("E501", path=spath, detail=f"目录不存在：{parent}")
            conn = sqlite3.connect(spath, timeout=timeout, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise AnjuanError("E501", path=spath, detail=str(exc)) from exc
        store = cls(conn, spath)
        deadline = time.monotonic() + timeout
        while True:
            try:
                conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
                if spath != ":memory:":
                    # switching a new file to WAL needs an exclusive lock and does not always wait
                    # for the busy handler: retry while another process creates the same file
                    conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA foreign_keys = ON")
                store._migrate()
                return store
            except AnjuanError:
                conn.close()
                raise
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                conn.close()
                raise AnjuanError("E501", path=spath, detail=str(exc)) from exc
            except sqlite3.DatabaseError as exc:
                conn.close()
                raise AnjuanError("E501", path=spath, detail=str(exc)) from exc

    def _migrate(self) -> None:
        c = self._conn
        current = self._read_version()
        if current == SCHEMA_VERSION:
            return
        if current is not None and current > SCHEMA_VERSION:
            raise AnjuanError("E502", path=self.path,
                              detail=f"数据库结构版本 {current} 高于本程序支持的 {SCHEMA_VERSION}，请升级 anjuan")
        c.execute("BEGIN IMMEDIATE")
        try:
            c.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            current = self._read_version() or 0  # re-read inside the lock: another process may have won
            if current > SCHEMA_VERSION:
                raise AnjuanError("E502", path=self.path,
                                  detail=f"数据库结构版本 {current} 高于本程序支持的 {SCHEMA_VERSION}，请升级 anjuan")
            for version, statements in MIGRATIONS:
                if version <= current:
                    continue
                for sql in statements:
                    if callable(sql):
                        sql(c)
                    else:
                        c.execute(sql)
                c.execute("INSERT INTO meta(key, value) VALUES('schema_version', ?) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (str(version),))
            c.execute("INSERT OR IGNORE INTO meta(key, value) VALUES('created_by', ?)",
                      (_package_version(),))
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    def _read_version(self) -> int | None:
        row = self._conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
        if row is None:
            return None
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else None

    @property
    def schema_version(self) -> int:
        return self._read_version() or 0

    def meta(self) -> dict[str, str]:
        return dict(self._conn.execute("SELECT key, value FROM meta ORDER BY key").fetchall())

    # -- context manager ----------------------------------------------------------------------
    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _write(self, sql_params: Sequence[tuple[str, Sequence[Any]]]) -> list[sqlite3.Cursor]:
        """Run statements in one write transaction; errors become E502."""
        c = self._conn
        try:
            c.execute("BEGIN IMMEDIATE")
            try:
                out = [c.execute(sql, params) for sql, params in sql_params]
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise AnjuanError("E502", path=self.path, detail=str(exc)) from exc
        return out

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise AnjuanError("E502", path=self.path, detail=str(exc)) from exc

    # -- runs -----------------------------------------------------------------------------------
    def start_run(self, *, archive: str, settings_hash: str = "", version: str | None = None,
                  month: str | None = None, started: str | None = None) -> int:
        """Record the start of a review run; returns its id. ``started`` defaults to now (UTC)."""
        if month is not None:
            month_index(month)
        cur = self._write([(
            "INSERT INTO runs(started, archive, settings_hash, version, month) VALUES(?, ?, ?, ?, ?)",
            (started or _now(), str(archive), settings_hash, version or _package_version(), month),
        )])[0]
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def finish_run(self, run_id: int, summary: Mapping[str, Any], *, finished: str | None = None) -> None:
        """Record the end of a run and its summary (deterministic JSON)."""
        cur = self._write([("UPDATE runs SET finished = ?, summary = ? WHERE id = ?",
                            (finished or _now(), dumps(dict(summary)), int(run_id)))])[0]
        if cur.rowcount != 1:
            raise AnjuanError("E502", path=self.path, detail=f"运行记录 {run_id} 不存在")

    def get_run(self, run_id: int) -> dict[str, Any] | None:
        rows = self._read("SELECT id, started, finished, archive, settings_hash, version, month, summary "
                          "FROM runs WHERE id = ?", (int(run_id),))
        if not rows:
            return None
        keys = ("id", "started", "finished", "archive", "settings_hash", "version", "month", "summary")
        out = dict(zip(keys, rows[0]))
        out["summary"] = json.loads(out["summary"]) if out["summary"] else None
        return out

    # -- case digests ----------------------------------------------------------------------------
    def save_digests(self, month: str, digests: Sequence[CaseDigest], run_id: int | None) -> int:
        """Upsert the digests of ``month`` by (case_id, month); saving the same month again
        replaces its rows (idempotent). Returns the number of digests written."""
        month_index(month)
        stmts = []
        for d in sorted(digests, key=lambda x: x.case_id):
            body = d.to_dict()
            body["month"] = month
            stmts.append((
                "INSERT INTO case_digests(case_id, month, run_id, json) VALUES(?, ?, ?, ?) "
                "ON CONFLICT(case_id, month) DO UPDATE SET run_id = excluded.run_id, json = excluded.json",
                (d.case_id, month, run_id, dumps(body)),
            ))
        if stmts:
            self._write(stmts)
        return len(stmts)

    def digests_of_month(self, month: str) -> list[CaseDigest]:
        """The digests saved for ``month`` itself, sorted by case id (``month`` set)."""
        month_index(month)
        rows = self._read("SELECT json FROM case_digests WHERE month = ? ORDER BY case_id", (month,))
        return [replace(CaseDigest.from_dict(json.loads(body)), month=month) for (body,) in rows]

    def delete_digests(self, case_ids: Iterable[str]) -> int:
        """Remove every month's digests of ``case_ids`` (a case re-reviewed under another id)."""
        ids = sorted(set(case_ids))
        if ids:
            self._write([("DELETE FROM case_digests WHERE case_id = ?", (i,)) for i in ids])
        return len(ids)

    def load_digests(self, before_month: str, months: int = 12) -> list[CaseDigest]:
        """The digests of the ``months`` months before ``before_month`` (that month excluded),
        sorted by (month, case_id); ``CaseDigest.month`` is set. A case kept in several of these
        months appears once, from its latest month."""
        end = month_index(before_month)
        start = month_at(end - max(0, int(months)))
        rows = self._read(
            "SELECT case_id, month, json FROM case_digests WHERE month >= ? AND month < ? "
            "ORDER BY case_id, month", (start, before_month))
        latest: dict[str, tuple[str, str]] = {}
        for case_id, month, body in rows:
            latest[case_id] = (month, body)  # rows are ordered by month within a case
        out = [replace(CaseDigest.from_dict(json.loads(body)), month=month)
               for _, (month, body) in latest.items()]
        out.sort(key=lambda d: (d.month or "", d.case_id))
        return out

    # -- the connection (letters and decisions live in pipeline/letterdb.py) ------------------
    @property
    def conn(self) -> sqlite3.Connection:
        return self._conn

    def decisions(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Reviewers' decision in force per (case_id, check_id) (undone ones taken out), with its history."""
        return corrections.load_decisions(self._conn)

    # -- per-case results of the read stage (resume and incremental runs) --------------------
    def case_fingerprints(self, archive: str) -> dict[str, tuple[str, int]]:
        """source -> (fingerprint, reads) of every case stored for ``archive``."""
        return {src: (fp, int(n)) for src, fp, n in self._read(
            "SELECT source, fingerprint, reads FROM case_results WHERE archive = ? ORDER BY source",
            (str(archive),))}

    def load_case_result(self, archive: str, source: str, fingerprint: str) -> bytes | None:
        """The stored blob of a case, only when its fingerprint equals ``fingerprint``."""
        rows = self._read("SELECT blob FROM case_results WHERE archive = ? AND source = ? AND fingerprint = ?",
                          (str(archive), source, fingerprint))
        return bytes(rows[0][0]) if rows else None

    def save_case_result(self, archive: str, source: str, fingerprint: str, blob: bytes) -> None:
        """Upsert one case's result in its own transaction (committed when this returns);
        ``reads`` counts the saves of this case."""
        self._write([(
            "INSERT INTO case_results(archive, source, fingerprint, blob, reads) VALUES(?, ?, ?, ?, 1) "
            "ON CONFLICT(archive, source) DO UPDATE SET fingerprint = excluded.fingerprint, "
            "blob = excluded.blob, reads = case_results.reads + 1",
            (str(archive), source, fingerprint, sqlite3.Binary(blob)))])

    def forget_case_results(self, archive: str, keep: Sequence[str] | None = None) -> int:
        """Delete the stored cases of ``archive``: all, or those whose source is not in ``keep``."""
        stored = set(self.case_fingerprints(archive))
        gone = sorted(stored if keep is None else stored - set(keep))
        if gone:
            self._write([("DELETE FROM case_results WHERE archive = ? AND source = ?", (str(archive), src))
                         for src in gone])
        return len(gone)

    # -- register counts (the yearly sampling pace) ------------------------------------------
    def save_register_counts(self, counts: Mapping[str, Mapping[str, int]]) -> None:
        """Closed cases per month and squad from a register; a month given replaces its rows."""
        stmts: list[tuple[str, Sequence[Any]]] = []
        for month in sorted(counts):
            month_index(month)
            stmts.append(("DELETE FROM register_counts WHERE month = ?", (month,)))
            for squad in sorted(counts[month]):
                stmts.append(("INSERT INTO register_counts(month, squad, closed) VALUES(?, ?, ?)",
                              (month, squad, int(counts[month][squad]))))
        if stmts:
            self._write(stmts)

    def register_counts(self, year: int) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for month, squad, closed in self._read(
                "SELECT month, squad, closed FROM register_counts WHERE month LIKE ? ORDER BY month, squad",
                (f"{int(year):04d}-%",)):
            out.setdefault(month, {})[squad] = int(closed)
        return out

    # -- month views (讲评会材料 of earlier months, for month-on-month change) ---------------------
    def save_month_view(self, month: str, view: Mapping[str, Any]) -> None:
        month_index(month)
        self._write([("INSERT INTO month_views(month, json) VALUES(?, ?) "
                      "ON CONFLICT(month) DO UPDATE SET json = excluded.json", (month, dumps(dict(view))))])

    def month_view(self, month: str) -> dict[str, Any] | None:
        rows = self._read("SELECT json FROM month_views WHERE month = ?", (month,))
        return json.loads(rows[0][0]) if rows else None

    # -- sampling plans -----------------------------------------------------------------------------
    def save_plan(self, plan: Any) -> None:
        """Store a month's plan and its draws (re-drawing a month replaces them)."""
        month_index(plan.month)
        stmts: list[tuple[str, Sequence[Any]]] = [
            ("DELETE FROM plan_draws WHERE month = ?", (plan.month,)),
            ("INSERT INTO plans(month, seed, json) VALUES(?, ?, ?) ON CONFLICT(month) DO UPDATE SET "
             "seed = excluded.seed, json = excluded.json", (plan.month, int(plan.seed), dumps(plan.to_dict()))),
        ]
        for d in draws_of(plan):
            stmts.append(("INSERT OR IGNORE INTO plan_draws(month, case_number, squad, kind) VALUES(?, ?, ?, ?)",
                          (d.month, d.case_number, d.squad, d.kind)))
        self._write(stmts)

    def plan_history(self, before_month: str) -> list[Any]:
        """Every draw of earlier months' plans (PastDraw records), oldest first."""
        return [PastDraw(month=m, case_number=c, squad=s, kind=k) for m, c, s, k in self._read(
            "SELECT month, case_number, squad, kind FROM plan_draws WHERE month < ? "
            "ORDER BY month, case_number, kind", (before_month,))]

    def has_case(self, case_id: str) -> bool:
        """True when a review with this database has seen the case (its digest is kept)."""
        return bool(self._read("SELECT 1 FROM case_digests WHERE case_id = ? LIMIT 1", (case_id,)))

    def iter_months(self) -> Iterator[tuple[str, int]]:
        """(month, number of digests) for every month kept, oldest first."""
        yield from self._read("SELECT month, COUNT(*) FROM case_digests GROUP BY month ORDER BY month")


__all__ = ["Store", "SCHEMA_VERSION", "MIGRATIONS"]
