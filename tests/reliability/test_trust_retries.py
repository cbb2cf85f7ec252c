"""Issue 12, push retries, through the pushers the app really uses against the fake
platforms: a send that times out but arrived is not shown twice (the platform's own
deduplication where it has one, a longer wait where it has none), and 429 Retry-After is
honoured."""

from __future__ import annotations

from bot.config import OneBotSettings, WecomAppSettings, WecomWebhookSettings
from bot.platforms.onebot.client import OneBotPusher
from bot.platforms.qq.webhook import QQWebhookAdapter
from bot.platforms.wecom.client import WecomAppPusher, WecomWebhookPusher
from handlers.events import ChatRef, OutboundMessage
from tests.fakes.clock import FakeClock
from tests.fakes.onebot import FakeOneBotApi
from tests.fakes.wecom import FakeWecomApi

FAST = (0.01, 0.02, 0.04)
TIMEOUT = 0.25  # the pushers' base timeout here; a "slow" answer comes after 0.4 s


def msg(target: ChatRef, text: str = "明天 9:00 联片教研", **kw) -> OutboundMessage:
    return OutboundMessage(target=target, text=text, **kw)


async def test_slow_but_delivered_push_is_not_sent_twice_where_nothing_dedups():
    wecom = await FakeWecomApi().start()
    onebot = await FakeOneBotApi("ob").start()
    robot = WecomWebhookPusher(
        WecomWebhookSettings(api_base=wecom.url), FakeClock(), retry_delays=FAST, timeout_s=TIMEOUT
    )
    ob = OneBotPusher(
        OneBotSettings(api_url=onebot.url, access_token="ob"), retry_delays=FAST, timeout_s=TIMEOUT
    )
    try:
        wecom.fail("webhook/send", "slow:0.4")
        assert (await robot.push(msg(ChatRef("wecom", "g"), push_key="k"))).ok
        assert len(wecom.attempts("webhook/send")) == 1  # waited instead of retrying
        onebot.fail("send_group_msg", "slow:0.4")
        assert (await ob.push(msg(ChatRef("onebot", "80001")))).ok
        assert len(onebot.attempts("send_group_msg")) == 1
    finally:
        await robot.close()
        await ob.close()
        await wecom.close()
        await onebot.close()


async def test_wecom_app_retry_after_a_timeout_is_deduplicated_by_wecom():
    wecom = await FakeWecomApi().start()
    app = WecomAppPusher(
        WecomAppSettings(
            corp_id="wwcorp",
            agent_id=1000002,
            secret="app-secret",
            token="t",
            encoding_aes_key="k" * 43,
            api_base=wecom.url,
        ),
        FakeClock(),
        retry_delays=FAST,
        timeout_s=TIMEOUT,
    )
    try:
        wecom.fail("message/send", "slow:0.4")  # arrives, but after our timeout: retried
        assert (await app.push(msg(ChatRef("wecom", "wangwu", "private")))).ok
        tries = wecom.attempts("message/send")
        assert len(tries) == 2 and all(t.body["enable_duplicate_check"] == 1 for t in tries)
        assert len(wecom.delivered("message/send")) == 1  # WeCom dropped the repeat
    finally:
        await app.close()
        await wecom.close()


async def test_qq_passive_reply_retry_after_a_timeout_is_sent_once(sqlite_live, caplog):
    live = sqlite_live
    http = live.bot.platforms.adapter(QQWebhookAdapter).api.http
    http.retry_delays, http.timeout_s = FAST, TIMEOUT
    live.qq_api.fail("groups", "slow:0.4")
    body = live.qq_body("M-SLOW", "/帮助", msg_id="ROBOT1.0_slow")
    assert await live.qq_post(body) == 200
    await live.bot.platforms.drain(timeout=10)
    tries = [c for c in live.qq_api.attempts("groups") if c.body.get("msg_id") == "ROBOT1.0_slow"]
    assert len(tries) >= 2 and tries[0].body["msg_seq"] == tries[1].body["msg_seq"] == 1
    delivered = [
        c for c in live.qq_api.delivered("groups") if c.body.get("msg_id") == "ROBOT1.0_slow"
    ]
    seqs = [c.body["msg_seq"] for c in delivered]
    assert seqs == list(range(1, len(seqs) + 1)), seqs  # every part once, the first not twice
    # QQ refusing the retried part as a duplicate means it arrived: the reply goes on
    assert not [r for r in caplog.records if "failed at part" in r.getMessage()]


async def test_429_retry_after_is_honoured():
    wecom = await FakeWecomApi().start()
    sleeps: list[float] = []

    async def sleep(s: float) -> None:
        sleeps.append(s)

    robot = WecomWebhookPusher(
        WecomWebhookSettings(api_base=wecom.url),
        FakeClock(),
        retry_delays=FAST,
        sleep=sleep,
        timeout_s=TIMEOUT,
    )
    try:
        wecom.fail("webhook/send", "429:7")
        assert (await robot.push(msg(ChatRef("wecom", "g"), push_key="k"))).ok
        assert sleeps == [7.0]
        assert len(wecom.delivered("webhook/send")) == 1
        # a Retry-After beyond what a push may wait ends the push (retryable: tried later)
        wecom.fail("webhook/send", "429:3600")
        result = await robot.push(msg(ChatRef("wecom", "g"), push_key="k", text="另一条"))
        assert not result.ok and result.retryable
        assert sleeps == [7.0]
    finally:
        await robot.close()
        await wecom.close()
