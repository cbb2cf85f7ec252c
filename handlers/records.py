"""Turning parsed reports into stored records: create, join a duplicate, edit, undo, complete.

One activity is counted once: when a second person reports the same event (same kind,
same day, overlapping schools, same alliance), the report joins the first record: both
reporters are kept and missing fields are filled. Every change writes the audit log.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass
from typing import Any

from cachetools import TTLCache
from sqlmodel import Session, col, select

from storage.models import AuditLog, Record, RecordReporter, RecordSchool, School
from storage.types import utcnow
from storage.writes import (
    CANDIDATES,
    PENDING,
    candidate_key,
    duplicate_candidates,
    flush_pending,
    insert_record,
)

SCALAR_FIELDS = (
    "kind",
    "exchange_kind",
    "status",
    "date",
    "end_date",
    "from_school",
    "to_school",
    "subject",
    "title",
    "participants",
    "mode",
    "lessons",
)
LIST_FIELDS = ("schools", "teachers")


@dataclass(frozen=True)
class SaveResult:
    record: Record
    merged: bool  # True: the report joined an existing record
    filled: tuple[str, ...] = ()  # fields the joining report filled in
    completed: bool = False  # a planned record turned done by this report


def _jsonable(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return json.dumps(list(v), ensure_ascii=False)
    return str(v)


def _as_date(v: Any) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


def report_values(parsed: Any) -> dict[str, Any]:
    """The storable fields of a parsed report (a ParsedReport or its dict)."""
    d = parsed.to_dict() if hasattr(parsed, "to_dict") else dict(parsed)
    out = {f: d.get(f) for f in (*SCALAR_FIELDS, *LIST_FIELDS)}
    out["intent"] = d.get("intent")
    out["date"] = _as_date(out["date"])
    out["end_date"] = _as_date(out["end_date"])
    out["schools"] = list(out["schools"] or [])
    out["teachers"] = list(out["teachers"] or [])
    missing = list(d.get("missing") or [])
    # Sync-class quotas count lessons and subjects: ask for them when a report lacks them.
    if out["intent"] == "activity" and out["kind"] == "sync_class":
        missing += [f for f in ("lessons", "subject") if out[f] is None and f not in missing]
    out["missing"] = missing
    return out


def sync_school_links(session: Session, record: Record) -> None:
    """Make the record's school links match its `schools` (after a merge or an edit)."""
    existing = {
        rs.school_name: rs
        for rs in session.exec(
            select(RecordSchool).where(RecordSchool.record_id == record.id)
        ).all()
    }
    wanted = set(record.schools or [])
    ids = school_ids(session) if wanted - set(existing) else {}
    for name in wanted - set(existing):
        session.add(RecordSchool(record_id=record.id, school_name=name, school_id=ids.get(name)))
    for name in set(existing) - wanted:
        session.delete(existing[name])


def audit(
    session: Session,
    record_id: int | None,
    action: str,
    *,
    actor: int | None = None,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
    message_id: int | None = None,
) -> None:
    session.add(
        AuditLog(
            record_id=record_id,
            actor_person_id=actor,
            action=action,
            field=field,
            old_value=_jsonable(old),
            new_value=_jsonable(new),
            message_id=message_id,
        )
    )


def _compatible(a: Any, b: Any) -> bool:
    return a is None or b is None or a == b


def same_event(values: dict[str, Any], rec: Any) -> bool:
    """Whether a new report describes the existing record's event.

    Two reports of one event name the same schools, or one names a subset of the other's
    (the core teacher names both schools, the member school's principal may name only the
    visitor). Two trips by one core school on one day to two different members are two
    events, so sharing a school is not enough. Stated details must not contradict:
    destination, subject, title, and the teachers (when both name some, they overlap).
    """
    mine, theirs = set(values["schools"]), set(rec.schools or [])
    if not mine or not theirs or not (mine <= theirs or theirs <= mine):
        return False
    for f in ("to_school", "from_school", "subject", "title"):
        if not _compatible(values.get(f), getattr(rec, f)):
            return False
    t1, t2 = set(values["teachers"]), set(rec.teachers or [])
    return not (t1 and t2 and not t1 & t2)


_SCHOOL_IDS: TTLCache = TTLCache(maxsize=64, ttl=30.0)  # database URL → {name: id}
_SCHOOL_IDS_LOCK = threading.Lock()


def school_ids(session: Session) -> dict[str, int]:
    """Canonical school name → id for this database, re-read at most every 30 s (schools
    are only added, by roster import; one not known yet is stored by name with no id)."""
    key = session.get_bind().engine.url.render_as_string(hide_password=True)
    with _SCHOOL_IDS_LOCK:
        ids = _SCHOOL_IDS.get(key)
    if ids is None:
        ids = {n: i for i, n in session.exec(select(School.id, School.name)).all()}
        with _SCHOOL_IDS_LOCK:
            _SCHOOL_IDS[key] = ids
    return ids


def find_duplicate(
    session: Session,
    values: dict[str, Any],
    alliance_id: int | None,
    exclude_ids: frozenset[int] = frozenset(),
) -> Record | None:
    """An existing record of the same event: same intent, kind, day and alliance (see same_event).

    A report of no alliance joins only records of no alliance. `exclude_ids` are records
    the same message already made or joined: the items of one list are separate events.
    The candidates are read as plain rows (the few columns the test needs); only a match
    is loaded as a full record."""
    if values["date"] is None or not values["schools"]:
        return None
    # A batch of the group-commit writer may have read its candidates at once, and queue
    # its new records (bot.pipeline, storage.writes): the table is read only after they
    # are written.
    prefetched = session.info.get(CANDIDATES)
    key = candidate_key(
        values["intent"], values["kind"], values["exchange_kind"], values["date"], alliance_id
    )
    if not prefetched or key not in prefetched:
        flush_pending(session)
    rows = duplicate_candidates(
        session.connection(),
        values["intent"],
        values["kind"],
        values["exchange_kind"],
        values["date"],
        alliance_id,
        prefetched,
    )
    for row in rows:
        if row.id not in exclude_ids and same_event(values, row):
            if prefetched:  # the record changes now: its key is read from the table again
                prefetched.pop(key, None)
            flush_pending(session)
            return session.get(Record, row.id)
    return None


def save_report(
    session: Session,
    parsed: Any,
    *,
    alliance_id: int | None,
    person_id: int | None,
    reporter_name: str | None,
    message_id: int | None,
    source_text: str,
    chat_platform: str | None = None,
    chat_id: str | None = None,
    exclude_ids: frozenset[int] = frozenset(),
) -> SaveResult:
    values = report_values(parsed)
    dup = find_duplicate(session, values, alliance_id, exclude_ids)
    if dup is None:
        # A new record: plain INSERTs (one per table, schools in one statement). This runs for
        # most reports, and the ORM's unit of work cost more than the SQL itself.
        now = utcnow()
        row = dict(
            alliance_id=alliance_id,
            source_message_id=message_id,
            source_text=source_text,
            chat_platform=chat_platform,
            chat_id=chat_id,
            deleted=False,
            created_at=now,
            updated_at=now,
            **values,
        )
        ids = school_ids(session) if values["schools"] else {}
        rid = insert_record(
            session.connection(),
            row,
            [{"school_name": n, "school_id": ids.get(n)} for n in dict.fromkeys(values["schools"])],
            {
                "person_id": person_id,
                "reporter_name": reporter_name,
                "message_id": message_id,
                "created_at": now,
            },
            {"actor_person_id": person_id, "action": "create", "message_id": message_id, "at": now},
            session.info.get(CANDIDATES),
            session.info.get(PENDING),
        )
        # The reply only reads the new record: a plain snapshot of the row, not an ORM
        # instance (building and attaching one cost more than its INSERTs). Code that changes
        # the record loads it with `session.get`, which sees the row in this transaction.
        rec = Record.model_construct(id=rid, **row)
        return SaveResult(rec, merged=False)

    filled: list[str] = []
    completed = False
    for f in SCALAR_FIELDS:
        new = values.get(f)
        if f == "status":
            if dup.status == "planned" and new == "done":
                audit(
                    session,
                    dup.id,
                    "complete",
                    actor=person_id,
                    field="status",
                    old=dup.status,
                    new=new,
                    message_id=message_id,
                )
                dup.status = "done"
                completed = True
            continue
        if getattr(dup, f) is None and new is not None:
            setattr(dup, f, new)
            filled.append(f)
            audit(
                session,
                dup.id,
                "merge",
                actor=person_id,
                field=f,
                old=None,
                new=new,
                message_id=message_id,
            )
    for f in LIST_FIELDS:
        old = list(getattr(dup, f) or [])
        extra = [x for x in values[f] if x not in old]
        if extra:
            setattr(dup, f, old + extra)
            filled.append(f)
            audit(
                session,
                dup.id,
                "merge",
                actor=person_id,
                field=f,
                old=old,
                new=old + extra,
                message_id=message_id,
            )
    dup.missing = [m for m in (dup.missing or []) if getattr(dup, m, None) in (None, [])]
    dup.updated_at = utcnow()
    session.add(dup)
    session.flush()
    sync_school_links(session, dup)
    # One reporter row per person: someone re-sending their report adds nobody.
    same = (
        RecordReporter.person_id == person_id
        if person_id is not None
        else RecordReporter.message_id == message_id
    )
    already = session.exec(
        select(RecordReporter.id).where(RecordReporter.record_id == dup.id, same)
    ).first()
    if already is None:
        session.add(
            RecordReporter(
                record_id=dup.id,
                person_id=person_id,
                reporter_name=reporter_name,
                message_id=message_id,
            )
        )
    return SaveResult(dup, merged=True, filled=tuple(filled), completed=completed)


def reporters_of(session: Session, record_id: int) -> list[RecordReporter]:
    return list(
        session.exec(
            select(RecordReporter)
            .where(RecordReporter.record_id == record_id)
            .order_by(col(RecordReporter.id))
        ).all()
    )


def set_field(
    session: Session,
    rec: Record,
    field: str,
    value: Any,
    *,
    actor: int | None,
    message_id: int | None,
) -> None:
    old = getattr(rec, field)
    setattr(rec, field, value)
    rec.missing = [m for m in (rec.missing or []) if m != field]
    rec.updated_at = utcnow()
    session.add(rec)
    session.flush()
    if field == "schools":
        sync_school_links(session, rec)
    audit(
        session,
        rec.id,
        "update",
        actor=actor,
        field=field,
        old=old,
        new=value,
        message_id=message_id,
    )


def undo(session: Session, rec: Record, *, actor: int | None, message_id: int | None) -> None:
    rec.deleted = True
    rec.updated_at = utcnow()
    session.add(rec)
    audit(session, rec.id, "undo", actor=actor, message_id=message_id)
