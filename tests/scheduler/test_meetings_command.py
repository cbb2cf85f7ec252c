"""/会议 through the router and a HandlerContext, with the real reminder service as port."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from handlers.commands.meetings import router
from handlers.context import HandlerContext
from handlers.events import IncomingMessage
from handlers.meeting_rules import preview_meeting_rule
from storage.models import Alliance, MeetingRule, Person, Reminder
from tests.scheduler.conftest import local


def _run(engine, settings, svc, text: str, who: str = "吴学红") -> str:
    word, *args = text.lstrip("/").split()
    spec = router.find(word)
    now = local(2026, 9, 28, 9, 0)
    with Session(engine, expire_on_commit=False) as s:
        person = s.exec(select(Person).where(Person.name == who)).one()
        alliance = s.exec(select(Alliance).where(Alliance.name == "福海县第二小学联盟")).one()
        msg = IncomingMessage(
            platform="wecom",
            route="wecom-aibot",
            chat=None,
            sender_id="x",
            text=text,
            message_id="m",
            sent_at=now,
        )
        ctx = HandlerContext(
            message=msg,
            session=s,
            settings=settings,
            now=now,
            person=person,
            alliance=alliance,
            reminders=svc,
        )
        assert ctx.role in spec.roles
        reply = router.dispatch(ctx, word, args).text
        s.commit()
    return reply


@pytest.fixture
def svc(roster_engine, make_scheduler, clock):
    clock.move_to(local(2026, 9, 28, 9, 0))
    return make_scheduler(roster_engine)


def test_help_lines():
    spec = router.find("meeting")
    assert spec.summary and spec.usage.startswith("用法") and spec.example.startswith("/会议")


async def test_add_list_remove(roster_engine, settings, svc):
    reply = _run(roster_engine, settings, svc, "/会议 添加 每月第一个周四 15:00 联盟总结会")
    assert "已添加例会 #1:联盟总结会" in reply
    assert "9月30日(周三)15:00(因国庆节调整至 9月30日" in reply
    assert "11月5日(周四)15:00" in reply
    await svc.run_due()  # the handler's meeting_rules_changed is synced after its commit
    assert len([r for r in _all(roster_engine) if r.kind.startswith("meeting")]) >= 2
    listing = _run(roster_engine, settings, svc, "/会议", who="张炜")
    assert "#1 联盟总结会" in listing and "下次:9月30日" in listing
    assert "只有校长" in _run(roster_engine, settings, svc, "/会议 删除 1", who="张炜")
    assert "已删除例会 #1" in _run(roster_engine, settings, svc, "/会议 删除 1")
    await svc.run_due()
    assert {r.status for r in _all(roster_engine) if r.kind.startswith("meeting")} == {"cancelled"}
    assert "还没有设置例会" in _run(roster_engine, settings, svc, "/会议")


def _all(engine) -> list[Reminder]:
    with Session(engine) as s:
        return list(s.exec(select(Reminder)).all())


async def test_add_errors_and_2027_warning(roster_engine, settings, svc, clock):
    assert "没有看懂" in _run(roster_engine, settings, svc, "/会议 添加 下周开个会")
    assert "时间" in _run(roster_engine, settings, svc, "/会议 添加 每周三 例会")
    assert "用法" in _run(roster_engine, settings, svc, "/会议 改名 1")
    with Session(roster_engine) as s:
        assert s.exec(select(MeetingRule)).all() == []
    preview = preview_meeting_rule(
        "每月第一个周五 15:00 总结会", dt.date(2026, 12, 10), svc.calendar
    )
    assert [o["date"].year for o in preview["next"]] == [2027, 2027, 2027]
    assert any("只按周六、周日" in w for w in preview["warnings"])
    reply = _run(roster_engine, settings, svc, "/会议 添加 每月最后一个周五 15:00 联盟总结会")
    assert "已添加" in reply


async def test_one_off_meeting(roster_engine, settings, svc):
    reply = _run(roster_engine, settings, svc, "/会议 添加 12月18日 15:00 期末质量分析会")
    assert (
        reply.splitlines()[0] == "已添加会议 #1:期末质量分析会(2026年12月18日(周五)15:00,只开一次)"
    )
    # Within the reminder horizon (45 days) it is reminded twice: the day before and an
    # hour before, once each.
    soon = _run(roster_engine, settings, svc, "/会议 添加 10月22日 15:00 期中质量分析会")
    assert soon.startswith("已添加会议 #2:期中质量分析会(2026年10月22日(周四)15:00")
    await svc.run_due()
    meeting = [
        r for r in _all(roster_engine) if r.kind.startswith("meeting") and r.meeting_rule_id == 2
    ]
    assert sorted(r.kind for r in meeting) == ["meeting_eve", "meeting_hour"]
    assert {r.fire_at.date() for r in meeting} <= {dt.date(2026, 10, 21), dt.date(2026, 10, 22)}
    listing = _run(roster_engine, settings, svc, "/会议")
    assert "#1 期末质量分析会" in listing and "只开一次" in listing and "时间:12月18日" in listing
    # A date on a holiday is kept and pointed out; a day already past this year is next year's.
    national = _run(roster_engine, settings, svc, "/会议 添加 10月1日 9:00 升旗仪式")
    assert "2026年10月1日" in national and "国庆节" in national and "仍按原定日期" in national
    past = _run(roster_engine, settings, svc, "/会议 添加 9月1日 9:00 开学会")
    assert "2027年9月1日" in past
    assert "已经过去" in _run(roster_engine, settings, svc, "/会议 添加 2026年9月1日 9:00 开学会")
