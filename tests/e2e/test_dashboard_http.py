"""The dashboard over HTTP (no browser): links, cookie, 401 / 403, figures, downloads."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import re
from html import unescape

import aiohttp
import pytest
from openpyxl import load_workbook

from tests.e2e.dashboard_data import ADMIN, add_admin, link_of, load_reports


@pytest.fixture
async def live(live):
    # A browser keeps cookies of http://127.0.0.1; aiohttp's jar needs `unsafe` for that.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        live.session = session
        yield live


async def _open(live, link: str):
    """Open a link as a browser would: follow the redirect, keep the cookie."""
    path = link.split("bot.example", 1)[1]
    async with live.session.get(f"{live.url}{path}", allow_redirects=False) as r:
        return r.status, r.headers, await r.text()


async def test_link_cookie_pages_and_refusals(live):
    await load_reports(live)
    _, [reply] = await live.aibot_say("WuXueHong", "/看板")
    assert "吴学红的看板(福海县第二小学联盟,只读)" in reply and "7 天内有效" in reply
    link = link_of(reply)
    status, headers, _ = await _open(live, link)
    assert status == 303 and headers["Location"] == "/dash/a/1"
    cookie = headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/dash" in cookie
    async with live.session.get(f"{live.url}/dash/a/1") as r:
        assert r.status == 200
        html = await r.text()
        assert r.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "福海县第二小学联盟" in html and 'id="chart-cumulative"' in html
    # Figures: every /进度 line appears on the page.
    # /进度 answers one line per school; "/进度 学校" (paged) lists that school's targets.
    from sqlmodel import Session

    from handlers.targets import alliance_schools

    with Session(live.bot.engine) as s:
        info = alliance_schools(s, 1)
    lines: list[str] = []
    for school in [x for x in (info.core, *info.members) if x]:
        page = 1
        while True:
            _, [detail] = await live.aibot_say("WuXueHong", f"/进度 {school} 第{page}页")
            lines += re.findall(r"· (\S+ \d+/\d+\S+ \d+%)", detail)
            if f"第{page + 1}页" not in detail:
                break
            page += 1
    page_lines = [unescape(x) for x in re.findall(r'data-line="([^"]+)"', html)]
    assert lines and sorted(lines) == sorted(page_lines)
    # Another alliance's page: 403, whether it exists or not.
    for aid in (2, 99):
        async with live.session.get(f"{live.url}/dash/a/{aid}") as r:
            assert r.status == 403
    async with live.session.get(f"{live.url}/dash/county") as r:
        assert r.status == 403
    # The /导出 download from the page.
    async with live.session.get(f"{live.url}/dash/a/1/export?period=本学年") as r:
        assert r.status == 200
        wb = load_workbook(io.BytesIO(await r.read()))
    assert "活动台账" in wb.sheetnames
    async with live.session.get(f"{live.url}/dash/a/1/export?period=十三月") as r:
        assert r.status == 400


async def test_forged_expired_and_revoked_links_get_401(live):
    add_admin(live.bot.engine)
    _, [reply] = await live.aibot_say("WuXueHong", "/看板")
    link = link_of(reply)
    token = link.rsplit("/", 1)[1]
    forged = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    status, _, body = await _open(live, forged)
    assert status == 401 and "链接无效" in body
    status, _, body = await _open(live, link.replace(token, "x" + token[1:]))
    assert status == 401
    # Without a cookie.
    live.session.cookie_jar.clear()
    async with live.session.get(f"{live.url}/dash/a/1") as r:
        assert r.status == 401 and "/看板" in await r.text()
    # Revoked by the admin: the link and the session opened with it both stop.
    status, _, _ = await _open(live, link)
    assert status == 303
    _, [rev] = await live.aibot_say(ADMIN[1], "/看板 撤销 吴学红")
    assert "已撤销吴学红的 1 个看板链接" in rev
    async with live.session.get(f"{live.url}/dash/a/1") as r:
        assert r.status == 401 and "撤销" in await r.text()
    _, [denied] = await live.aibot_say("WuXueHong", "/看板 撤销 张炜")
    assert "仅限管理员" in denied
    # Expired: 7 days later.
    _, [reply] = await live.aibot_say("WuXueHong", "/看板")
    link = link_of(reply)
    live.clock.advance(dt.timedelta(days=7, seconds=1).total_seconds())
    live.session.cookie_jar.clear()
    status, _, body = await _open(live, link)
    assert status == 401 and "已过期" in body


async def test_admin_county_teacher_view_and_assets(live):
    await load_reports(live)
    add_admin(live.bot.engine)
    _, [reply] = await live.aibot_say(ADMIN[1], "/看板")
    assert "全县各联盟" in reply
    status, headers, _ = await _open(live, link_of(reply))
    assert status == 303 and headers["Location"] == "/dash/county"
    async with live.session.get(f"{live.url}/dash/county") as r:
        html = await r.text()
    assert r.status == 200
    for name in ("福海县第二小学联盟", "漳平市实验小学教育联盟", "庆元县江滨小学教共体"):
        assert name in html
    async with live.session.get(f"{live.url}/dash/a/2") as r:
        assert r.status == 200 and "城关小学" in await r.text()
    # A teacher: own school's targets, records of their school or their own reports.
    live.session.cookie_jar.clear()
    _, [reply] = await live.aibot_say("LinXiaoYan", "/看板")
    await _open(live, link_of(reply))
    async with live.session.get(f"{live.url}/dash/a/1") as r:
        html = await r.text()
    assert 'data-school="解乡小学"' in html and 'data-school="一农场小学"' not in html
    assert "下载" not in html.split('id="records"')[1]
    async with live.session.get(f"{live.url}/dash/a/1/export") as r:
        assert r.status == 403
    async with live.session.get(f"{live.url}/dash/a/1?school=一农场小学") as r:
        assert "教师只能查看本校" in await r.text()
    # Assets are served gzipped by the bot itself.
    async with live.session.get(
        f"{live.url}/dash/static/echarts.dash.min.js",
        headers={"Accept-Encoding": "gzip"},
        auto_decompress=False,
    ) as r:
        body = await r.read()
        assert r.status == 200 and r.headers["Content-Encoding"] == "gzip"
    assert b"echarts" in gzip.decompress(body)[:2000].lower() or len(body) > 100_000


async def test_month_by_month_counts_equal_one_evaluate_per_day(live):
    """The chart's batched counting (evaluate_days) gives what evaluate gives day by day."""
    from sqlmodel import Session

    from handlers.periods import school_year_of
    from handlers.targets import DEFAULT_RULES, evaluate, evaluate_days

    await load_reports(live)
    with Session(live.bot.engine) as s:
        live.session.cookie_jar.clear()
        await live.aibot_say("ZhangWei", "9月1日起马欣瑞到解小交流轮岗一年")
        year = school_year_of(dt.date(2026, 11, 23))
        days = [
            dt.date(2026, 9, 30),
            dt.date(2026, 10, 15),
            dt.date(2026, 10, 31),
            dt.date(2026, 11, 23),
        ]
        for kw in ({}, {"span": year, "until": True}, {"school": "解乡小学", "until": True}):
            many = evaluate_days(s, 1, DEFAULT_RULES, days, **kw)
            one = [evaluate(s, 1, DEFAULT_RULES, d, **kw) for d in days]
            assert many == one
            assert any(r.done for r in many[-1])
        # Counting until a day drops what came later.
        sept = evaluate(s, 1, DEFAULT_RULES, dt.date(2026, 9, 30), span=year, until=True)
        nov = evaluate(s, 1, DEFAULT_RULES, dt.date(2026, 11, 23), span=year, until=True)
        assert sum(r.done for r in sept) < sum(r.done for r in nov)


async def test_a_changed_role_ends_the_link(live):
    """A link is tied to the role it was made for: a principal moved to teacher must ask
    again (and then gets the teacher's view)."""
    from sqlmodel import Session, select

    from storage.models import Person

    _, [reply] = await live.aibot_say("HaoWuLan", "/看板")
    status, _, _ = await _open(live, link_of(reply))
    assert status == 303
    async with live.session.get(f"{live.url}/dash/a/1") as r:
        assert r.status == 200 and "下载" in await r.text()
    with Session(live.bot.engine) as s:
        p = s.exec(select(Person).where(Person.name == "好吾兰")).one()
        p.role = "teacher"
        s.add(p)
        s.commit()
    async with live.session.get(f"{live.url}/dash/a/1") as r:
        assert r.status == 401 and "身份已变更" in await r.text()
    _, [again] = await live.aibot_say("HaoWuLan", "/看板")
    await _open(live, link_of(again))
    async with live.session.get(f"{live.url}/dash/a/1") as r:
        html = await r.text()
    assert r.status == 200 and "教师视图" in html and 'id="downloads"' not in html


async def test_the_chart_is_cumulative_and_ends_at_todays_figure(live):
    import json

    from sqlmodel import Session

    from handlers.periods import school_year_of
    from handlers.targets import DEFAULT_RULES, completion, evaluate

    await load_reports(live)
    _, [reply] = await live.aibot_say("WuXueHong", "/看板")
    await _open(live, link_of(reply))
    async with live.session.get(f"{live.url}/dash/a/1") as r:
        html = await r.text()
    data = json.loads(
        unescape(
            re.search(
                r'<script type="application/json" id="chart-data">(.*?)</script>', html, re.S
            ).group(1)
        )
    )
    c = data["cumulative"]
    assert c["labels"][:4] == ["9月", "10月", "11月", "12月"] and len(c["labels"]) == 12
    actual = [v for v in c["actual"] if v is not None]
    assert len(actual) == 3 and actual == sorted(actual) and actual[-1] > 0
    assert c["pace"] == sorted(c["pace"]) and c["pace"][-1] == 100.0
    with Session(live.bot.engine) as s:
        today = dt.date(2026, 11, 23)
        res = evaluate(s, 1, DEFAULT_RULES, today, span=school_year_of(today), until=True)
    assert actual[-1] == round(sum(completion(r.done, r.minimum) for r in res) / len(res) * 100, 1)
    months = data["monthly"]
    assert sum(sum(k["data"]) for k in months["kinds"]) == 10  # the ten reports, all done
