"""WeCom AI bot endpoint: messages, stream refresh, silence, rejections, retries, response_url."""

from __future__ import annotations

import json

import pytest

from bot.config import WecomAibotSettings
from bot.platforms.textlimits import utf8_len
from bot.platforms.wecom.aibot import WecomAibotAdapter
from bot.platforms.wecom.payloads import strip_leading_mention
from handlers.events import Mention, Reply
from tests.fakes.clock import FakeClock
from tests.fakes.sink import FailingSink, RecordingSink
from tests.fakes.wecom import WecomPlatform

from .conftest import FAST_RETRIES, SERVER

TOKEN, KEY = "aibot-token", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
NOW = 1_700_000_000
SETTINGS = WecomAibotSettings(token=TOKEN, encoding_aes_key=KEY, bot_name="联盟 助手")
PLATFORM = WecomPlatform(TOKEN, KEY, "")


def text_msg(
    content: str,
    msgid: str = "m1",
    chatid: str = "wrGroup1",
    chattype: str = "group",
    user: str = "zhangsan",
    response_url: str = "",
) -> dict:
    return {
        "msgid": msgid,
        "aibotid": "AIBOT",
        "chatid": chatid,
        "chattype": chattype,
        "from": {"userid": user},
        "response_url": response_url,
        "msgtype": "text",
        "text": {"content": content},
    }


@pytest.fixture
async def bot(serve, sink):
    adapter = WecomAibotAdapter(SETTINGS, sink, FakeClock(NOW), SERVER, retry_delays=FAST_RETRIES)
    client = await serve(adapter)
    return adapter, client


async def post(client, payload, ts: int = NOW):
    query, body = PLATFORM.json_callback(payload, ts)
    return await client.post("/wecom/aibot", params=query, data=body)


async def test_group_text(bot, sink):
    _, client = bot
    r = await post(client, text_msg("@联盟 助手\u2005/进度 本学期"))
    assert r.status == 200
    [msg] = sink.calls
    assert msg.text == "/进度 本学期" and msg.mentions_bot
    stream = PLATFORM.open_json_reply(await r.json())["stream"]
    assert stream["finish"] is True and stream["content"] == "收到:/进度 本学期"
    assert isinstance(stream["id"], str) and stream["id"]


async def test_private_chat_uses_userid(bot, sink):
    _, client = bot
    r = await post(client, text_msg("你好", chatid="", chattype="single", user="lisi"))
    assert r.status == 200
    [msg] = sink.calls
    assert msg.chat.chat_id == "lisi" and msg.chat.chat_type == "private" and msg.text == "你好"


async def test_mixed_message_joins_text_items(bot, sink):
    _, client = bot
    payload = {
        "msgid": "mix1",
        "chatid": "wrG",
        "chattype": "group",
        "from": {"userid": "u"},
        "msgtype": "mixed",
        "mixed": {
            "msg_item": [
                {"msgtype": "text", "text": {"content": "@RobotA 今天送教"}},
                {"msgtype": "image", "image": {"url": "https://x/img"}},
                {"msgtype": "text", "text": {"content": "数学两节"}},
            ]
        },
    }
    assert (await post(client, payload)).status == 200
    assert sink.calls[0].text == "今天送教\n数学两节"


async def test_stream_refresh_and_unknown_stream(bot, sink):
    _, client = bot
    first = PLATFORM.open_json_reply(await (await post(client, text_msg("hi", msgid="m9"))).json())
    sid = first["stream"]["id"]
    r = await post(client, {"msgid": "r1", "msgtype": "stream", "stream": {"id": sid}})
    again = PLATFORM.open_json_reply(await r.json())
    assert again["stream"] == {"id": sid, "finish": True, "content": "收到:hi"}
    r = await post(client, {"msgid": "r2", "msgtype": "stream", "stream": {"id": "nope"}})
    assert PLATFORM.open_json_reply(await r.json())["stream"] == {
        "id": "nope",
        "finish": True,
        "content": "",
    }
    assert len(sink.calls) == 1


async def test_silent_reply_and_events_get_empty_200(serve):
    sink = RecordingSink(lambda m: None if m.text == "闲聊" else Reply.silent())
    client = await serve(WecomAibotAdapter(SETTINGS, sink, FakeClock(NOW), SERVER))
    for payload in (
        text_msg("闲聊", msgid="a"),
        text_msg("quiet", msgid="b"),
        {
            "msgid": "e",
            "msgtype": "event",
            "event": {"eventtype": "enter_chat"},
            "from": {"userid": "u"},
        },
        {"msgid": "i", "msgtype": "image", "image": {"url": "u"}, "from": {"userid": "u"}},
    ):
        r = await post(client, payload)
        assert r.status == 200 and await r.read() == b""
    assert len(sink.calls) == 2


async def test_long_reply_is_cut_to_4096_bytes_on_a_character(serve):
    sink = RecordingSink(
        lambda m: Reply(text="进度" * 3000, mentions=(Mention("王老师", ids={"wecom": "wang"}),))
    )
    client = await serve(WecomAibotAdapter(SETTINGS, sink, FakeClock(NOW), SERVER))
    content = PLATFORM.open_json_reply(await (await post(client, text_msg("x"))).json())["stream"][
        "content"
    ]
    assert utf8_len(content) <= 4096 and content.endswith("…") and content.startswith("@王老师 ")


async def test_same_message_three_times(bot, sink):
    _, client = bot
    answers = []
    for _ in range(3):
        r = await post(client, text_msg("/统计", msgid="dup"))
        assert r.status == 200
        answers.append(PLATFORM.open_json_reply(await r.json()))
    assert len(sink.calls) == 3 and len(sink.handled) == 1
    assert answers[0] == answers[1] == answers[2]


async def test_bad_signature(bot, sink):
    _, client = bot
    query, body = PLATFORM.json_callback(text_msg("x"), NOW)
    r = await client.post("/wecom/aibot", params=dict(query, msg_signature="0" * 40), data=body)
    assert r.status == 403
    r = await client.post("/wecom/aibot", params={"timestamp": str(NOW), "nonce": "1"}, data=body)
    assert r.status == 401
    r = await client.get(
        "/wecom/aibot",
        params={"msg_signature": "0" * 40, "timestamp": str(NOW), "nonce": "1", "echostr": "abc"},
    )
    assert r.status == 403
    assert sink.calls == []


async def test_stale_timestamp(bot, sink):
    _, client = bot
    for ts in (NOW - 301, NOW + 301):
        r = await post(client, text_msg("x"), ts=ts)
        assert r.status == 403 and (await r.json())["error"] == "stale_timestamp"
    assert (await post(client, text_msg("x"), ts=NOW - 299)).status == 200
    assert len(sink.calls) == 1


@pytest.mark.parametrize(
    "body", [b"", b"not json", b"[1,2]", b'{"encrypt": 5}', b'{"encrypt": "%%%"}', b"{" * 5000]
)
async def test_malformed_bodies(bot, sink, body):
    _, client = bot
    enc = body.decode(errors="replace")
    query = PLATFORM.query(
        json.loads(body)["encrypt"] if body == b'{"encrypt": "%%%"}' else enc, NOW
    )
    r = await client.post("/wecom/aibot", params=query, data=body)
    assert r.status in (400, 403, 413) and r.status != 500
    assert sink.calls == []


async def test_signed_garbage_plaintext_is_400(bot, sink):
    _, client = bot
    for plain in (
        b"not json",
        b'{"msgtype":"text","text":{"content":"x"}}',
        b'{"msgtype":"stream"}',
    ):
        query, body = PLATFORM.json_callback(plain, NOW)
        r = await client.post("/wecom/aibot", params=query, data=body)
        assert r.status == 400
    assert sink.calls == []


async def test_oversized_body(bot, sink):
    _, client = bot
    query, body = PLATFORM.json_callback(text_msg("长" * 3000), NOW)
    assert len(body) > SERVER.max_body_bytes
    r = await client.post("/wecom/aibot", params=query, data=body)
    assert r.status == 413

    async def chunks():  # no Content-Length: cut off while reading
        for i in range(0, len(body), 1000):
            yield body[i : i + 1000]

    r = await client.post("/wecom/aibot", params=query, data=chunks())
    assert r.status == 413
    assert sink.calls == []


async def test_sink_failure_is_503_not_500(serve):
    sink = FailingSink()
    client = await serve(WecomAibotAdapter(SETTINGS, sink, FakeClock(NOW), SERVER))
    r = await post(client, text_msg("x"))
    assert r.status == 503 and sink.calls == 1


async def test_respond_later_posts_once(serve, sink, fake_wecom):
    adapter = WecomAibotAdapter(SETTINGS, sink, FakeClock(NOW), SERVER, retry_delays=FAST_RETRIES)
    client = await serve(adapter)
    url = f"{fake_wecom.url}/cgi-bin/aibot/response?response_code=RC1"
    await post(client, text_msg("导出", msgid="exp", response_url=url))
    assert adapter.response_urls.get("exp") == url
    fake_wecom.fail("response_url", "500")
    result = await adapter.respond_later(url, Reply(text="t", markdown="**导出完成**"))
    assert result.ok
    again = await adapter.respond_later(url, Reply(text="again"))
    assert not again.ok
    [call] = fake_wecom.delivered("response_url")
    assert call.body == {"msgtype": "markdown", "markdown": {"content": "**导出完成**"}}


def test_strip_leading_mention():
    assert strip_leading_mention("@RobotA hello robot") == ("hello robot", True)
    assert strip_leading_mention("@联盟 助手 进度", "联盟 助手") == ("进度", True)
    assert strip_leading_mention("  @Bot\u2005进度") == ("进度", True)
    assert strip_leading_mention("进度 @张三") == ("进度 @张三", False)
