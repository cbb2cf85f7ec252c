"""What principals read, through the real endpoints: one phone screen per answer on every
platform (the 8-school 漳平 alliance of the sample roster), paging, /考核's scale."""

from __future__ import annotations

import datetime as dt

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlmodel import Session, select

from bot.app import BotApp
from handlers.records import save_report
from storage.db import make_engine, upgrade
from storage.models import Alliance, Identity, Person
from storage.roster_import import import_roster_file
from tests.conftest import SAMPLE_ROSTER
from tests.e2e.conftest import NOW, QQ_APP_ID, QQ_SECRET, LiveBot, bot_settings
from tests.fakes.clock import FakeClock
from tests.fakes.qq import FakeQQApi
from tests.fakes.wecom import FakeWecomApi

ZHANGPING = "漳平市实验小学教育联盟"
ZP_CORE = "漳平市实验小学"
ZP_MEMBERS = [
    "城关小学",
    "城北小学",
    "新民小学",
    "桂林中心学校",
    "溪南中心学校",
    "和平中心学校",
    "新桥中心学校",
]
PRINCIPAL_OPENID = "MEMBER-ZHENG"
SCREEN = 20
LIMITS = {"wecom-aibot": 4096, "wecom-app": 2048, "qq": 2000, "onebot": 10_000}


def seed_zhangping(live: LiveBot) -> None:
    """A term of activity for the 8-school alliance: some schools on pace, some behind."""
    with Session(live.bot.engine) as s:
        a = s.exec(select(Alliance).where(Alliance.name == ZHANGPING)).one()
        zheng = s.exec(select(Person).where(Person.name == "郑建华")).one()
        s.add(
            Identity(
                platform="qq",
                user_id=PRINCIPAL_OPENID,
                person_id=zheng.id,
                confirmed=True,
                source="bind",
            )
        )
        for i, school in enumerate(ZP_MEMBERS):
            for k in range(i % 3 + 1):
                save_report(
                    s,
                    {
                        "intent": "activity",
                        "status": "done",
                        "kind": "lesson_delivery",
                        "date": dt.date(2026, 10, 5 + k),
                        "schools": [ZP_CORE, school],
                        "from_school": ZP_CORE,
                        "to_school": school,
                        "teachers": ["陈志强"],
                        "subject": "数学",
                        "lessons": 1,
                    },
                    alliance_id=a.id,
                    person_id=zheng.id,
                    reporter_name="郑建华",
                    message_id=None,
                    source_text=f"陈志强到{school}送教",
                )
            if i % 2:
                save_report(
                    s,
                    {
                        "intent": "activity",
                        "status": "done",
                        "kind": "inspection",
                        "date": dt.date(2026, 11, 2 + i),
                        "schools": [ZP_CORE, school],
                    },
                    alliance_id=a.id,
                    person_id=zheng.id,
                    reporter_name="郑建华",
                    message_id=None,
                    source_text=f"到{school}视导",
                )
        save_report(
            s,
            {
                "intent": "activity",
                "status": "done",
                "kind": "meeting",
                "date": dt.date(2026, 10, 30),
                "schools": [ZP_CORE, *ZP_MEMBERS],
            },
            alliance_id=a.id,
            person_id=zheng.id,
            reporter_name="郑建华",
            message_id=None,
            source_text="联盟工作会议",
        )
        s.commit()


async def ask_everywhere(live: LiveBot, text: str) -> dict[str, list[str]]:
    """The same command from the same principal on every route: route → message texts."""
    out: dict[str, list[str]] = {}
    _, out["wecom-aibot"] = await live.aibot_say("ZhengJianHua", text)
    _, out["wecom-app"] = await live.app_say("ZhengJianHua", text)
    _, out["onebot"] = await live.onebot_say(200164, text)
    before = len(live.qq_api.calls)
    assert await live.qq_post(live.qq_body(PRINCIPAL_OPENID, text)) == 200
    await live.bot.platforms.drain(timeout=10)
    out["qq"] = [c.body["content"] for c in live.qq_api.calls[before:] if "/v2/groups/" in c.path]
    return out


def check_screen(answers: dict[str, list[str]]) -> None:
    for route, messages in answers.items():
        assert len(messages) == 1, (route, messages)
        [m] = messages
        assert len(m.encode()) <= LIMITS[route], route
        assert len(m.splitlines()) <= SCREEN, (route, m)
        assert "…" not in m and "未显示" not in m, route  # nothing cut


async def test_progress_of_the_eight_school_alliance_fits_one_screen_everywhere(live):
    seed_zhangping(live)
    answers = await ask_everywhere(live, "/进度")
    check_screen(answers)
    plain = answers["onebot"][0]
    lines = plain.splitlines()
    assert lines[0].startswith(f"{ZHANGPING} 指标进度(截至 2026-11-23)")
    assert lines[1].startswith("共 53 项,落后 ")  # the summary line, second
    for school in ZP_MEMBERS:
        assert sum(1 for ln in lines if ln.startswith(f"· {school}:")) == 1
    assert answers["qq"][0] == plain and answers["wecom-app"][0] == plain  # plain text
    assert '<font color="warning">落后' in answers["wecom-aibot"][0]  # markdown colour
    assert "<font" not in plain


async def test_progress_of_one_school_and_assessment_fit_one_screen(live):
    seed_zhangping(live)
    school = check_and_get(await ask_everywhere(live, "/进度 城北小学"))
    assert school.splitlines()[0].startswith("城北小学 指标进度")
    assert "· 送教 2/1次 100%(本学期)\n  已完成" in school
    assessment = check_and_get(await ask_everywhere(live, "/考核 2026"))
    assert assessment.splitlines()[0] == f"{ZHANGPING} 2026年捆绑考核(百分制)"
    assert "每校占核心校捆绑得分的 20%÷7 = 2.9%" in assessment
    empty = check_and_get(await ask_everywhere(live, "/考核 2025"))
    assert "该年度没有记录" in empty


def check_and_get(answers: dict[str, list[str]]) -> str:
    check_screen(answers)
    return answers["onebot"][0]


MANY_TARGETS = [
    {
        "kind": kind,
        "measure": "count",
        "unit": "member_school",
        "period": "term",
        "minimum": 2,
        "label": label,
    }
    for kind, label in (
        ("lesson_delivery", "送教"),
        ("sync_class", "同步课堂"),
        ("joint_research", "联合教研"),
        ("demo_lesson", "示范课"),
        ("lecture_training", "讲座培训"),
        ("meeting", "会议"),
        ("student_activity", "学生活动"),
        ("competition", "比赛"),
        ("inspection", "视导"),
        ("resource_support", "资源支持"),
        ("open_day", "开放日"),
    )
]


@pytest.fixture
async def live_many_targets(db_url, tmp_path):
    wecom_api = await FakeWecomApi().start()
    qq_api = await FakeQQApi(QQ_APP_ID, QQ_SECRET).start()
    settings = bot_settings(db_url, tmp_path, wecom_api.url, qq_api.url)
    settings = settings.model_copy(update={"targets": MANY_TARGETS})
    engine = make_engine(db_url)
    upgrade(engine)
    import_roster_file(engine, str(SAMPLE_ROSTER))
    bot = BotApp(settings, clock=FakeClock(NOW), engine=engine)
    server = TestServer(bot.web_app(), host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        yield LiveBot(bot, server, session, FakeClock(NOW), wecom_api, qq_api)
    await server.close()
    await wecom_api.close()
    await qq_api.close()
    engine.dispose()


async def test_a_long_school_detail_is_paged(live_many_targets):
    live = live_many_targets
    seed_zhangping(live)
    first = check_and_get(await ask_everywhere(live, "/进度 城北小学"))
    assert first.splitlines()[-1] == "第 1/2 页,下一页:/进度 城北小学 第2页"
    second = check_and_get(await ask_everywhere(live, "/进度 城北小学 第2页"))
    assert second.splitlines()[-1] == "第 2/2 页(最后一页)"
    shown = [ln for ln in (first + "\n" + second).splitlines() if ln.startswith("· ")]
    assert len(shown) == len(MANY_TARGETS)  # every target once, none lost between pages
    _, [too_far] = await live.onebot_say(200164, "/进度 城北小学 第3页")
    assert "只有 2 页" in too_far


@pytest.mark.parametrize(
    "command", ["/统计", "/统计 本学年", "/明细", "/交流", "/帮助", "/考核", "/进度 本学年"]
)
async def test_every_principal_answer_fits_one_screen(live, command):
    seed_zhangping(live)
    check_screen(await ask_everywhere(live, command))


async def test_county_overview_for_the_admin(live):
    seed_zhangping(live)
    _, [overview] = await live.aibot_say("ZhouJianGuo", "/总览")
    lines = overview.splitlines()
    assert lines[0].startswith("全县联盟总览(2026-2027学年第一学期")
    for name in ("福海县第二小学联盟", ZHANGPING, "庆元县江滨小学教共体"):
        assert sum(1 for ln in lines if ln.startswith(f"· {name}:记录 ")) == 1
    assert len(lines) <= SCREEN
    _, [county] = await live.onebot_say(200213, "/统计 全县")
    assert county.startswith("全县活动统计") and f"· {ZHANGPING} " in county
    _, [progress] = await live.aibot_say("ZhouJianGuo", f"/进度 {ZHANGPING}")
    assert progress.startswith(f"{ZHANGPING} 指标进度")
    _, [denied] = await live.aibot_say("ZhengJianHua", "/总览")
    assert "仅限管理员" in denied


async def test_summary_docx_through_the_endpoint_counts_as_stats(live):
    import io
    import re

    from docx import Document

    seed_zhangping(live)
    _, [reply] = await live.onebot_say(200164, "/总结 本学年")  # 郑建华, core principal
    assert "工作总结草稿" in reply
    token = re.search(r"/download/([\w-]+)", reply).group(1)
    async with live.session.get(f"{live.url}/download/{token}") as r:
        assert r.status == 200
        assert "attachment" in r.headers["Content-Disposition"]
        doc = Document(io.BytesIO(await r.read()))
    _, [stats] = await live.onebot_say(200164, "/统计 本学年")
    kinds = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    for name, n, *_ in kinds[1:]:
        assert (f"合计 {n} 次" if name == "合计" else f"· {name} {n} 次") in stats
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"{ZHANGPING}为协作型学校联盟,核心校为{ZP_CORE},成员校 7 所" in text
    _, [denied] = await live.onebot_say(200171, "/总结")  # a teacher of a member school
    assert "仅限" in denied
