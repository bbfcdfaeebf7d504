"""两单两书: drafting supervision letters from findings, and their escalation state machine.

Pure logic (no IO besides reading the settings file): ``pipeline.store.letterdb`` stores what this module
decides, ``pipeline.write.letterdocs`` renders it. The model is shared/domain/letters.md:

* four rungs ``tip`` 提示单 → ``supervise`` 督办单 → ``suggest`` 建议书 (+ 约谈) → ``decide`` 决定书;
* triggers (§3) are data in ``pipeline/data/letters.yaml``: a finding goes to the highest rung it
  triggers; findings a reviewer dismissed never appear, cross-case signals (``MIS-*``) only once
  confirmed; letters are grouped per squad and rung for the month;
* states ``issued → due → replied / overdue → escalated → closed`` (§5); ``advance`` turns passed
  deadlines into ``overdue`` and overdue letters into escalation drafts (提示单 → 督办单,
  单 → 决定书 抄告 the squad's 街道办事处 / 镇人民政府, 建议书 → 决定书).

Every name, number format, period and threshold is a setting (UNCONFIRMED defaults).
"""
from __future__ import annotations

import copy
import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipeline.core.errors import AnjuanError
from pipeline.core.masking import mask_personal
from pipeline.core.models import CaseResult, Finding
from pipeline.core.months import date_cn, last_day, month_cn
from pipeline.core.workdays import WorkCalendar
from pipeline.supervise.labels import SEVERITY_LABELS, check_title, document_titles, evidence_place
from pipeline.supervise.scoring import decision_of

SETTINGS_PATH = Path(__file__).resolve().parents[1] / "data" / "letters.yaml"

RUNGS: tuple[str, ...] = ("tip", "supervise", "suggest", "decide")
STATES: tuple[str, ...] = ("issued", "due", "replied", "overdue", "escalated", "closed")
STATE_LABELS = {"issued": "已制发", "due": "待回复", "replied": "已回复待审核", "overdue": "逾期",
                "escalated": "已升级", "closed": "已办结"}
END_REASONS = {"accepted": "整改已验收", "accepted_late": "逾期后整改已验收",
               "child_closed": "升级文书已办结", "withdrawn": "撤回"}


# --- records ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class LetterItem:
    """One problem listed in a letter (already masked for personal data)."""

    case_id: str
    case_number: str
    check_id: str
    severity: str
    message: str
    citation: str
    evidence_quote: str
    party: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "case_number": self.case_number, "check_id": self.check_id,
                "severity": self.severity, "message": self.message, "citation": self.citation,
                "evidence_quote": self.evidence_quote, "party": self.party}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> LetterItem:
        return cls(**{k: d.get(k, "") for k in ("case_id", "case_number", "check_id", "severity",
                                                  "message", "citation", "evidence_quote", "party")})


@dataclass(frozen=True, slots=True)
class LetterDraft:
    """A letter proposed for one squad, rung and matter; not yet numbered.

    ``matter_key`` names the matter the letter corrects (``review-2024-03-tip`` for the March
    review's 提示单); an escalation keeps its parent's key. ``facts`` are sentences on earlier letters
    (for a 决定书) or on counts (for a 建议书); ``parent_number`` the earlier letter's number.
    """

    rung: str
    rung_name: str
    squad: str
    addressee: str
    cc: tuple[str, ...]
    month: str
    matter_key: str
    cases: tuple[str, ...]
    items: tuple[LetterItem, ...]
    parent_id: int | None
    reason: str
    facts: tuple[str, ...] = ()
    parent_number: str = ""
    # the trigger kinds: serious | systemic | repeat | veto | ids | tip | escalation
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LetterEvent:
    date: str
    event: str
    who: str
    note: str
    from_state: str | None = None
    to_state: str | None = None
    seq: int = 0


@dataclass(frozen=True, slots=True)
class LetterRecord:
    id: int
    number: str
    year: int
    rung: str
    squad: str
    addressee: str
    cc: tuple[str, ...]
    month: str
    matter_key: str
    issued_date: str
    due_date: str | None
    state: str
    parent_id: int | None
    cases: tuple[str, ...]
    items: tuple[LetterItem, ...]
    replied_date: str | None
    closed_date: str | None
    end_reason: str | None
    events: tuple[LetterEvent, ...]
    rung_name: str = ""
    reason: str = ""
    facts: tuple[str, ...] = ()
    parent_number: str = ""
    first_due_date: str | None = None
    rejections: int = 0
    fresh_deadlines: int = 0
    reasons: tuple[str, ...] = ()

    @property
    def overdue_since(self) -> str | None:
        """Date of the last transition into ``overdue``."""
        last = None
        for e in self.events:
            if e.to_state == "overdue":
                last = e.date
        return last

    @property
    def was_overdue(self) -> bool:
        return any(e.to_state == "overdue" for e in self.events)


@dataclass(frozen=True, slots=True)
class Transition:
    """A state change ``advance`` proposes; ``draft`` is the child letter of an escalation."""

    letter_id: int
    number: str
    from_state: str
    to_state: str
    date: str
    event: str
    note: str
    draft: LetterDraft | None = None


# --- settings -----------------------------------------------------------------------------------

def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = _merge(dict(out[k]), v)
        else:
            out[k] = copy.deepcopy(v)
    return out


@functools.lru_cache(maxsize=4)
def _read_yaml(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except (OSError, yaml.YAMLError) as exc:
        raise AnjuanError("E512", path=path, detail=str(exc)) from exc
    if not isinstance(data, dict):
        raise AnjuanError("E512", path=path, detail="顶层应为映射")
    return data


def load_settings(path: str | Path | None = None,
                  overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The built-in letters.yaml, merged with a user file (``path``) and ``overrides``."""
    data = copy.deepcopy(_read_yaml(str(SETTINGS_PATH)))
    if path is not None and Path(path).resolve() != SETTINGS_PATH:
        data = _merge(data, _read_yaml(str(path)))
    if overrides:
        data = _merge(data, overrides)
    validate_settings(data, str(path or SETTINGS_PATH))
    return data


def validate_settings(s: Mapping[str, Any], where: str = "letters.yaml") -> None:
    rungs = s.get("rungs") or {}
    for r in RUNGS:
        conf = rungs.get(r)
        if not isinstance(conf, Mapping):
            raise AnjuanError("E512", path=where, detail=f"rungs.{r} 缺失")
        reply = conf.get("reply") or {}
        if reply.get("unit") not in ("wd", "cd") or not isinstance(reply.get("n"), int) or reply["n"] < 0:
            raise AnjuanError("E512", path=where,
                              detail=f"rungs.{r}.reply 应为 {{n: 非负整数, unit: wd|cd}}，实为 {reply!r}")
        for key in ("name", "short", "number_prefix", "number_format", "addressee"):
            if not conf.get(key):
                raise AnjuanError("E512", path=where, detail=f"rungs.{r}.{key} 缺失")
    nxt = (s.get("escalation") or {}).get("next") or {}
    for a, b in nxt.items():
        if a not in RUNGS or (b is not None and b not in RUNGS):
            raise AnjuanError("E512", path=where, detail=f"escalation.next 中的 {a}: {b} 不是已知文书种类")


def settings_or_default(settings: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return settings if settings is not None else load_settings()


def rung_conf(settings: Mapping[str, Any], rung: str) -> Mapping[str, Any]:
    return settings["rungs"][rung]


def rung_name(settings: Mapping[str, Any], rung: str) -> str:
    return rung_conf(settings, rung)["name"]


# --- small helpers ------------------------------------------------------------------------------

def _d(x: str | dt.date) -> dt.date:
    return x if isinstance(x, dt.date) else dt.date.fromisoformat(str(x)[:10])


def street_of(squad: str, settings: Mapping[str, Any]) -> str:
    """The 街道办事处 / 镇人民政府 in charge of ``squad`` (exact, suffix, then contained key)."""
    streets: Mapping[str, str] = settings.get("streets") or {}
    if squad in streets:
        return streets[squad]
    for key in sorted(streets, key=len, reverse=True):
        if squad.endswith(key) or key in squad:
            return streets[key]
    return settings.get("street_unknown", "相关街道办事处、镇人民政府")


def _fill(template: str, squad: str, settings: Mapping[str, Any]) -> str:
    return template.format(squad=squad, street=street_of(squad, settings))


def addressee_of(rung: str, squad: str, settings: Mapping[str, Any]) -> str:
    return _fill(rung_conf(settings, rung)["addressee"], squad, settings)


def cc_of(rung: str, squad: str, settings: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(_fill(x, squad, settings) for x in rung_conf(settings, rung).get("cc") or ())


def reply_period_text(rung: str, settings: Mapping[str, Any]) -> str:
    r = rung_conf(settings, rung)["reply"]
    return f"{r['n']}个工作日" if r["unit"] == "wd" else f"{r['n']}日"


def due_date_for(start: str, rung: str, *, settings: Mapping[str, Any], calendar: Any) -> str:
    """``start`` + the rung's reply period: working days, or calendar days with holiday roll-over."""
    r = rung_conf(settings, rung)["reply"]
    d = _d(start)
    end = calendar.add_workdays(d, r["n"]) if r["unit"] == "wd" else calendar.add_days(d, r["n"])
    return end.isoformat()


def format_number(rung: str, year: int, n: int, settings: Mapping[str, Any]) -> str:
    c = rung_conf(settings, rung)
    return c["number_format"].format(prefix=c["number_prefix"], year=year, n=n)


# --- masking ------------------------------------------------------------------------------------

def mask(text: str, party: Mapping[str, Any] | None, settings: Mapping[str, Any]) -> str:
    """Mask 身份证号 and mobile numbers, and an individual party's address (settings.masking)."""
    m = settings.get("masking") or {}
    known: dict[str, str] = {}
    if m.get("individual_address", True) and isinstance(party, Mapping) \
            and party.get("kind") == "individual":
        addr = str(party.get("address") or "").strip()
        if len(addr) >= 4:
            known[addr] = m.get("address_mask", "（住址已隐去）")
    return mask_personal(text, known, numbers=bool(m.get("ids_and_phones", True)))


def evidence_quote(f: Finding, party: Mapping[str, Any] | None, settings: Mapping[str, Any],
                   titles: Mapping[str, str] | None = None) -> str:
    """The finding's quotes for a letter, each after its document (named by its title when the
    file name does not name it, ``titles`` from ``labels.document_titles``) and page, masked."""
    limit = int(settings.get("evidence_max_chars", 60))
    parts = []
    for e in f.evidence:
        where = evidence_place(e.document, e.page, titles)
        quote = mask(" ".join(e.quote.split()), party, settings)
        if len(quote) > limit:
            quote = quote[:limit] + "…"
        parts.append(f"{where}：“{quote}”" if quote else where)
    return "；".join(parts)


# --- drafting -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Cand:
    squad: str
    result: CaseResult
    finding: Finding
    confirmed: bool


def squad_of(result: CaseResult, settings: Mapping[str, Any]) -> str:
    s = (result.fields or {}).get("squad")
    return str(s).strip() if s else settings.get("unknown_squad", "承办中队（未载明）")


def _item(c: _Cand, settings: Mapping[str, Any]) -> LetterItem:
    fields = c.result.fields or {}
    party = fields.get("party") if isinstance(fields.get("party"), Mapping) else None
    msg = mask(c.finding.message.strip(), party, settings)
    if c.finding.related_cases:
        msg = msg.rstrip("。") + f"（关联案卷：{'、'.join(c.finding.related_cases)}）"
    name = str((party or {}).get("name") or "")
    return LetterItem(case_id=c.result.case_id, case_number=str(fields.get("case_number") or ""),
                      check_id=c.finding.check_id, severity=c.finding.severity, message=msg,
                      citation=c.finding.citation or "",
                      evidence_quote=evidence_quote(c.finding, party, settings, document_titles(c.result.documents)),
                      party=mask(name, party, settings))


def draft_letters(results: Sequence[CaseResult], month: str, *, settings: Mapping[str, Any] | None = None,
                  decisions: Mapping[tuple[str, str], Any] | None = None,
                  prior_counts: Mapping[tuple[str, str], int] | None = None) -> list[LetterDraft]:
    """The month's letters: one per squad and rung, each with all its items. A file whose squad
    was not read gets no letter (a letter needs its addressee); the meeting material lists it for
    manual review.

    ``results`` are the month's sampled files; ``decisions`` the reviewers' decisions
    ``{(case_id, check_id): "confirmed" | "dismissed" | {"decision": …}}``; ``prior_counts`` the
    number of files per ``(squad, check_id)`` in earlier months of the same quarter (for the
    "same id ≥ 3 times in a quarter" trigger; ``letterdb`` supplies it from earlier letters).
    """
    s = settings_or_default(settings)
    trig = s.get("triggers") or {}
    t_tip = trig.get("tip") or {}
    t_sup = trig.get("supervise") or {}
    t_sug = trig.get("suggest") or {}
    cross = tuple(trig.get("cross_case_prefixes") or ("MIS-",))
    tip_sev = set(t_tip.get("severities") or ())
    sup_sev = set(t_sup.get("severities") or ())
    sup_ids = list(t_sup.get("check_ids") or ())
    prior = prior_counts or {}

    ordered = sorted(results, key=lambda r: r.case_id)
    cands: list[_Cand] = []
    for r in ordered:
        if not (r.fields or {}).get("squad"):
            continue  # no squad read: a letter needs an addressee; the file is listed for manual review
        squad = squad_of(r, s)
        seen: set[str] = set()
        for f in r.findings:
            dec = decision_of(decisions, r.case_id, f.check_id)[0]
            if dec == "dismissed":
                continue
            confirmed = dec == "confirmed"
            if f.check_id.startswith(cross) and not confirmed:
                continue
            if f.severity not in tip_sev | sup_sev and f.check_id not in sup_ids:
                continue
            key = f.check_id + "\0" + f.message
            if key in seen:  # the same finding twice in one file
                continue
            seen.add(key)
            cands.append(_Cand(squad, r, f, confirmed))

    # systemic: the same check id in ≥ N squads or in ≥ P % of the sampled files (this month)
    sysconf = t_sug.get("systemic") or {}
    squads_by: dict[str, set[str]] = {}
    cases_by: dict[str, set[str]] = {}
    for c in cands:
        squads_by.setdefault(c.finding.check_id, set()).add(c.squad)
        cases_by.setdefault(c.finding.check_id, set()).add(c.result.case_id)
    n_files = len(ordered)
    systemic: dict[str, str] = {}
    for cid in sorted(squads_by):
        n_sq, n_cs = len(squads_by[cid]), len(cases_by[cid])
        if sysconf.get("min_squads") and n_sq >= int(sysconf["min_squads"]):
            systemic[cid] = f"“{check_title(cid)}”问题在{n_sq}个中队出现"
        elif (sysconf.get("min_share_pct") and n_files
              and n_cs >= int(sysconf.get("min_share_cases", 1))
              and n_cs * 100 >= float(sysconf["min_share_pct"]) * n_files):
            systemic[cid] = (f"“{check_title(cid)}”问题出现在本月抽查案卷的{round(n_cs * 100 / n_files)}%"
                             f"（{n_cs}/{n_files}件）")

    # serious situations (§6), per squad
    serious: dict[tuple[str, str, str], str] = {}  # (squad, case, check) -> situation
    for sit in t_sug.get("serious") or ():
        ids = set(sit.get("check_ids") or ())
        by_squad: dict[str, list[_Cand]] = {}
        for c in cands:
            if c.finding.check_id in ids and (c.confirmed or not sit.get("confirmed_only", True)):
                by_squad.setdefault(c.squad, []).append(c)
        for squad, cs in by_squad.items():
            if len({c.result.case_id for c in cs}) >= int(sit.get("min_cases", 1)):
                for c in cs:
                    serious.setdefault((squad, c.result.case_id, c.finding.check_id), sit["situation"])

    # repeats in the quarter, per squad and check id (distinct files)
    month_cases: dict[tuple[str, str], set[str]] = {}
    for c in cands:
        month_cases.setdefault((c.squad, c.finding.check_id), set()).add(c.result.case_id)
    rep = t_sup.get("repeat") or {}
    rep_min = int(rep.get("min_count", 0) or 0)
    labels = t_sup.get("labels") or {}

    groups: dict[tuple[str, str], list[tuple[_Cand, str, str]]] = {}
    for c in cands:
        cid = c.finding.check_id
        total = len(month_cases[(c.squad, cid)]) + int(prior.get((c.squad, cid), 0))
        sit = serious.get((c.squad, c.result.case_id, cid))
        if sit:
            rung, kind, why = "suggest", "serious", f"{sit}（应当约谈的情形）"
        elif cid in systemic:
            rung, kind, why = "suggest", "systemic", systemic[cid]
        elif c.finding.severity in sup_sev:
            sev = SEVERITY_LABELS.get(c.finding.severity, c.finding.severity)
            rung, kind, why = "supervise", "veto", f"“{check_title(cid)}”属{sev}"
        elif cid in sup_ids:
            rung, kind, why = "supervise", "ids", labels.get(cid) or check_title(cid)
        elif rep_min and total >= rep_min:
            rung, kind, why = "supervise", "repeat", f"“{check_title(cid)}”问题本季度累计出现{total}次"
        elif c.finding.severity in tip_sev:
            rung, kind, why = "tip", "tip", "案卷评查发现的问题"
        else:
            continue
        groups.setdefault((c.squad, rung), []).append((c, kind, why))

    drafts: list[LetterDraft] = []
    for (squad, rung) in sorted(groups, key=lambda k: (k[0], RUNGS.index(k[1]))):
        entries = groups[(squad, rung)]
        items = tuple(_item(c, s) for c, _, _ in entries)
        cases = tuple(sorted({i.case_id for i in items}))
        whys = list(dict.fromkeys(w for _, _, w in entries))
        kinds = tuple(dict.fromkeys(k for _, k, _ in entries))
        facts: tuple[str, ...] = ()
        if rung == "suggest":
            facts = (f"{month_cn(month)}共抽查案卷{n_files}件，{squad}有{len(cases)}件案卷存在下列问题，"
                     f"共{len(items)}项。",)
        drafts.append(LetterDraft(
            rung=rung, rung_name=rung_name(s, rung), squad=squad, addressee=addressee_of(rung, squad, s),
            cc=cc_of(rung, squad, s), month=month, matter_key=f"review-{month}-{rung}", cases=cases,
            items=items, parent_id=None, reason="；".join(whys), facts=facts, reasons=kinds))
    return drafts


def make_draft(rung: str, squad: str, month: str, items: Sequence[LetterItem], *, reason: str,
               settings: Mapping[str, Any] | None = None, matter_key: str | None = None,
               facts: Sequence[str] = ()) -> LetterDraft:
    """A letter a reviewer decides to issue directly, at any rung (letters.md §2: a 建议书 may be
    issued without a prior 单; a 决定书 on a reviewer's decision; the §6 摘牌 situation, which is not
    in the files). ``matter_key`` defaults to ``manual-<month>-<rung>``."""
    s = settings_or_default(settings)
    if rung not in RUNGS:
        raise AnjuanError("E512", path="letters.yaml", detail=f"未知的文书种类 {rung!r}，可用：{'、'.join(RUNGS)}")
    return LetterDraft(
        rung=rung, rung_name=rung_name(s, rung), squad=squad, addressee=addressee_of(rung, squad, s),
        cc=cc_of(rung, squad, s), month=month, matter_key=matter_key or f"manual-{month}-{rung}",
        cases=tuple(sorted({i.case_id for i in items})), items=tuple(items), parent_id=None,
        reason=reason, facts=tuple(facts), reasons=("manual",))


# --- the state machine --------------------------------------------------------------------------

def next_rung(letter: LetterRecord, settings: Mapping[str, Any]) -> str | None:
    esc = settings.get("escalation") or {}
    if letter.rung in ("tip", "supervise") and \
            letter.rejections >= int(esc.get("rejections_to_decide", 2) or 10**6):
        return "decide"
    return (esc.get("next") or {}).get(letter.rung)


def letter_fact(letter: LetterRecord, settings: Mapping[str, Any]) -> str:
    """One sentence on an earlier letter: issued, deadline, and what became of it."""
    if any(e.event in ("rejected", "rejected_fresh_deadline") for e in letter.events):
        outcome = f"{letter.squad}虽有回复，但经审核整改不到位"
    elif letter.replied_date:
        outcome = f"{letter.squad}于{date_cn(letter.replied_date)}回复"
    else:
        outcome = f"{letter.squad}逾期未回复"
    due = f"要求于{date_cn(letter.due_date)}前回复整改情况" if letter.due_date else "要求限期回复整改情况"
    name = letter.rung_name or rung_name(settings, letter.rung)
    return (f"{date_cn(letter.issued_date)}，我局向{letter.addressee}制发《{name}》"
            f"（{letter.number}），{due}；{outcome}。")


def escalation_draft(letter: LetterRecord, target: str, today: str, *, settings: Mapping[str, Any],
                     by_id: Mapping[int, LetterRecord] | None = None) -> LetterDraft:
    """The child letter of an overdue ``letter`` (same squad, matter and items)."""
    chain: list[LetterRecord] = []
    cur: LetterRecord | None = letter
    seen: set[int] = set()
    while cur is not None and cur.id not in seen:
        seen.add(cur.id)
        chain.append(cur)
        cur = (by_id or {}).get(cur.parent_id) if cur.parent_id is not None else None
    facts = tuple(letter_fact(x, settings) for x in reversed(chain))
    parent_name = letter.rung_name or rung_name(settings, letter.rung)
    return LetterDraft(
        rung=target, rung_name=rung_name(settings, target), squad=letter.squad,
        addressee=addressee_of(target, letter.squad, settings), cc=cc_of(target, letter.squad, settings),
        month=today[:7], matter_key=letter.matter_key, cases=letter.cases, items=letter.items,
        parent_id=letter.id, reason=f"《{parent_name}》（{letter.number}）逾期未回复或者整改不到位",
        facts=facts, parent_number=letter.number, reasons=("escalation",))


def advance(letters: Sequence[LetterRecord], today: str, *, settings: Mapping[str, Any] | None = None,
            calendar: Any = None) -> list[Transition]:
    """What happens by ``today``: ``due`` past its date → ``overdue`` (dated the day after the
    deadline); ``overdue`` → ``escalated`` with the next rung's draft (after
    ``escalation.after_workdays`` working days). Replied and closed letters are left alone.
    """
    s = settings_or_default(settings)
    if calendar is None:
        calendar = WorkCalendar.default()
    t = _d(today)
    after = int((s.get("escalation") or {}).get("after_workdays", 0) or 0)
    by_id = {x.id: x for x in letters}
    out: list[Transition] = []
    for x in sorted(letters, key=lambda r: r.id):
        state, since = x.state, x.overdue_since
        if state == "due" and x.due_date and t > _d(x.due_date):
            since = (_d(x.due_date) + dt.timedelta(days=1)).isoformat()
            out.append(Transition(x.id, x.number, "due", "overdue", since, "overdue",
                                  f"超过回复期限（{date_cn(x.due_date)}）未回复"))
            state = "overdue"
        if state != "overdue":
            continue
        target = next_rung(x, s)
        if target is None or since is None:
            continue
        start = _d(since)
        if after and t < calendar.add_workdays(start - dt.timedelta(days=1), after):
            continue
        draft = escalation_draft(x, target, today, settings=s, by_id=by_id)
        out.append(Transition(x.id, x.number, "overdue", "escalated", today, "escalated",
                              f"逾期未回复或者整改不到位，升级为{draft.rung_name}", draft))
    return out


def due_soon(letters: Iterable[LetterRecord], today: str, *, settings: Mapping[str, Any] | None = None,
             calendar: Any = None) -> list[LetterRecord]:
    """Letters awaiting a reply whose due date is within ``remind_before`` of ``today``."""
    s = settings_or_default(settings)
    if calendar is None:
        calendar = WorkCalendar.default()
    rb = s.get("remind_before") or {"n": 3, "unit": "wd"}
    t = _d(today)
    horizon = calendar.add_workdays(t, int(rb["n"])) if rb.get("unit", "wd") == "wd" \
        else t + dt.timedelta(days=int(rb["n"]))
    return [x for x in sorted(letters, key=lambda r: (r.due_date or "", r.id))
            if x.state == "due" and x.due_date and t <= _d(x.due_date) <= horizon]


def state_at(letter: LetterRecord, date: str) -> str | None:
    """The state a letter was in at the end of ``date`` (None: not yet issued)."""
    state = None
    for e in sorted(letter.events, key=lambda e: (e.date, e.seq)):
        if e.date > date:
            break
        if e.to_state:
            state = e.to_state
    return state


def count_month(letters: Sequence[LetterRecord], month: str) -> dict[str, Any]:
    """The bulletin's letter block (monthly.md §4).

    issued: the month's letters (drafted by its review or escalated by its run: ``LetterRecord.month``),
    by rung; letters: those letters (number, name, squad, state at month end, due date); closed: letters
    closed in the month;
    base: letters whose (first) due date fell in the month; closure_rate = base letters closed by
    month end ÷ base; on_time_rate = base letters closed by month end without passing ``overdue``
    ÷ base (None when the base is empty); overdue_at_month_end: letters in ``overdue`` at the end of
    the month's last day (``escalated_at_month_end`` counted apart); talks: 约谈 recorded.
    """
    end = last_day(month).isoformat()
    issued = {r: 0 for r in RUNGS}
    closed = 0
    base = closed_base = on_time = 0
    overdue = escalated = talks = 0
    listed = []
    for x in letters:
        if x.month == month:
            issued[x.rung] = issued.get(x.rung, 0) + 1
            listed.append({"number": x.number, "rung_name": x.rung_name, "squad": x.squad,
                           "state": x.state, "due_date": x.due_date or ""})
        if x.closed_date and x.closed_date[:7] == month:
            closed += 1
        if x.first_due_date and x.first_due_date[:7] == month:
            base += 1
            if x.closed_date and x.closed_date <= end:
                closed_base += 1
                if not any(e.to_state == "overdue" for e in x.events if e.date <= end):
                    on_time += 1
        st = state_at(x, end)
        overdue += st == "overdue"
        escalated += st == "escalated"
        talks += sum(1 for e in x.events if e.event == "talk" and e.date[:7] == month)
    return {
        "month": month, "issued": issued, "issued_total": sum(issued.values()), "closed": closed,
        "due_in_month": base, "closed_by_month_end": closed_base, "closed_on_time": on_time,
        "closure_rate": round(closed_base / base, 4) if base else None,
        "on_time_rate": round(on_time / base, 4) if base else None,
        "overdue_at_month_end": overdue, "escalated_at_month_end": escalated, "talks": talks,
        "letters": listed,
    }
