"""Outbound pushers against the fake platform APIs."""

from __future__ import annotations

import asyncio

import pytest

from bot.config import OneBotSettings, WecomAppSettings, WecomWebhookSettings
from bot.platforms.onebot.client import OneBotPusher
from bot.platforms.qq.client import QQPusher
from bot.platforms.registry import RoutingPusher
from bot.platforms.textlimits import utf8_len
from bot.platforms.wecom.client import WecomAppPusher, WecomWebhookPusher
from handlers.events import Attachment, ChatRef, Mention, OutboundMessage
from tests.fakes.clock import FakeClock

from .conftest import FAST_RETRIES

GROUP = ChatRef("wecom", "wrGroup1")


def webhook(fake, clock=None, per_minute: int = 20, **kw) -> WecomWebhookPusher:
    clock = clock or FakeClock()
    kw.setdefault("sleep", clock.sleep)
    return WecomWebhookPusher(
        WecomWebhookSettings(api_base=fake.url, per_minute=per_minute),
        clock,
        retry_delays=FAST_RETRIES,
        **kw,
    )


def msg(text: str = "明天 9:00 联片教研", **kw) -> OutboundMessage:
    kw.setdefault("push_key", "KEY1")
    return OutboundMessage(target=GROUP, text=text, **kw)


@pytest.fixture
async def closing():
    pushers = []
    yield pushers.append
    for p in pushers:
        await p.close()


# -- WeCom group robot ------------------------------------------------------------------------
async def test_webhook_text_with_mentions(fake_wecom, closing):
    p = webhook(fake_wecom)
    closing(p)
    m = msg(mentions=(Mention("王老师", ids={"wecom": "wang"}), Mention("李老师")))
    assert (await p.push(m)).ok
    [call] = fake_wecom.delivered("webhook/send")
    assert call.query["key"] == "KEY1"
    assert call.body == {
        "msgtype": "text",
        "text": {"content": "@李老师 明天 9:00 联片教研", "mentioned_list": ["wang"]},
    }


async def test_webhook_markdown_mentions_and_split(fake_wecom, closing):
    p = webhook(fake_wecom)
    closing(p)
    body = "\n".join(f"- 第{i}所学校 **完成 {i}%**" for i in range(400))
    m = msg(markdown=body, mentions=(Mention("王", ids={"wecom": "wang"}),))
    assert (await p.push(m)).ok
    calls = fake_wecom.delivered("webhook/send")
    assert len(calls) > 1 and all(c.body["msgtype"] == "markdown" for c in calls)
    contents = [c.body["markdown"]["content"] for c in calls]
    n = len(contents)
    assert contents[0].startswith(f"<@wang>\n(1/{n})\n- 第0所学校")  # numbered parts
    assert all(utf8_len(c) <= 4096 for c in contents)
    unnumbered = [c.replace("<@wang>\n", "").split("\n", 1)[1] for c in contents]
    assert [c.split("\n", 2)[-2 if i == 0 else 0] for i, c in enumerate(contents)][1:] == [
        f"({i}/{n})" for i in range(2, n + 1)
    ]
    assert "\n".join(unnumbered) == body


async def test_webhook_file(fake_wecom, closing):
    p = webhook(fake_wecom)
    closing(p)
    att = Attachment("进度.xlsx", b"PK\x03\x04 fake xlsx")
    assert (await p.push(msg(text="导出如下", attachment=att))).ok
    [up] = fake_wecom.delivered("webhook/upload_media")
    assert up.query == {"key": "KEY1", "type": "file"}
    assert up.body == {"filename": "进度.xlsx", "content": b"PK\x03\x04 fake xlsx"}
    text, file = fake_wecom.delivered("webhook/send")
    assert text.body["text"]["content"] == "导出如下"
    assert file.body["msgtype"] == "file" and file.body["file"]["media_id"].startswith("MEDIA")


async def test_webhook_pacing_21st_waits(fake_wecom, closing):
    clock = FakeClock()
    p = webhook(fake_wecom, clock)
    closing(p)
    for i in range(20):
        assert (await p.push(msg(f"第{i}条"))).ok
    assert clock.sleeps == []
    assert (await p.push(msg("第21条"))).ok
    assert clock.sleeps and abs(sum(clock.sleeps) - 60) < 0.01
    assert len(fake_wecom.delivered("webhook/send")) == 21
    # Another robot key has its own budget.
    assert (await p.push(msg("别的群", push_key="KEY2"))).ok
    assert abs(sum(clock.sleeps) - 60) < 0.01


async def test_webhook_pacing_real_sleep_tiny_window(fake_wecom, closing):
    from handlers.ports import SystemClock

    p = WecomWebhookPusher(
        WecomWebhookSettings(api_base=fake_wecom.url, per_minute=2),
        SystemClock(),
        retry_delays=FAST_RETRIES,
        window_s=0.2,
    )
    closing(p)
    loop = asyncio.get_running_loop()
    start = loop.time()
    for i in range(3):
        assert (await p.push(msg(f"{i}"))).ok
    assert loop.time() - start >= 0.18


@pytest.mark.parametrize("failure", ["500", "429", "45009", "-1"])
async def test_webhook_retry_then_success_delivers_once(fake_wecom, closing, failure):
    p = webhook(fake_wecom)
    closing(p)
    fake_wecom.fail("webhook/send", failure)
    result = await p.push(msg())
    assert result.ok
    assert len(fake_wecom.attempts("webhook/send")) == 2
    assert len(fake_wecom.delivered("webhook/send")) == 1


async def test_webhook_timeout_then_success(fake_wecom, closing):
    p = webhook(fake_wecom, timeout_s=0.1)
    closing(p)
    fake_wecom.fail("webhook/send", "timeout")
    assert (await p.push(msg())).ok
    assert len(fake_wecom.delivered("webhook/send")) == 1


async def test_webhook_gives_up_after_last_try(fake_wecom, closing):
    p = webhook(fake_wecom)
    closing(p)
    fake_wecom.fail("webhook/send", "500", "500", "45009", "500")
    result = await p.push(msg())
    assert not result.ok and result.retryable and "500" in result.error
    assert len(fake_wecom.attempts("webhook/send")) == 4  # 1 + len(retry_delays)
    assert fake_wecom.delivered("webhook/send") == []


async def test_webhook_non_retryable_errors(fake_wecom, closing):
    p = webhook(fake_wecom)
    closing(p)
    result = await p.push(msg(push_key="bad-key"))
    assert not result.ok and not result.retryable and "93000" in result.error
    assert len(fake_wecom.attempts("webhook/send")) == 1
    result = await p.push(msg(push_key=None))
    assert not result.ok and "push_key" in result.error


async def test_idempotency_key_never_sends_twice(fake_wecom, closing):
    p = webhook(fake_wecom)
    closing(p)
    m = msg(idempotency_key="reminder-7-2026-05-01")
    first = await p.push(m)
    results = await asyncio.gather(p.push(m), p.push(m))
    assert first.ok and all(r == first for r in results)
    assert len(fake_wecom.delivered("webhook/send")) == 1


async def test_partly_sent_message_resumes_without_repeats(fake_wecom, closing):
    p = webhook(fake_wecom)
    closing(p)
    m = msg(
        text="\n".join(f"第{i}行 " + "内容" * 30 for i in range(40)), idempotency_key="digest-1"
    )
    # Let the first part through, then fail the second one four times.
    original = fake_wecom.intercept
    seen = {"n": 0}

    async def intercept(endpoint, request, body):
        if endpoint == "webhook/send":
            seen["n"] += 1
            if seen["n"] == 2:
                fake_wecom.fail("webhook/send", "500", "500", "500", "500")
        return await original(endpoint, request, body)

    fake_wecom.intercept = intercept
    first = await p.push(m)
    assert not first.ok and first.retryable
    delivered_before = [c.body["text"]["content"] for c in fake_wecom.delivered("webhook/send")]
    assert len(delivered_before) == 1
    second = await p.push(m)
    assert second.ok
    contents = [c.body["text"]["content"] for c in fake_wecom.delivered("webhook/send")]
    assert len(contents) == len(set(contents))  # nothing sent twice
    assert "\n".join(c.split("\n", 1)[1] for c in contents) == m.text  # after "(i/n)"


# -- WeCom self-built app ---------------------------------------------------------------------
def app_pusher(fake, clock=None) -> WecomAppPusher:
    settings = WecomAppSettings(
        corp_id=fake.corp_id,
        secret=fake.secret,
        agent_id=1000002,
        token="t",
        encoding_aes_key="k" * 43,
        api_base=fake.url,
    )
    return WecomAppPusher(settings, clock or FakeClock(), retry_delays=FAST_RETRIES)


async def test_app_private_and_appchat(fake_wecom, closing):
    p = app_pusher(fake_wecom)
    closing(p)
    r1 = await p.push(OutboundMessage(target=ChatRef("wecom", "wangwu", "private"), text="请补报"))
    r2 = await p.push(
        OutboundMessage(target=ChatRef("wecom", "chat1"), text="群提醒", markdown="**群提醒**")
    )
    assert r1.ok and r1.platform_message_id == "msg1" and r2.ok
    [send] = fake_wecom.delivered("message/send")
    assert send.body == {
        "touser": "wangwu",
        "agentid": 1000002,
        "msgtype": "text",
        "text": {"content": "请补报"},
        "safe": 0,
        "enable_duplicate_check": 1,
        "duplicate_check_interval": 1800,
    }
    [chat] = fake_wecom.delivered("appchat/send")
    assert chat.body == {
        "chatid": "chat1",
        "msgtype": "markdown",
        "markdown": {"content": "**群提醒**"},
        "safe": 0,
    }
    assert len(fake_wecom.delivered("gettoken")) == 1  # cached
    assert send.query["access_token"] == chat.query["access_token"] == "TOKEN1"


async def test_app_token_refreshed_once_on_42001(fake_wecom, closing):
    p = app_pusher(fake_wecom)
    closing(p)
    target = ChatRef("wecom", "wangwu", "private")
    assert (await p.push(OutboundMessage(target=target, text="1"))).ok
    fake_wecom.expire_tokens()
    assert (await p.push(OutboundMessage(target=target, text="2"))).ok
    assert len(fake_wecom.delivered("gettoken")) == 2
    assert [c.query["access_token"] for c in fake_wecom.attempts("message/send")] == [
        "TOKEN1",
        "TOKEN1",
        "TOKEN2",
    ]
    # Expired by the clock: fetched again before use, no failed call.
    fake_wecom.fail("message/send", "40014", "40014")  # two token errors in a row: give up
    result = await p.push(OutboundMessage(target=target, text="3"))
    assert not result.ok and "40014" in result.error


async def test_app_token_expiry_by_clock(fake_wecom, closing):
    clock = FakeClock()
    p = app_pusher(fake_wecom, clock)
    closing(p)
    target = ChatRef("wecom", "u", "private")
    await p.push(OutboundMessage(target=target, text="a"))
    clock.advance(7200 - 61)
    await p.push(OutboundMessage(target=target, text="b"))
    assert len(fake_wecom.delivered("gettoken")) == 1
    clock.advance(2)
    await p.push(OutboundMessage(target=target, text="c"))
    assert len(fake_wecom.delivered("gettoken")) == 2


async def test_app_file_and_long_text(fake_wecom, closing):
    p = app_pusher(fake_wecom)
    closing(p)
    m = OutboundMessage(
        target=ChatRef("wecom", "chat1"),
        text="统" * 1000,
        attachment=Attachment("a.xlsx", b"12345"),
    )
    assert (await p.push(m)).ok
    sends = fake_wecom.delivered("appchat/send")
    assert [c.body["msgtype"] for c in sends] == ["text", "text", "file"]
    assert all(utf8_len(c.body["text"]["content"]) <= 2048 for c in sends[:2])
    assert fake_wecom.delivered("media/upload")[0].body["filename"] == "a.xlsx"


# -- OneBot / QQ / routing ---------------------------------------------------------------------
async def test_onebot_http_push_with_mentions_and_retries(fake_onebot, closing):
    p = OneBotPusher(
        OneBotSettings(api_url=fake_onebot.url, access_token="ob-token"), retry_delays=FAST_RETRIES
    )
    closing(p)
    fake_onebot.fail("send_group_msg", "500")
    m = OutboundMessage(
        target=ChatRef("onebot", "123456"),
        text="提醒",
        mentions=(Mention("王", ids={"onebot": "555"}),),
    )
    result = await p.push(m)
    assert result.ok and result.platform_message_id == "1"
    [call] = fake_onebot.delivered("send_group_msg")
    assert call.body == {
        "group_id": 123456,
        "message": [
            {"type": "at", "data": {"qq": "555"}},
            {"type": "text", "data": {"text": " "}},
            {"type": "text", "data": {"text": "提醒"}},
        ],
    }
    private = await p.push(OutboundMessage(target=ChatRef("onebot", "42", "private"), text="hi"))
    assert private.ok and fake_onebot.delivered("send_private_msg")[0].body["user_id"] == 42


async def test_onebot_push_errors(fake_onebot, closing):
    bad = OneBotPusher(
        OneBotSettings(api_url=fake_onebot.url, access_token="wrong"), retry_delays=FAST_RETRIES
    )
    closing(bad)
    r = await bad.push(OutboundMessage(target=ChatRef("onebot", "1"), text="x"))
    assert not r.ok and not r.retryable and "403" in r.error
    p = OneBotPusher(
        OneBotSettings(api_url=fake_onebot.url, access_token="ob-token"), retry_delays=FAST_RETRIES
    )
    closing(p)
    fake_onebot.fail("send_group_msg", "retcode100")
    r = await p.push(OutboundMessage(target=ChatRef("onebot", "1"), text="x"))
    assert not r.ok and "100" in r.error
    r = await p.push(OutboundMessage(target=ChatRef("onebot", "not-a-number"), text="x"))
    assert not r.ok
    nowhere = OneBotPusher(OneBotSettings(), retry_delays=FAST_RETRIES)
    r = await nowhere.push(OutboundMessage(target=ChatRef("onebot", "1"), text="x"))
    assert not r.ok and r.retryable


async def test_qq_pusher_refuses_without_calling(fake_qq):
    r = await QQPusher().push(OutboundMessage(target=ChatRef("qq", "GROUP1"), text="提醒"))
    assert not r.ok and not r.retryable and "2025-04-21" in r.error
    assert fake_qq.calls == []


async def test_routing_pusher(fake_wecom, closing):
    hook = webhook(fake_wecom)
    closing(hook)
    router = RoutingPusher({"wecom-webhook": hook, "qq": QQPusher()})
    assert (await router.push(msg())).ok
    r = await router.push(OutboundMessage(target=GROUP, text="x"))  # no key → the app, not enabled
    assert not r.ok and "wecom-app" in r.error
    assert not (await router.push(OutboundMessage(target=ChatRef("qq", "G"), text="x"))).ok
