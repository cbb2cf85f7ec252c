"""The reminder service against a real database, a frozen clock and a fake platform."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlmodel import Session, select

from handlers.meeting_rules import preview_meeting_rule
from storage.db import make_engine, session_scope
from storage.models import Alliance, MeetingRule, Record, RecordSchool, Reminder, ReminderDelivery
from tests.conftest import SAMPLE_ROSTER
from tests.scheduler.conftest import TZ, local

FUHAI = "福海县第二小学联盟"


def _alliance(s: Session, name: str = FUHAI) -> Alliance:
    return s.exec(select(Alliance).where(Alliance.name == name)).one()


def _planned(engine, day: dt.date, chat_id: str = "wrFuHaiAlliance") -> int:
    with session_scope(engine) as s:
        a = _alliance(s)
        rec = Record(
            alliance_id=a.id,
            intent="activity",
            kind="lesson_delivery",
            status="planned",
            date=day,
            schools=["福海县第二小学", "解乡小学"],
            from_school="福海县第二小学",
            to_school="解乡小学",
            teachers=["张炜", "马欣瑞"],
            subject="数学",
            chat_platform="wecom",
            chat_id=chat_id,
        )
        s.add(rec)
        s.flush()
        return rec.id


def _reminders(engine, **where) -> list[Reminder]:
    with Session(engine) as s:
        q = select(Reminder).order_by(Reminder.fire_at)
        for k, v in where.items():
            q = q.where(getattr(Reminder, k) == v)
        return list(s.exec(q).all())


async def test_planned_activity_two_reminders_and_follow_up(
    roster_engine, clock, pusher, make_scheduler
):
    rid = _planned(roster_engine, dt.date(2026, 11, 18))  # next Wednesday
    svc = make_scheduler(roster_engine)
    svc.activity_changed(rid)
    await svc.run_due()
    rows = _reminders(roster_engine, record_id=rid)
    assert [(r.kind, r.fire_at.astimezone(TZ)) for r in rows] == [
        ("planned_eve", local(2026, 11, 17, 16, 0)),
        ("planned_morning", local(2026, 11, 18, 7, 30)),
        ("planned_followup", local(2026, 11, 19, 17, 0)),
    ]
    assert pusher.calls == []
    clock.move_to(local(2026, 11, 17, 16, 0))
    await svc.run_due()
    (eve,) = pusher.sent
    assert "明天 11月18日(周三)" in eve.text and "张炜" in eve.text
    assert eve.target.platform == "wecom" and eve.target.chat_id == "wrFuHaiAlliance"
    assert eve.push_key == "demo-fuhai-robot-key"
    assert [(m.name, m.user_id("wecom"), m.user_id("onebot")) for m in eve.mentions] == [
        ("张炜", "ZhangWei", "200087"),
        ("马欣瑞", "MaXinRui", "200094"),
    ]
    assert eve.idempotency_key == f"reminder:{rows[0].id}:{rows[0].fire_at.isoformat()}"
    await svc.run_due()  # woken twice: still one send
    clock.move_to(local(2026, 11, 18, 7, 30))
    await svc.run_due()
    clock.move_to(local(2026, 11, 19, 17, 0))
    await svc.run_due()
    assert [m.text[:6] for m in pusher.sent] == ["【活动提醒】", "【今日活动】", "【活动确认】"]
    assert f"/完成 {rid} 听课15人" in pusher.sent[2].text
    assert {r.status for r in _reminders(roster_engine, record_id=rid)} == {"sent"}


async def test_activity_changed_cancels_and_recreates(roster_engine, clock, pusher, make_scheduler):
    rid = _planned(roster_engine, dt.date(2026, 11, 18))
    svc = make_scheduler(roster_engine)
    svc.sync_from_db()
    with session_scope(roster_engine) as s:  # re-dated to Friday
        s.get(Record, rid).date = dt.date(2026, 11, 20)
    svc.activity_changed(rid)
    await svc.run_due()
    by_status = {(r.status, r.occurs_on) for r in _reminders(roster_engine, record_id=rid)}
    assert by_status == {("cancelled", dt.date(2026, 11, 18)), ("scheduled", dt.date(2026, 11, 20))}
    with session_scope(roster_engine) as s:  # the activity was reported done
        s.get(Record, rid).status = "done"
    clock.move_to(local(2026, 11, 19, 16, 0))
    await svc.run_due()  # not synced yet: the fire-time check still stops it
    assert pusher.calls == []
    svc.activity_changed(rid)
    await svc.run_due()
    assert {r.status for r in _reminders(roster_engine, record_id=rid)} == {"cancelled"}


async def test_meeting_on_national_day_moves_to_previous_working_day(
    roster_engine, clock, pusher, make_scheduler
):
    clock.move_to(local(2026, 9, 28, 9, 0))
    svc = make_scheduler(roster_engine)
    with session_scope(roster_engine) as s:
        a = _alliance(s)
        p = preview_meeting_rule(
            "每月第一个周四 15:00 联盟总结会", dt.date(2026, 9, 28), svc.calendar
        )
        s.add(MeetingRule(alliance_id=a.id, title=p["title"], rule_text="x", rule=p["rule"]))
        aid = a.id
    svc.meeting_rules_changed(aid)
    await svc.run_due()
    first = [r for r in _reminders(roster_engine, kind="meeting_eve")][0]
    assert first.occurs_on == dt.date(2026, 9, 30)
    assert first.fire_at.astimezone(TZ) == local(2026, 9, 29, 16, 0)
    hour = _reminders(roster_engine, kind="meeting_hour")[0]
    assert hour.fire_at.astimezone(TZ) == local(2026, 9, 30, 14, 0)
    clock.move_to(local(2026, 9, 29, 16, 0))
    await svc.run_due()
    (msg,) = pusher.sent
    assert "明天 9月30日(周三) 15:00 联盟总结会" in msg.text
    assert "因国庆节调整至 9月30日" in msg.text
    up = svc.upcoming(aid, 2)
    assert up[0]["kind"] == "meeting_hour" and up[0]["calendar"] == "chinese-calendar"


async def test_restart_inside_and_beyond_grace(roster_engine, clock, pusher, make_scheduler):
    _planned(roster_engine, dt.date(2026, 11, 18))
    make_scheduler(roster_engine).sync_from_db()
    # down over the eve reminder; back 30 minutes late: sent once, late
    clock.move_to(local(2026, 11, 17, 16, 30))
    svc = make_scheduler(roster_engine, worker_id="after-restart")
    await svc.run_due()
    assert len(pusher.sent) == 1
    # down again over the morning reminder; back 2 hours late: recorded missed, not sent
    clock.move_to(local(2026, 11, 18, 9, 30))
    svc2 = make_scheduler(roster_engine, worker_id="after-second-restart")
    await svc2.run_due()
    assert len(pusher.sent) == 1
    morning = _reminders(roster_engine, kind="planned_morning")[0]
    assert morning.status == "missed"
    with Session(roster_engine) as s:
        d = s.exec(select(ReminderDelivery).where(ReminderDelivery.reminder_id == morning.id)).one()
    assert d.status == "missed" and d.attempts == 0


async def test_push_failure_is_retried_without_duplicate(
    roster_engine, clock, pusher, make_scheduler
):
    _planned(roster_engine, dt.date(2026, 11, 18))
    svc = make_scheduler(roster_engine)
    svc.sync_from_db()
    pusher.fail_next = 1
    clock.move_to(local(2026, 11, 17, 16, 0))
    await svc.run_due()
    eve = _reminders(roster_engine, kind="planned_eve")[0]
    assert eve.status == "scheduled" and "retry_at" in eve.payload
    with Session(roster_engine) as s:
        d = s.exec(select(ReminderDelivery)).one()
    assert (d.status, d.attempts) == ("failed", 1) and "45009" in d.error
    await svc.run_due()  # retry not due yet
    assert len(pusher.calls) == 1
    clock.move_to(local(2026, 11, 17, 16, 5))
    await make_scheduler(roster_engine, worker_id="w2").run_due()  # any worker may retry
    await svc.run_due()
    assert len(pusher.calls) == 2 and len(pusher.sent) == 1
    assert pusher.calls[0].idempotency_key == pusher.calls[1].idempotency_key
    with Session(roster_engine) as s:
        d = s.exec(select(ReminderDelivery)).one()
    assert (d.status, d.attempts, d.error) == ("sent", 2, None)


async def test_push_failure_gives_up_after_retries(roster_engine, clock, pusher, make_scheduler):
    _planned(roster_engine, dt.date(2026, 11, 18))
    svc = make_scheduler(roster_engine)
    svc.sync_from_db()
    pusher.fail_next = 5
    for minute in (0, 5, 20, 40):
        clock.move_to(local(2026, 11, 17, 16, minute))
        await svc.run_due()
    assert len(pusher.calls) == 3 and pusher.sent == []
    assert _reminders(roster_engine, kind="planned_eve")[0].status == "failed"


async def test_digest_and_chase(roster_engine, clock, pusher, make_scheduler):
    asked = []

    def digest(alliance_id: int, now: dt.datetime) -> str | None:
        asked.append(alliance_id)
        return "【进度简报】送教下乡 3/10,落后于进度" if len(asked) == 1 else None

    with session_scope(roster_engine) as s:
        a = _alliance(s)
        rec = Record(
            alliance_id=a.id,
            intent="activity",
            kind="joint_research",
            status="done",
            date=dt.date(2026, 11, 5),
            schools=["解乡小学"],
        )
        s.add(rec)
        s.flush()
        s.add(RecordSchool(record_id=rec.id, school_name="解乡小学"))
        aid = a.id
    svc = make_scheduler(roster_engine, digest_text=digest)
    svc.sync_from_db()
    clock.move_to(local(2026, 11, 23, 8, 30))  # Monday; the 20th (Friday) passed at 10:00
    clock.move_to(local(2026, 11, 20, 10, 0))
    await svc.run_due()
    chase = [m for m in pusher.sent if m.target.chat_id == "wrFuHaiAlliance"]
    assert len(chase) == 1 and "齐干吉迭乡小学" in chase[0].text and "解乡小学" not in chase[0].text
    clock.move_to(local(2026, 11, 23, 8, 30))
    await svc.run_due()
    digests = [m for m in pusher.sent if m.text.startswith("【进度简报】")]
    assert len(digests) == 1 and digests[0].target.chat_id == "wrFuHaiPrincipals"
    assert digests[0].push_key == "demo-fuhai-principals-key"
    assert aid in asked  # other alliances were asked too and answered None: nothing sent
    assert not [m for m in pusher.sent if m.target.chat_id == "80001" and "简报" in m.text]


async def test_start_builds_jobs_and_shutdown(roster_engine, clock, pusher, make_scheduler):
    rid = _planned(roster_engine, dt.date(2026, 11, 17))
    svc = make_scheduler(roster_engine)
    await svc.start()
    try:
        assert svc.running
        assert svc._aps.get_job(f"r:{_reminders(roster_engine, kind='planned_eve')[0].id}")
        assert svc._aps.get_job("tick") is not None
        svc.activity_changed(rid)  # from a handler thread in real life
        await asyncio.sleep(0)
        assert svc._aps.get_job("sync_pending") is not None
    finally:
        await svc.shutdown()
    assert not svc.running


async def test_jobs_carry_only_ids_and_schedulers_share_no_state(
    roster_engine, clock, pusher, make_scheduler
):
    """Like python-telegram-bot's JobQueue: a date job names its reminder by id and runs on
    the scheduler that added it; two schedulers in one process do not see each other."""
    _planned(roster_engine, dt.date(2026, 11, 17))
    a, b = (
        make_scheduler(roster_engine, worker_id="a"),
        make_scheduler(roster_engine, worker_id="b"),
    )
    await a.start()
    await b.start()
    try:
        rid = _reminders(roster_engine, kind="planned_eve")[0].id
        for svc in (a, b):
            job = svc._aps.get_job(f"r:{rid}")
            assert job.args == (rid,) and job.func.__self__ is svc
        await b.shutdown()
        clock.move_to(local(2026, 11, 16, 16, 0))  # the eve reminder is due
        await a.run_due()
        assert len([m for m in pusher.sent if m.extra["reminder_id"] == rid]) == 1
    finally:
        await a.shutdown()
        await b.shutdown()


@pytest.mark.postgres
async def test_two_schedulers_on_postgres_send_once(pg_database_url, clock, pusher, make_scheduler):
    from storage.db import upgrade
    from storage.roster_import import import_roster_file

    e1 = make_engine(pg_database_url)
    upgrade(e1)
    import_roster_file(e1, str(SAMPLE_ROSTER))
    e2 = make_engine(pg_database_url)
    try:
        for day in (18, 19, 20):
            _planned(e1, dt.date(2026, 11, day))
        a, b = make_scheduler(e1, worker_id="a"), make_scheduler(e2, worker_id="b")
        await asyncio.gather(asyncio.to_thread(a.sync_from_db), asyncio.to_thread(b.sync_from_db))
        assert len(_reminders(e1)) == len({r.dedup_key for r in _reminders(e1)})
        times = sorted({r.fire_at for r in _reminders(e1) if r.record_id})
        assert len(times) == 9  # 3 activities x 3 reminders
        for when in times:
            clock.move_to(when)
            await asyncio.gather(a.run_due(), b.run_due(), a.run_due(), b.run_due())
        keys = [m.idempotency_key for m in pusher.sent]
        assert len(keys) == len(set(keys)) == len(pusher.calls) == 9
        with Session(e1) as s:
            deliveries = s.exec(select(ReminderDelivery)).all()
        sent = [d for d in deliveries if d.status == "sent"]
        assert len(sent) == 9 and {d.claimed_by for d in sent} <= {"a", "b"}
    finally:
        e1.dispose()
        e2.dispose()


def test_config_meetings_import_skips_bad_entries_and_names_them(
    roster_engine, clock, make_scheduler
):
    svc = make_scheduler(roster_engine)
    with session_scope(roster_engine) as s:
        name = _alliance(s).name
    errors = svc.import_config_meetings(
        [
            {"alliance": "无名联盟", "rule": "每周三 16:00 教研会"},
            {"alliance": name, "rule": "每月最后一个周五 15:00 联盟总结会"},
            {"alliance": name, "rule": "每周三 16:00 教研会", "holiday_policy": "later"},
        ]
    )
    assert errors == [
        "[[meetings]] 第1项 alliance: 未知联盟“无名联盟”",
        "[[meetings]] 第3项 holiday_policy: 应为 previous、next 或 skip",
    ]
    with Session(roster_engine) as s:
        rows = s.exec(select(MeetingRule).where(MeetingRule.source == "config")).all()
    assert [(r.title, r.active) for r in rows] == [("联盟总结会", True)]
