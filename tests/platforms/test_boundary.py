"""The adapter boundary: no input gives a 500, the sink sees nothing unverified, logs hold no secrets."""

from __future__ import annotations

import logging

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import OneBotSettings, QQSettings, WecomAibotSettings, WecomAppSettings
from bot.platforms.onebot.http import OneBotHttpAdapter
from bot.platforms.onebot.ws import OneBotWsAdapter
from bot.platforms.qq.webhook import QQWebhookAdapter
from bot.platforms.wecom.aibot import WecomAibotAdapter
from bot.platforms.wecom.app import WecomAppAdapter
from tests.fakes.clock import FakeClock
from tests.fakes.onebot import group_event
from tests.fakes.sink import RecordingSink
from tests.fakes.wecom import WecomPlatform

from .conftest import SERVER

KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
SECRETS = ("SECRET-TOKEN-1", "SECRET-ONEBOT-2", "SECRET-QQ-3", "SECRET-WS-4", KEY)
PATHS = ["/wecom/aibot", "/wecom/app", "/onebot", "/onebot/ws", "/qq/webhook"]


def adapters(sink, clock):
    return [
        WecomAibotAdapter(
            WecomAibotSettings(token=SECRETS[0], encoding_aes_key=KEY), sink, clock, SERVER
        ),
        WecomAppAdapter(
            WecomAppSettings(corp_id="wwcorp", token=SECRETS[0], encoding_aes_key=KEY),
            sink,
            clock,
            SERVER,
        ),
        OneBotHttpAdapter(OneBotSettings(secret=SECRETS[1]), sink, clock, SERVER),
        OneBotWsAdapter(OneBotSettings(access_token=SECRETS[3]), sink, clock, SERVER),
        QQWebhookAdapter(QQSettings(app_id="1", secret=SECRETS[2]), sink, clock, SERVER),
    ]


@pytest.fixture
async def everything():
    sink = RecordingSink()
    app = web.Application()
    parts = adapters(sink, FakeClock(1_700_000_000))
    for a in parts:
        a.add_routes(app)
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    yield client, sink
    for a in parts:
        await a.close()
    await client.close()


query_values = st.one_of(st.none(), st.text(max_size=50), st.from_regex(r"\A[0-9]{1,12}\Z"))
header_values = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=140)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    path=st.sampled_from(PATHS),
    method=st.sampled_from(["GET", "POST"]),
    body=st.one_of(
        st.binary(max_size=300), st.just(b'{"encrypt":"AAAA"}'), st.just(group_event("x"))
    ),
    query=st.dictionaries(
        st.sampled_from(["msg_signature", "timestamp", "nonce", "echostr", "access_token"]),
        query_values.filter(lambda v: v is not None),
        max_size=4,
    ),
    headers=st.dictionaries(
        st.sampled_from(
            [
                "X-Signature",
                "X-Signature-Ed25519",
                "X-Signature-Timestamp",
                "Authorization",
                "X-Self-ID",
                "Content-Type",
            ]
        ),
        header_values,
        max_size=4,
    ),
)
async def test_no_input_gives_500_nor_reaches_the_sink(
    everything, path, method, body, query, headers
):
    client, sink = everything
    r = await client.request(
        method, path, params=query, data=body if method == "POST" else None, headers=headers
    )
    assert r.status < 500, (path, r.status)
    assert sink.calls == []


async def test_rejection_logs_hold_no_secrets_or_bodies(everything, caplog):
    client, sink = everything
    caplog.set_level(logging.DEBUG, logger="bot.platforms")
    platform = WecomPlatform(SECRETS[0], KEY, "")
    query, body = platform.json_callback({"msgid": "m", "text": {"content": "机密内容"}}, 1)
    await client.post("/wecom/aibot", params=query, data=body)
    await client.post(
        "/onebot", data=b'{"secret":"BODY-MARKER"}', headers={"X-Signature": "sha1=00"}
    )
    await client.post(
        "/qq/webhook",
        data=b'{"op":0,"d":"BODY-MARKER"}',
        headers={"X-Signature-Ed25519": "00" * 64, "X-Signature-Timestamp": "1700000000"},
    )
    await client.get(
        "/onebot/ws", headers={"Authorization": "Bearer not-" + SECRETS[3], "X-Self-ID": "1"}
    )
    text = caplog.text
    assert "rejected" in text
    for needle in (*SECRETS, "BODY-MARKER", "机密内容", query["msg_signature"], body.decode()[:30]):
        assert needle not in text
    assert sink.calls == []
