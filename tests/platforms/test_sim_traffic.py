"""The simulators against one server with every adapter (as `alliance-bot simulate` uses them)."""

from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.config import Settings
from bot.platforms.onebot.ws import OneBotWsAdapter
from bot.platforms.registry import build_platforms
from bot.platforms.sim_traffic import (
    LocalQQApi,
    simulate,
    simulate_onebot_http,
    simulate_onebot_ws,
    simulate_qq,
    simulate_wecom_aibot,
    simulate_wecom_app,
)
from bot.platforms.wecom.aibot import WecomAibotAdapter
from handlers.ports import SystemClock
from tests.fakes.sink import RecordingSink

KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"


@pytest.fixture
async def world():
    async with LocalQQApi() as qq_api:
        settings = Settings(
            wecom={
                "aibot": {"token": "t1", "encoding_aes_key": KEY, "bot_name": "联盟助手"},
                "app": {
                    "corp_id": "wwcorp",
                    "agent_id": 1000002,
                    "token": "t2",
                    "encoding_aes_key": KEY,
                },
            },
            onebot={"secret": "s3", "access_token": "a3"},
            qq={
                "app_id": "11111111",
                "secret": "qq-secret-qq-secret",
                **qq_api.settings_overrides(),
            },
        )
        sink = RecordingSink()
        platforms = build_platforms(settings, sink, SystemClock())
        app = web.Application()
        platforms.add_routes(app)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        await platforms.start()
        yield settings, str(server.make_url("")).rstrip("/"), qq_api, sink, platforms
        await platforms.drain(timeout=5)
        await platforms.close()
        await server.close()


async def test_all_simulators(world):
    settings, url, qq_api, sink, platforms = world
    r = await simulate_wecom_aibot(settings.wecom.aibot, url, "/进度")
    assert r.status == 200 and r.replies == ["收到:/进度"]
    r = await simulate_wecom_app(settings.wecom.app, url, "/统计")
    assert r.status == 200 and r.replies == ["收到:/统计"]
    r = await simulate_onebot_http(settings.onebot, url, "你好")
    assert r.status == 200 and r.replies == ["收到:你好"]
    r = await simulate_onebot_ws(settings.onebot, url, "ws 你好")
    assert r.status == 200 and r.replies == ["收到:ws 你好"]
    r = await simulate_qq(settings.qq, url, "qq 你好", qq_api)
    assert r.status == 200 and r.replies == ["收到:qq 你好"] and r.raw == {"op": 12, "d": 0}
    assert [m.platform for m in sink.calls] == ["wecom", "wecom", "onebot", "onebot", "qq"]
    assert isinstance(platforms.adapter(WecomAibotAdapter), WecomAibotAdapter)
    assert isinstance(platforms.adapter(OneBotWsAdapter), OneBotWsAdapter)


async def test_simulate_dispatch_and_wrong_secret(world):
    settings, url, _, _, _ = world
    r = await simulate(settings, "onebot", "x", base_url=url)
    assert r.replies == ["收到:x"]
    wrong = settings.onebot.model_copy(update={"secret": "nope"})
    assert (await simulate_onebot_http(wrong, url, "x")).status == 403
    wrong_ws = settings.onebot.model_copy(update={"access_token": "nope"})
    assert (await simulate_onebot_ws(wrong_ws, url, "x")).status == 403
    with pytest.raises(ValueError):
        await simulate(
            settings.model_copy(
                update={
                    "qq": settings.qq.model_copy(update={"api_base": "https://api.sgroup.qq.com"})
                }
            ),
            "qq",
            "x",
            base_url=url,
        )
