"""The dashboard in a real browser: Debian's Chromium driven by Playwright.

The bot runs with its real web application on a loopback port (tests.e2e.conftest), the
reports and the /看板 request go through the fake WeCom platform, and Chromium opens the
link: charts drawn (SVG with paths), no console errors, the page's figures equal
/进度's, no horizontal scroll at 360 × 740, screenshots in the test's temp directory, a
second alliance's link refused (403), a forged or expired link 401.
"""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

import aiohttp
import pytest

from tests.e2e.dashboard_data import ADMIN, add_admin, link_of, load_reports

CHROMIUM = os.environ.get("ALLIANCE_BOT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed"),
]


@pytest.fixture
async def browser():
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        b = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            await b.close()


class Tab:
    """A browser tab that records console errors and failed requests."""

    def __init__(self, page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.outside: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", self._request)

    def _request(self, req) -> None:
        if not req.url.startswith(("http://127.0.0.1", "data:")):
            self.outside.append(req.url)


async def _tab(browser, width: int = 360, height: int = 740) -> Tab:
    ctx = await browser.new_context(
        viewport={"width": width, "height": height},
        device_scale_factor=2 if width < 500 else 1,
        locale="zh-CN",
        is_mobile=width < 500,
        has_touch=width < 500,
    )
    return Tab(await ctx.new_page())


def _local(live, link: str) -> str:
    return live.url + link.split("bot.example", 1)[1]


async def _charts_drawn(page, ids: list[str]) -> None:
    for cid in ids:
        await page.wait_for_selector(f"#{cid} svg path", state="attached", timeout=10_000)
        paths = await page.eval_on_selector_all(f"#{cid} svg path", "els => els.length")
        box = await page.eval_on_selector(f"#{cid} svg", "e => [e.clientWidth, e.clientHeight]")
        assert paths > 5 and box[0] > 200 and box[1] > 150, (cid, paths, box)


async def _no_horizontal_scroll(page) -> None:
    sw, cw = await page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sw <= cw, f"horizontal scroll: {sw} > {cw}"


async def test_principal_alliance_page_in_chromium(live, browser, tmp_path):
    await load_reports(live)
    _, [reply] = await live.aibot_say("WuXueHong", "/看板")
    link = link_of(reply)
    tab = await _tab(browser)
    page = tab.page
    resp = await page.goto(_local(live, link))
    assert resp.status == 200 and page.url.endswith("/dash/a/1")
    cookies = await page.context.cookies()
    c = next(c for c in cookies if c["name"] == "ab_dash")
    assert c["httpOnly"] and c["sameSite"] == "Lax" and c["path"] == "/dash"
    assert await page.evaluate("document.cookie") == ""  # not readable by scripts
    await _charts_drawn(page, ["chart-cumulative", "chart-monthly"])
    await _no_horizontal_scroll(page)

    # The figures: every target line of /进度, school by school, as the page shows it. /进度
    # answers a line per school; "/进度 学校" (paged) lists that school's targets.
    _, [progress] = await live.aibot_say("WuXueHong", "/进度")
    from sqlmodel import Session

    from handlers.targets import alliance_schools

    with Session(live.bot.engine) as s:
        info = alliance_schools(s, 1)
    expected: dict[str, list[str]] = {}
    for school in [x for x in (info.core, *info.members) if x]:
        page_no = 1
        while True:
            _, [detail] = await live.aibot_say("WuXueHong", f"/进度 {school} 第{page_no}页")
            expected.setdefault(school, []).extend(
                re.findall(r"^· (\S+ \d+/\d+\S+ \d+%)", detail, re.M)
            )
            if f"第{page_no + 1}页" not in detail:
                break
            page_no += 1
    # The core school's targets are the alliance's own: the page heads them 联盟整体 ("").
    if info.core in expected:
        expected[""] = expected.pop(info.core)
    shown = await page.eval_on_selector_all(
        ".school",
        "els => els.map(e => [e.dataset.school, Array.from("
        "e.querySelectorAll('.target')).map(t => t.querySelector('.tlabel').textContent + ' ' "
        "+ t.querySelector('.tnum').textContent)])",
    )
    assert {s: sorted(v) for s, v in shown} == {s: sorted(v) for s, v in expected.items()}
    total = re.search(r"共 (\d+) 项", progress)
    assert total and await page.text_content("#stat-total") == total.group(1)
    behind = re.search(r"落后 (\d+) 项", progress)
    assert await page.text_content("#stat-behind") == (behind.group(1) if behind else "0")
    # Schools behind come first.
    behinds = await page.eval_on_selector_all(
        ".school", "els => els.map(e => e.querySelectorAll('.target.late').length)"
    )
    assert behinds == sorted(behinds, reverse=True)

    await page.screenshot(path=str(tmp_path / "alliance-360.png"), full_page=True)

    # The record filter: kind and school, and the original message of a record.
    await page.select_option("select[name=kind]", "lesson_delivery")
    await page.select_option("select[name=school]", "解乡小学")
    await page.click(".filters button")
    await page.wait_for_load_state()
    rows = await page.eval_on_selector_all(".record .kind", "els => els.map(e => e.textContent)")
    assert rows and set(rows) == {"送教下乡"}
    await page.click(".record summary")
    assert "秋天的雨" in await page.text_content(".record .source")
    await _no_horizontal_scroll(page)
    await page.screenshot(path=str(tmp_path / "alliance-filtered-360.png"), full_page=True)

    # A desktop window: the same page, two columns.
    desk = await _tab(browser, 1280, 900)
    await desk.page.context.add_cookies(cookies)
    await desk.page.goto(f"{live.url}/dash/a/1")
    await _charts_drawn(desk.page, ["chart-cumulative", "chart-monthly"])
    await _no_horizontal_scroll(desk.page)
    await desk.page.screenshot(path=str(tmp_path / "alliance-desktop.png"), full_page=True)
    assert tab.errors == [] and desk.errors == []
    assert tab.outside == [] and desk.outside == []  # nothing loaded from elsewhere

    # Page and assets under 300 KB compressed, measured as served.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as s:
        s.cookie_jar.update_cookies({"ab_dash": c["value"]})
        total_bytes = 0
        async with s.get(f"{live.url}/dash/a/1", headers={"Accept-Encoding": "gzip"}) as r:
            html = await r.text()
            total_bytes += len(gzip.compress(html.encode(), 6))
        for src in re.findall(r'(?:src|href)="(/dash/static/[^"]+)"', html):
            async with s.get(
                live.url + src, headers={"Accept-Encoding": "gzip"}, auto_decompress=False
            ) as r:
                assert r.headers.get("Content-Encoding") == "gzip"
                total_bytes += len(await r.read())
    print(f"alliance page + assets, gzip: {total_bytes / 1024:.0f} KB")
    assert total_bytes < 300 * 1024


async def test_county_page_and_refusals_in_chromium(live, browser, tmp_path):
    await load_reports(live)
    add_admin(live.bot.engine)
    _, [admin_reply] = await live.aibot_say(ADMIN[1], "/看板")
    tab = await _tab(browser)
    page = tab.page
    await page.goto(_local(live, link_of(admin_reply)))
    assert page.url.endswith("/dash/county")
    await _charts_drawn(page, ["chart-county"])
    await _no_horizontal_scroll(page)
    names = await page.eval_on_selector_all(
        "#alliances tbody td:first-child", "els => els.map(e => e.textContent.trim())"
    )
    assert sorted(names) == sorted(
        ["福海县第二小学联盟", "漳平市实验小学教育联盟", "庆元县江滨小学教共体"]
    )
    # Sort by records, descending on the second click.
    await page.click("#alliances th:nth-child(3)")
    await page.click("#alliances th:nth-child(3)")
    counts = await page.eval_on_selector_all(
        "#alliances tbody td:nth-child(3)", "els => els.map(e => +e.dataset.v)"
    )
    assert counts == sorted(counts, reverse=True) and counts[0] > 0
    await page.screenshot(path=str(tmp_path / "county-360.png"), full_page=True)
    # Click into an alliance.
    await page.click("#alliances a >> text=漳平市实验小学教育联盟")
    await page.wait_for_url("**/dash/a/2")
    await _charts_drawn(page, ["chart-cumulative"])
    assert tab.errors == [] and tab.outside == []

    # The second alliance's principal: their own page, 403 on the first's.
    _, [other] = await live.app_say("ZhengJianHua", "/看板")
    t2 = await _tab(browser)
    r = await t2.page.goto(_local(live, link_of(other)))
    assert r.status == 200 and t2.page.url.endswith("/dash/a/2")
    r = await t2.page.goto(f"{live.url}/dash/a/1")
    assert r.status == 403 and "只能查看本联盟" in await t2.page.text_content("body")
    assert "福海县第二小学联盟" not in await t2.page.content()
    await t2.page.screenshot(path=str(tmp_path / "forbidden-360.png"))

    # Forged and expired links: 401.
    _, [mine] = await live.aibot_say("WuXueHong", "/看板")
    link = link_of(mine)
    t3 = await _tab(browser)
    r = await t3.page.goto(_local(live, link[:-4] + "abcd"))
    assert r.status == 401 and "链接无效" in await t3.page.text_content("body")
    live.clock.advance(7 * 86400 + 1)
    r = await t3.page.goto(_local(live, link))
    assert r.status == 401 and "已过期" in await t3.page.text_content("body")
    await t3.page.screenshot(path=str(tmp_path / "expired-360.png"))
    # The admin's session expired too (same 7 days).
    r = await page.goto(f"{live.url}/dash/county")
    assert r.status == 401
