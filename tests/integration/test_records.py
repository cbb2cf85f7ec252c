"""One activity counted once: which reports join an existing record and which do not."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from handlers.records import save_report

BASE = {
    "intent": "activity",
    "kind": "lesson_delivery",
    "status": "done",
    "date": "2026-11-20",
    "schools": ["福海县第二小学", "解乡小学"],
    "from_school": "福海县第二小学",
    "to_school": "解乡小学",
    "teachers": ["张炜", "马欣瑞"],
    "subject": "语文",
    "title": None,
    "participants": None,
    "lessons": 2,
}


def save(s: Session, **changes) -> tuple[int, bool]:
    res = save_report(
        s,
        {**BASE, **changes},
        alliance_id=None,
        person_id=None,
        reporter_name="x",
        message_id=None,
        source_text="…",
    )
    s.flush()
    return res.record.id, res.merged


@pytest.mark.parametrize(
    "second, joins",
    [
        ({}, True),
        (
            {"teachers": [], "participants": 15, "subject": None},
            True,
        ),  # the receiving school's report
        ({"schools": ["解乡小学"], "from_school": None}, True),  # names only itself
        ({"status": "planned"}, True),
        (
            {"schools": ["福海县第二小学", "齐干吉迭乡小学"], "to_school": "齐干吉迭乡小学"},
            False,
        ),  # another trip
        ({"date": "2026-11-21"}, False),
        ({"kind": "demo_lesson"}, False),
        ({"subject": "数学"}, False),
        ({"teachers": ["孙慧霞"]}, False),
        ({"schools": ["福海县第二小学", "解乡小学", "一农场小学"], "to_school": None}, True),
    ],
)
def test_when_a_second_report_joins(engine, second, joins):
    with Session(engine) as s:
        first, _ = save(s)
        rid, merged = save(s, **second)
        assert merged is joins
        assert (rid == first) is joins


def test_joining_fills_missing_fields_and_completes_a_planned_one(engine):
    with Session(engine) as s:
        first, _ = save(s, status="planned", participants=None, lessons=None)
        res = save_report(
            s,
            {**BASE, "participants": 15},
            alliance_id=None,
            person_id=None,
            reporter_name="y",
            message_id=None,
            source_text="…",
        )
        assert res.merged and res.completed and res.record.id == first
        assert (res.record.status, res.record.participants, res.record.lessons) == ("done", 15, 2)
        assert set(res.filled) == {"participants", "lessons"}


def test_the_same_person_reporting_again_is_one_reporter(engine):
    from sqlmodel import select

    from storage.models import RecordReporter

    with Session(engine) as s:
        for mid in (None, None, None):
            res = save_report(
                s,
                BASE,
                alliance_id=None,
                person_id=None,
                reporter_name="x",
                message_id=mid,
                source_text="…",
            )
        first = res.record.id
        from handlers.records import save_report as again
        from storage.models import Person, School

        school = School(name="甲校")
        s.add(school)
        s.flush()
        p = Person(name="某老师", school_id=school.id)
        s.add(p)
        s.flush()
        for _ in range(3):
            again(
                s,
                BASE,
                alliance_id=None,
                person_id=p.id,
                reporter_name="某老师",
                message_id=None,
                source_text="…",
            )
        rows = s.exec(
            select(RecordReporter).where(
                RecordReporter.record_id == first, RecordReporter.person_id == p.id
            )
        ).all()
        assert len(rows) == 1


def test_a_report_joins_only_within_its_own_alliance(engine):
    from storage.models import Alliance

    with Session(engine) as s:
        a, b = Alliance(name="甲联盟", mode="共建型"), Alliance(name="乙联盟", mode="共建型")
        s.add_all([a, b])
        s.flush()

        def put(alliance_id):
            res = save_report(
                s,
                BASE,
                alliance_id=alliance_id,
                person_id=None,
                reporter_name="x",
                message_id=None,
                source_text="…",
            )
            s.flush()
            return res.record.id, res.merged

        first, _ = put(a.id)
        assert put(b.id)[1] is False  # the same words in another alliance: another event
        assert put(None)[1] is False  # and a report of no alliance joins none of them
        assert put(None)[1] is True  # … but another of no alliance
        assert put(a.id) == (first, True)


def test_items_of_one_message_never_join_each_other(engine):
    with Session(engine) as s:
        first = save_report(
            s,
            BASE,
            alliance_id=None,
            person_id=None,
            reporter_name="x",
            message_id=None,
            source_text="…",
        )
        s.flush()
        second = save_report(
            s,
            BASE,
            alliance_id=None,
            person_id=None,
            reporter_name="x",
            message_id=None,
            source_text="…",
            exclude_ids=frozenset({first.record.id}),
        )
        assert not second.merged and second.record.id != first.record.id


@pytest.mark.parametrize("schools", [["福海县第二小学", "解乡小学"], []])
def test_a_new_record_is_stored_with_its_links_reporter_and_audit_line(engine, schools):
    """On PostgreSQL the four INSERTs of a new record are one statement (storage.writes):
    the rows are those the separate statements make on SQLite."""
    from sqlmodel import col, select

    from storage import writes
    from storage.models import AuditLog, Person, Record, RecordReporter, RecordSchool, School

    with Session(engine) as s:
        school = School(name="福海县第二小学")
        s.add(school)
        s.flush()
        p = Person(name="某老师", school_id=school.id)
        s.add(p)
        s.flush()
        fast = writes._P_RECORD_WITH_LINKS.fast
        res = save_report(
            s,
            {**BASE, "schools": schools},
            alliance_id=None,
            person_id=p.id,
            reporter_name="某老师",
            message_id=None,
            source_text="原文",
        )
        assert writes._P_RECORD_WITH_LINKS.fast == fast + (engine.dialect.name == "postgresql")
        s.commit()
        rid = res.record.id
        rec = s.get(Record, rid)
        assert (rec.schools, rec.teachers, rec.source_text, rec.lessons) == (
            schools,
            BASE["teachers"],
            "原文",
            2,
        )
        links = s.exec(
            select(RecordSchool.school_name, RecordSchool.school_id)
            .where(RecordSchool.record_id == rid)
            .order_by(col(RecordSchool.id))
        ).all()
        ids = {"福海县第二小学": school.id}
        assert [tuple(x) for x in links] == [(n, ids.get(n)) for n in schools]
        rep = s.exec(select(RecordReporter).where(RecordReporter.record_id == rid)).one()
        assert (rep.person_id, rep.reporter_name, rep.message_id) == (p.id, "某老师", None)
        log = s.exec(select(AuditLog).where(AuditLog.record_id == rid)).one()
        assert (log.action, log.actor_person_id, log.field, log.old_value, log.new_value) == (
            "create",
            p.id,
            None,
            None,
            None,
        )
        assert log.at is not None and rep.created_at is not None


def test_the_duplicate_check_reads_what_sqlalchemy_would(engine):
    """`duplicate_candidates` runs on the DBAPI cursor: its rows hold the values (lists
    decoded from JSON, None kept) that SQLAlchemy's own execution returns."""
    import datetime as dt

    from storage import writes

    with Session(engine) as s:
        save(s)
        save(s, schools=["解乡小学"], from_school=None, teachers=[], subject=None)  # joins
        save(s, kind="demo_lesson", title="《春》")
        save(s, date="2026-11-21")
        conn = s.connection()
        day = dt.date(2026, 11, 20)
        for kind in ("lesson_delivery", "demo_lesson", "other"):
            stmt = writes._DUPLICATE_CANDIDATES[("kind", False)]
            want = [
                tuple(r)
                for r in conn.execute(stmt.stmt, {"intent": "activity", "date": day, "kind": kind})
            ]
            got = writes.duplicate_candidates(conn, "activity", kind, None, day, None)
            assert [tuple(r) for r in got] == want
            assert all(isinstance(r.schools, list) and isinstance(r.teachers, list) for r in got)
        assert (
            len(writes.duplicate_candidates(conn, "activity", "lesson_delivery", None, day, None))
            == 1
        )
