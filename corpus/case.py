"""The plan of one case while the month is planned: its party, dates, officers, fines and features.

``Plan`` is filled step by step by ``corpus.plan`` (kinds, defects, parties, fines), ``corpus.timeline``
(dates) and ``corpus.schedule`` (officers' time slots); the document families read it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from corpus.vtypes import VType


@dataclass
class Party:
    kind: str          # person | shop | company
    truth_kind: str    # individual | organisation
    name: str
    id_printed: str
    address: str
    rep: str | None    # 经营者 / 法定代表人
    rep_id: str | None
    gender: str
    phone: str


@dataclass
class Plan:
    idx: int
    case_id: str
    kind: str
    squad: tuple[str, str, tuple[str, ...]]
    container: str
    clean: bool
    party: Party | None = None
    vt: VType | None = None
    defects: list[str] = field(default_factory=list)
    variant: dict[str, str] = field(default_factory=dict)
    needs: set[str] = field(default_factory=set)
    areas: set[str] = field(default_factory=set)
    related: dict[str, list[str]] = field(default_factory=dict)
    place: str = ""
    source_kind: str = "巡查"
    complaints: int = 0
    d: dict[str, dt.date] = field(default_factory=dict)
    t: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)  # start h,m end h,m
    officers: list[tuple[str, str | None]] = field(default_factory=list)
    fine: int | None = None
    proposed: int | None = None
    kinds_: list[str] = field(default_factory=list)
    hl: bool = False
    hearing_mode: str | None = None   # waiver | wait | held (hearing-level cases)
    has_defence: bool = False
    has_preservation: bool = False
    has_coercive: bool = False
    has_correction: bool = False
    has_extension: bool = False
    has_legal: bool = False
    has_discussion: bool = False
    service_method: str = "直接送达"
    on_spot_collect: bool = False
    nums: dict[str, str] = field(default_factory=dict)
    qa: list[tuple[str, str]] = field(default_factory=list)
    insp_body: str = ""
    insp_marks: dict[str, str] = field(default_factory=dict)   # printed places of the body
    alt_name: str | None = None
