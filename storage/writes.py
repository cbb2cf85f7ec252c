"""The writes every delivery makes, as statements built once.

Building `insert(Model).values(...)` per call sends it through the ORM's bulk path and
re-coerces every value: that cost more than the SQL. These statements are built once on
the tables and take their values as parameters, so SQLAlchemy's compiled cache serves them.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, insert, update

from storage.models import AuditLog, InboundMessage, Record, RecordReporter, RecordSchool

_inbound = InboundMessage.__table__  # type: ignore[attr-defined]  # SQLModel does not declare __table__
_record = Record.__table__  # type: ignore[attr-defined]  # SQLModel does not declare __table__

INSERT_INBOUND = insert(_inbound).returning(_inbound.c.id)
FINISH_INBOUND = (update(_inbound).where(_inbound.c.id == bindparam("inbound_id"))
                  .values(outcome=bindparam("outcome"), record_id=bindparam("record_id"),
                          reply_text=bindparam("reply_text"),
                          reply_markdown=bindparam("reply_markdown")))
CLAIM_REPLY = (update(_inbound).where(_inbound.c.platform == bindparam("p"),
                                      _inbound.c.bot_id == bindparam("b"),
                                      _inbound.c.message_id == bindparam("m"),
                                      _inbound.c.reply_claimed_at.is_(None))
               .values(reply_claimed_at=bindparam("now")))
INSERT_RECORD = insert(_record).returning(_record.c.id)
INSERT_RECORD_SCHOOL = insert(RecordSchool.__table__)  # type: ignore[attr-defined]  # SQLModel does not declare __table__
INSERT_REPORTER = insert(RecordReporter.__table__)  # type: ignore[attr-defined]  # SQLModel does not declare __table__
INSERT_AUDIT = insert(AuditLog.__table__)  # type: ignore[attr-defined]  # SQLModel does not declare __table__


def insert_inbound(conn: Connection, values: dict[str, Any]) -> int:
    return conn.execute(INSERT_INBOUND, values).scalar_one()


def finish_inbound(conn: Connection, inbound_id: int, outcome: str, record_id: int | None,
                   reply_text: str | None, reply_markdown: str | None) -> None:
    conn.execute(FINISH_INBOUND, {"inbound_id": inbound_id, "outcome": outcome,
                                  "record_id": record_id, "reply_text": reply_text,
                                  "reply_markdown": reply_markdown})


def claim_reply(conn: Connection, platform: str, bot_id: str, message_id: str, now: Any) -> bool:
    """Mark the reply to a stored message as taken; True for the one caller that did."""
    done = conn.execute(CLAIM_REPLY, {"p": platform, "b": bot_id, "m": message_id, "now": now})
    return done.rowcount == 1


def insert_record(conn: Connection, values: dict[str, Any], schools: list[dict[str, Any]],
                  reporter: dict[str, Any], audit: dict[str, Any]) -> int:
    """A new record with its school links, its reporter and its audit line."""
    rid = conn.execute(INSERT_RECORD, values).scalar_one()
    if schools:
        conn.execute(INSERT_RECORD_SCHOOL, [{**s, "record_id": rid} for s in schools])
    conn.execute(INSERT_REPORTER, {**reporter, "record_id": rid})
    conn.execute(INSERT_AUDIT, {"field": None, "old_value": None, "new_value": None, **audit,
                                "record_id": rid})
    return rid
