"""Database state → reminder rows: every kind's wanted reminders are inserted or refreshed
(idempotent by `dedup_key`, so several workers may sync at once) and scheduled rows nobody
wants any more are cancelled."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from scheduler.kinds import KINDS, Changes, KindEnv
from scheduler.kinds.base import Batch, Want, aware
from storage.models import Reminder, ReminderDelivery
from storage.types import utcnow


def sync(env: KindEnv, s: Session, now: dt.datetime, changes: Changes | None = None) -> None:
    """All kinds (changes None) or only what `changes` concern."""
    for kind in KINDS:
        for batch in kind.batches(env, s, now, changes):
            apply(s, now, batch)


def apply(s: Session, now: dt.datetime, batch: Batch) -> None:
    """Insert/refresh wanted rows; cancel scheduled rows in the batch's scope nobody wants."""
    wants = batch.wants
    keys = {w.dedup_key for w in wants}
    existing = (
        {
            r.dedup_key: r
            for r in s.exec(select(Reminder).where(col(Reminder.dedup_key).in_(keys))).all()
        }
        if keys
        else {}
    )
    for w in wants:
        r = existing.get(w.dedup_key)
        if r is None:
            if w.fire_at <= now:
                continue  # only future reminders are created
            _insert(s, w)
        elif r.status in ("scheduled", "cancelled") and not _has_delivery(s, r.id):
            changed = (r.status, aware(r.fire_at), r.platform, r.chat_id, r.text) != (
                "scheduled",
                w.fire_at,
                w.platform,
                w.chat_id,
                w.text,
            )
            if r.status == "cancelled" and w.fire_at <= now:
                continue
            if changed:
                r.status, r.fire_at, r.platform, r.chat_id, r.text = (
                    "scheduled",
                    w.fire_at,
                    w.platform,
                    w.chat_id,
                    w.text,
                )
                r.payload = dict(w.payload or {})
                r.updated_at = utcnow()
                s.add(r)
    stale = s.exec(select(Reminder).where(Reminder.status == "scheduled", batch.scope)).all()
    for r in stale:
        if r.dedup_key not in keys:
            r.status, r.updated_at = "cancelled", utcnow()
            s.add(r)
    s.flush()


def _insert(s: Session, w: Want) -> None:
    values = dict(
        dedup_key=w.dedup_key,
        kind=w.kind,
        alliance_id=w.alliance_id,
        record_id=w.record_id,
        meeting_rule_id=w.meeting_rule_id,
        occurs_on=w.occurs_on,
        fire_at=w.fire_at,
        platform=w.platform,
        chat_id=w.chat_id,
        text=w.text,
        payload=dict(w.payload or {}),
        status="scheduled",
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    dialect = s.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]  # same on_conflict_do_nothing API
    # Another worker may insert the same reminder at the same moment: first one wins.
    s.execute(
        insert(Reminder).values(**values).on_conflict_do_nothing(index_elements=["dedup_key"])
    )


def _has_delivery(s: Session, reminder_id: int) -> bool:
    return (
        s.exec(
            select(ReminderDelivery.id).where(ReminderDelivery.reminder_id == reminder_id)
        ).first()
        is not None
    )
