"""Issue 12, messages dropped or stuck, tried through the real endpoints (SQLite and
PostgreSQL): two bots' message ids that collide, poison messages, voice, anonymous OneBot
messages, and a QQ redelivery handled by two bot processes sharing one database."""

from __future__ import annotations

import json

from aiohttp.test_utils import TestServer
from sqlmodel import Session, select

from bot.app import BotApp
from storage.models import InboundMessage, Record
from tests.e2e.conftest import ONEBOT_SECRET, SELF_ID
from tests.fakes.onebot import hmac_signature
from tests.reliability.conftest import report_text


def _rows(live, message_id: str) -> list[InboundMessage]:
    with Session(live.bot.engine) as s:
        return list(
            s.exec(
                select(InboundMessage)
                .where(InboundMessage.message_id == message_id)
                .order_by(InboundMessage.id)
            ).all()
        )


async def _onebot_post(live, body: bytes, self_id: int = SELF_ID) -> tuple[int, bytes]:
    headers = {
        "Content-Type": "application/json",
        "X-Self-ID": str(self_id),
        "X-Signature": hmac_signature(ONEBOT_SECRET, body),
    }
    async with live.session.post(f"{live.url}/onebot", data=body, headers=headers) as r:
        return r.status, await r.read()


def _event(live, qq: int, text: str, *, message_id: int, self_id: int = SELF_ID, **fields) -> bytes:
    event = json.loads(live.onebot_event(qq, "placeholder", message_id=message_id))
    event["message"][1]["data"]["text"] = " " + text
    event["raw_message"] = text
    event["self_id"] = self_id
    event["message"][0]["data"]["qq"] = str(self_id)
    event.update(fields)
    return json.dumps(event).encode()  # ASCII escapes: a lone surrogate survives as "\ud800"


async def test_wecom_app_and_aibot_with_the_same_message_id_are_two_messages(live):
    status, [a] = await live.aibot_say(
        "ZhangWei", "2025年3月4日我到齐小送教,数学两节", msgid="918273"
    )
    assert status == 200 and a.startswith("✅ 已记录"), a
    status, [b] = await live.app_say("MaXinRui", "2025年3月5日我到解小送课,语文一节", msg_id=918273)
    assert status == 200 and b.startswith("✅ 已记录"), b  # not "duplicate": another bot's message
    assert live.count() == 2
    rows = _rows(live, "918273")
    assert sorted(r.bot_id for r in rows) == ["aibot:BOT", "app:wwcorp:1000002"]
    # each is still deduplicated on its own
    assert (await live.app_say("MaXinRui", "2025年3月5日我到解小送课,语文一节", msg_id=918273))[
        1
    ] == [b]
    assert live.count() == 2 and len(_rows(live, "918273")) == 2


async def test_two_onebot_accounts_reusing_a_message_id_are_two_messages(live):
    first = _event(live, 200150, report_text(1), message_id=4242, self_id=SELF_ID)
    second = _event(live, 200157, report_text(2), message_id=4242, self_id=10002000)
    for body, self_id in ((first, SELF_ID), (second, 10002000)):
        status, raw = await _onebot_post(live, body, self_id)
        assert status == 200 and "已记录" in json.loads(raw)["reply"], raw
    assert live.count() == 2
    assert sorted(r.bot_id for r in _rows(live, "4242")) == [str(SELF_ID), "10002000"]


async def test_poison_messages_are_stored_cleaned_never_refused(live):
    # a lone surrogate (JSON "\ud800") in a signed OneBot report
    body = _event(live, 200150, report_text(3) + "\ud800", message_id=5001)
    assert b"\\ud800" in body
    for _ in range(2):  # the redelivery gets the same answer, not a 503
        status, raw = await _onebot_post(live, body)
        assert status == 200, (status, raw)
        assert "已记录" in json.loads(raw)["reply"]
    [row] = _rows(live, "5001")
    assert row.cleaned == "lone surrogate" and "\ufffd" in row.raw_text

    # NUL (PostgreSQL text cannot hold it)
    body = _event(live, 200157, report_text(4).replace("送课", "送\x00课"), message_id=5002)
    status, raw = await _onebot_post(live, body)
    assert status == 200 and "已记录" in json.loads(raw)["reply"], raw
    [row] = _rows(live, "5002")
    assert row.cleaned == "NUL" and "\x00" not in row.raw_text

    # absurd timestamps: a millisecond value (past year 9999), the year 9999, the year 1
    for mid, ts in ((5003, 2**40), (5004, 253402300799)):
        body = _event(live, 200164, report_text(10 + mid - 5003), message_id=mid, time=ts)
        status, raw = await _onebot_post(live, body)
        assert status == 200 and "已记录" in json.loads(raw)["reply"], (ts, raw)
        [row] = _rows(live, str(mid))
        assert row.cleaned == "timestamp" and row.sent_at == live.clock.now(), (ts, row.sent_at)
    qq = json.loads(live.qq_body("MEMBER-OLD", "2025年3月6日我到淤上送教", msg_id="ROBOT1.0_year1"))
    qq["d"]["timestamp"] = "0001-01-01T00:00:00+14:00"
    assert await live.qq_post(json.dumps(qq).encode()) == 200
    [row] = _rows(live, "ROBOT1.0_year1")
    assert row.cleaned == "timestamp"
    # the AI bot: a lone surrogate and a NUL in one message
    payload = {
        "msgid": "aibot-poison",
        "aibotid": "BOT",
        "chatid": "wrFuHaiAlliance",
        "chattype": "group",
        "from": {"userid": "ZhangWei"},
        "msgtype": "text",
        "text": {"content": "@联盟助手 2025年3月7日我到齐小送教\udfff,数学\x00两节"},
    }
    query, enc = live.aibot.json_callback(json.dumps(payload).encode(), live.ts)
    async with live.session.post(f"{live.url}/wecom/aibot", params=query, data=enc) as r:
        assert r.status == 200
        reply = live.aibot.open_json_reply(json.loads(await r.read()))
    assert reply["stream"]["content"].startswith("✅ 已记录"), reply
    [row] = _rows(live, "aibot-poison")
    assert row.cleaned == "NUL, lone surrogate"
    assert live.count() == 5  # the QQ member is not in the roster: kept pending, not a record


async def test_wecom_aibot_voice_message_is_read_as_text(live):
    payload = {
        "msgid": "voice-1",
        "aibotid": "BOT",
        "chatid": "",
        "chattype": "single",
        "from": {"userid": "ZhangWei"},
        "msgtype": "voice",
        "voice": {"content": "2025年3月8日我到齐小送教,数学两节"},
    }
    query, body = live.aibot.json_callback(payload, live.ts)
    async with live.session.post(f"{live.url}/wecom/aibot", params=query, data=body) as r:
        assert r.status == 200
        reply = live.aibot.open_json_reply(json.loads(await r.read()))
    assert reply["stream"]["content"].startswith("✅ 已记录"), reply
    with Session(live.bot.engine) as s:
        rec = s.exec(select(Record)).one()
    assert rec.date.isoformat() == "2025-03-08" and rec.subject == "数学"


async def test_anonymous_onebot_messages_are_ignored(live):
    anon = {"id": 0, "name": "匿名者", "flag": "x"}
    body = _event(
        live, 200150, report_text(5), message_id=6001, sub_type="anonymous", anonymous=anon
    )
    status, raw = await _onebot_post(live, body)
    assert status == 204, (status, raw)
    assert live.count() == 0 and live.inbound() == 0
    # a command under an anonymous name does not act as the QQ number either
    body = _event(live, 200164, "/导出", message_id=6002, sub_type="anonymous", anonymous=anon)
    assert (await _onebot_post(live, body))[0] == 204
    assert live.inbound() == 0


async def test_qq_passive_reply_posted_once_by_two_processes_sharing_the_database(live):
    """Two BotApps (as two `serve` processes) on the same database: QQ delivers the same
    message to both; one passive reply is posted."""
    other = BotApp(
        live.bot.settings, clock=live.clock, engine=live.bot.engine, with_scheduler=False
    )
    server = TestServer(other.web_app(), host="127.0.0.1")
    await server.start_server()
    try:
        body = live.qq_body("MEMBER-TWO", "2025年3月9日我到淤上送教", msg_id="ROBOT1.0_two")
        assert await live.qq_post(body) == 200
        await live.bot.platforms.drain(timeout=10)
        url = str(server.make_url("/qq/webhook"))
        async with live.session.post(url, data=body, headers=live.qq.headers(body, live.ts)) as r:
            assert r.status == 200
        await other.platforms.drain(timeout=10)
    finally:
        await server.close()
    replies = [c for c in live.qq_api.calls if c.body and c.body.get("msg_id") == "ROBOT1.0_two"]
    assert len(replies) == 1, replies
    assert len(_rows(live, "ROBOT1.0_two")) == 1
