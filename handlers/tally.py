"""Counts of done activities for one alliance and period: by kind, by school, by subject.

One source for the numbers the 台账's 汇总 sheet, the /总结 draft, /总览 and /统计 全县
print, counted exactly like /统计 (done, not deleted, dated within the period, each record
once however many schools it involves).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from handlers.periods import Period
from handlers.vocab import KIND_CN
from storage.models import Record, RecordSchool


@dataclass
class KindTally:
    kind: str
    count: int = 0
    online: int = 0
    offline: int = 0
    unstated: int = 0
    lessons: int = 0
    participants: int = 0

    @property
    def label(self) -> str:
        return KIND_CN.get(self.kind, self.kind)


@dataclass
class Tally:
    period: Period
    by_kind: dict[str, KindTally] = field(default_factory=dict)
    # school -> kind -> distinct records involving the school
    by_school: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    # school -> subject (or None) -> sync-class lessons
    sync_lessons: dict[str, dict[str | None, int]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    # subject -> lessons over all lesson-giving kinds (sync class, delivery, demo lesson)
    subjects: dict[str, int] = field(default_factory=dict)
    planned: int = 0

    @property
    def total(self) -> int:
        return sum(k.count for k in self.by_kind.values())

    def kinds(self) -> list[KindTally]:
        """Kinds with records, in the vocabulary's order."""
        order = list(KIND_CN)
        return sorted(
            self.by_kind.values(),
            key=lambda k: order.index(k.kind) if k.kind in order else len(order),
        )

    def school_total(self, school: str) -> int:
        return sum(self.by_school.get(school, {}).values())


def done_conditions(alliance_id: int, period: Period) -> tuple:
    return (
        col(Record.alliance_id) == alliance_id,
        col(Record.deleted) == False,  # noqa: E712
        col(Record.intent) == "activity",
        col(Record.status) == "done",
        col(Record.date) >= period.start,
        col(Record.date) <= period.end,
    )


def tally(session: Any, alliance_id: int, period: Period, schools: list[str]) -> Tally:
    """Four GROUP BY queries over the record(alliance_id, date) index."""
    base = done_conditions(alliance_id, period)
    t = Tally(period)
    # sqlmodel's select() overloads stop at four columns; at run time it takes any number.
    q = (
        select(
            col(Record.kind),
            col(Record.mode),  # type: ignore[call-overload]
            func.count(func.distinct(col(Record.id))),
            func.coalesce(func.sum(col(Record.lessons)), 0),
            func.coalesce(func.sum(col(Record.participants)), 0),
        )
        .where(*base)
        .group_by(col(Record.kind), col(Record.mode))
    )
    for kind, mode, n, lessons, people in session.exec(q).all():
        k = t.by_kind.setdefault(kind or "", KindTally(kind or ""))
        k.count += n
        k.lessons += int(lessons or 0)
        k.participants += int(people or 0)
        if mode == "online":
            k.online += n
        elif mode == "offline":
            k.offline += n
        else:
            k.unstated += n
    if schools:
        q2 = (
            select(
                col(RecordSchool.school_name),
                col(Record.kind),
                func.count(func.distinct(col(Record.id))),
            )
            .join(RecordSchool, col(RecordSchool.record_id) == col(Record.id))
            .where(*base, col(RecordSchool.school_name).in_(schools))
            .group_by(col(RecordSchool.school_name), col(Record.kind))
        )
        for name, kind, n in session.exec(q2).all():
            t.by_school[name][kind or ""] = n
        q3 = (
            select(
                col(RecordSchool.school_name),
                col(Record.subject),
                func.coalesce(func.sum(col(Record.lessons)), 0),
            )
            .join(RecordSchool, col(RecordSchool.record_id) == col(Record.id))
            .where(
                *base, col(Record.kind) == "sync_class", col(RecordSchool.school_name).in_(schools)
            )
            .group_by(col(RecordSchool.school_name), col(Record.subject))
        )
        for name, subject, lessons in session.exec(q3).all():
            t.sync_lessons[name][subject] = int(lessons or 0)
    q4 = (
        select(col(Record.subject), func.coalesce(func.sum(col(Record.lessons)), 0))
        .where(
            *base,
            col(Record.subject).is_not(None),
            col(Record.kind).in_(("sync_class", "lesson_delivery", "demo_lesson")),
        )
        .group_by(col(Record.subject))
    )
    t.subjects = {s: int(n or 0) for s, n in session.exec(q4).all() if s}
    planned_conds = (
        col(Record.alliance_id) == alliance_id,
        col(Record.deleted) == False,  # noqa: E712
        col(Record.intent) == "activity",
        col(Record.status) == "planned",
        col(Record.date) >= period.start,
        col(Record.date) <= period.end,
    )
    t.planned = int(session.exec(select(func.count(col(Record.id))).where(*planned_conds)).one())
    return t


def exchanges_in(session: Any, alliance_id: int, period: Period) -> list[Any]:
    """Exchange records overlapping the period (done or planned), oldest first."""
    return list(
        session.exec(
            select(Record)
            .where(
                col(Record.alliance_id) == alliance_id,
                col(Record.deleted) == False,  # noqa: E712
                col(Record.intent) == "exchange",
                col(Record.date).is_not(None),
                col(Record.date) <= period.end,
                func.coalesce(col(Record.end_date), col(Record.date)) >= period.start,
            )
            .order_by(col(Record.date), col(Record.id))
        ).all()
    )


def records_in(session: Any, alliance_id: int, period: Period) -> int:
    """All live activity and exchange records dated in the period (done or planned)."""
    return int(
        session.exec(
            select(func.count(col(Record.id))).where(
                col(Record.alliance_id) == alliance_id,
                col(Record.deleted) == False,  # noqa: E712
                col(Record.date) >= period.start,
                col(Record.date) <= period.end,
            )
        ).one()
    )


def representative(session: Any, alliance_id: int, period: Period, limit: int = 5) -> list[Any]:
    """A few done activities worth naming in a report: one per kind first (the richest record
    of the kind: a title, participants, lessons), then the richest of the rest."""
    rows = list(
        session.exec(
            select(Record)
            .where(*done_conditions(alliance_id, period))
            .order_by(col(Record.date), col(Record.id))
        ).all()
    )

    def richness(r: Any) -> tuple:
        return (
            bool(r.title),
            r.participants or 0,
            r.lessons or 0,
            len(r.schools or []),
            -(r.date or dt.date.max).toordinal(),
        )

    best: dict[str, Any] = {}
    for r in rows:
        k = r.kind or ""
        if k not in best or richness(r) > richness(best[k]):
            best[k] = r
    chosen = sorted(best.values(), key=richness, reverse=True)[:limit]
    if len(chosen) < limit:
        rest = sorted((r for r in rows if r not in chosen), key=richness, reverse=True)
        chosen += rest[: limit - len(chosen)]
    return sorted(chosen, key=lambda r: (r.date, r.id))
