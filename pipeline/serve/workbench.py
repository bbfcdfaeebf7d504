"""What the workbench pages show, read from a results folder, its store and its archive.

``Workbench`` holds the paths; each page asks it for a view (plain dicts and strings, so the
templates decide nothing). ``cases.jsonl`` is read once and again whenever it changes on disk
(after Regenerate); decisions and corrections are read from the store on every request, so a
decision made with ``anjuan findings …`` in a terminal shows at the next page load.

Where the page text comes from: the store keeps each case's read result (``case_results``,
written by the review); the workbench decodes it for the text and OCR line positions of a page,
and re-reads only the one file it shows from the archive (pypdfium2 for PDF pages). The archive is
never written.
"""
from __future__ import annotations

import collections
import datetime as dt
import functools
import json
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.core.errors import AnjuanError
from pipeline.store.db import Store

UNKNOWN_SQUAD = "（未识别）"
SEVERITY_CN = {"veto": "否决", "major": "严重", "minor": "一般", "info": "提示"}
SEVERITY_ORDER = {"veto": 0, "major": 1, "minor": 2, "info": 3}
DECISION_CN = {"confirmed": "已确认", "dismissed": "已排除", "undone": "已撤销"}


@dataclass
class Workbench:
    """One results folder served: ``results`` (cases.jsonl, summary.json and the outputs), the
    store at ``db_path`` and the archive the results came from."""

    results: Path
    db_path: Path
    archive: Path | None = None
    who: str = "评查人员"
    last_changed: frozenset[str] = frozenset()  # the outputs the last Regenerate changed
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _cases: list[dict[str, Any]] = field(default_factory=list, repr=False)
    _stamp: tuple[int, int] | None = field(default=None, repr=False)

    # -- the results folder ----------------------------------------------------------------
    @classmethod
    def open(cls, results: Path, db_path: Path | None = None, archive: Path | None = None,
             who: str = "评查人员") -> Workbench:
        """Check the folder and find its database and archive (E602, E603, E501)."""
        results = Path(results)
        if not (results / "cases.jsonl").is_file():
            raise AnjuanError("E602", path=str(results))
        summary = _read_summary(results)
        db = Path(db_path) if db_path is not None else _recorded_db(results, summary)
        if not db.is_file():
            raise AnjuanError("E501", path=str(db), detail="数据库文件不存在，请用 --db 指定评查时使用的数据库")
        bench = cls(results=results, db_path=db, who=who)
        bench.archive = Path(archive) if archive is not None else bench._find_archive(summary)
        if bench.archive is None or not bench.archive.is_dir():
            raise AnjuanError("E603", detail=f"结果中记录的案卷目录名：{(summary.get('inputs') or {}).get('archive')}")
        return bench

    def summary(self) -> dict[str, Any]:
        return _read_summary(self.results)

    def cases(self) -> list[dict[str, Any]]:
        """Every line of cases.jsonl (read again when the file changed)."""
        path = self.results / "cases.jsonl"
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
        with self._lock:
            if stamp != self._stamp:
                with path.open(encoding="utf-8") as fh:
                    self._cases = [json.loads(line) for line in fh if line.strip()]
                self._stamp = stamp
            return self._cases

    def case(self, case_id: str) -> dict[str, Any]:
        for c in self.cases():
            if c["case_id"] == case_id:
                return c
        raise AnjuanError("E606", case_id=case_id)

    @contextmanager
    def store(self) -> Iterator[Store]:
        """The database, opened for one request (sqlite connections stay in their thread)."""
        st = Store.open(self.db_path)
        try:
            yield st
        finally:
            st.close()

    def _find_archive(self, summary: Mapping[str, Any]) -> Path | None:
        """The archive whose stored cases cover this month's cases (named as in summary.json)."""
        name = (summary.get("inputs") or {}).get("archive")
        sources = {c["source"] for c in self.cases()}
        with self.store() as st:
            rows = st.conn.execute("SELECT archive, COUNT(*) FROM case_results GROUP BY archive").fetchall()
            best: tuple[int, str] | None = None
            for archive, _n in rows:
                if name and Path(archive).name != name:
                    continue
                covered = len(sources & set(st.case_fingerprints(archive)))
                if covered and (best is None or covered > best[0]):
                    best = (covered, archive)
        return Path(best[1]) if best else None

    # -- what a case was read as -----------------------------------------------------------
    def case_input(self, source: str) -> Any:
        """The stored ``CaseInput`` of a case (its documents' pages), or None when not stored."""
        assert self.archive is not None
        key = str(self.archive.resolve())
        with self.store() as st:
            stored = st.case_fingerprints(key).get(source)
            if stored is None:
                return None
            return _decoded(self.db_path, key, source, stored[0])

    def page_of(self, case: Mapping[str, Any], doc_id: str, page: int) -> Any:
        """The stored ``Page`` ``page`` of document ``doc_id`` (any case's), or None."""
        path = doc_id.split("#", 1)[0]
        owner = self._owner(case, path)
        ci = self.case_input(owner["source"]) if owner is not None else None
        if ci is None:
            return None
        for d in ci.docs:
            if d.path == path:
                for p in d.pages:
                    if p.number == page:
                        return p
        return None

    def _owner(self, case: Mapping[str, Any], path: str) -> Mapping[str, Any] | None:
        if any(d["path"] == path for d in case.get("documents", [])):
            return case
        for c in self.cases():  # a cross-case finding quotes another case's document
            if any(d["path"] == path for d in c.get("documents", [])):
                return c
        return None

    def document(self, case: Mapping[str, Any], doc_id: str) -> dict[str, Any] | None:
        """The cases.jsonl entry of document ``doc_id`` (``path`` or ``path#part``)."""
        path, _, part = doc_id.partition("#")
        owner = self._owner(case, path)
        if owner is None:
            return None
        docs = [d for d in owner.get("documents", []) if d["path"] == path]
        for d in docs:
            if not part or str(d.get("part", 0)) == part:
                return dict(d, case_id=owner["case_id"])
        return dict(docs[0], case_id=owner["case_id"]) if docs else None

    # -- decisions, corrections, scoring ------------------------------------------------------
    def decisions(self) -> dict[tuple[str, str], dict[str, Any]]:
        with self.store() as st:
            return st.decisions()

    @functools.cached_property
    def sheet(self) -> Any:
        from checks.rules import load_rules
        from pipeline.supervise.scoring import load_sheet

        rules_path = (self.summary().get("settings") or {}).get("rules")
        rules = load_rules(Path(rules_path) if rules_path else None)
        sheet_path = (rules.get("scoring") or {}).get("sheet")
        return load_sheet(Path(sheet_path) if sheet_path else None)

    @functools.cached_property
    def catalogue(self) -> dict[str, dict[str, Any]]:
        from checks.docs import list_checks

        return {row["id"]: row for row in list_checks()}

    def live_score(self, case: Mapping[str, Any], decisions: Mapping[tuple[str, str], Any]) -> dict[str, Any]:
        """The case's score under the decisions in force now (what Regenerate will write)."""
        if case.get("status") == "error":
            return dict(case["score"])
        from pipeline.supervise.scoring import score_case

        return score_case(case["fields"], findings_of(case), self.sheet, decisions=decisions,
                          case_id=case["case_id"], documents=[d["doc_type"] for d in case.get("documents", [])],
                          error_codes=[e["code"] for e in case.get("errors", [])]).to_dict()

    def effects(self, case: Mapping[str, Any], decisions: Mapping[tuple[str, str], Any]) -> list[Any]:
        from pipeline.supervise.scoring import finding_effects

        return finding_effects(case["fields"], findings_of(case), self.sheet, decisions=decisions,
                               case_id=case["case_id"])

    def today(self) -> str:
        return dt.date.today().isoformat()


@functools.lru_cache(maxsize=32)
def _decoded(db_path: Path, archive: str, source: str, fingerprint: str) -> Any:
    from pipeline.run.workers import decode_result

    with Store.open(db_path) as st:
        blob = st.load_case_result(archive, source, fingerprint)
    if blob is None:
        return None
    try:
        return decode_result(blob)[0]
    except Exception:  # noqa: BLE001 - a blob of other code: the page is shown without its text
        return None


def _read_summary(results: Path) -> dict[str, Any]:
    path = results / "summary.json"
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def _recorded_db(results: Path, summary: Mapping[str, Any]) -> Path:
    """The database the review used: summary.json's path as given (relative to where the review
    ran, so tried from here, then beside the results folder), else ``anjuan.db``."""
    recorded = (summary.get("settings") or {}).get("db")
    if recorded:
        for candidate in (Path(recorded), results.parent / Path(recorded).name, results / Path(recorded).name):
            if candidate.is_file():
                return candidate
    return Path("anjuan.db")


def findings_of(case: Mapping[str, Any]) -> list[Any]:
    """The case's findings as ``Finding`` records."""
    from pipeline.core.models import Evidence, Finding

    return [Finding(check_id=f["check_id"], severity=f["severity"], message=f["message"], citation=f["citation"],
                    evidence=tuple(Evidence(e["document"], e.get("page"), e.get("quote", ""))
                                   for e in f.get("evidence", [])),
                    related_cases=tuple(f.get("related_cases", ())), stage=f.get("stage"),
                    occurrences=int(f.get("occurrences", 1)))
            for f in case.get("findings", [])]


def open_findings(case: Mapping[str, Any], decisions: Mapping[tuple[str, str], Any]) -> list[str]:
    """Check ids of the case's findings without a decision in force."""
    return [f["check_id"] for f in case.get("findings", [])
            if not (decisions.get((case["case_id"], f["check_id"])) or {}).get("decision")]


def month_rows(bench: Workbench, decisions: Mapping[tuple[str, str], Any]) -> list[dict[str, Any]]:
    """One row per case for the month page, in case-id order."""
    rows = []
    for c in bench.cases():
        score = bench.live_score(c, decisions)
        written = c["score"]
        opened = open_findings(c, decisions)
        rows.append({
            "case_id": c["case_id"], "source": c["source"], "status": c["status"],
            "squad": c["fields"].get("squad") or UNKNOWN_SQUAD,
            "grade": score["grade"], "total": score["total"], "scored": bool(score.get("stages")),
            "stale": (score["grade"], score["total"]) != (written["grade"], written["total"]),
            "findings": len(c.get("findings", [])), "open": len(opened),
            "check_ids": sorted({f["check_id"] for f in c.get("findings", [])}),
            "unverified": len(c.get("unverified", [])), "errors": len(c.get("errors", [])),
            "reviewed": not opened,
        })
    return rows


def filter_rows(rows: Sequence[Mapping[str, Any]], *, squad: str = "", grade: str = "", check: str = "",
                unreviewed: bool = False) -> list[Mapping[str, Any]]:
    return [r for r in rows
            if (not squad or r["squad"] == squad) and (not grade or r["grade"] == grade)
            and (not check or check in r["check_ids"]) and (not unreviewed or not r["reviewed"])]


def by_squad(rows: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[Mapping[str, Any]]]]:
    groups: dict[str, list[Mapping[str, Any]]] = collections.defaultdict(list)
    for r in rows:
        groups[r["squad"]].append(r)
    return sorted(groups.items(), key=lambda kv: (kv[0] == UNKNOWN_SQUAD, kv[0]))


def next_unreviewed(rows: Sequence[Mapping[str, Any]], after: str | None) -> str | None:
    """The first case after ``after`` (wrapping round) that still has open findings."""
    ids = [r["case_id"] for r in rows]
    start = ids.index(after) + 1 if after in ids else 0
    for r in list(rows[start:]) + list(rows[:start]):
        if not r["reviewed"] and r["case_id"] != after:
            return str(r["case_id"])
    return None


__all__ = ["DECISION_CN", "SEVERITY_CN", "UNKNOWN_SQUAD", "Workbench", "by_squad", "filter_rows", "findings_of",
           "month_rows", "next_unreviewed", "open_findings"]
