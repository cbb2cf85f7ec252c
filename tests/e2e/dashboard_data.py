"""A small school year of reports for the dashboard tests and the docs screenshots.

Sent through the fake platforms (real signed HTTP), so every record on the page was made
the way a teacher's message makes it. The clock is the e2e one: 2026-11-23.
"""

from __future__ import annotations

import re

from sqlmodel import Session, select

from storage.models import Identity, Person, School

# (wecom userid, text): 福海县第二小学联盟 over the autumn term, plus one report of the
# second alliance so that its page has something of its own.
REPORTS: list[tuple[str, str]] = [
    ("ZhangWei", "9月10日我和马欣瑞去解小送课,上了两节语文课《秋天的雨》,听课教师15人"),
    ("MaXinRui", "9月17日我和孙慧霞去一农场小学听评课,研讨了一节英语课,12人参加"),
    ("ZhangWei", "9月24日福海二小通过直播为齐小上了两节数学同步课堂"),
    ("WuXueHong", "10月9日在福海二小召开联盟工作例会,四校校长参加"),
    ("ZhangWei", "10月15日福海二小与解小线上集体备课,语文组10人参加"),
    ("SunHuiXia", "10月22日我去齐小送教,上了一节英语课,听课8人"),
    ("ZhangWei", "10月28日福海二小通过直播为解小上了两节语文同步课堂"),
    ("WuXueHong", "11月5日联盟在一农场小学举办校长论坛,12人参加"),
    ("MaXinRui", "11月12日福海二小与一农场小学线上联合教研,数学组9人参加"),
    ("ZhangWei", "今天我和马欣瑞去解小送课,上了两节语文课《秋天的雨》,听课教师15人"),
]
OTHER_ALLIANCE: list[tuple[str, str]] = [
    ("ZhengJianHua", "11月18日实小陈志强老师到城关小学送教,上了两节数学课"),
]
ADMIN = ("王明", "WangMingAdmin")  # the county admin the tests add


async def load_reports(live) -> list[int]:
    """Send every report; returns the record ids the bot answered with."""
    ids = []
    for userid, text in REPORTS:
        _, [reply] = await live.aibot_say(userid, text)
        m = re.search(r"#(\d+)", reply)
        assert m and ("已记录" in reply or "已并入" in reply), reply
        ids.append(int(m.group(1)))
    for userid, text in OTHER_ALLIANCE:
        _, [reply] = await live.app_say(userid, text)
        assert "已记录" in reply, reply
    return ids


def add_admin(engine) -> None:
    """A county admin (the sample roster has none) with a WeCom account."""
    with Session(engine) as s:
        school = s.exec(select(School).where(School.name == "福海县第二小学")).one()
        p = Person(name=ADMIN[0], school_id=school.id, role="admin")
        s.add(p)
        s.flush()
        s.add(
            Identity(
                platform="wecom", user_id=ADMIN[1], person_id=p.id, confirmed=True, source="roster"
            )
        )
        s.commit()


def link_of(reply: str) -> str:
    m = re.search(r"https?://\S+/dash/t/\S+", reply)
    assert m, reply
    return m.group(0)
