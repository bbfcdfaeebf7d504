"""The workbench (anjuan serve) through Flask's test client, over a small generated month.

Safety first (no path escape through the file routes, CSRF refused without the token, LAN mode
refused without a password, sign-in in LAN mode), then the reviewer's work: a decision and its
undo reach the store the CLI reads, a field correction is used by the next review, Regenerate
rewrites only what changed.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.core.errors import AnjuanError
from pipeline.serve.app import create_app
from pipeline.serve.server import is_loopback, lan_password
from pipeline.serve.workbench import Workbench
from pipeline.store.db import Store


def _month(root: Path, n: int = 6, seed: int = 3) -> dict[str, Path]:
    from pipeline.run.commands import generate_corpus
    from pipeline.run.review import ReviewSettings, review_archive

    generate_corpus(n, "2024-06", seed, root / "corpus")
    out, db = root / "out", root / "anjuan.db"
    review_archive(root / "corpus" / "archive", out,
                   ReviewSettings(db_path=db, month="2024-06", jobs=1, progress=False))
    return {"archive": root / "corpus" / "archive", "out": out, "db": db}


def _tree_hash(root: Path) -> dict[str, str]:
    import hashlib

    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    paths = _month(tmp_path_factory.mktemp("serve"))
    paths["archive_hash"] = _tree_hash(paths["archive"])  # type: ignore[assignment]
    return paths


@pytest.fixture()
def client(month):
    app = create_app(Workbench.open(month["out"], month["db"]))
    app.config["TESTING"] = True
    with app.test_client() as c:
        yield c


def _token(client) -> str:
    html = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _cases(month) -> list[dict]:
    with (month["out"] / "cases.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _decided(month, case_id: str, check_id: str) -> dict | None:
    with Store.open(month["db"]) as st:
        return st.decisions().get((case_id, check_id))


# --- safety ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "/files/../anjuan.db", "/files/%2e%2e/anjuan.db", "/files/..%2fanjuan.db", "/files//etc/passwd",
    "/files/%2fetc%2fpasswd", "/archive/../out/cases.jsonl", "/archive/../../anjuan.db",
    "/files/..\\anjuan.db", "/page.png?doc=../anjuan.db&page=1", "/page.png?doc=/etc/passwd&page=1",
    "/archive/2406001/..%2f..%2fanjuan.db", "/files/nothing-here.docx",
])
def test_serve_file_routes_refuse_paths_outside_their_folder(client, url):
    resp = client.get(url, follow_redirects=True)  # werkzeug merges "//" with a redirect first
    assert resp.status_code == 404 and "未找到该页面或文件" in resp.get_data(as_text=True)
    assert b"SQLite format" not in resp.data and b"root:" not in resp.data


def test_serve_file_routes_refuse_a_symlink_out_of_the_results(client, month, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    link = month["out"] / "leak.txt"
    try:
        os.symlink(secret, link)
    except (OSError, NotImplementedError):
        pytest.skip("symlinks cannot be made here")
    try:
        assert client.get("/files/leak.txt").status_code == 404
    finally:
        link.unlink()


def test_serve_file_routes_send_results_and_originals(client, month):
    assert client.get("/files/cases.jsonl").status_code == 200
    first = _cases(month)[0]["documents"][0]["path"]
    resp = client.get(f"/archive/{first}")
    assert resp.status_code == 200 and resp.data == (month["archive"] / first).read_bytes()


def test_serve_csrf_refused_without_the_token(client, month):
    case = next(c for c in _cases(month) if c["findings"])
    check_id = case["findings"][0]["check_id"]
    form = {"check_id": check_id, "action": "dismissed", "reason": "测试", "f": "0"}
    for sent in ({}, {"csrf": "forged"}):
        resp = client.post(f"/case/{case['case_id']}/decide", data=dict(form, **sent))
        assert resp.status_code == 400 and "E605" in resp.get_data(as_text=True)
    assert _decided(month, case["case_id"], check_id) is None
    assert client.post("/regenerate", data={}).status_code == 400


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_serve_lan_mode_refused_without_a_password(host):
    assert not is_loopback(host)
    with pytest.raises(AnjuanError) as err:
        lan_password(host, None)
    assert err.value.code == "E601"
    assert lan_password(host, "口令123") == ("口令123", False)
    made, was_made = lan_password(host, "auto")
    assert was_made and len(made) >= 12


def test_serve_cli_refuses_lan_mode_without_a_password(month):
    result = CliRunner().invoke(cli, ["serve", str(month["out"]), "--db", str(month["db"]), "--host", "0.0.0.0",
                                      "--no-browser"])
    assert result.exit_code != 0 and "E601" in result.output


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_serve_loopback_needs_no_password(host):
    assert lan_password(host, None) == (None, False)


def test_serve_lan_mode_asks_for_the_password(month):
    app = create_app(Workbench.open(month["out"], month["db"]), password="口令123")
    with app.test_client() as c:
        assert c.get("/").status_code == 302
        assert c.get("/files/cases.jsonl").status_code == 302
        page = c.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        assert c.post("/login", data={"csrf": token, "password": "错"}).status_code == 401
        assert c.post("/login", data={"password": "口令123"}).status_code == 400  # no CSRF token
        assert c.post("/login", data={"csrf": token, "password": "口令123"}).status_code == 302
        assert c.get("/").status_code == 200


# --- pages ------------------------------------------------------------------------------------------

def test_serve_month_page_lists_every_case_by_squad(client, month):
    html = client.get("/").get_data(as_text=True)
    cases = _cases(month)
    for c in cases:
        assert f'/case/{c["case_id"]}"' in html
    for squad in {c["fields"]["squad"] for c in cases if c["fields"]["squad"]}:
        assert f"<h2>{squad} " in html
    reviewed = sum(1 for c in cases if not c["findings"])
    assert f'已审核 <b id="reviewed">{reviewed}</b> / {len(cases)}' in html


def test_serve_month_page_filters(client, month):
    cases = _cases(month)
    check_id = next(f["check_id"] for c in cases for f in c["findings"])
    html = client.get(f"/?check={check_id}").get_data(as_text=True)
    with_check = [c["case_id"] for c in cases if any(f["check_id"] == check_id for f in c["findings"])]
    assert sorted(re.findall(r'<td><a href="/case/(\w+)"', html)) == sorted(with_check)
    html = client.get("/?unreviewed=1").get_data(as_text=True)
    listed = re.findall(r'<td><a href="/case/(\w+)"', html)
    assert sorted(listed) == sorted(c["case_id"] for c in cases if c["findings"])


def _pdf_finding(month) -> tuple[dict, int]:
    """A case and the index of a finding whose first quote stands on a PDF page with a text layer."""
    for c in _cases(month):
        sources = {d["path"]: d["text_source"] for d in c["documents"]}
        for i, f in enumerate(c["findings"]):
            ev = f["evidence"][:1]
            if ev and sources.get(ev[0]["document"].split("#")[0]) == "pdf_text" and len(ev[0]["quote"]) > 3:
                return c, i
    pytest.skip("the generated month has no finding quoting a PDF text page")


def test_serve_case_page_highlights_the_quote_on_a_pdf_page(client, month):
    case, i = _pdf_finding(month)
    html = client.get(f"/case/{case['case_id']}?f={i}").get_data(as_text=True)
    ev = case["findings"][i]["evidence"][0]
    assert 'class="hl first"' in html and "未能在页面上标出引文位置" not in html
    boxes = re.findall(r'class="hl[^"]*" style="left: ([\d.]+)%; top: ([\d.]+)%; width: ([\d.]+)%', html)
    assert boxes and all(0 <= float(x) <= 100 and 0 <= float(y) <= 100 and float(w) > 0 for x, y, w in boxes)
    img = re.search(r'id="page-image"[^>]*src="([^"]+)"', html).group(1).replace("&amp;", "&")
    png = client.get(img)
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
    assert ev["document"].split("#")[0] in html


def test_serve_case_page_shows_findings_fields_and_unverified(client, month):
    case = next(c for c in _cases(month) if c["findings"])
    html = client.get(f"/case/{case['case_id']}").get_data(as_text=True)
    for f in case["findings"]:
        assert f["message"].replace('"', "&#34;") in html and f["check_id"] in html and f["citation"] in html
    assert "未能核实，需人工核对" in html and "案件要素" in html
    assert client.get("/case/NO-SUCH-CASE").status_code == 400


def test_serve_case_page_marks_the_quote_in_docx_text(client, month):
    for c in _cases(month):
        sources = {d["path"]: d["text_source"] for d in c["documents"]}
        for i, f in enumerate(c["findings"]):
            ev = f["evidence"][:1]
            if ev and sources.get(ev[0]["document"].split("#")[0]) == "docx" and len(ev[0]["quote"]) > 3:
                html = client.get(f"/case/{c['case_id']}?f={i}").get_data(as_text=True)
                assert '<mark class="hl first">' in html
                return
    pytest.skip("no finding quotes a DOCX document")


def test_serve_page_image_of_a_pdf_inside_a_zip(client, month):
    member = next((d["path"] for c in _cases(month) for d in c["documents"]
                   if "!/" in d["path"] and d["path"].endswith(".pdf")), None)
    if member is None:
        pytest.skip("no zipped PDF in the generated month")
    png = client.get("/page.png", query_string={"doc": member, "page": "1"})
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
    assert client.get("/page.png", query_string={"doc": member, "page": "99"}).status_code == 404
    outer = member.split("!/")[0]
    assert client.get("/page.png", query_string={"doc": outer + "!/../../anjuan.db", "page": "1"}).status_code == 404
    assert client.get(f"/archive/{member}").status_code == 404  # originals are sent whole files only


def test_serve_open_refuses_a_folder_without_results(tmp_path, month):
    with pytest.raises(AnjuanError) as err:
        Workbench.open(tmp_path, month["db"])
    assert err.value.code == "E602"
    (tmp_path / "cases.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(AnjuanError) as err:
        Workbench.open(tmp_path, month["db"])
    assert err.value.code == "E603"
    with pytest.raises(AnjuanError) as err:
        Workbench.open(tmp_path, tmp_path / "none.db")
    assert err.value.code == "E501"


def test_serve_finds_the_database_and_archive_the_review_recorded(month):
    bench = Workbench.open(month["out"])
    assert bench.db_path.resolve() == month["db"].resolve()
    assert bench.archive.resolve() == month["archive"].resolve()


def test_serve_shows_a_decision_made_on_the_command_line(client, month):
    case = next(c for c in _cases(month) if c["findings"])
    check_id = case["findings"][-1]["check_id"]
    result = CliRunner().invoke(cli, ["findings", "dismiss", case["case_id"], check_id, "--reason", "命令行排除",
                                      "--db", str(month["db"])])
    assert result.exit_code == 0, result.output
    html = client.get(f"/case/{case['case_id']}").get_data(as_text=True)
    assert "已排除（命令行排除；评查人员" in html
    from pipeline.store.corrections import undo_decision

    with Store.open(month["db"]) as st:  # leave the finding open for the tests below
        assert undo_decision(st.conn, case["case_id"], check_id, who="测试", at="2024-07-01") is not None
    assert _decided(month, case["case_id"], check_id)["decision"] is None


# --- decisions, corrections, Regenerate -----------------------------------------------------------------

def test_serve_decide_and_undo_reach_the_store_the_cli_reads(client, month):
    from pipeline.run.month import decisions_table

    case = next(c for c in _cases(month) if len(c["findings"]) >= 2)
    check_id = case["findings"][1]["check_id"]
    token = _token(client)
    url = f"/case/{case['case_id']}"
    no_reason = client.post(f"{url}/decide", data={"csrf": token, "check_id": check_id, "action": "dismissed",
                                                  "reason": " ", "f": "1"})
    assert no_reason.status_code == 400 and "E307" in no_reason.get_data(as_text=True)
    resp = client.post(f"{url}/decide", data={"csrf": token, "check_id": check_id, "action": "confirmed",
                                             "reason": "核实属实", "f": "1"})
    assert resp.status_code == 302
    assert _decided(month, case["case_id"], check_id)["decision"] == "confirmed"
    assert client.post(f"{url}/undo", data={"csrf": token, "check_id": check_id, "f": "1"}).status_code == 302
    assert _decided(month, case["case_id"], check_id)["decision"] is None
    table = decisions_table(month["db"], case["case_id"])
    today = dt.date.today().isoformat()
    assert f"{case['case_id']}  {check_id}  确认  {today}  评查人员  核实属实" in table
    assert f"{case['case_id']}  {check_id}  撤销  {today}  评查人员  工作台撤销" in table


def test_serve_correction_is_used_by_the_next_review(client, month):
    """A filing date corrected to 150 days before the decision makes DEC-01 (overdue) fire."""
    cases = _cases(month)
    case = next((c for c in cases if c["fields"]["procedure"] == "general" and c["fields"]["decision_date"]
                 and c["fields"]["filing_date"] and not c["fields"]["extension_approved_date"]
                 and not any(f["check_id"] == "DEC-01" for f in c["findings"])), None)
    if case is None:
        pytest.skip("no general-procedure case without DEC-01")
    decided = dt.date.fromisoformat(case["fields"]["decision_date"])
    early = (decided - dt.timedelta(days=150)).isoformat()
    token = _token(client)
    resp = client.post(f"/case/{case['case_id']}/correct",
                       data={"csrf": token, "key": "filing_date", "value": early, "reason": "核对立案审批表"})
    assert resp.status_code == 302
    bad = client.post(f"/case/{case['case_id']}/correct", data={"csrf": token, "key": "filing_date", "value": "三月"})
    assert bad.status_code == 400 and "E306" in bad.get_data(as_text=True)
    with Store.open(month["db"]) as st:
        from pipeline.store.corrections import load_corrections

        (corr,) = load_corrections(st.conn)[case["case_id"]]
    assert (corr.value, corr.extracted, corr.who) == (early, case["fields"]["filing_date"], "评查人员")

    others = {c["case_id"] for c in cases} - {case["case_id"]}
    before = {p.stem: p.read_bytes() for p in (month["out"] / "评查意见书").glob("*.docx")}
    resp = client.post("/regenerate", data={"csrf": token, "case_id": case["case_id"]})
    assert resp.status_code == 302
    after = next(c for c in _cases(month) if c["case_id"] == case["case_id"])
    assert after["fields"]["filing_date"] == early
    assert any(f["check_id"] == "DEC-01" for f in after["findings"])
    for cid in others:  # the other cases' opinions did not change
        assert (month["out"] / "评查意见书" / f"{cid}.docx").read_bytes() == before[cid]
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert f"评查意见书/{case['case_id']}.docx" in page and "已更新" in page

    assert client.post(f"/case/{case['case_id']}/withdraw",
                       data={"csrf": token, "key": "filing_date"}).status_code == 302
    client.post("/regenerate", data={"csrf": token, "case_id": case["case_id"]})
    restored = next(c for c in _cases(month) if c["case_id"] == case["case_id"])
    assert restored["fields"]["filing_date"] == case["fields"]["filing_date"]
    assert not any(f["check_id"] == "DEC-01" for f in restored["findings"])


def test_serve_never_writes_the_archive(client, month):
    """Runs last in this file: after every page, decision, correction and Regenerate above."""
    assert _tree_hash(month["archive"]) == month["archive_hash"]


def test_serve_live_score_equals_the_review_before_any_decision(month, tmp_path):
    """A pending case (不评分) showed as 优秀 98 and "1 件案卷的得分因审核结果而变化" on a fresh review:
    the live score ignored the documents and errors that make a file unscorable."""
    # seed 5 holds a pending case (不评分)
    paths = _month(tmp_path, n=20, seed=5)
    bench = Workbench.open(paths["out"], paths["db"])
    cases = bench.cases()
    assert any(c["score"]["grade"] == "不评分" for c in cases)
    for c in cases:
        live = bench.live_score(c, {})
        assert (live["grade"], live["total"]) == (c["score"]["grade"], c["score"]["total"]), c["case_id"]
