"""Cross-case checks MIS-01..MIS-04: YAML cases (tests/cases/MIS-0*.yml) plus unit tests.

The YAML runner: every ``test_fail_*`` / ``test_pass_*`` entry of a file whose cases carry a
``cases:`` list becomes one test, ``MIS-01_test_fail_…``; ``pytest -k MIS-01`` runs one check.
``findings`` lists every expected finding exactly by (case_id, related_cases); optional
``message_contains`` / ``evidence_contains`` lists must appear in the message / an evidence quote.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from checks.cross_common import (
    digest,
    digests_for,
    load_cross_params,
    norm_id,
    norm_place,
    normalise_body,
    params_for,
    places_match,
)
from checks.register_match import REGISTER_PREFIX, register_only_findings
from checks.registry import CheckContext, all_checks, run_cross_checks
from extractors.normalise.names import names_match
from pipeline.core.caseno import RegisterIndex, case_key, match_register_row
from pipeline.core.digest import CaseDigest
from pipeline.core.models import CaseFile, DocFields, Field, Page, SourceDoc, Span

CASES_DIR = Path(__file__).parent / "cases"
ROOT = Path(__file__).resolve().parents[1]
CROSS_IDS = ("MIS-01", "MIS-02", "MIS-03", "MIS-04")


# --------------------------------------------------------------------------------------------
# building records from YAML
# --------------------------------------------------------------------------------------------

def _plain(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%dT%H:%M")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def _field(name: str, value: Any, doc_id: str, page: int | None) -> Field:
    if isinstance(value, str):
        quote = value[:60]
    elif isinstance(value, dict):
        quote = str(value.get("name"))
    else:
        quote = str(value)
    return Field(name=name, value=value, span=Span(doc_id, page, 0, len(quote), quote), extractor_id="test")


def build_case(spec: dict[str, Any]) -> CaseFile:
    """A CaseFile from ``{case_id, fields: {...}, docs: [{doc_type, doc_id?, page?, fields}]}``."""
    case_id = str(spec["case_id"])
    docs: list[DocFields] = []
    for i, d in enumerate(spec.get("docs") or ()):
        doc_type = d["doc_type"]
        doc_id = d.get("doc_id") or f"{case_id}/{doc_type}-{i + 1}.docx"
        page = d.get("page", 1)
        fields = _plain(d.get("fields") or {})
        text = fields.get("body") or ""
        sdoc = SourceDoc(doc_id=doc_id, path=doc_id, kind="docx", pages=(Page(page, text),),
                         doc_type=doc_type)
        docs.append(DocFields(sdoc, tuple(_field(k, v, doc_id, page) for k, v in fields.items())))
    first_doc = docs[0].doc.doc_id if docs else f"{case_id}/立案审批表.docx"
    case_fields = {k: (_field(k, v, first_doc, 1),) for k, v in _plain(spec.get("fields") or {}).items()}
    return CaseFile(case_id=case_id, source=f"{case_id}/", docs=tuple(docs), fields=case_fields)


def build_history(specs: list[dict[str, Any]]) -> list[CaseDigest]:
    return [replace(digest(build_case(s)), month=str(s["month"])) for s in specs or ()]


def _case_files() -> list[Path]:
    out = []
    for p in sorted(CASES_DIR.glob("*.yml")):
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        if any(isinstance(v, dict) and "cases" in v for k, v in data.items() if k.startswith("test_")):
            out.append(p)
    return out


def _yaml_cases() -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for p in _case_files():
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        for name, body in data.items():
            if name.startswith(("test_fail_", "test_pass_")):
                out.append((data["check"], name, body))
    return out


def _run_check(check_id: str, body: dict[str, Any]) -> list[tuple[str, Any]]:
    cases = [build_case(c) for c in body.get("cases") or ()]
    ctx = CheckContext(rules={"checks": body.get("params") or {}}, calendar=None,
                       history=build_history(body.get("history") or []),
                       register_rows=body.get("register") if "register" in body else None)
    spec = all_checks()[check_id]
    return list(spec.func(cases, ctx))


YAML_CASES = _yaml_cases()


@pytest.mark.parametrize("check_id,name,body", YAML_CASES, ids=[f"{c}_{n}" for c, n, _ in YAML_CASES])
def test_cross_checks_yaml_case(check_id: str, name: str, body: dict[str, Any]) -> None:
    got = _run_check(check_id, body)
    expected = body.get("findings") or []
    got_keys = sorted((cid, tuple(f.related_cases)) for cid, f in got)
    exp_keys = sorted((str(e["case_id"]), tuple(str(x) for x in e.get("related_cases") or ()))
                      for e in expected)
    assert got_keys == exp_keys, (
        f"{check_id} {name}: missing {sorted(set(exp_keys) - set(got_keys))}, "
        f"unexpected {sorted(set(got_keys) - set(exp_keys))}; messages: {[f.message for _, f in got]}")
    if name.startswith("test_fail_"):
        assert expected, "a fail case must expect at least one finding"
    by_case = {cid: f for cid, f in got}
    for e in expected:
        f = by_case[str(e["case_id"])]
        assert f.check_id == check_id
        assert f.severity == ("minor" if check_id == "MIS-04" else "major")
        assert "请" in f.message  # every message ends by asking for a human check
        for text in e.get("message_contains") or ():
            assert text in f.message, f"{text!r} not in {f.message!r}"
        for text in e.get("evidence_contains") or ():
            assert any(text in ev.quote for ev in f.evidence), f"{text!r} not in {f.evidence}"
        assert f.evidence, "a finding carries evidence"


def test_cross_checks_every_id_has_pass_and_fail_cases() -> None:
    seen: dict[str, set[str]] = {}
    for check_id, name, _ in YAML_CASES:
        seen.setdefault(check_id, set()).add(name.split("_")[1])
    for cid in CROSS_IDS:
        assert seen.get(cid) == {"fail", "pass"}, cid
    registered = {k for k, s in all_checks().items() if s.cross}
    assert set(CROSS_IDS) <= registered


def test_cross_checks_registry_entries() -> None:
    specs = all_checks()
    assert [(specs[i].name, specs[i].severity, specs[i].cross) for i in CROSS_IDS] == [
        ("case-splitting", "major", True), ("duplicated-record-text", "major", True),
        ("officer-double-booked", "major", True), ("register-mismatch", "minor", True)]
    assert str(specs["MIS-01"].citation) == "《中华人民共和国行政处罚法》第二十九条"
    assert str(specs["MIS-03"].citation) == "《中华人民共和国行政处罚法》第四十二条"
    for i in CROSS_IDS:
        doc = specs[i].doc
        for section in ("检查内容", "法律依据", "不通过示例", "通过示例"):
            assert section in doc, (i, section)


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("a,b,expected", [
    ("张三", "张三", True),
    ("张*", "张三", True),          # masked position ignored
    ("王*明", "王小明", True),
    ("王*明", "王小红", False),      # a visible position differs
    ("张*", "张三丰", True),         # a mask run stands for one or more characters (names.py)
    ("**", "张三", False),           # nothing visible: no positive evidence (name_min_visible 1)
    ("张三", "张山", False),         # ratio 50
    ("上海青浦建工工程有限公司", "上海青浦建工工程公司", True),   # ratio 90.9
    ("上海青浦建工工程有限公司", "上海青浦建材贸易有限公司", False),
    ("", "张三", False),
])
def test_cross_names_match(a: str, b: str, expected: bool) -> None:
    assert names_match(a, b, similarity=90, min_visible=1) is expected


@pytest.mark.parametrize("a,b,expected", [
    ("青浦区华志路123号门前", "华志路123号", True),
    ("上海市青浦区华志路123号", "华志路123号东侧", True),
    ("华志路123号", "华志路125号", False),       # house numbers differ
    ("华志路123号", "城中北路45号", False),
    ("盈港东路", "盈港东路1000号", False),        # contained but only 4 chars
    ("", "华志路123号", False),
])
def test_cross_places_match(a: str, b: str, expected: bool) -> None:
    p = params_for("MIS-01")
    pre, suf = p["place_strip_prefixes"], p["place_strip_suffixes"]
    assert places_match(norm_place(a, pre, suf), norm_place(b, pre, suf), 85, 6) is expected


def test_cross_normalise_body_removes_names_dates_numbers_ids() -> None:
    text = ("问：你叫什么？答：我叫张三，身份证号310118199001011234，电话13912345678。"
            "2024年3月5日14时30分在华志路123号门前摆摊，罚款五百元。")
    assert normalise_body(text, ["张三", "华志路123号"]) == "问你叫什么答我叫身份证号电话在门前摆摊罚款元"


@pytest.mark.parametrize("a,b", [
    ("青城管罚〔2024〕第001号", "青城管罚[2024]第 001 号"),
    ("青城管罚（2024）第001号", "青城管罚【2024】第001号"),
    ("青城管罚字2024第123号", "青城管罚字〔2024〕第123号"),      # a register prints the year bare
    ("青城管罚字［2024］第123号", "青城管罚字〔2024〕第123号"),   # a scan's ［］
    ("青城管罚字 〔 2024 〕 第 123 号", "青城管罚字〔2024〕第123号"),
    ("青城管罚字〔２０２４〕第１２３号", "青城管罚字〔2024〕第123号"),  # full-width digits
    ("青城管罚字﹝2024﹞第0123号", "青城管罚字〔2024〕123号"),     # 第 / 号 and leading zeros of the serial
    ("第2011706255号", "2011706255"),                             # the 10-digit 处罚文书号
])
def test_cross_case_key_joins_written_forms(a: str, b: str) -> None:
    assert case_key(a) == case_key(b) != ""
    row = {"case_number": b, "fine_yuan": 500}
    assert match_register_row(a, "X1", [{"case_number": "other"}, row]) is row


@pytest.mark.parametrize("a,b", [
    ("青城管罚字〔2024〕第123号", "青城管罚字〔2024〕第124号"),
    ("青城管罚字〔2024〕第123号", "青城管罚字〔2023〕第123号"),
    ("青城管罚字〔2024〕第123号", "青城管当罚字〔2024〕第123号"),
    ("2403441", "2403442"),
])
def test_cross_case_key_keeps_different_numbers_apart(a: str, b: str) -> None:
    assert case_key(a) != case_key(b)


def test_cross_register_index_prefers_the_case_number_then_the_case_id() -> None:
    rows = [{"case_number": "2403441"}, {"case_number": "青城管罚〔2024〕第041号"}, {"case_id": "2403441"}]
    index = RegisterIndex.of(rows)
    assert index.candidates("青城管罚[2024]第41号", "2403441") == (1, 0, 2)
    assert match_register_row(None, "2403441", index) is rows[0]
    assert match_register_row("无号", "无此编号", index) is None


@pytest.mark.parametrize("raw,expected", [
    ("310118********123X", "310118********123X"),   # last X: the check digit
    ("310118XXXXXXXX1234", "310118********1234"),   # X before the end: a mask
    ("３１０１１８ＸＸＸＸＸＸＸＸ1234", "310118********1234"),  # full-width
    ("91310118MA1XK2L3M4", "91310118MA1XK2L3M4"),   # 统一社会信用代码: letters kept
])
def test_cross_norm_id(raw: str, expected: str) -> None:
    assert norm_id(raw) == expected


def test_cross_params_override_key_by_key() -> None:
    defaults = load_cross_params()
    assert defaults["MIS-01"]["window_days"] == 30 and "status" not in defaults["MIS-01"]
    ctx = CheckContext(rules={"checks": {"MIS-01": {"window_days": 45, "status": {"x": "y"}}}}, calendar=None)
    p = params_for("MIS-01", ctx)
    assert p["window_days"] == 45
    assert p["name_similarity"] == 90  # untouched keys keep their default
    assert "status" not in p


def test_cross_disabled_check_does_not_run() -> None:
    body = yaml.safe_load((CASES_DIR / "MIS-03.yml").read_text(encoding="utf-8"))[
        "test_fail_overlapping_times_at_two_places"]
    cases = [build_case(c) for c in body["cases"]]
    ctx = CheckContext(rules={"checks": {"MIS-03": {"enabled": False}}}, calendar=None)
    assert run_cross_checks(cases, ctx, only=["MIS-03"]) == {}
    ctx_on = CheckContext(rules={"checks": {}}, calendar=None)
    assert sorted(run_cross_checks(cases, ctx_on, only=["MIS-03"])) == ["2403301", "2403302"]


def test_cross_digest_round_trip_and_evidence() -> None:
    body = yaml.safe_load((CASES_DIR / "MIS-03.yml").read_text(encoding="utf-8"))[
        "test_fail_overlapping_times_at_two_places"]
    d = digest(build_case(body["cases"][0]))
    assert d.records[0].start == "2024-03-05T09:00" and d.records[0].place == "华志路123号"
    assert d.records[0].officers == (("王五", "31001"), ("赵六", "31002"))
    again = CaseDigest.from_dict(d.to_dict())
    assert again == d
    assert isinstance(CaseDigest.from_dict(d.to_dict()).records, tuple)


def test_cross_history_as_dicts_is_accepted() -> None:
    body = yaml.safe_load((CASES_DIR / "MIS-01.yml").read_text(encoding="utf-8"))[
        "test_fail_split_across_month_boundary"]
    cases = [build_case(c) for c in body["cases"]]
    history = [d.to_dict() for d in build_history(body["history"])]
    ctx = CheckContext(rules={}, calendar=None, history=history)
    got = list(all_checks()["MIS-01"].func(cases, ctx))
    assert [(cid, f.related_cases) for cid, f in got] == [("2403031", ("2402031",))]


def test_cross_register_pseudo_ids_and_match_row() -> None:
    body = yaml.safe_load((CASES_DIR / "MIS-04.yml").read_text(encoding="utf-8"))[
        "test_fail_register_row_without_file"]
    cases = [build_case(c) for c in body["cases"]]
    rows = body["register"]
    assert match_register_row(cases[0].value("case_number"), cases[0].case_id, rows) is rows[0]
    ctx = CheckContext(rules={}, calendar=None, register_rows=rows)
    result = run_cross_checks(cases, ctx, only=["MIS-04"])
    orphans = register_only_findings(result)
    assert list(orphans) == [f"{REGISTER_PREFIX}青城管罚〔2024〕第022号"]
    assert list(result) == list(orphans)  # the matched case has no finding


def test_cross_register_row_attached_by_the_run_is_used() -> None:
    # the run attaches a row itself (case.register); it must count as matched, not as orphan
    case = replace(build_case({"case_id": "X1", "fields": {"case_number": "无号", "fine_yuan": 500}}),
                   register=None)
    rows = [{"case_number": "另一个号", "fine_yuan": 300}]
    case = replace(case, register=rows[0])
    ctx = CheckContext(rules={}, calendar=None, register_rows=rows)
    got = list(all_checks()["MIS-04"].func([case], ctx))
    assert [(cid, "罚款金额台账为300元、案卷为500元" in f.message) for cid, f in got] == [("X1", True)]


def test_cross_checks_are_deterministic() -> None:
    bench = _bench_module()
    cases, history, rows, _ = bench.make_month(300, seed=7)
    ctx = CheckContext(rules={}, calendar=None, history=history, register_rows=rows)
    a = run_cross_checks(cases, ctx, debug=True)
    b = run_cross_checks(list(cases), ctx, debug=True)
    dump = lambda r: {k: [f.to_dict() for f in v] for k, v in sorted(r.items())}  # noqa: E731
    assert dump(a) == dump(b)


# --------------------------------------------------------------------------------------------
# the synthetic month (bench/cross_bench.py): planted signals are found, at speed
# --------------------------------------------------------------------------------------------

def _bench_module() -> Any:
    spec = importlib.util.spec_from_file_location("cross_bench", ROOT / "bench" / "cross_bench.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def test_cross_bench_finds_planted_signals_fast() -> None:
    bench = _bench_module()
    cases, history, rows, planted = bench.make_month(2000, seed=11)
    t0 = time.process_time()  # CPU time: the machine is shared, wall time is not ours
    ctx = CheckContext(rules={}, calendar=None, history=history, register_rows=rows, digests=digests_for(cases))
    result = run_cross_checks(cases, ctx, debug=True)
    elapsed = time.process_time() - t0
    found = {(f.check_id, cid) for cid, fs in result.items() for f in fs}
    assert {x[0] for x in planted} == set(CROSS_IDS)
    assert sorted(planted - found) == [] and sorted(found - planted) == []
    assert elapsed < 12, elapsed  # 10,000 cases: see bench/cross_bench.py
