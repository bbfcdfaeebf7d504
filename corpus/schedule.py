"""Officers of the squads and their time slots: clean cases never put an officer in two timed records
(inspection, inquiry, hearing) at once; MIS-03 pairs overlap on purpose.
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from corpus import people as P
from corpus.case import Plan


def squad_officers(rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    used: set[str] = set()
    out = {}
    certs: set[str] = set()
    for sq in P.SQUADS:
        lst = []
        for _ in range(6):
            name = P.person_name(rng, used)
            while True:
                cert = f"{rng.choice(('3118', '3100', '3101'))}{rng.randint(0, 9999):04d}"
                if cert not in certs:
                    certs.add(cert)
                    break
            lst.append((name, cert))
        out[sq[0]] = lst
    return out


class Schedule:
    """Busy intervals per (officer, date) so that clean cases never double-book an officer."""

    def __init__(self) -> None:
        self.busy: dict[tuple[str, dt.date], list[tuple[int, int]]] = {}

    def free(self, who: str, day: dt.date, a: int, b: int) -> bool:
        return all(b + 20 <= x or y + 20 <= a for x, y in self.busy.get((who, day), ()))

    def book(self, who: str, day: dt.date, a: int, b: int) -> None:
        self.busy.setdefault((who, day), []).append((a, b))

    def slot(self, rng: random.Random, who: Sequence[str], day: dt.date, dur: tuple[int, int],
             ignore: str | None = None) -> tuple[int, int]:
        for _ in range(200):
            a = rng.randrange(8 * 60 + 30, 16 * 60 + 30, 5)
            b = a + rng.randint(*dur)
            if all(w == ignore or self.free(w, day, a, b) for w in who):
                for w in who:
                    self.book(w, day, a, b)
                return a, b
        raise RuntimeError(f"no free slot for {who} on {day}")


def hm(x: int) -> tuple[int, int]:
    return divmod(x, 60)



# hearing start times (minutes after midnight): 9:00 … 15:00 on the half hour
HEARING_STARTS = (540, 570, 600, 810, 840, 870, 900)


def schedule(plans: list[Plan], rng: random.Random, sched: Schedule,
              officers_by_squad: dict[str, list[tuple[str, str]]]) -> None:
    by_id = {p.case_id: p for p in plans}

    def by_id_officers(p: Plan) -> list[tuple[str, str | None]]:
        return list(officers_by_squad[p.squad[0]])

    second_mis03 = {p.case_id for p in plans if p.variant.get("MIS-03", "").startswith("second")}
    for p in plans:
        if p.case_id in second_mis03:
            continue
        names = [o[0] for o in p.officers[:2]]
        if p.kind == "sp":
            a, b = sched.slot(rng, names, p.d["decision"], (10, 25))
            p.t["simple"] = (*hm(a), *hm(b))
            continue
        a, b = sched.slot(rng, names, p.d["inspection"], (25, 70))
        p.t["inspection"] = (*hm(a), *hm(b))
        if "inquiry" in p.d:
            a, b = sched.slot(rng, names, p.d["inquiry"], (30, 60))
            p.t["inquiry"] = (*hm(a), *hm(b))
    for cid in sorted(second_mis03):
        p = by_id[cid]
        first = by_id[p.variant["MIS-03"].split(":", 1)[1]]
        shared = first.officers[0]
        sh, sm, eh, em = first.t["inspection"]
        a0, b0 = sh * 60 + sm, eh * 60 + em
        a = a0 + max(5, (b0 - a0) // 3)
        b = a + rng.randint(30, 50)
        squad_pool = [o for o in by_id_officers(p) if o[0] != shared[0]]
        pool = [o for o in p.officers if o[0] != shared[0]] + [o for o in squad_pool if o not in p.officers]
        mate = None
        for o in pool:
            if sched.free(o[0], first.d["inspection"], a, b):
                mate = o
                break
        if mate is None:
            mate = pool[0]
        p.officers = [shared, mate]
        sched.book(shared[0], first.d["inspection"], a, b)
        sched.book(mate[0], first.d["inspection"], a, b)
        p.t["inspection"] = (*hm(a), *hm(b))
        if "inquiry" in p.d:
            a2, b2 = sched.slot(rng, [shared[0], mate[0]], p.d["inquiry"], (30, 60))
            p.t["inquiry"] = (*hm(a2), *hm(b2))
    # hearings last, once every case's officers are final: the case investigators attend, so a
    # hearing is a timed record of theirs like an inspection or inquiry
    for p in plans:
        if "hearing" not in p.d:
            continue
        names = [o[0] for o in p.officers[:2]]
        day = p.d["hearing"]
        starts = list(HEARING_STARTS)
        rng.shuffle(starts)
        dur = rng.choice((60, 90, 120))
        for a in starts:
            if all(sched.free(w, day, a, a + dur) for w in names):
                for w in names:
                    sched.book(w, day, a, a + dur)
                break
        else:
            a, b = sched.slot(rng, names, day, (60, 120))
            dur = b - a
        p.t["hearing"] = (*hm(a), *hm(a + dur))

