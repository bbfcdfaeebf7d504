"""pipeline/store.py: the SQLite database that keeps earlier months' case digests and the runs."""
from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.core.digest import CaseDigest, RecordDigest
from pipeline.core.errors import AnjuanError
from pipeline.core.models import dumps
from pipeline.core.months import add_months
from pipeline.store.db import SCHEMA_VERSION, Store


def _digest(case_id: str, fine: int = 500, place: str = "华志路123号") -> CaseDigest:
    return CaseDigest(
        case_id=case_id, source=f"{case_id}/", case_number=f"青城管罚〔2024〕第{case_id}号",
        procedure="general", squad="第一中队", party_name="张三", party_kind="individual",
        party_id="310118********1234", violation_type="zhan_dao_jing_ying", place=place,
        date="2024-03-01", fine_yuan=fine, filing_date="2024-03-02", closing_date="2024-03-20",
        records=(RecordDigest(doc_id=f"{case_id}/询问笔录.docx", doc_type="inquiry_record", page=2,
                              place=place, start="2024-03-01T09:00", end="2024-03-01T10:00",
                              officers=(("王五", "31001"), ("赵六", None)), body_norm="问你叫什么答",
                              body_quote="问：你叫什么？", time_quote="2024年3月1日9时至10时"),),
        spans={"fine_yuan": (f"{case_id}/决定书.docx", 1, f"罚款{fine}元")},
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "anjuan.db"


def test_store_schema_version_and_pragmas_recorded(db_path: Path) -> None:
    with Store.open(db_path) as db:
        assert db.schema_version == SCHEMA_VERSION == 4
        meta = db.meta()
        assert meta["schema_version"] == "4" and meta["created_by"]
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"meta", "runs", "case_digests"} <= tables
    conn.close()
    with Store.open(db_path) as db:  # reopening does not migrate again
        assert db._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.meta()["schema_version"] == "4"


def test_store_round_trip_digests(db_path: Path) -> None:
    d = _digest("2403001")
    with Store.open(db_path) as db:
        run_id = db.start_run(archive="/data/2024-03", settings_hash="abc", version="0.1.0", month="2024-03",
                              started="2024-04-02T08:00:00Z")
        assert db.save_digests("2024-03", [d], run_id) == 1
        got = db.load_digests(before_month="2024-04")
        stored = db._conn.execute("SELECT json, run_id FROM case_digests").fetchone()
    assert got == [replace(d, month="2024-03")]
    assert got[0].records[0].officers == (("王五", "31001"), ("赵六", None))
    assert stored == (dumps(replace(d, month="2024-03").to_dict()), run_id)  # deterministic JSON


def test_store_months_window(db_path: Path) -> None:
    months = [add_months("2024-03", -i) for i in range(15)]  # 2024-03 back to 2023-01
    assert months[2] == "2024-01" and months[3] == "2023-12" and months[-1] == "2023-01"
    with Store.open(db_path) as db:
        for m in months:
            db.save_digests(m, [_digest(f"c{m}")], None)
        twelve = db.load_digests(before_month="2024-03")
        two = db.load_digests(before_month="2024-03", months=2)
        across_year = db.load_digests(before_month="2024-01", months=1)
    assert [d.month for d in twelve] == sorted(add_months("2024-03", -i) for i in range(1, 13))
    assert twelve[0].month == "2023-03" and twelve[-1].month == "2024-02"
    assert [d.case_id for d in two] == ["c2024-01", "c2024-02"]
    assert [d.case_id for d in across_year] == ["c2023-12"]


def test_store_resaving_a_month_is_idempotent(db_path: Path) -> None:
    with Store.open(db_path) as db:
        r1 = db.start_run(archive="a", settings_hash="h")
        db.save_digests("2024-02", [_digest("A", 500), _digest("B", 600)], r1)
        first = db.load_digests("2024-03")
        db.save_digests("2024-02", [_digest("A", 500), _digest("B", 600)], r1)
        assert db.load_digests("2024-03") == first
        assert list(db.iter_months()) == [("2024-02", 2)]
        # a re-run of the same month replaces the digest, it does not add one
        r2 = db.start_run(archive="a", settings_hash="h")
        db.save_digests("2024-02", [_digest("A", 900)], r2)
        assert list(db.iter_months()) == [("2024-02", 2)]
        got = {d.case_id: d.fine_yuan for d in db.load_digests("2024-03")}
    assert got == {"A": 900, "B": 600}


def test_store_case_in_two_months_loads_latest(db_path: Path) -> None:
    with Store.open(db_path) as db:
        db.save_digests("2024-01", [_digest("A", 100)], None)
        db.save_digests("2024-02", [_digest("A", 200)], None)
        got = db.load_digests("2024-03")
    assert [(d.case_id, d.month, d.fine_yuan) for d in got] == [("A", "2024-02", 200)]


def test_store_runs_start_and_finish(db_path: Path) -> None:
    with Store.open(db_path) as db:
        r1 = db.start_run(archive="/x", settings_hash="h1", version="0.1.0", month="2024-03", started="S")
        r2 = db.start_run(archive="/y", settings_hash="h2")
        assert r2 == r1 + 1
        db.finish_run(r1, {"cases": 3, "by_check": {"MIS-01": 1}}, finished="F")
        run = db.get_run(r1)
        raw = db._conn.execute("SELECT summary FROM runs WHERE id = ?", (r1,)).fetchone()[0]
        with pytest.raises(AnjuanError) as err:
            db.finish_run(999, {})
    assert run == {"id": r1, "started": "S", "finished": "F", "archive": "/x", "settings_hash": "h1",
                   "version": "0.1.0", "month": "2024-03", "summary": {"cases": 3, "by_check": {"MIS-01": 1}}}
    assert raw == '{"by_check":{"MIS-01":1},"cases":3}'
    assert err.value.code == "E502"


def test_store_unknown_run_id_violates_foreign_key(db_path: Path) -> None:
    with Store.open(db_path) as db:
        with pytest.raises(AnjuanError) as err:
            db.save_digests("2024-03", [_digest("A")], 42)
        assert err.value.code == "E502"
        assert db.load_digests("2024-04") == []  # the failed write left nothing behind


def test_store_concurrent_open_and_write_is_safe(db_path: Path) -> None:
    n = 6
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            barrier.wait()
            with Store.open(db_path) as db:  # all threads race to create and migrate the file
                run_id = db.start_run(archive=f"/a{i}", settings_hash="h")
                db.save_digests(f"2024-0{i + 1}", [_digest(f"T{i}-{j}") for j in range(20)], run_id)
                db.finish_run(run_id, {"i": i})
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store.open(db_path) as db:
        assert db.meta()["schema_version"] == "4"
        assert list(db.iter_months()) == [(f"2024-0{i + 1}", 20) for i in range(n)]
        assert db._conn.execute("SELECT COUNT(*) FROM runs WHERE finished IS NOT NULL").fetchone()[0] == n
        assert len(db.load_digests("2024-12")) == 20 * n


def test_store_reader_while_writer_holds_a_transaction(db_path: Path) -> None:
    with Store.open(db_path) as writer, Store.open(db_path) as reader:
        writer.save_digests("2024-01", [_digest("A")], None)
        writer._conn.execute("BEGIN IMMEDIATE")
        writer._conn.execute("DELETE FROM case_digests")
        assert [d.case_id for d in reader.load_digests("2024-02")] == ["A"]  # WAL: the reader is not blocked
        writer._conn.execute("ROLLBACK")


def test_store_refuses_a_newer_schema(db_path: Path) -> None:
    with Store.open(db_path):
        pass
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(AnjuanError) as err:
        Store.open(db_path)
    assert err.value.code == "E502" and "99" in str(err.value)


@pytest.mark.parametrize("kind", ["missing_dir", "not_a_database"])
def test_store_open_errors_are_e501(tmp_path: Path, kind: str) -> None:
    if kind == "missing_dir":
        path = tmp_path / "nope" / "anjuan.db"
    else:
        path = tmp_path / "anjuan.db"
        path.write_bytes(b"this is not an sqlite database, just text" * 100)
    with pytest.raises(AnjuanError) as err:
        Store.open(path)
    assert err.value.code == "E501"
    assert str(path) in str(err.value) and str(err.value).startswith("[E501]")


def test_store_rejects_a_malformed_month(db_path: Path) -> None:
    with Store.open(db_path) as db:
        with pytest.raises(ValueError):
            db.save_digests("2024-3", [_digest("A")], None)
        with pytest.raises(ValueError):
            db.load_digests("March")


def test_store_history_feeds_the_cross_checks(db_path: Path) -> None:
    """A split across the month boundary is found from the stored February digest."""
    from checks.cross_common import digest
    from checks.registry import CheckContext, all_checks
    from pipeline.core.models import CaseFile, Field, Span

    def case(cid: str, day: str, fine: int) -> CaseFile:
        values = {"party": {"name": "李四", "kind": "individual"}, "violation_type": "luan_dui_wu",
                  "violation_place": "公园路88号", "violation_date": day, "fine_yuan": fine}
        return CaseFile(cid, f"{cid}/", (), {k: (Field(k, v, Span(f"{cid}/x.docx", 1, 0, 1, "x"), "t"),)
                                             for k, v in values.items()})

    with Store.open(db_path) as db:
        db.save_digests("2024-02", [digest(case("2402001", "2024-02-25", 2500))], None)
        history = db.load_digests("2024-03")
    ctx = CheckContext(rules={}, calendar=None, history=history)
    got = list(all_checks()["MIS-01"].func([case("2403001", "2024-03-05", 3000)], ctx))
    assert [(cid, f.related_cases) for cid, f in got] == [("2403001", ("2402001",))]
    assert json.loads(dumps(history[0].to_dict()))["month"] == "2024-02"


# --- version 2: letters, register counts, month views, plans ------------------------------------

def test_store_migrates_a_version_1_file_to_version_2(db_path: Path) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("INSERT INTO meta VALUES('schema_version', '1')")
    from pipeline.store.db import MIGRATIONS

    for sql in MIGRATIONS[0][1]:
        conn.execute(sql)
    conn.execute("INSERT INTO case_digests(case_id, month, run_id, json) VALUES('A', '2024-01', NULL, '{}')")
    conn.close()
    with Store.open(db_path) as db:
        assert db.schema_version == 4
        tables = {r[0] for r in db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"letters", "letter_events", "finding_decisions", "register_counts", "month_views",
                "plan_draws", "plans", "case_digests"} <= tables
        assert db.conn.execute("SELECT COUNT(*) FROM case_digests").fetchone()[0] == 1


def test_store_register_counts_replace_a_month(db_path: Path) -> None:
    with Store.open(db_path) as db:
        db.save_register_counts({"2024-01": {"甲中队": 3, "乙中队": 5}, "2023-12": {"甲中队": 9}})
        db.save_register_counts({"2024-01": {"甲中队": 4}})
        assert db.register_counts(2024) == {"2024-01": {"甲中队": 4}}
        assert db.register_counts(2023) == {"2023-12": {"甲中队": 9}}


def test_store_month_view_round_trip(db_path: Path) -> None:
    with Store.open(db_path) as db:
        assert db.month_view("2024-05") is None
        db.save_month_view("2024-05", {"average": 91.5, "squads": ["甲"]})
        db.save_month_view("2024-05", {"average": 92.0, "squads": ["甲"]})
        assert db.month_view("2024-05") == {"average": 92.0, "squads": ["甲"]}


def test_store_plan_history(db_path: Path) -> None:
    from pipeline.supervise.sampling import KIND_AV, KIND_CASE, Plan, PlanItem

    def plan(month: str, items: list[tuple[str, str, tuple[str, ...]]]) -> Plan:
        return Plan(month=month, seed=1, last_month="x", squads=(), quotas=(),
                    items=tuple(PlanItem(c, s, k, None, ()) for c, s, k in items))

    with Store.open(db_path) as db:
        db.save_plan(plan("2024-02", [("C1", "甲", (KIND_CASE, KIND_AV))]))
        db.save_plan(plan("2024-03", [("C2", "乙", (KIND_CASE,))]))
        db.save_plan(plan("2024-03", [("C3", "乙", (KIND_CASE,))]))  # re-drawn: replaces
        hist = db.plan_history("2024-04")
        assert [(h.month, h.case_number, h.kind) for h in hist] == [
            ("2024-02", "C1", KIND_CASE), ("2024-02", "C1", KIND_AV), ("2024-03", "C3", KIND_CASE)]
        assert [h.case_number for h in db.plan_history("2024-03")] == ["C1", "C1"]


def test_store_decisions_come_from_the_letters_tables(db_path: Path) -> None:
    from pipeline.store.letterdb import record_decision

    with Store.open(db_path) as db:
        record_decision(db.conn, "2406001", "MIS-01", "confirmed", reason="核实属实", who="王科长",
                        at="2024-07-03")
        record_decision(db.conn, "2406001", "MIS-01", "dismissed", reason="复核后排除", who="王科长",
                        at="2024-07-04")
        d = db.decisions()[("2406001", "MIS-01")]
        assert d["decision"] == "dismissed" and d["reason"] == "复核后排除"
        assert [h["decision"] for h in d["history"]] == ["confirmed", "dismissed"]
