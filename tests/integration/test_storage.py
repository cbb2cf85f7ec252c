"""Storage basics on SQLite and PostgreSQL: migrations, aware datetimes, uniqueness, WAL."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storage.db import current_revision, head_revision, make_engine, session_scope, upgrade
from storage.models import InboundMessage, Record, RecordSchool

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def make_inbound(mid: str = "m1") -> InboundMessage:
    return InboundMessage(platform="onebot", message_id=mid, route="onebot", chat_id="1",
                          sender_id="2", raw_text="你好",
                          sent_at=dt.datetime(2026, 11, 23, 10, 15, tzinfo=SHANGHAI))


def test_migrations_reach_head_and_are_idempotent(engine):
    assert current_revision(engine) == head_revision()
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_datetimes_come_back_aware_utc(engine):
    with session_scope(engine) as s:
        s.add(make_inbound())
    with Session(engine) as s:
        m = s.exec(select(InboundMessage)).one()
    assert m.sent_at == dt.datetime(2026, 11, 23, 2, 15, tzinfo=dt.timezone.utc)
    assert m.received_at.tzinfo is not None


def test_naive_datetime_is_refused(engine):
    with pytest.raises(Exception, match="naive"):
        with session_scope(engine) as s:
            m = make_inbound()
            m.sent_at = dt.datetime(2026, 1, 1)
            s.add(m)


def test_platform_message_id_is_unique(engine):
    with session_scope(engine) as s:
        s.add(make_inbound("dup"))
    with pytest.raises(IntegrityError):
        with session_scope(engine) as s:
            s.add(make_inbound("dup"))
    with session_scope(engine) as s:  # same id on another platform is another message
        m = make_inbound("dup")
        m.platform = "wecom"
        s.add(m)


def test_record_keeps_every_schema_field(engine):
    with session_scope(engine) as s:
        r = Record(intent="activity", kind="lesson_delivery", status="done",
                   date=dt.date(2026, 11, 20), schools=["福海县第二小学", "齐干吉迭乡小学"],
                   from_school="福海县第二小学", to_school="齐干吉迭乡小学", teachers=["张炜"],
                   subject="数学", title="分数的意义", participants=15, mode=None, lessons=None)
        s.add(r)
        s.flush()
        s.add(RecordSchool(record_id=r.id, school_name="福海县第二小学"))
    with Session(engine) as s:
        r = s.exec(select(Record)).one()
    assert (r.date, r.schools, r.teachers, r.title) == (
        dt.date(2026, 11, 20), ["福海县第二小学", "齐干吉迭乡小学"], ["张炜"], "分数的意义")


def test_sqlite_runs_in_wal_with_busy_timeout(sqlite_url):
    eng = make_engine(sqlite_url, busy_timeout_ms=4321)
    with eng.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA busy_timeout")).scalar() == 4321


def test_sqlite_concurrent_writers_wait_instead_of_failing(sqlite_url):
    eng = make_engine(sqlite_url)
    upgrade(eng)
    errors: list[Exception] = []

    def writer(n: int) -> None:
        try:
            for i in range(20):
                with session_scope(eng) as s:
                    s.add(make_inbound(f"w{n}-{i}"))
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Session(eng) as s:
        assert len(s.exec(select(InboundMessage)).all()) == 80
