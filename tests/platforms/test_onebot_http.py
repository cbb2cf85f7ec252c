"""OneBot v11 HTTP POST endpoint."""

from __future__ import annotations

import json

import pytest

from bot.config import OneBotSettings
from bot.platforms.onebot.http import OneBotHttpAdapter
from handlers.events import Mention, Reply
from tests.fakes.clock import FakeClock
from tests.fakes.onebot import group_event, hmac_signature
from tests.fakes.sink import FailingSink, RecordingSink

from .conftest import SERVER

SECRET = "some-secret"


@pytest.fixture
async def client(serve, sink):
    return await serve(OneBotHttpAdapter(OneBotSettings(secret=SECRET), sink, FakeClock(), SERVER))


async def post(client, body: bytes, secret: str | None = SECRET, **headers):
    h = {"Content-Type": "application/json", "X-Self-ID": "10001000", **headers}
    if secret:
        h["X-Signature"] = hmac_signature(secret, body)
    return await client.post("/onebot", data=body, headers=h)


def test_hmac_primitive_rfc2202(vectors):
    from tests.fakes.onebot import hmac_signature as sig

    v = vectors["rfc2202_hmac_sha1_case2"]
    assert sig(v["key"], v["data"].encode()) == "sha1=" + v["digest"]


async def test_hmac_vector(client, sink, vectors):
    v = vectors["onebot_hmac"]
    body = v["body"].encode()
    assert len(body) == 336 and hmac_signature(v["secret"], body) == v["signature"]
    r = await client.post(
        "/onebot",
        data=body,
        headers={"X-Signature": v["signature"], "Content-Type": "application/json"},
    )
    assert r.status == 200
    [msg] = sink.calls
    assert (msg.platform, msg.chat.chat_id, msg.chat.chat_type) == ("onebot", "123456", "group")
    assert (
        msg.text == "hello"
        and msg.mentions_bot
        and msg.sender_id == "12345678"
        and msg.message_id == "12"
    )
    assert msg.sender_name == "nick" and int(msg.sent_at.timestamp()) == 1515204254
    assert await r.json() == {"reply": "收到:hello", "at_sender": False, "auto_escape": True}


async def test_missing_and_wrong_signature(client, sink, vectors):
    body = vectors["onebot_hmac"]["body"].encode()
    assert (await post(client, body, secret=None)).status == 401
    assert (await post(client, body, secret="wrong")).status == 403
    r = await client.post(
        "/onebot", data=body + b" ", headers={"X-Signature": vectors["onebot_hmac"]["signature"]}
    )
    assert r.status == 403
    assert sink.calls == []


async def test_array_message_with_reply_and_escapes(client, sink, onebot_events):
    r = await post(client, json.dumps(onebot_events["group_array"]).encode())
    assert r.status == 200
    [msg] = sink.calls
    assert msg.text == "本周 [进度] & 统计" and msg.mentions_bot and msg.sender_name == "李老师"


async def test_string_message_not_at_me(client, sink, onebot_events):
    await post(client, json.dumps(onebot_events["group_string_other_at"]).encode())
    [msg] = sink.calls
    assert msg.text == "@20002000 今天送教 [数学]" and not msg.mentions_bot


async def test_private_message(client, sink, onebot_events):
    await post(client, json.dumps(onebot_events["private"]).encode())
    [msg] = sink.calls
    assert msg.chat.chat_type == "private" and msg.chat.chat_id == "12345678" and msg.mentions_bot


@pytest.mark.parametrize("name", ["heartbeat", "lifecycle", "notice", "own_message"])
async def test_non_messages_get_204(client, sink, onebot_events, name):
    r = await post(client, json.dumps(onebot_events[name]).encode())
    assert r.status == 204 and sink.calls == []


async def test_mentions_become_at_segments(serve):
    sink = RecordingSink(
        lambda m: Reply(
            text="请补报", mentions=(Mention("王", ids={"onebot": "555"}), Mention("李"))
        )
    )
    client = await serve(
        OneBotHttpAdapter(OneBotSettings(allow_unsigned=True), sink, FakeClock(), SERVER)
    )
    r = await client.post("/onebot", data=group_event("[CQ:at,qq=10001000] x"))
    quick = await r.json()
    assert quick["at_sender"] is False
    assert quick["reply"] == [
        {"type": "at", "data": {"qq": "555"}},
        {"type": "text", "data": {"text": " "}},
        {"type": "text", "data": {"text": "@李 请补报"}},
    ]


async def test_silent_reply_is_204(serve):
    client = await serve(
        OneBotHttpAdapter(
            OneBotSettings(allow_unsigned=True), RecordingSink(lambda m: None), FakeClock(), SERVER
        )
    )
    assert (await client.post("/onebot", data=group_event("闲聊"))).status == 204


async def test_no_secret_configured_accepts_unsigned(serve, sink):
    client = await serve(
        OneBotHttpAdapter(OneBotSettings(allow_unsigned=True), sink, FakeClock(), SERVER)
    )
    assert (await client.post("/onebot", data=group_event("hi"))).status == 200


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"null",
        b"{",
        b"[]",
        b'{"post_type":"message","message_type":"group"}',
        group_event({"not": "a message"}),
        b"\xff" * 10,
        b"[" * 3000,
    ],
)
async def test_malformed(client, sink, body):
    r = await post(client, body)
    assert r.status == 400 and sink.calls == []


async def test_oversized(client, sink):
    body = group_event("长" * 2000)
    assert (await post(client, body)).status == 413

    async def chunks():
        for i in range(0, len(body), 512):
            yield body[i : i + 512]

    r = await client.post(
        "/onebot", data=chunks(), headers={"X-Signature": hmac_signature(SECRET, body)}
    )
    assert r.status == 413 and sink.calls == []


async def test_same_message_three_times(client, sink):
    body = group_event("[CQ:at,qq=10001000] /进度", message_id=99)
    answers = [await (await post(client, body)).json() for _ in range(3)]
    assert len(sink.calls) == 3 and len(sink.handled) == 1
    assert answers[0] == answers[1] == answers[2]


async def test_sink_failure_is_503(serve):
    client = await serve(
        OneBotHttpAdapter(OneBotSettings(allow_unsigned=True), FailingSink(), FakeClock(), SERVER)
    )
    assert (await client.post("/onebot", data=group_event("x"))).status == 503
