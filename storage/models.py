"""SQLModel tables.

Report records keep every field of shared/spec/report-schema.md. Activities and
exchanges share one table (`record`, told apart by `intent`) so that a record id is one
number for `/撤销 ID` and `/修改 ID`. Schools and teachers are kept as JSON lists for
display, and `record_school` links each record to the schools it involves for counting.

Primary keys are typed `int`, not `int | None`: every row the code reads or links to has
been flushed; only a row under construction, before `session.flush()`, holds None.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


def _ts(**kw: Any) -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, **kw)


class Alliance(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    mode: str  # 融合型 | 共建型 | 协作型
    core_school_id: int | None = Field(default=None, foreign_key="school.id")
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class School(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class AllianceMember(SQLModel, table=True):
    __tablename__ = "alliance_member"
    __table_args__ = (UniqueConstraint("alliance_id", "school_id"),)
    id: int = Field(default=None, primary_key=True)
    alliance_id: int = Field(foreign_key="alliance.id", index=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    is_core: bool = False


class Person(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    role: str = "teacher"  # teacher | principal | admin
    # Platform accounts are `Identity` rows (roster ids and `/绑定`), never columns here.
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class Identity(SQLModel, table=True):
    """A platform account bound to a person (roster ids, or `/绑定 姓名`): the only place
    a person's user ids live, so a new platform needs no migration."""

    __table_args__ = (UniqueConstraint("platform", "user_id"),)
    id: int = Field(default=None, primary_key=True)
    platform: str  # wecom | onebot | qq
    user_id: str
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    claimed_name: str | None = None  # what `/绑定 姓名` asked for, until confirmed
    display_name: str | None = None  # the platform nickname when the claim was made (0005)
    confirmed: bool = False
    source: str = "roster"  # roster | bind
    created_at: datetime = _ts()
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    confirmed_by: int | None = Field(default=None, foreign_key="person.id")


class ChatGroup(SQLModel, table=True):
    __tablename__ = "chat_group"
    __table_args__ = (UniqueConstraint("platform", "chat_id"),)
    id: int = Field(default=None, primary_key=True)
    platform: str
    chat_id: str
    alliance_id: int = Field(foreign_key="alliance.id", index=True)
    webhook_key: str | None = None  # WeCom group-robot push key
    purpose: str = "alliance"  # alliance | principals
    auto_reports: bool = True
    source: str = "roster"  # roster | bind
    created_at: datetime = _ts()


class InboundMessage(SQLModel, table=True):
    """Every delivery, stored before it is handled: the idempotency key of the pipeline."""

    __tablename__ = "inbound_message"
    # 0005: the key names the receiving bot (two bots may reuse a message id).
    __table_args__ = (
        UniqueConstraint("platform", "bot_id", "message_id", name="uq_inbound_message_bot_key"),
    )
    id: int = Field(default=None, primary_key=True)
    platform: str
    message_id: str
    route: str
    chat_type: str = "group"
    chat_id: str
    sender_id: str
    person_id: int | None = Field(default=None, foreign_key="person.id")
    raw_text: str = Field(sa_column=Column(Text, nullable=False))
    sent_at: datetime = Field(sa_type=UTCDateTime)
    received_at: datetime = _ts()
    # received | recorded | merged | command | chat | pending_bind | error | ignored
    outcome: str = "received"
    record_id: int | None = Field(default=None, index=True)  # no FK: record points back here
    reply_text: str | None = Field(default=None, sa_column=Column(Text))
    reply_markdown: str | None = Field(default=None, sa_column=Column(Text))
    error: str | None = None
    bot_id: str = Field(default="", sa_column_kwargs={"server_default": ""})
    cleaned: str | None = None  # what was repaired before storing ("NUL, lone surrogate")
    reply_claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Record(SQLModel, table=True):
    """An activity or an exchange, with every field of the report schema."""

    __table_args__ = (
        Index("ix_record_alliance_date", "alliance_id", "date"),
        Index("ix_record_alliance_kind_date", "alliance_id", "kind", "date"),
        # 0003: target counts answered from the index alone; exchanges by alliance and date.
        Index(
            "ix_record_targets",
            "alliance_id",
            "kind",
            "date",
            "intent",
            "status",
            "deleted",
            "mode",
            "lessons",
            "subject",
            "id",
        ),
        Index(
            "ix_record_alliance_intent_date",
            "alliance_id",
            "intent",
            "date",
            "status",
            "deleted",
            "kind",
            "mode",
            "id",
        ),
    )
    id: int = Field(default=None, primary_key=True)
    alliance_id: int | None = Field(default=None, foreign_key="alliance.id")
    intent: str  # activity | exchange
    kind: str | None = None
    exchange_kind: str | None = None
    status: str = "done"  # done | planned
    date: dt.date | None = None
    end_date: dt.date | None = None
    schools: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    from_school: str | None = None
    to_school: str | None = None
    teachers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    subject: str | None = None
    title: str | None = None
    participants: int | None = None
    mode: str | None = None
    lessons: int | None = None
    missing: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    source_message_id: int | None = Field(default=None, foreign_key="inbound_message.id")
    source_text: str | None = Field(default=None, sa_column=Column(Text))
    chat_platform: str | None = None
    chat_id: str | None = None
    deleted: bool = Field(default=False, index=True)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class RecordSchool(SQLModel, table=True):
    """Which schools a record involves; the index that counting per school uses."""

    __tablename__ = "record_school"
    __table_args__ = (
        UniqueConstraint("record_id", "school_name"),
        Index("ix_record_school_school", "school_name", "record_id"),
    )
    id: int = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id", index=True)
    school_id: int | None = Field(default=None, foreign_key="school.id")
    school_name: str


class RecordReporter(SQLModel, table=True):
    """Who reported a record: one row per report that made or joined it."""

    __tablename__ = "record_reporter"
    __table_args__ = (UniqueConstraint("record_id", "message_id"),)
    id: int = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    reporter_name: str | None = None
    message_id: int | None = Field(default=None, foreign_key="inbound_message.id")
    created_at: datetime = _ts()


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"
    id: int = Field(default=None, primary_key=True)
    record_id: int | None = Field(default=None, foreign_key="record.id", index=True)
    actor_person_id: int | None = Field(default=None, foreign_key="person.id")
    action: str  # create | update | undo | merge | complete | import | bind
    field: str | None = None
    old_value: str | None = Field(default=None, sa_column=Column(Text))
    new_value: str | None = Field(default=None, sa_column=Column(Text))
    message_id: int | None = Field(default=None, foreign_key="inbound_message.id")
    at: datetime = _ts()


# -- principal commands (assessment imports, one-time export links) -----------------------


class ExternalScore(SQLModel, table=True):
    """A school's score and county rank imported by `alliance-bot scores import`."""

    __tablename__ = "external_score"
    __table_args__ = (UniqueConstraint("school_id", "year"),)
    id: int = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    year: int
    score: float | None = None
    county_rank: int | None = None  # rank among the county's schools (1 = best)
    source: str | None = None
    imported_at: datetime = _ts()


class DownloadLink(SQLModel, table=True):
    """A one-time link to an exported workbook, for platforms that cannot send files."""

    __tablename__ = "download_link"
    id: int = Field(default=None, primary_key=True)
    token: str = Field(unique=True, index=True)
    filename: str
    path: str  # file under the data directory
    alliance_id: int | None = Field(default=None, foreign_key="alliance.id")
    created_by: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = _ts()
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# -- reminders ------------------------------------------------------------------------------


class MeetingRule(SQLModel, table=True):
    """A recurring meeting ("每月最后一个周五 15:00 联盟总结会")."""

    __tablename__ = "meeting_rule"
    id: int = Field(default=None, primary_key=True)
    alliance_id: int = Field(foreign_key="alliance.id", index=True)
    title: str
    rule_text: str  # as the principal wrote it
    rule: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    holiday_policy: str = "previous"  # previous | next | skip
    active: bool = True
    source: str = "command"  # command | config
    created_by: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class Reminder(SQLModel, table=True):
    """One reminder to send at one time: the source of truth the scheduler's jobs are rebuilt
    from. `dedup_key` makes re-syncing idempotent (one row per intent)."""

    __table_args__ = (Index("ix_reminder_status_fire", "status", "fire_at"),)
    id: int = Field(default=None, primary_key=True)
    dedup_key: str = Field(unique=True)
    kind: str  # planned_eve | planned_morning | planned_followup | meeting_eve | meeting_hour | digest | chase
    alliance_id: int | None = Field(default=None, foreign_key="alliance.id", index=True)
    record_id: int | None = Field(default=None, foreign_key="record.id", index=True)
    meeting_rule_id: int | None = Field(default=None, foreign_key="meeting_rule.id", index=True)
    occurs_on: dt.date | None = None  # the day of the event the reminder is about
    fire_at: datetime = Field(sa_type=UTCDateTime)
    platform: str | None = None
    chat_id: str | None = None
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    payload: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = "scheduled"  # scheduled | sent | missed | cancelled | failed
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class ReminderDelivery(SQLModel, table=True):
    """The claim on one send: unique (reminder, scheduled time), so only one process sends."""

    __tablename__ = "reminder_delivery"
    __table_args__ = (UniqueConstraint("reminder_id", "scheduled_for"),)
    id: int = Field(default=None, primary_key=True)
    reminder_id: int = Field(foreign_key="reminder.id", index=True)
    scheduled_for: datetime = Field(sa_type=UTCDateTime)
    claimed_by: str
    claimed_at: datetime = _ts()
    status: str = "claimed"  # claimed | sent | failed | missed
    attempts: int = 0
    error: str | None = None
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    platform_message_id: str | None = None


class EvidenceFile(SQLModel, table=True):
    """佐证材料: an image or file a teacher sent for a record, stored content-addressed under
    the data directory (`path` relative to it: evidence/ab/<sha256>)."""

    __tablename__ = "evidence_file"
    __table_args__ = (UniqueConstraint("record_id", "sha256"),)
    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id", index=True)
    sha256: str
    size: int
    filename: str
    kind: str = "image"  # image | file
    path: str
    platform: str
    message_id: str
    sender_id: str
    person_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = _ts()


class OutboxMessage(SQLModel, table=True):
    """A push waiting for the process that holds the platform's connection (announcements
    from `alliance-bot notify`, pushes handed over by a process without the connection)."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "sent_at", "platform"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: str
    chat_id: str
    chat_type: str = "group"
    text: str = Field(sa_column=Column(Text, nullable=False))
    markdown: str | None = Field(default=None, sa_column=Column(Text))
    push_key: str | None = None
    alliance_id: int | None = Field(default=None, foreign_key="alliance.id")
    source: str = "notify"  # notify | handover
    created_at: datetime = _ts()
    claimed_by: str | None = None
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = 0
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    failed: bool = False
    error: str | None = None


# -- the web dashboard (/看板) ----------------------------------------------------------------


class DashboardToken(SQLModel, table=True):
    """One /看板 link: whose it is, with which role and alliance, until when; an admin's
    `/看板 撤销 姓名` sets `revoked_at`, which also ends the sessions opened with it."""

    __tablename__ = "dashboard_token"
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str  # the person's role when the link was made: teacher | principal | admin
    alliance_id: int | None = Field(default=None, foreign_key="alliance.id")  # None: county
    created_at: datetime = _ts()
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_by: int | None = Field(default=None, foreign_key="person.id")


class ServerSecret(SQLModel, table=True):
    """Keys the server signs with (the dashboard links), made once and kept in the database
    so that every `serve` process sharing it accepts the same links."""

    __tablename__ = "server_secret"
    name: str = Field(primary_key=True)
    value: str
    created_at: datetime = _ts()
