"""Regenerate the dashboard screenshots in docs/img/ (headless Chromium, as the tests use).

    .venv/bin/python docs/screenshots.py [--out docs/img]

Runs the real bot on a loopback port with a temporary SQLite database, the sample roster
and the reports of tests/e2e/dashboard_data.py sent through the fake WeCom platform (the
clock at 2026-11-23), asks /看板 as the principal 吴学红 and as a county admin, and
saves: the alliance page on a phone (360 px: first screen, progress, charts, records),
on a desktop, and the county page on a phone and a desktop.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


async def main(out: Path) -> None:
    import aiohttp
    from aiohttp.test_utils import TestServer
    from playwright.async_api import async_playwright

    from bot.app import BotApp
    from storage.db import make_engine, upgrade
    from storage.roster_import import import_roster_file
    from tests.conftest import SAMPLE_ROSTER
    from tests.e2e.conftest import NOW, QQ_APP_ID, QQ_SECRET, LiveBot, bot_settings
    from tests.e2e.dashboard_data import ADMIN, add_admin, link_of, load_reports
    from tests.fakes.clock import FakeClock
    from tests.fakes.qq import FakeQQApi
    from tests.fakes.wecom import FakeWecomApi

    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="ab_shots_"))
    url = f"sqlite:///{tmp / 'shots.db'}"
    wecom_api = await FakeWecomApi().start()
    qq_api = await FakeQQApi(QQ_APP_ID, QQ_SECRET).start()
    engine = make_engine(url)
    upgrade(engine)
    import_roster_file(engine, str(SAMPLE_ROSTER))
    add_admin(engine)
    bot = BotApp(
        bot_settings(url, tmp, wecom_api.url, qq_api.url), clock=FakeClock(NOW), engine=engine
    )
    server = TestServer(bot.web_app(), host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as session:
            live = LiveBot(bot, server, session, bot.clock, wecom_api, qq_api)  # type: ignore[arg-type]
            await load_reports(live)
            _, [principal] = await live.aibot_say("WuXueHong", "/看板")
            _, [admin] = await live.aibot_say(ADMIN[1], "/看板")

        def local(reply: str) -> str:
            return live.url + link_of(reply).split("bot.example", 1)[1]

        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            phone = await browser.new_context(
                viewport={"width": 360, "height": 740},
                device_scale_factor=2,
                is_mobile=True,
                has_touch=True,
                locale="zh-CN",
            )
            page = await phone.new_page()
            await page.goto(local(principal))
            await page.wait_for_selector("#chart-monthly svg path", state="attached")
            await page.screenshot(path=str(out / "dashboard-alliance-phone.png"))
            for section, name in (
                ("#progress", "progress"),
                ("#chart-cumulative", "charts"),
                ("#records", "records"),
            ):
                await page.locator(section).scroll_into_view_if_needed()
                await page.evaluate(
                    f"document.querySelector('{section}').closest('section').scrollIntoView()"
                )
                await page.screenshot(path=str(out / f"dashboard-alliance-phone-{name}.png"))
            desk_ctx = await browser.new_context(
                viewport={"width": 1280, "height": 900}, locale="zh-CN"
            )
            desk = await desk_ctx.new_page()
            await desk.goto(local(principal))
            await desk.wait_for_selector("#chart-monthly svg path", state="attached")
            await desk.screenshot(path=str(out / "dashboard-alliance-desktop.png"), full_page=True)
            await page.goto(local(admin))
            await page.wait_for_selector("#chart-county svg path", state="attached")
            await page.screenshot(path=str(out / "dashboard-county-phone.png"), full_page=True)
            await desk.goto(local(admin))
            await desk.wait_for_selector("#chart-county svg path", state="attached")
            await desk.screenshot(path=str(out / "dashboard-county-desktop.png"), full_page=True)
            await browser.close()
    finally:
        await server.close()
        await wecom_api.close()
        await qq_api.close()
        engine.dispose()
    for p in sorted(out.glob("dashboard-*.png")):
        print(
            f"{p.relative_to(ROOT) if p.is_relative_to(ROOT) else p}: {p.stat().st_size // 1024} KB"
        )


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    asyncio.run(main(ap.parse_args().out))
