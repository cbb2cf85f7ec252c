"""The push outbox: rows that the process holding a platform's connection sends.

`claim` marks a row taken by one process (an UPDATE that only one process can win), so
two `serve` processes never send the same announcement; a claim older than `stale_s`
(its process died mid-send) can be taken again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from storage.models import OutboxMessage


def enqueue(
    s: Session,
    *,
    platform: str,
    chat_id: str,
    text: str,
    chat_type: str = "group",
    markdown: str | None = None,
    push_key: str | None = None,
    alliance_id: int | None = None,
    source: str = "notify",
    now: datetime,
) -> int:
    row = OutboxMessage(
        platform=platform,
        chat_id=chat_id,
        chat_type=chat_type,
        text=text,
        markdown=markdown,
        push_key=push_key,
        alliance_id=alliance_id,
        source=source,
        created_at=now,
    )
    s.add(row)
    s.flush()
    assert row.id is not None
    return row.id


def pending(
    s: Session, platforms: list[str], now: datetime, stale_s: float = 300, limit: int = 50
) -> list[OutboxMessage]:
    stale = now - timedelta(seconds=stale_s)
    return list(
        s.exec(
            select(OutboxMessage)
            .where(
                col(OutboxMessage.sent_at).is_(None),
                col(OutboxMessage.failed).is_(False),
                col(OutboxMessage.platform).in_(platforms),
                or_(col(OutboxMessage.claimed_at).is_(None), col(OutboxMessage.claimed_at) < stale),
            )
            .order_by(col(OutboxMessage.id))
            .limit(limit)
        ).all()
    )


def claim(s: Session, row_id: int, owner: str, now: datetime, stale_s: float = 300) -> bool:
    stale = now - timedelta(seconds=stale_s)
    done = s.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.id) == row_id,
            col(OutboxMessage.sent_at).is_(None),
            or_(col(OutboxMessage.claimed_at).is_(None), col(OutboxMessage.claimed_at) < stale),
        )
        .values(claimed_by=owner, claimed_at=now, attempts=OutboxMessage.attempts + 1)
    )
    s.commit()
    return done.rowcount == 1


def finish(
    s: Session, row_id: int, *, ok: bool, error: str | None, now: datetime, give_up: bool
) -> None:
    values: dict = {"error": (error or "")[:500] or None}
    if ok:
        values["sent_at"] = now
    else:
        values["claimed_by"] = None
        values["claimed_at"] = None
        values["failed"] = give_up
    s.exec(update(OutboxMessage).where(col(OutboxMessage.id) == row_id).values(**values))
    s.commit()
