"""/会议 through the router and a HandlerContext, with the real reminder service as port."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from handlers.events import IncomingMessage
from handlers.commands.meetings import router
from handlers.context import HandlerContext
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
        msg = IncomingMessage(platform="wecom", route="wecom-aibot", chat=None, sender_id="x",
                              text=text, message_id="m", sent_at=now)
        ctx = HandlerContext(message=msg, session=s, settings=settings, now=now, person=person,
                             alliance=alliance, reminders=svc)
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
    assert {r.status for r in _all(roster_engine)
            if r.kind.startswith("meeting")} == {"cancelled"}
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
    preview = preview_meeting_rule("每月第一个周五 15:00 总结会", dt.date(2026, 12, 10), svc.calendar)
    assert [o["date"].year for o in preview["next"]] == [2027, 2027, 2027]
    assert any("只按周六、周日" in w for w in preview["warnings"])
    reply = _run(roster_engine, settings, svc, "/会议 添加 每月最后一个周五 15:00 联盟总结会")
    assert "已添加" in reply
