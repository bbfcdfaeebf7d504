"""The workbench's routes (Flask): the month page, the case page, decisions, corrections,
Regenerate, page images and file downloads.

Safety: every POST carries the session's CSRF token (E605 otherwise); with a password (LAN mode)
every page but the login page and the static assets needs a signed-in session; files are sent only
from the results folder (``/files/…``) and the archive (``/archive/…``, page images), through
``pages.resolve_file``, which refuses paths that leave them; nothing is ever written to the archive.
"""
from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, redirect, render_template, request, send_file, session, url_for
from werkzeug.exceptions import HTTPException

from pipeline.core.errors import AnjuanError
from pipeline.serve import caseview, pages
from pipeline.serve.workbench import Workbench, by_squad, filter_rows, month_rows, next_unreviewed, open_findings

OPEN_ENDPOINTS = frozenset({"login", "static"})
HTTP_CN = {
    400: "请求内容不完整或无效，请返回上一页重试。",
    404: "未找到该页面或文件（工作台只提供结果目录和案卷目录中的文件）。",
    405: "不支持这种访问方式，请从工作台页面上的按钮操作。",
    413: "提交的内容过大。",
    500: "工作台内部出错，请重试；如反复出现，请把终端中的错误信息报告给维护人员。",
}
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
       "frame-ancestors 'none'; form-action 'self'")


def create_app(bench: Workbench, *, password: str | None = None, secret_key: bytes | None = None) -> Flask:
    """The workbench app over ``bench``; ``password`` set: sign-in required (LAN mode)."""
    app = Flask(__name__, template_folder="templates", static_folder="static")
    app.secret_key = secret_key or secrets.token_bytes(32)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict",
                      MAX_CONTENT_LENGTH=1 << 20, TEMPLATES_AUTO_RELOAD=False)
    app.extensions["anjuan"] = bench

    @app.before_request
    def guard() -> Any:
        token = session.get("csrf")
        if not token:
            session["csrf"] = secrets.token_urlsafe(32)
        if password and not session.get("signed_in") and request.endpoint not in OPEN_ENDPOINTS:
            return redirect(url_for("login", next=request.full_path if request.method == "GET" else "/"))
        if request.method == "POST":
            sent = request.form.get("csrf", "")
            if not token or not _same(str(sent), str(token)):
                return _error(AnjuanError("E605"), 400)
        return None

    @app.after_request
    def headers(resp: Response) -> Response:
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        return resp

    @app.errorhandler(AnjuanError)
    def domain_error(exc: AnjuanError) -> Any:
        return _error(exc, 400)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        text = HTTP_CN.get(status, "请求无法完成。")
        return render_template("error.html", message=text, code=str(status)), status

    @app.context_processor
    def common() -> dict[str, Any]:
        return {"csrf": session.get("csrf", ""), "who": _who(bench), "signed": bool(password)}

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        failed = False
        if request.method == "POST":
            if password and _same(request.form.get("password", ""), password):
                session["signed_in"] = True
                target = request.args.get("next") or "/"
                return redirect(target if target.startswith("/") and not target.startswith("//") else "/")
            failed = True
        return render_template("login.html", failed=failed), (401 if failed else 200)

    @app.get("/")
    def month() -> Any:
        decisions = bench.decisions()
        rows = month_rows(bench, decisions)
        args = request.args
        shown = filter_rows(rows, squad=args.get("squad", ""), grade=args.get("grade", ""),
                            check=args.get("check", ""), unreviewed=args.get("unreviewed") == "1")
        summary = bench.summary()
        return render_template(
            "month.html", groups=by_squad(shown), rows=rows, shown=len(shown), summary=summary,
            squads=sorted({r["squad"] for r in rows}), grades=_grades(rows),
            checks=sorted({c for r in rows for c in r["check_ids"]}), args=args,
            reviewed=sum(1 for r in rows if r["reviewed"]), total=len(rows),
            decided=sum(r["findings"] - r["open"] for r in rows), n_findings=sum(r["findings"] for r in rows),
            stale=sum(1 for r in rows if r["stale"]), first=next_unreviewed(rows, None))

    @app.get("/case/<case_id>")
    def case(case_id: str) -> Any:
        c = bench.case(case_id)
        decisions = bench.decisions()
        findings = caseview.finding_rows(bench, c, decisions)
        corrections = _corrections(bench, case_id)
        sel = _int(request.args.get("f"), _first_open(findings))
        sel = sel if 0 <= sel < len(findings) else (0 if findings else -1)
        ev_index = _int(request.args.get("e"), 0)
        doc_id, page, quote = request.args.get("doc"), _int(request.args.get("page"), 0) or None, ""
        if not doc_id and sel >= 0 and findings[sel]["evidence"]:
            evidence = findings[sel]["evidence"]
            ev = evidence[ev_index if 0 <= ev_index < len(evidence) else 0]
            doc_id, page, quote = ev["document"], ev.get("page"), ev.get("quote", "")
        elif doc_id:
            quote = request.args.get("q", "")
        view = caseview.viewer(bench, c, doc_id, page, quote)
        rows = [{"case_id": x["case_id"], "reviewed": not open_findings(x, decisions)} for x in bench.cases()]
        ids = [r["case_id"] for r in rows]
        pos = ids.index(case_id)
        return render_template(
            "case.html", case=c, findings=findings, sel=sel, ev_index=ev_index, view=view,
            fields=caseview.field_rows(c, corrections), unverified=c.get("unverified", []),
            errors=c.get("errors", []), documents=c.get("documents", []),
            score=bench.live_score(c, decisions), written=c["score"],
            prev_case=ids[pos - 1] if pos > 0 else None, next_case=ids[pos + 1] if pos + 1 < len(ids) else None,
            next_open=next_unreviewed(rows, case_id), doc_names=caseview.DOC_NAMES)

    @app.post("/case/<case_id>/decide")
    def decide(case_id: str) -> Any:
        from pipeline.store.letterdb import record_decision

        c = bench.case(case_id)
        check_id = _check_of(c, request.form.get("check_id", ""))
        action = request.form.get("action", "")
        reason = request.form.get("reason", "").strip()
        if action not in ("confirmed", "dismissed"):
            abort(400)
        if action == "dismissed" and not reason:
            raise AnjuanError("E307", case_id=case_id, check_id=check_id)
        with bench.store() as st:
            record_decision(st.conn, case_id, check_id, action, reason=reason or "工作台确认", who=_who(bench),
                            at=bench.today())
        return _back(case_id, _int(request.form.get("f"), 0), advance=True)

    @app.post("/case/<case_id>/undo")
    def undo(case_id: str) -> Any:
        from pipeline.store.corrections import undo_decision

        c = bench.case(case_id)
        check_id = _check_of(c, request.form.get("check_id", ""))
        with bench.store() as st:
            undo_decision(st.conn, case_id, check_id, who=_who(bench), at=bench.today(), reason="工作台撤销")
        return _back(case_id, _int(request.form.get("f"), 0))

    @app.post("/case/<case_id>/correct")
    def correct(case_id: str) -> Any:
        from pipeline.store.corrections import record_correction
        from pipeline.supervise.corrections import FieldCorrection, parse_value

        c = bench.case(case_id)
        key = request.form.get("key", "")
        value, blank = parse_value(key, request.form.get("value", ""))
        extracted = caseview.extracted_value(c, key, _corrections(bench, case_id))
        with bench.store() as st:
            record_correction(st.conn, FieldCorrection(
                case_id=case_id, key=key, value=value, extracted=extracted, blank=blank,
                reason=request.form.get("reason", "").strip(), who=_who(bench), at=bench.today()))
        return redirect(url_for("case", case_id=case_id, _anchor="fields"))

    @app.post("/case/<case_id>/withdraw")
    def withdraw(case_id: str) -> Any:
        from pipeline.store.corrections import withdraw_correction

        bench.case(case_id)
        with bench.store() as st:
            withdraw_correction(st.conn, case_id, request.form.get("key", ""), who=_who(bench), at=bench.today(),
                                reason="工作台撤销更正")
        return redirect(url_for("case", case_id=case_id, _anchor="fields"))

    @app.post("/regenerate")
    def regenerate() -> Any:
        from pipeline.run.rerender import regenerate as run

        assert bench.archive is not None
        done = run(bench.results, db_path=bench.db_path, archive=bench.archive)
        case_id = request.form.get("case_id", "")
        bench.last_changed = frozenset(done.changed)  # kept here: a cookie is too small for the list
        return redirect(url_for("outputs", case=case_id, done=1))

    @app.get("/outputs")
    def outputs() -> Any:
        from pipeline.run.rerender import output_hashes

        changed = bench.last_changed if request.args.get("done") else frozenset()
        files = sorted(output_hashes(bench.results), key=lambda f: (f not in changed, f))  # changed ones first
        case_id = request.args.get("case", "")
        mine = [f for f in files if case_id and f.startswith("评查意见书/") and Path(f).stem == case_id]
        return render_template("outputs.html", files=files, changed=changed, case_id=case_id, mine=mine,
                               done=bool(request.args.get("done")))

    @app.post("/who")
    def set_who() -> Any:
        name = request.form.get("who", "").strip()[:40]
        if name:
            session["who"] = name
        target = request.form.get("next", "/")
        return redirect(target if target.startswith("/") and not target.startswith("//") else "/")

    @app.get("/files/<path:rel>")
    def results_file(rel: str) -> Any:
        return _send(bench.results, rel, attachment=True)

    @app.get("/archive/<path:rel>")
    def archive_file(rel: str) -> Any:
        assert bench.archive is not None
        if pages.ZIP_SEP in rel:
            abort(404)
        return _send(bench.archive, rel, attachment=True)

    @app.get("/page.png")
    def page_png() -> Any:
        assert bench.archive is not None
        try:
            data = pages.page_image(bench.archive, request.args.get("doc", ""), _int(request.args.get("page"), 1),
                                    turn=_int(request.args.get("turn"), 0), skew=_float(request.args.get("skew")))
        except (pages.NotServed, OSError, ValueError):
            abort(404)
        resp = Response(data, mimetype="image/png")
        resp.headers["Cache-Control"] = "private, max-age=600"
        return resp

    return app


# ---------------------------------------------------------------------------------------------

def _error(exc: AnjuanError, status: int) -> Any:
    return render_template("error.html", message=str(exc), code=exc.code), status


def _same(a: str, b: str) -> bool:
    """Constant-time comparison of two texts (a password may be Chinese)."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def _who(bench: Workbench) -> str:
    return str(session.get("who") or bench.who)


def _float(value: Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _first_open(findings: list[dict[str, Any]]) -> int:
    for f in findings:
        if not f["decision"]:
            return int(f["index"])
    return 0


def _check_of(case: Mapping[str, Any], check_id: str) -> str:
    if check_id not in {f["check_id"] for f in case.get("findings", [])}:
        abort(400)
    return check_id


def _corrections(bench: Workbench, case_id: str) -> dict[str, Any]:
    from pipeline.store.corrections import load_corrections

    with bench.store() as st:
        return {c.key: c for c in load_corrections(st.conn).get(case_id, ())}


def _back(case_id: str, index: int, advance: bool = False) -> Any:
    """Back to the case page, on the next open finding after a decision."""
    bench: Workbench = _bench()
    if advance:
        c = bench.case(case_id)
        findings = caseview.finding_rows(bench, c, bench.decisions())
        after = [f["index"] for f in findings if not f["decision"] and f["index"] > index]
        before = [f["index"] for f in findings if not f["decision"]]
        index = (after or before or [index])[0]
    return redirect(url_for("case", case_id=case_id, f=index))


def _bench() -> Workbench:
    from flask import current_app

    bench: Workbench = current_app.extensions["anjuan"]
    return bench


def _grades(rows: list[dict[str, Any]]) -> list[str]:
    order = ("优秀", "良好", "合格", "不合格")
    return sorted({r["grade"] for r in rows}, key=lambda g: (order.index(g) if g in order else 9, g))


def _send(root: Path, rel: str, *, attachment: bool) -> Any:
    try:
        path = pages.resolve_file(root, rel)
    except pages.NotServed:
        abort(404)
    return send_file(path, as_attachment=attachment, download_name=path.name)


__all__ = ["create_app"]
