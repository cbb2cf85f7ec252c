"""Read queries over records for the principal commands (/统计, /明细, /交流).

The commands parse arguments, check permissions and format; the SQL is here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, func, or_
from sqlmodel import Session, col, select

from storage.models import Record, RecordReporter, RecordSchool

# -- /统计 ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityStats:
    by_kind: dict[str | None, dict[str | None, int]]  # kind -> mode -> count
    per_school: dict[str, dict[str | None, int]]  # school -> kind -> count
    sync_lessons: dict[str, dict[str | None, int]]  # school -> subject -> sync-class lessons


def _done_activities(alliance_id: int, start: dt.date, end: dt.date) -> tuple[Any, ...]:
    return (
        Record.alliance_id == alliance_id,
        Record.deleted == False,  # noqa: E712
        Record.intent == "activity",
        Record.status == "done",
        col(Record.date) >= start,
        col(Record.date) <= end,
    )


def activity_stats(
    session: Session,
    alliance_id: int,
    start: dt.date,
    end: dt.date,
    schools: list[str],
    school: str | None = None,
) -> ActivityStats:
    """Done activities in [start, end]: counts by kind and mode (of the alliance, or of the
    records involving `school`), by school and kind, and sync-class lessons by subject."""
    base = _done_activities(alliance_id, start, end)
    q = select(Record.kind, Record.mode, func.count(func.distinct(Record.id))).where(*base)
    if school:
        q = q.join(RecordSchool, col(RecordSchool.record_id) == col(Record.id)).where(
            RecordSchool.school_name == school
        )
    by_kind: dict[str | None, dict[str | None, int]] = defaultdict(dict)
    for kind, mode, n in session.exec(q.group_by(col(Record.kind), col(Record.mode))).all():
        by_kind[kind][mode] = n

    q2 = (
        select(RecordSchool.school_name, Record.kind, func.count(func.distinct(Record.id)))
        .join(RecordSchool, col(RecordSchool.record_id) == col(Record.id))
        .where(*base, col(RecordSchool.school_name).in_(schools))
        .group_by(col(RecordSchool.school_name), col(Record.kind))
    )
    per_school: dict[str, dict[str | None, int]] = defaultdict(dict)
    for name, kind, n in session.exec(q2).all():
        per_school[name][kind] = n

    q3 = (
        select(
            RecordSchool.school_name,
            Record.subject,
            func.coalesce(func.sum(Record.lessons), 0),
            func.count(func.distinct(Record.id)),
        )
        .join(RecordSchool, col(RecordSchool.record_id) == col(Record.id))
        .where(*base, col(Record.kind) == "sync_class", col(RecordSchool.school_name).in_(schools))
        .group_by(col(RecordSchool.school_name), col(Record.subject))
    )
    sync: dict[str, dict[str | None, int]] = defaultdict(dict)
    for name, subject, lessons, _n in session.exec(q3).all():
        sync[name][subject] = int(lessons or 0)
    return ActivityStats(by_kind, per_school, sync)


# -- /明细 ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordFilter:
    """Which records of an alliance a listing shows."""

    alliance_id: int
    intent: str | None = None  # activity | exchange
    code: str | None = None  # the activity kind or exchange kind within the intent
    start: dt.date | None = None
    end: dt.date | None = None
    school: str | None = None  # records involving this school
    reporter_id: int | None = None  # ...or (with `or_school`) reported by this person
    or_school: str | None = None

    def conditions(self) -> list[Any]:
        conds: list[Any] = [Record.alliance_id == self.alliance_id, Record.deleted == False]  # noqa: E712
        if self.intent is not None:
            conds.append(Record.intent == self.intent)
            if self.code is not None:
                conds.append(
                    Record.kind == self.code
                    if self.intent == "activity"
                    else Record.exchange_kind == self.code
                )
        if self.start is not None:
            conds.append(col(Record.date) >= self.start)
        if self.end is not None:
            conds.append(col(Record.date) <= self.end)
        if self.school is not None:
            conds.append(_involves(self.school))
        elif self.reporter_id is not None:
            mine = exists().where(
                col(RecordReporter.record_id) == col(Record.id),
                col(RecordReporter.person_id) == self.reporter_id,
            )
            conds.append(or_(_involves(self.or_school), mine) if self.or_school else mine)
        return conds


def _involves(name: str) -> Any:
    return exists().where(
        col(RecordSchool.record_id) == col(Record.id), col(RecordSchool.school_name) == name
    )


def count_records(session: Session, flt: RecordFilter) -> int:
    return session.exec(select(func.count(col(Record.id))).where(*flt.conditions())).one()


def records_page(session: Session, flt: RecordFilter, page: int, size: int) -> list[Record]:
    """Newest first (undated last), `size` per page, pages from 1."""
    return list(
        session.exec(
            select(Record)
            .where(*flt.conditions())
            .order_by(col(Record.date).desc().nulls_last(), col(Record.id).desc())
            .offset((page - 1) * size)
            .limit(size)
        ).all()
    )


def reporters_by_record(session: Session, ids: list[int]) -> dict[int, list[str]]:
    """Reporter names of each record, first reporter first, without repeats."""
    out: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return out
    for rid, name in session.exec(
        select(RecordReporter.record_id, RecordReporter.reporter_name)
        .where(col(RecordReporter.record_id).in_(ids))
        .order_by(col(RecordReporter.id))
    ).all():
        if name and name not in out[rid]:
            out[rid].append(name)
    return out


# -- /交流 ------------------------------------------------------------------------------


def current_exchanges(session: Session, alliance_id: int, today: dt.date) -> list[Record]:
    """Exchanges that have started and not ended (open-ended ones count as current)."""
    return list(
        session.exec(
            select(Record)
            .where(
                Record.alliance_id == alliance_id,
                Record.deleted == False,  # noqa: E712
                col(Record.intent) == "exchange",
                col(Record.date).is_not(None),
                col(Record.date) <= today,
                or_(col(Record.end_date).is_(None), col(Record.end_date) >= today),
            )
            .order_by(col(Record.date), col(Record.id))
        ).all()
    )


def receiving_schools(session: Session, alliance_id: int, start: dt.date, end: dt.date) -> set[str]:
    """Schools that received an exchange teacher at some time in [start, end]."""
    rows = session.exec(
        select(Record.to_school)
        .where(
            Record.alliance_id == alliance_id,
            Record.deleted == False,  # noqa: E712
            col(Record.intent) == "exchange",
            col(Record.status) == "done",
            col(Record.date).is_not(None),
            col(Record.date) <= end,
            func.coalesce(col(Record.end_date), col(Record.date)) >= start,
            col(Record.to_school).is_not(None),
        )
        .group_by(Record.to_school)
    ).all()
    return {s for s in rows if s is not None}  # all of them: the query leaves out NULL


# -- the dashboard ------------------------------------------------------------------------


def activities_by_day_kind(
    session: Session, alliance_id: int, start: dt.date, end: dt.date, school: str | None = None
) -> list[tuple[dt.date, str | None, int]]:
    """(day, kind, done activities) in [start, end]; the dashboard sums them by month
    (grouping by day keeps the SQL the same on SQLite and PostgreSQL)."""
    q = select(col(Record.date), col(Record.kind), func.count(func.distinct(Record.id))).where(
        *_done_activities(alliance_id, start, end)
    )
    if school:
        q = q.join(RecordSchool, col(RecordSchool.record_id) == col(Record.id)).where(
            RecordSchool.school_name == school
        )
    # Every day is set: the date range leaves out NULL.
    return [
        (d, k, int(n))
        for d, k, n in session.exec(q.group_by(col(Record.date), col(Record.kind))).all()
        if d is not None
    ]
