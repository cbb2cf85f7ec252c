"""QQ open-platform webhook: official vectors, ack-then-reply, dedup, rejections."""

from __future__ import annotations

import json

import pytest

from bot.config import QQSettings
from bot.platforms.qq.signing import QQSigner, derive_seed
from bot.platforms.qq.webhook import QQWebhookAdapter
from handlers.events import Reply
from tests.fakes.clock import FakeClock
from tests.fakes.qq import QQPlatform
from tests.fakes.sink import FailingSink, RecordingSink

from .conftest import FAST_RETRIES, SERVER

NOW = 1_700_000_000
SECRET = "qq-secret"
PLATFORM = QQPlatform(SECRET)


def adapter_for(settings: QQSettings, sink, ts: int = NOW) -> QQWebhookAdapter:
    return QQWebhookAdapter(settings, sink, FakeClock(ts), SERVER, retry_delays=FAST_RETRIES)


@pytest.fixture
async def qq(serve, sink, fake_qq):
    settings = QQSettings(
        app_id="11111111",
        secret=SECRET,
        api_base=fake_qq.url,
        token_url=f"{fake_qq.url}/app/getAppAccessToken",
    )
    adapter = adapter_for(settings, sink)
    return adapter, await serve(adapter)


async def signed_post(client, body: bytes, ts: int = NOW, platform: QQPlatform = PLATFORM):
    return await client.post("/qq/webhook", data=body, headers=platform.headers(body, ts))


# -- official vectors --------------------------------------------------------------------------
def test_key_derivation_vectors(vectors):
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    for name in ("qq_op13", "qq_sign", "qq_botgo"):
        v = vectors[name]
        assert derive_seed(v["secret"]) == v["seed"].encode()
    for name in ("qq_op13", "qq_sign"):
        pub = QQSigner(vectors[name]["secret"]).public_key.public_bytes(
            Encoding.Raw, PublicFormat.Raw
        )
        assert pub.hex() == vectors[name]["public_key"]


async def test_op13_official_vector(serve, sink, vectors):
    v = vectors["qq_op13"]
    client = await serve(
        adapter_for(QQSettings(app_id=v["app_id"], secret=v["secret"]), sink, v["event_ts"] + 2)
    )
    r = await client.post(
        "/qq/webhook",
        data=v["body"].encode(),
        headers={"User-Agent": "QQBot-Callback", "X-Bot-Appid": v["app_id"]},
    )
    assert r.status == 200
    assert await r.json() == {"plain_token": v["plain_token"], "signature": v["signature"]}
    assert sink.calls == []


async def test_op13_refuses_to_sign_anything_but_a_token(serve, sink, vectors):
    """An unsigned op 13 must not be a signing oracle for forged callbacks."""
    v = vectors["qq_op13"]
    client = await serve(
        adapter_for(QQSettings(app_id=v["app_id"], secret=v["secret"]), sink, v["event_ts"])
    )
    forged_body = '{"op":0,"t":"GROUP_AT_MESSAGE_CREATE","d":{}}'
    for d in (
        {"plain_token": forged_body, "event_ts": str(v["event_ts"])},
        {"plain_token": "abc", "event_ts": "1"},  # outside the window
        {"plain_token": "abc", "event_ts": 1725442341},
        {},
    ):
        r = await client.post("/qq/webhook", data=json.dumps({"op": 13, "d": d}).encode())
        assert r.status in (400, 403), d


async def test_op13_with_signature_headers_is_verified(serve, sink, vectors):
    v = vectors["qq_op13"]
    ts = v["event_ts"]
    client = await serve(adapter_for(QQSettings(app_id=v["app_id"], secret=v["secret"]), sink, ts))
    body = v["body"].encode()
    good = QQPlatform(v["secret"]).headers(body, ts)
    assert (await client.post("/qq/webhook", data=body, headers=good)).status == 200
    bad = QQPlatform("someone-else").headers(body, ts)
    assert (await client.post("/qq/webhook", data=body, headers=bad)).status == 403


async def test_signature_vector_2_pretty_printed_body(serve, sink, vectors):
    v = vectors["qq_sign"]
    client = await serve(
        adapter_for(QQSettings(app_id="1", secret=v["secret"]), sink, int(v["timestamp"]))
    )
    headers = {"X-Signature-Ed25519": v["signature"], "X-Signature-Timestamp": v["timestamp"]}
    r = await client.post("/qq/webhook", data=v["body_pretty"].encode(), headers=headers)
    assert r.status == 200 and await r.json() == {"op": 12, "d": 0}
    # The doc's one-line rendering of the same JSON does not carry that signature.
    r = await client.post("/qq/webhook", data=v["body_one_line"].encode(), headers=headers)
    assert r.status == 403


async def test_signature_vector_3_botgo(serve, sink, vectors):
    v = vectors["qq_botgo"]
    client = await serve(
        adapter_for(QQSettings(app_id="1", secret=v["secret"]), sink, int(v["timestamp"]))
    )
    headers = {"X-Signature-Ed25519": v["signature"], "X-Signature-Timestamp": v["timestamp"]}
    r = await client.post("/qq/webhook", data=v["body"].encode(), headers=headers)
    assert r.status == 200 and await r.json() == {"op": 12, "d": 0}
    r = await client.post(
        "/qq/webhook", data=v["body"].replace("哦一下", "哦两下").encode(), headers=headers
    )
    assert r.status == 403
    # A signature with the high bits of its last byte set is refused before verifying.
    sig = v["signature"][:-2] + "ff"
    r = await client.post(
        "/qq/webhook",
        data=v["body"].encode(),
        headers=dict(headers, **{"X-Signature-Ed25519": sig}),
    )
    assert r.status == 403
    assert sink.calls == []


# -- messages ----------------------------------------------------------------------------------
async def test_group_at_message_ack_then_reply(qq, sink, fake_qq, vectors):
    adapter, client = qq
    r = await signed_post(client, QQPlatform.group_at("MSG1", content=" 123"))
    assert r.status == 200 and await r.json() == {"op": 12, "d": 0}
    await adapter.drain(timeout=5)
    [msg] = sink.calls
    assert msg.text == "123" and msg.chat.chat_id == "GROUP1" and msg.sender_id == "MEMBER1"
    assert msg.sent_at.isoformat() == "2023-11-06T13:37:18+08:00"
    [call] = fake_qq.delivered("groups")
    assert call.path == "/v2/groups/GROUP1/messages"
    assert call.body == {"content": "收到:123", "msg_type": 0, "msg_id": "MSG1", "msg_seq": 1}
    assert call.headers["Authorization"] == "QQBot QQTOKEN1"
    [token_call] = fake_qq.delivered("token")
    assert token_call.body == {"appId": "11111111", "clientSecret": SECRET}


async def test_c2c_message(qq, sink, fake_qq):
    adapter, client = qq
    body = json.dumps(
        {
            "id": "e",
            "op": 0,
            "t": "C2C_MESSAGE_CREATE",
            "d": {
                "author": {"user_openid": "USER9"},
                "content": "你好",
                "id": "C2C1",
                "timestamp": "2024-10-15T16:33:15+08:00",
            },
        }
    ).encode()
    assert (await signed_post(client, body)).status == 200
    await adapter.drain(timeout=5)
    assert sink.calls[0].chat.chat_type == "private" and sink.calls[0].chat.chat_id == "USER9"
    [call] = fake_qq.delivered("users")
    assert call.path == "/v2/users/USER9/messages"


async def test_same_msg_id_three_times_replies_once(qq, sink, fake_qq):
    adapter, client = qq
    answers = []
    for _ in range(3):
        r = await signed_post(client, QQPlatform.group_at("DUP"))
        answers.append((r.status, await r.json()))
    await adapter.drain(timeout=5)
    assert answers == [(200, {"op": 12, "d": 0})] * 3
    assert len(sink.calls) == 3 and len(sink.handled) == 1
    assert len(fake_qq.delivered("groups")) == 1


async def test_token_cached_and_refreshed_after_expiry(qq, sink, fake_qq):
    adapter, client = qq
    for i in range(3):
        await signed_post(client, QQPlatform.group_at(f"T{i}"))
        await adapter.drain(timeout=5)
    assert len(fake_qq.delivered("token")) == 1  # cached
    fake_qq.expire_tokens()  # the platform forgets it: 401, refresh once, retry once
    await signed_post(client, QQPlatform.group_at("T9"))
    await adapter.drain(timeout=5)
    assert len(fake_qq.delivered("token")) == 2
    assert fake_qq.delivered("groups")[-1].headers["Authorization"] == "QQBot QQTOKEN2"
    adapter.clock.advance(7200 - 59)  # inside the last 60 s: fetched anew
    await signed_post(client, QQPlatform.group_at("T10"), ts=NOW + 7200 - 59)
    await adapter.drain(timeout=5)
    assert len(fake_qq.delivered("token")) == 3


async def test_reply_retried_on_500_and_long_reply_split(serve, sink, fake_qq):
    settings = QQSettings(
        app_id="11111111",
        secret=SECRET,
        api_base=fake_qq.url,
        token_url=f"{fake_qq.url}/app/getAppAccessToken",
    )
    sink = RecordingSink(lambda m: Reply(text="行\n" * 3000, link="https://bot.example/d/1"))
    adapter = adapter_for(settings, sink)
    client = await serve(adapter)
    fake_qq.fail("groups", "500")
    await signed_post(client, QQPlatform.group_at("LONG"))
    await adapter.drain(timeout=5)
    calls = fake_qq.delivered("groups")
    assert [c.body["msg_seq"] for c in calls] == [1, 2, 3, 4, 5]
    assert all(len(c.body["content"].encode()) <= 2000 for c in calls)
    assert calls[-1].body["content"] == "下载链接: https://bot.example/d/1"
    assert len(fake_qq.attempts("groups")) == 6


async def test_expires_in_as_number_and_string(serve, sink, fake_qq):
    fake_qq.expires_in = 7200  # some answers use a number
    settings = QQSettings(
        app_id="11111111",
        secret=SECRET,
        api_base=fake_qq.url,
        token_url=f"{fake_qq.url}/app/getAppAccessToken",
    )
    adapter = adapter_for(settings, sink)
    client = await serve(adapter)
    await signed_post(client, QQPlatform.group_at("N1"))
    await adapter.drain(timeout=5)
    assert len(fake_qq.delivered("groups")) == 1


async def test_sink_failure_nacks(serve, fake_qq):
    sink = FailingSink()
    client = await serve(
        adapter_for(QQSettings(app_id="1", secret=SECRET, api_base=fake_qq.url), sink)
    )
    r = await signed_post(client, QQPlatform.group_at("F"))
    assert r.status == 200 and await r.json() == {"op": 12, "d": 1}


async def test_other_events_and_heartbeat(qq, sink):
    _, client = qq
    body = json.dumps({"op": 0, "t": "GROUP_ADD_ROBOT", "d": {"group_openid": "G"}}).encode()
    assert await (await signed_post(client, body)).json() == {"op": 12, "d": 0}
    assert await (await signed_post(client, b'{"op":1,"d":42}')).json() == {"op": 11, "d": 42}
    assert sink.calls == []


# -- rejections --------------------------------------------------------------------------------
async def test_missing_bad_stale_signature(qq, sink):
    _, client = qq
    body = QQPlatform.group_at("X")
    assert (await client.post("/qq/webhook", data=body)).status == 401
    assert (await signed_post(client, body, platform=QQPlatform("wrong-secret"))).status == 403
    headers = PLATFORM.headers(body, NOW)
    headers["X-Signature-Ed25519"] = "zz" * 64
    assert (await client.post("/qq/webhook", data=body, headers=headers)).status == 403
    r = await signed_post(client, body, ts=NOW - 301)
    assert r.status == 403 and (await r.json())["error"] == "stale_timestamp"
    headers = PLATFORM.headers(body, NOW)
    del headers["X-Signature-Timestamp"]
    assert (await client.post("/qq/webhook", data=body, headers=headers)).status == 401
    assert (await client.post("/qq/webhook", data=b"garbage")).status == 401
    assert sink.calls == []


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b'{"op":0,"t":"GROUP_AT_MESSAGE_CREATE","d":[]}',
        b'{"op":0,"t":"GROUP_AT_MESSAGE_CREATE","d":{"author":{},"id":"x"}}',
        b'{"op":0,"t":"C2C_MESSAGE_CREATE","d":{"author":{"user_openid":5},"id":"x"}}',
    ],
)
async def test_malformed_signed_bodies(qq, sink, body):
    _, client = qq
    assert (await signed_post(client, body)).status == 400
    assert sink.calls == []


async def test_oversized(qq, sink):
    _, client = qq
    body = QQPlatform.group_at("BIG", content="长" * 2000)
    assert (await signed_post(client, body)).status == 413
    assert sink.calls == []


async def test_a_quote_written_as_text_arrives_apart(qq, sink):
    from handlers.events import Quote

    adapter, client = qq
    content = " 回复 @张炜: 谢谢张老师"
    r = await signed_post(client, QQPlatform.group_at("Q1", content=content))
    assert r.status == 200
    await adapter.drain(timeout=5)
    [msg] = sink.calls
    assert msg.text == "谢谢张老师" and msg.quote == Quote(sender_name="张炜")
