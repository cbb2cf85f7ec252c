"""OneBot v11 reverse WebSocket, driven by a real aiohttp WebSocket client (as NapCat)."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest

from bot.config import OneBotSettings
from bot.platforms.onebot.client import OneBotPusher
from bot.platforms.onebot.ws import OneBotWsAdapter
from handlers.events import ChatRef, OutboundMessage
from tests.fakes.clock import FakeClock
from tests.fakes.onebot import group_event

from .conftest import FAST_RETRIES, SERVER

TOKEN = "ws-token"
SETTINGS = OneBotSettings(access_token=TOKEN)


def napcat_headers(self_id: str = "10001000", token: str | None = TOKEN) -> dict[str, str]:
    h = {"X-Self-ID": self_id, "X-Client-Role": "Universal"}
    if token is not None:
        h["Authorization"] = f"Bearer {token}"
    return h


@pytest.fixture
async def adapter_client(serve, sink):
    adapter = OneBotWsAdapter(SETTINGS, sink, FakeClock(), SERVER, action_timeout_s=2)
    return adapter, await serve(adapter)


async def receive_action(ws) -> dict:
    return await asyncio.wait_for(ws.receive_json(), 5)


async def test_event_in_action_out_echo_matched(adapter_client, sink, onebot_events):
    adapter, client = adapter_client
    async with client.ws_connect("/onebot/ws", headers=napcat_headers()) as ws:
        await ws.send_str(json.dumps(onebot_events["lifecycle"]))
        await ws.send_str(json.dumps(onebot_events["heartbeat"]))
        await ws.send_bytes(
            group_event("[CQ:at,qq=10001000] /进度", message_id=7)
        )  # binary: ignored
        await ws.send_str(group_event("[CQ:at,qq=10001000] /进度", message_id=7).decode())
        frame = await receive_action(ws)
        assert frame["action"] == "send_group_msg" and frame["echo"]
        assert frame["params"] == {
            "group_id": 123456,
            "message": [{"type": "text", "data": {"text": "收到:/进度"}}],
        }
        await ws.send_str(
            json.dumps(
                {"status": "ok", "retcode": 0, "data": {"message_id": 555}, "echo": frame["echo"]}
            )
        )
        await adapter.drain(timeout=5)
        [msg] = sink.calls
        assert msg.text == "/进度" and msg.mentions_bot and msg.route == "onebot"
        conn = adapter.connection("10001000")
        assert conn is not None and conn.heartbeat_interval_ms == 30000 and conn.pending == {}


async def test_query_token_accepted(adapter_client):
    _, client = adapter_client
    async with client.ws_connect(
        f"/onebot/ws?access_token={TOKEN}", headers=napcat_headers(token=None)
    ) as ws:
        assert not ws.closed


@pytest.mark.parametrize(
    "headers,query,status",
    [
        (napcat_headers(token=None), "", 401),
        (napcat_headers(token="wrong"), "", 403),
        (napcat_headers(token=None), "?access_token=wrong", 403),
        ({"Authorization": f"Bearer {TOKEN}"}, "", 400),  # no X-Self-ID
    ],
)
async def test_bad_token_rejected_before_upgrade(adapter_client, headers, query, status):
    _, client = adapter_client
    with pytest.raises(aiohttp.WSServerHandshakeError) as e:
        await client.ws_connect("/onebot/ws" + query, headers=headers)
    assert e.value.status == status


async def test_plain_get_is_rejected_not_500(adapter_client):
    _, client = adapter_client
    r = await client.get("/onebot/ws", headers=napcat_headers())
    assert r.status == 400


async def test_reconnect_replaces_old_connection(adapter_client):
    adapter, client = adapter_client
    old = await client.ws_connect("/onebot/ws", headers=napcat_headers())
    first = adapter.connection("10001000")
    new = await client.ws_connect("/onebot/ws", headers=napcat_headers())
    msg = await asyncio.wait_for(old.receive(), 5)
    assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
    assert adapter.connection("10001000") is not first
    # Actions now go out on the new connection.
    task = asyncio.create_task(adapter.call_action("get_status", {}, self_id="10001000"))
    frame = await receive_action(new)
    await new.send_json(
        {"status": "ok", "retcode": 0, "data": {"online": True}, "echo": frame["echo"]}
    )
    assert (await task)["data"] == {"online": True}
    await old.close()
    await new.close()


async def test_action_timeout_and_failure(serve, sink):
    from bot.platforms.errors import PlatformAPIError

    adapter = OneBotWsAdapter(
        OneBotSettings(allow_unsigned=True), sink, FakeClock(), SERVER, action_timeout_s=0.05
    )
    client = await serve(adapter)
    async with client.ws_connect("/onebot/ws", headers=napcat_headers(token=None)) as ws:
        with pytest.raises(PlatformAPIError) as e:
            await adapter.call_action("send_group_msg", {"group_id": 1, "message": "x"})
        assert e.value.retryable
        task = asyncio.create_task(
            adapter.call_action("send_group_msg", {"group_id": 1, "message": "x"}, timeout_s=2)
        )
        await receive_action(ws)  # the timed-out one
        frame = await receive_action(ws)
        await ws.send_json(
            {"status": "failed", "retcode": 1403, "wording": "no permission", "echo": frame["echo"]}
        )
        with pytest.raises(PlatformAPIError) as e:
            await task
        assert e.value.errcode == 1403 and not e.value.retryable


async def test_redelivered_event_answered_once(adapter_client, sink):
    adapter, client = adapter_client
    async with client.ws_connect("/onebot/ws", headers=napcat_headers()) as ws:
        for _ in range(3):
            await ws.send_str(group_event("[CQ:at,qq=10001000] hi", message_id=8).decode())
        frame = await receive_action(ws)
        await ws.send_json(
            {"status": "ok", "retcode": 0, "data": {"message_id": 1}, "echo": frame["echo"]}
        )
        await adapter.drain(timeout=5)
        assert len(sink.calls) == 3 and len(sink.handled) == 1
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(ws.receive_json(), 0.1)


async def test_garbage_frames_do_not_end_the_socket(adapter_client, sink):
    adapter, client = adapter_client
    async with client.ws_connect("/onebot/ws", headers=napcat_headers()) as ws:
        for junk in (
            "not json",
            "[]",
            '{"post_type":"message","message_type":"group"}',
            '{"echo":"unknown"}',
        ):
            await ws.send_str(junk)
        await ws.send_str(group_event("still alive", message_id=9).decode())
        frame = await receive_action(ws)
        assert frame["params"]["message"][0]["data"]["text"] == "收到:still alive"


async def test_pusher_prefers_live_websocket_then_http(adapter_client, fake_onebot):
    adapter, client = adapter_client
    settings = OneBotSettings(access_token="ob-token", api_url=fake_onebot.url)
    pusher = OneBotPusher(settings, ws=adapter, retry_delays=FAST_RETRIES)
    msg = OutboundMessage(target=ChatRef("onebot", "123456"), text="提醒:明天送教")
    async with client.ws_connect("/onebot/ws", headers=napcat_headers()) as ws:
        task = asyncio.create_task(pusher.push(msg))
        frame = await receive_action(ws)
        assert frame["action"] == "send_group_msg" and frame["params"]["group_id"] == 123456
        await ws.send_json(
            {"status": "ok", "retcode": 0, "data": {"message_id": 77}, "echo": frame["echo"]}
        )
        result = await task
        assert result.ok and result.platform_message_id == "77"
    for _ in range(100):  # the server notices the close
        if not adapter.connected():
            break
        await asyncio.sleep(0.01)
    result = await pusher.push(OutboundMessage(target=ChatRef("onebot", "123456"), text="第二条"))
    assert result.ok
    [call] = fake_onebot.delivered("send_group_msg")
    assert call.body["message"] == [{"type": "text", "data": {"text": "第二条"}}]
    assert call.headers["Authorization"] == "Bearer ob-token"
    await pusher.close()


async def test_connections_keyed_by_self_id(adapter_client):
    adapter, client = adapter_client
    a = await client.ws_connect("/onebot/ws", headers=napcat_headers("111"))
    b = await client.ws_connect("/onebot/ws", headers=napcat_headers("222"))
    assert set(adapter.connections) == {"111", "222"}
    task = asyncio.create_task(adapter.call_action("get_status", {}, self_id="222"))
    frame = await receive_action(b)
    await b.send_json({"status": "ok", "retcode": 0, "data": None, "echo": frame["echo"]})
    assert (await task)["retcode"] == 0
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(a.receive_json(), 0.05)
    await a.close()
    await b.close()


async def test_oversized_frame_closes_connection(adapter_client, sink):
    adapter, client = adapter_client
    async with client.ws_connect("/onebot/ws", headers=napcat_headers()) as ws:
        await ws.send_str(group_event("长" * 3000).decode())
        msg = await asyncio.wait_for(ws.receive(), 5)
        assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
    assert sink.calls == []
