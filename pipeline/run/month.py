"""The supervision month as commands: the sampling plan, letters, reviewer decisions, and the
whole month in one go (`anjuan plan`, `anjuan letters …`, `anjuan findings …`, `anjuan run`).

IO only; the logic lives in pipeline/sampling.py, pipeline/letters.py and the review pipeline.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checks.registry import get as get_check
from checks.rules import build_calendar, load_rules
from pipeline.core.errors import AnjuanError
from pipeline.core.months import next_month, require_date, require_month
from pipeline.read.archive import find_register
from pipeline.read.register import read_register
from pipeline.run.review import ReviewSettings, review_archive
from pipeline.store.db import Store
from pipeline.store.letterdb import assess, list_letters, record_decision, reply
from pipeline.supervise.sampling import closed_counts, draw_plan
from pipeline.write.planwriter import quota_table_text, write_plan


@dataclass(frozen=True)
class PlanResult:
    plan: Any  # pipeline.supervise.sampling.Plan
    files: tuple[Path, ...]
    text: str


def make_plan(register: Path, month: str, *, seed: int, out_dir: Path, db_path: Path | None,
              squads: Sequence[str] = ()) -> PlanResult:
    """Draw ``month``'s sampling plan from a register, taking earlier draws and closed-case counts
    from the database, write 督察任务单.xlsx/.docx and record the draw."""
    require_month(month)
    register = Path(register)
    if not register.is_file():
        raise AnjuanError("E119", path=str(register), detail="文件不存在")
    rows, errors = read_register(register)
    values = [dict(r.values) for r in rows]
    history: list[Any] = []
    counts: dict[str, dict[str, int]] = {}
    store = None
    if db_path is not None:
        store = Store.open(db_path)
        history = store.plan_history(month)
        counts = store.register_counts(int(month[:4]))
    try:
        plan = draw_plan(values, month, seed=seed, history=history, squads=squads, year_counts=counts)
        sha = hashlib.sha256(register.read_bytes()).hexdigest()
        files = write_plan(plan, Path(out_dir), settings={"register_sha256": sha, "register_name": register.name})
        if store is not None:
            store.save_plan(plan)
            store.save_register_counts(closed_counts(values))
    finally:
        if store is not None:
            store.close()
    lines = [f"{month} 抽查计划（随机种子 {seed}，台账 {register.name} sha256 {sha[:12]}…）",
             quota_table_text(plan)]
    for e in errors:
        lines.append(e.message)
    lines.append("已写出：" + "，".join(str(f) for f in files))
    return PlanResult(plan=plan, files=tuple(files), text="\n".join(lines))


# --- letters -------------------------------------------------------------------------------------

def _open(db_path: Path) -> Any:
    if not Path(db_path).exists():
        raise AnjuanError("E501", path=str(db_path), detail="数据库文件不存在，请先运行 anjuan review 或用 --db 指定")
    return Store.open(db_path)


def letters_table(db_path: Path, *, state: str | None = None, month: str | None = None) -> str:
    with _open(db_path) as store:
        letters = list_letters(store.conn, state=state, month=month)
    if not letters:
        return "没有符合条件的监督文书。"
    names = {"issued": "已制发", "due": "待回复", "replied": "已回复", "overdue": "逾期",
             "escalated": "已升级", "closed": "已办结"}
    lines = ["编号  文号  文书  中队  制发日期  回复期限  状态"]
    for rec in letters:
        lines.append(f"{rec.id}  {rec.number}  {rec.rung_name}  {rec.squad}  {rec.issued_date}  "
                     f"{rec.due_date}  {names.get(rec.state, rec.state)}")
    return "\n".join(lines)


def letter_reply(db_path: Path, letter_id: int, *, date: str, note: str, who: str) -> str:
    require_date(date)
    with _open(db_path) as store:
        rec = reply(store.conn, letter_id, date=date, note=note, who=who)
    return f"已登记回复：{rec.number}（{rec.rung_name}，{rec.squad}），当前状态：{rec.state}"


def letter_assess(db_path: Path, letter_id: int, *, accept: bool, date: str, note: str, who: str,
                  rules_path: Path | None = None) -> str:
    """Register the assessment of a reply; a rejection's fresh deadline counts workdays on the
    calendar of ``rules_path`` (its official years added to the shipped ones), as the review does."""
    require_date(date)
    calendar = build_calendar(load_rules(rules_path)) if rules_path is not None else None
    with _open(db_path) as store:
        rec = assess(store.conn, letter_id, accept=accept, date=date, note=note, who=who, calendar=calendar)
    return f"已登记审核意见：{rec.number}，当前状态：{rec.state}"


# --- reviewer decisions on findings ------------------------------------------------------------------

def decide(db_path: Path, case_id: str, check_id: str, decision: str, *, reason: str, who: str,
           date: str | None) -> str:
    if not reason.strip():
        raise AnjuanError("E307", case_id=case_id, check_id=check_id)
    check = get_check(check_id.upper())  # an unknown id is E305
    at = date or dt.date.today().isoformat()
    require_date(at)
    with _open(db_path) as store:
        if not store.has_case(case_id):
            raise AnjuanError("E308", case_id=case_id, path=str(db_path))
        record_decision(store.conn, case_id, check_id.upper(), decision, reason=reason, who=who, at=at)
        history = store.decisions()[(case_id, check_id.upper())]["history"]
    word = "确认" if decision == "confirmed" else "排除"
    return (f"已{word}：案卷 {case_id} 的 {check.id}（{check.title}；理由：{reason}；{who}，{at}）。"
            f"该问题共有 {len(history)} 条审核记录；重新运行 anjuan review 后意见书、评分表和监督文书随之更新。")


def decisions_table(db_path: Path, case_id: str | None = None) -> str:
    with _open(db_path) as store:
        decisions = store.decisions()
    lines = []
    for (cid, check_id), d in sorted(decisions.items()):
        if case_id and cid != case_id:
            continue
        for h in d["history"]:
            word = {"confirmed": "确认", "dismissed": "排除"}.get(h["decision"], "撤销")
            lines.append(f"{cid}  {check_id}  {word}  {h['at']}  {h['who']}  {h['reason']}")
    return "\n".join(lines) if lines else "没有审核记录。"


# --- the whole month ---------------------------------------------------------------------------------

def run_whole_month(archive: Path, month: str, *, out: Path, db_path: Path | None,
                    rules_path: Path | None = None, jobs: int = 0, progress: bool = True) -> str:
    """Review the month's archive (scores, opinions, letters with escalation, meeting material,
    bulletin) and, when the archive holds a register, draw next month's sampling plan."""
    require_month(month)
    summary = review_archive(Path(archive), Path(out), ReviewSettings(
        rules_path=rules_path, db_path=db_path, jobs=jobs, month=month, progress=progress))
    lines = [summary.report()]
    register = find_register(Path(archive))
    if register is not None:
        nxt = next_month(month)
        plan = make_plan(register, nxt, seed=int(nxt.replace("-", "")), out_dir=Path(out), db_path=db_path)
        lines += ["", f"下月（{nxt}）抽查计划：", plan.text]
    else:
        lines.append("案卷目录中没有台账，未生成下月抽查计划（可用 anjuan plan --register 单独生成）。")
    return "\n".join(lines)
