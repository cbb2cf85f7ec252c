"""The same delivery three times at once, on every route: one inbound row, one record, the
same answer each time, one platform reply (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import json

from sqlmodel import Session, select

from storage.models import InboundMessage, Record
from tests.e2e.conftest import ONEBOT_SECRET, SELF_ID
from tests.fakes.onebot import hmac_signature
from tests.reliability.conftest import report_text


def _rows(live, platform: str, message_id: str) -> list[InboundMessage]:
    with Session(live.bot.engine) as s:
        return list(
            s.exec(
                select(InboundMessage).where(
                    InboundMessage.platform == platform, InboundMessage.message_id == message_id
                )
            ).all()
        )


def _record_ids(live) -> set[int]:
    with Session(live.bot.engine) as s:
        return set(s.exec(select(Record.id).where(Record.deleted == False)).all())  # noqa: E712


async def test_parallel_duplicates_on_every_route_store_once(live):
    # WeCom AI bot (JSON, encrypted)
    results = await asyncio.gather(
        *[
            live.aibot_say("ZhangWei", "2025年3月4日我到齐小送教,数学两节", msgid="dup-aibot")
            for _ in range(3)
        ]
    )
    assert [r[0] for r in results] == [200] * 3
    assert len({tuple(r[1]) for r in results}) == 1 and results[0][1][0].startswith("✅ 已记录")
    assert len(_rows(live, "wecom", "dup-aibot")) == 1 and live.count() == 1

    # WeCom self-built app (XML, encrypted)
    results = await asyncio.gather(
        *[
            live.app_say("MaXinRui", "2025年3月5日我到解小送课,语文一节", msg_id=918273)
            for _ in range(3)
        ]
    )
    assert [r[0] for r in results] == [200] * 3
    assert len({tuple(r[1]) for r in results}) == 1 and results[0][1][0].startswith("✅ 已记录")
    assert len(_rows(live, "wecom", "918273")) == 1 and live.count() == 2

    # OneBot HTTP POST (signed)
    results = await asyncio.gather(
        *[live.onebot_say(200150, report_text(1), message_id=777001) for _ in range(3)]
    )
    assert [r[0] for r in results] == [200] * 3
    assert len({tuple(r[1]) for r in results}) == 1 and results[0][1][0].startswith("✅ 已记录")
    assert len(_rows(live, "onebot", "777001")) == 1 and live.count() == 3

    # QQ official webhook (Ed25519): acked three times, stored once, one passive reply
    body = live.qq_body("MEMBER-DUP", "2025年3月6日我到淤上送教", msg_id="ROBOT1.0_dup3")
    assert await asyncio.gather(*[live.qq_post(body) for _ in range(3)]) == [200] * 3
    await live.bot.platforms.drain(timeout=10)
    replies = [
        c
        for c in live.qq_api.calls
        if "/v2/groups/" in c.path and c.body.get("msg_id") == "ROBOT1.0_dup3"
    ]
    assert len(replies) == 1
    assert len(_rows(live, "qq", "ROBOT1.0_dup3")) == 1

    # OneBot reverse WebSocket: the same event on the socket three times at once
    ws_url = live.url.replace("http://", "ws://") + "/onebot/ws"
    event = live.onebot_event(200157, report_text(2), message_id=777002).decode()
    async with live.session.ws_connect(
        ws_url, headers={"Authorization": "Bearer ws-token", "X-Self-ID": str(SELF_ID)}
    ) as ws:
        await asyncio.gather(*[ws.send_str(event) for _ in range(3)])
        frame = await asyncio.wait_for(ws.receive_json(), 15)
        assert frame["action"] == "send_group_msg"
        assert "已记录" in json.dumps(frame["params"]["message"], ensure_ascii=False)
        await ws.send_json(
            {"status": "ok", "retcode": 0, "data": {"message_id": 1}, "echo": frame["echo"]}
        )
        await live.bot.platforms.drain(timeout=10)
        # no second or third answer to the same event
        extra = None
        try:
            extra = await asyncio.wait_for(ws.receive(), 0.5)
        except TimeoutError:
            pass
        assert extra is None, extra
    assert len(_rows(live, "onebot", "777002")) == 1
    assert live.count() == 4

    # The same OneBot message on the HTTP route and on the WebSocket: still one row.
    body = live.onebot_event(200164, report_text(3), message_id=777003)
    headers = {
        "Content-Type": "application/json",
        "X-Self-ID": str(SELF_ID),
        "X-Signature": hmac_signature(ONEBOT_SECRET, body),
    }

    async def http() -> int:
        async with live.session.post(f"{live.url}/onebot", data=body, headers=headers) as r:
            await r.read()
            return r.status

    async with live.session.ws_connect(
        ws_url, headers={"Authorization": "Bearer ws-token", "X-Self-ID": str(SELF_ID)}
    ) as ws:
        statuses = await asyncio.gather(http(), ws.send_str(body.decode()), http())
        frame = await asyncio.wait_for(ws.receive_json(), 15)
        await ws.send_json(
            {"status": "ok", "retcode": 0, "data": {"message_id": 2}, "echo": frame["echo"]}
        )
        await live.bot.platforms.drain(timeout=10)
    assert statuses[0] == statuses[2] == 200
    assert len(_rows(live, "onebot", "777003")) == 1
    assert live.count() == 5 and live.inbound() == 6
    # every stored report points at its own record
    with Session(live.bot.engine) as s:
        linked = [r.record_id for r in s.exec(select(InboundMessage)).all() if r.record_id]
    assert sorted(linked) == sorted(_record_ids(live)) and len(set(linked)) == len(linked)


async def test_parallel_duplicate_bursts_many_messages(live):
    """Ten distinct OneBot messages, each delivered three times, all thirty at once."""
    bodies = [
        live.onebot_event(200150 + 7 * (i % 5), report_text(100 + i), message_id=880000 + i)
        for i in range(10)
    ]

    async def post(body: bytes) -> tuple[int, bytes]:
        headers = {
            "Content-Type": "application/json",
            "X-Self-ID": str(SELF_ID),
            "X-Signature": hmac_signature(ONEBOT_SECRET, body),
        }
        async with live.session.post(f"{live.url}/onebot", data=body, headers=headers) as r:
            return r.status, await r.read()

    results = await asyncio.gather(*[post(b) for b in bodies for _ in range(3)])
    assert all(s == 200 for s, _ in results), [s for s, _ in results]
    for i in range(10):
        answers = {results[3 * i + k][1] for k in range(3)}
        assert len(answers) == 1
    assert live.inbound() == 10 and live.count() == 10
