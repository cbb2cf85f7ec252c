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
    return InboundMessage(
        platform="onebot",
        message_id=mid,
        route="onebot",
        chat_id="1",
        sender_id="2",
        raw_text="你好",
        sent_at=dt.datetime(2026, 11, 23, 10, 15, tzinfo=SHANGHAI),
    )


def test_migrations_reach_head_and_are_idempotent(engine):
    assert current_revision(engine) == head_revision()
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_datetimes_come_back_aware_utc(engine):
    with session_scope(engine) as s:
        s.add(make_inbound())
    with Session(engine) as s:
        m = s.exec(select(InboundMessage)).one()
    assert m.sent_at == dt.datetime(2026, 11, 23, 2, 15, tzinfo=dt.UTC)
    assert m.received_at.tzinfo is not None


def test_naive_datetime_is_refused(engine):
    with pytest.raises(Exception, match="naive"), session_scope(engine) as s:
        m = make_inbound()
        m.sent_at = dt.datetime(2026, 1, 1)
        s.add(m)


def test_platform_message_id_is_unique(engine):
    with session_scope(engine) as s:
        s.add(make_inbound("dup"))
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        s.add(make_inbound("dup"))
    with session_scope(engine) as s:  # same id on another platform is another message
        m = make_inbound("dup")
        m.platform = "wecom"
        s.add(m)


def test_record_keeps_every_schema_field(engine):
    with session_scope(engine) as s:
        r = Record(
            intent="activity",
            kind="lesson_delivery",
            status="done",
            date=dt.date(2026, 11, 20),
            schools=["福海县第二小学", "齐干吉迭乡小学"],
            from_school="福海县第二小学",
            to_school="齐干吉迭乡小学",
            teachers=["张炜"],
            subject="数学",
            title="分数的意义",
            participants=15,
            mode=None,
            lessons=None,
        )
        s.add(r)
        s.flush()
        s.add(RecordSchool(record_id=r.id, school_name="福海县第二小学"))
    with Session(engine) as s:
        r = s.exec(select(Record)).one()
    assert (r.date, r.schools, r.teachers, r.title) == (
        dt.date(2026, 11, 20),
        ["福海县第二小学", "齐干吉迭乡小学"],
        ["张炜"],
        "分数的意义",
    )


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
        except Exception as e:
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Session(eng) as s:
        assert len(s.exec(select(InboundMessage)).all()) == 80


def _alembic(engine, verb: str, rev: str) -> None:
    from alembic import command

    from storage.db import alembic_config, migration_connection

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with migration_connection(engine) as conn:
        cfg.attributes["connection"] = conn
        getattr(command, verb)(cfg, rev)


def test_identity_only_migration_moves_person_ids_into_identity_rows(db_url):
    """0004_identity_only: person.wecom_userid / qq become identity rows (an existing row
    for the account goes to the person the roster named), the columns are dropped, and the
    downgrade puts them back from the roster identities."""
    from sqlalchemy import inspect

    eng = make_engine(db_url)
    try:
        _alembic(eng, "upgrade", "0003")
        ts = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
        with eng.begin() as c:
            c.execute(
                text(
                    "INSERT INTO school (id, name, aliases, created_at, updated_at) "
                    "VALUES (1, '城关小学', '[]', :t, :t)"
                ),
                {"t": ts},
            )
            c.execute(
                text(
                    "INSERT INTO person (id, name, school_id, role, wecom_userid, qq, "
                    "created_at, updated_at) VALUES "
                    "(1, '张炜', 1, 'teacher', 'ZhangWei', '200087', :t, :t), "
                    "(2, '马欣瑞', 1, 'teacher', NULL, '200094', :t, :t), "
                    "(3, '吴学红', 1, 'principal', NULL, NULL, :t, :t)"
                ),
                {"t": ts},
            )
            # the roster import made this one already; an unconfirmed claim of 马欣瑞's QQ
            c.execute(
                text(
                    "INSERT INTO identity (platform, user_id, person_id, confirmed, source, "
                    "created_at) VALUES ('wecom', 'ZhangWei', 1, :y, 'roster', :t), "
                    "('onebot', '200094', NULL, :n, 'bind', :t)"
                ),
                {"t": ts, "y": True, "n": False},
            )
            c.execute(text("UPDATE identity SET claimed_name = '马欣瑞' WHERE user_id = '200094'"))
        _alembic(eng, "upgrade", "head")
        assert (
            current_revision(eng) == head_revision()
        )  # 0004_identity_only, then the later revisions
        cols = {c["name"] for c in inspect(eng).get_columns("person")}
        assert "wecom_userid" not in cols and "qq" not in cols
        with eng.connect() as c:
            rows = c.execute(
                text(
                    "SELECT platform, user_id, person_id, confirmed, claimed_name "
                    "FROM identity ORDER BY platform, user_id"
                )
            ).all()
            people = c.execute(text("SELECT id, name FROM person ORDER BY id")).all()
        assert [(p, u, pid, bool(ok), cn) for p, u, pid, ok, cn in rows] == [
            ("onebot", "200087", 1, True, None),
            ("onebot", "200094", 2, True, None),
            ("wecom", "ZhangWei", 1, True, None),
        ]
        assert [n for _, n in people] == ["张炜", "马欣瑞", "吴学红"]
        with Session(eng) as s:  # the ORM model matches the migrated table
            from storage.queries import mention_ids

            assert mention_ids(s, ["张炜", "马欣瑞", "吴学红"]) == {
                "张炜": {"wecom": "ZhangWei", "onebot": "200087"},
                "马欣瑞": {"onebot": "200094"},
            }

        _alembic(eng, "downgrade", "0003")
        with eng.connect() as c:
            back = c.execute(text("SELECT name, wecom_userid, qq FROM person ORDER BY id")).all()
        assert [tuple(r) for r in back] == [
            ("张炜", "ZhangWei", "200087"),
            ("马欣瑞", None, None),
            ("吴学红", None, None),
        ]
        _alembic(eng, "upgrade", "head")
        assert current_revision(eng) == head_revision()
    finally:
        eng.dispose()
