"""WeCom self-built app endpoint: text only, XML hardening, rejections, retries."""

from __future__ import annotations

import re

import pytest

from bot.config import WecomAppSettings
from bot.platforms.textlimits import utf8_len
from bot.platforms.wecom.app import WecomAppAdapter
from handlers.events import Reply
from tests.fakes.clock import FakeClock
from tests.fakes.sink import RecordingSink
from tests.fakes.wecom import WecomPlatform

from .conftest import SERVER

CORP, TOKEN, KEY = "wwcorp", "app-token", "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt"
NOW = 1_700_000_000
SETTINGS = WecomAppSettings(corp_id=CORP, agent_id=1000002, token=TOKEN, encoding_aes_key=KEY)
PLATFORM = WecomPlatform(TOKEN, KEY, CORP)

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xml><ToUserName>&lol3;</ToUserName><Encrypt>&lol3;</Encrypt></xml>"""


def inner(content: str = "进度", msg_id: int = 42, msgtype: str = "text", extra: str = "") -> str:
    return (
        f"<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><FromUserName><![CDATA[wangwu]]></FromUserName>"
        f"<CreateTime>{NOW}</CreateTime><MsgType><![CDATA[{msgtype}]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId><AgentID>1000002</AgentID>{extra}</xml>"
    )


@pytest.fixture
async def client(serve, sink):
    return await serve(WecomAppAdapter(SETTINGS, sink, FakeClock(NOW), SERVER))


async def post(client, xml: str, ts: int = NOW):
    query, body = PLATFORM.xml_callback(xml, ts)
    return await client.post("/wecom/app", params=query, data=body)


async def test_text_message_and_reply(client, sink):
    r = await post(client, inner("  /进度  "))
    assert r.status == 200 and r.content_type == "application/xml"
    [msg] = sink.calls
    assert msg.text == "/进度" and msg.chat.chat_type == "private" and msg.chat.chat_id == "wangwu"
    plain = PLATFORM.open_xml_reply(await r.text())
    assert "<Content><![CDATA[收到:/进度]]></Content>" in plain
    assert "<AgentID>1000002</AgentID>" in plain and f"<CreateTime>{NOW}</CreateTime>" in plain


async def test_events_and_other_types_get_empty_200(client, sink):
    event = (
        f"<xml><ToUserName>{CORP}</ToUserName><FromUserName>wangwu</FromUserName><CreateTime>{NOW}</CreateTime>"
        "<MsgType>event</MsgType><Event>enter_agent</Event><AgentID>1</AgentID></xml>"
    )
    for xml in (event, inner(msgtype="image", extra="<PicUrl>http://x</PicUrl>")):
        r = await post(client, xml)
        assert r.status == 200 and await r.read() == b""
    assert sink.calls == []


async def test_reply_is_shortened_to_2048_bytes_and_cdata_safe(serve):
    sink = RecordingSink(lambda m: Reply(text="]]>" + "统计" * 2000))
    client = await serve(WecomAppAdapter(SETTINGS, sink, FakeClock(NOW), SERVER))
    plain = PLATFORM.open_xml_reply(await (await post(client, inner())).text())
    pieces = re.search(r"<Content>(.*)</Content>", plain, re.S).group(1)
    content = pieces.replace("]]]]><![CDATA[>", "]]>")[len("<![CDATA[") : -len("]]>")]
    assert content.startswith("]]>统计") and content.endswith("…") and utf8_len(content) <= 2048


async def test_same_message_three_times(client, sink):
    answers = []
    for _ in range(3):
        r = await post(client, inner("/统计", msg_id=777))
        answers.append(PLATFORM.open_xml_reply(await r.text()))
    assert len(sink.calls) == 3 and len(sink.handled) == 1
    assert answers[0] == answers[1] == answers[2]


async def test_bad_and_missing_signature(client, sink):
    query, body = PLATFORM.xml_callback(inner(), NOW)
    r = await client.post("/wecom/app", params=dict(query, msg_signature="f" * 40), data=body)
    assert r.status == 403
    r = await client.post("/wecom/app", params={"timestamp": str(NOW), "nonce": "5"}, data=body)
    assert r.status == 401
    other = WecomPlatform("other-token", KEY, CORP)
    query, body = other.xml_callback(inner(), NOW)
    assert (await client.post("/wecom/app", params=query, data=body)).status == 403
    assert sink.calls == []


async def test_stale_timestamp(client, sink):
    r = await post(client, inner(), ts=NOW - 3600)
    assert r.status == 403 and (await r.json())["error"] == "stale_timestamp"
    query, body = PLATFORM.xml_callback(inner(), NOW)
    r = await client.post("/wecom/app", params=dict(query, timestamp="abc"), data=body)
    assert r.status == 400
    assert sink.calls == []


@pytest.mark.parametrize(
    "body",
    [
        "",
        "<xml>",
        "<xml><Encrypt></Encrypt></xml>",
        "<notxml><Encrypt>abc</Encrypt></notxml>",
        "\xff\xfe",
        "<xml><Encrypt>not base64 ###</Encrypt></xml>",
    ],
)
async def test_malformed_bodies(client, sink, body):
    enc = re.search(r"<Encrypt>(.*)</Encrypt>", body)
    query = PLATFORM.query(enc.group(1) if enc else "", NOW)
    r = await client.post("/wecom/app", params=query, data=body.encode("latin-1"))
    assert r.status == 400
    assert sink.calls == []


async def test_entity_bomb_outer_and_inner(client, sink):
    query = PLATFORM.query("&lol3;", NOW)
    r = await client.post("/wecom/app", params=query, data=BOMB.encode())
    assert r.status == 400 and (await r.json())["error"] == "malformed"
    r = await post(client, BOMB)  # a signed, encrypted bomb: decrypts, then defusedxml refuses it
    assert r.status == 400
    external = (
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Encrypt>&e;</Encrypt></xml>'
    )
    r = await client.post("/wecom/app", params=PLATFORM.query("x", NOW), data=external.encode())
    assert r.status == 400
    assert sink.calls == []


async def test_oversized_body(client, sink):
    query, body = PLATFORM.xml_callback(inner("长" * 2000), NOW)
    assert len(body) > SERVER.max_body_bytes
    assert (await client.post("/wecom/app", params=query, data=body)).status == 413
    assert sink.calls == []
