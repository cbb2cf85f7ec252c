"""Every WeCom vector of shared/spec/platforms.md through the real endpoints.

The vectors carry old timestamps: the injected clock is set near each one.
"""

from __future__ import annotations

import json
from unittest import mock
from urllib.parse import parse_qsl

import pytest

from bot.config import WecomAibotSettings, WecomAppSettings
from bot.platforms.wecom.aibot import WecomAibotAdapter
from bot.platforms.wecom.app import WecomAppAdapter
from bot.platforms.wecom.crypto import WecomCrypto
from handlers.events import Reply
from tests.fakes import wecom as fake
from tests.fakes.clock import FakeClock
from tests.fakes.sink import RecordingSink

from .conftest import SERVER

RANDOM = "bot.platforms.wecom.crypto._random16"


def app_adapter(v: dict, sink, ts: int, agent_id: int = 0) -> WecomAppAdapter:
    settings = WecomAppSettings(
        corp_id=v["corp_id"],
        token=v["token"],
        encoding_aes_key=v["encoding_aes_key"],
        agent_id=agent_id,
    )
    return WecomAppAdapter(settings, sink, FakeClock(ts), SERVER)


def aibot_adapter(v: dict, sink, ts: int) -> WecomAibotAdapter:
    settings = WecomAibotSettings(token=v["token"], encoding_aes_key=v["encoding_aes_key"])
    return WecomAibotAdapter(settings, sink, FakeClock(ts), SERVER)


# -- A: official Tencent sample --------------------------------------------------------------
async def test_vector_a_get(serve, vectors, sink):
    v = vectors["wecom_A"]
    client = await serve(app_adapter(v, sink, v["get_timestamp"] + 1))
    r = await client.get("/wecom/app?" + v["get_query"])
    assert r.status == 200
    assert await r.read() == v["get_reply"].encode()  # bare: no quotes, BOM or newline


async def test_vector_a_post(serve, vectors, sink):
    v = vectors["wecom_A"]
    client = await serve(app_adapter(v, sink, v["post_timestamp"]))
    r = await client.post(
        "/wecom/app", params=dict(parse_qsl(v["post_query"])), data=v["post_body"]
    )
    assert r.status == 200
    [msg] = sink.calls
    assert (msg.platform, msg.route, msg.text, msg.sender_id) == (
        "wecom",
        "wecom-app",
        "hello",
        "mycreate",
    )
    assert msg.message_id == "4561255354251345929"
    assert msg.chat.chat_type == "private" and msg.chat.chat_id == "mycreate"
    assert int(msg.sent_at.timestamp()) == 1409659813 and msg.sent_at.tzinfo is not None
    # The encrypted reply opens with the test side's own crypto.
    platform = fake.WecomPlatform(v["token"], v["encoding_aes_key"], v["corp_id"])
    plain = platform.open_xml_reply(await r.text())
    assert "<Content><![CDATA[收到:hello]]></Content>" in plain
    assert "<ToUserName><![CDATA[mycreate]]></ToUserName>" in plain


def test_vector_a_test_side_crypto(vectors):
    v = vectors["wecom_A"]
    q = dict(parse_qsl(v["post_query"]))
    enc = v["post_body"].split("<![CDATA[")[2].split("]]>")[0]
    assert fake.sha1_signature(v["token"], q["timestamp"], q["nonce"], enc) == q["msg_signature"]
    msg, rid = fake.decrypt(v["encoding_aes_key"], enc)
    assert msg.decode() == v["post_plaintext"] and rid == v["corp_id"].encode()


async def test_vector_a_wrong_corp_id_is_rejected(serve, vectors, sink):
    v = dict(vectors["wecom_A"], corp_id="wwsomeoneelse")
    client = await serve(app_adapter(v, sink, v["post_timestamp"]))
    r = await client.post(
        "/wecom/app", params=dict(parse_qsl(v["post_query"])), data=v["post_body"]
    )
    assert r.status == 400 and sink.calls == []


# -- B: official Python sample ---------------------------------------------------------------
async def test_vector_b_get_and_post(serve, vectors, sink):
    v = vectors["wecom_B"]
    client = await serve(app_adapter(v, sink, int(v["post"]["timestamp"])))
    adapter_clock_ts = int(v["get"]["timestamp"])
    r = await client.get("/wecom/app", params=v["get"])
    # GET's timestamp is 6406 s before POST's: outside the 300 s window of this clock.
    assert r.status == 403
    client2 = await serve(app_adapter(v, RecordingSink(), adapter_clock_ts))
    r = await client2.get("/wecom/app", params=v["get"])
    assert r.status == 200 and await r.text() == v["get_reply"]
    r = await client.post("/wecom/app", params=v["post"], data=v["post_body"].encode())
    assert r.status == 200
    [msg] = sink.calls
    assert (msg.text, msg.sender_id, msg.message_id) == ("你好", "ChenJiaShun", "1456453720")


# -- C: JSON envelope (plaintext is not valid JSON: compare bytes) ---------------------------
def test_vector_c_decrypts_to_exact_bytes(vectors):
    v = vectors["wecom_C"]
    crypto = WecomCrypto(
        v["token"],
        v["encoding_aes_key"],
        v["receive_id"],
        FakeClock(int(v["post"]["timestamp"])),
        300,
    )
    plain = crypto.decrypt(v["post"], v["body"]["encrypt"])
    assert plain.encode() == v["plaintext"].encode()
    msg, rid = fake.decrypt(v["encoding_aes_key"], v["body"]["encrypt"])
    assert msg == v["plaintext"].encode() and rid == v["receive_id"].encode()


async def test_vector_c_on_the_aibot_endpoint_is_refused(serve, vectors, sink):
    """Signed correctly, but for receive id ww1436…, not the AI bot's "": refused, 400."""
    v = vectors["wecom_C"]
    client = await serve(aibot_adapter(v, sink, int(v["post"]["timestamp"])))
    r = await client.post("/wecom/aibot", params=v["post"], json=v["body"])
    assert r.status == 400 and sink.calls == []


# -- D: wechatpy's tests ---------------------------------------------------------------------
async def test_vector_d_get_good_and_bad_nonce(serve, vectors, sink):
    v = vectors["wecom_D"]
    client = await serve(app_adapter(v, sink, int(v["get"]["timestamp"])))
    r = await client.get("/wecom/app", params=v["get"])
    assert r.status == 200 and await r.text() == v["get_reply"]
    r = await client.get("/wecom/app", params=dict(v["get"], nonce=v["get_bad_nonce"]))
    assert r.status == 403
    assert (await r.json())["error"] == "bad_signature"


def _d_body(v: dict) -> str:
    return (
        f"<xml><ToUserName>{v['corp_id']}</ToUserName><Encrypt><![CDATA[{v['post_encrypt']}]]>"
        "</Encrypt><AgentID><![CDATA[1]]></AgentID></xml>"
    )


async def test_vector_d_post_and_encrypt_vector_through_the_endpoint(serve, vectors):
    """The reply to vector D's message, with wechatpy's random fixed, is the ENCRYPT vector."""
    v = vectors["wecom_D"]
    sink = RecordingSink(lambda msg: Reply(text=msg.text))  # answers "test"
    client = await serve(app_adapter(v, sink, int(v["post"]["timestamp"]), agent_id=1))
    with mock.patch(RANDOM, return_value=v["encrypt_random"]):
        r = await client.post("/wecom/app", params=v["post"], data=_d_body(v))
    assert r.status == 200
    [msg] = sink.calls
    assert (msg.text, msg.sender_id, msg.message_id) == ("test", "messense", "4363689963896700987")
    xml = await r.text()
    assert f"<Encrypt><![CDATA[{v['encrypt_result']}]]></Encrypt>" in xml
    assert f"<MsgSignature><![CDATA[{v['encrypt_signature']}]]></MsgSignature>" in xml
    platform = fake.WecomPlatform(v["token"], v["encoding_aes_key"], v["corp_id"])
    assert platform.open_xml_reply(xml) == v["encrypt_plaintext"]


def test_vector_d_encrypt_test_side(vectors):
    v = vectors["wecom_D"]
    enc = fake.encrypt(
        v["encoding_aes_key"],
        v["encrypt_plaintext"].encode(),
        v["corp_id"],
        v["encrypt_random"].encode(),
    )
    assert enc == v["encrypt_result"]
    assert (
        fake.sha1_signature(v["token"], v["post"]["timestamp"], v["post"]["nonce"], enc)
        == v["encrypt_signature"]
    )


# -- AI bot generated vector -----------------------------------------------------------------
async def test_aibot_vector(serve, vectors, sink):
    v = vectors["wecom_aibot"]
    client = await serve(aibot_adapter(v, sink, int(v["post"]["timestamp"])))
    r = await client.post("/wecom/aibot", params=v["post"], json={"encrypt": v["encrypt"]})
    assert r.status == 200
    [msg] = sink.calls
    assert msg.text == "hello robot"  # "@RobotA " stripped
    assert msg.chat.chat_id == "CHATID" and msg.chat.chat_type == "group"
    assert msg.sender_id == "USERID" and msg.message_id == "CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI="
    platform = fake.WecomPlatform(v["token"], v["encoding_aes_key"], "")
    reply = platform.open_json_reply(await r.json())
    assert reply["msgtype"] == "stream"
    assert reply["stream"]["finish"] is True and reply["stream"]["content"] == "收到:hello robot"


def test_aibot_vector_test_side(vectors):
    v = vectors["wecom_aibot"]
    enc = fake.encrypt(v["encoding_aes_key"], v["plaintext"].encode(), "", v["random16"].encode())
    assert enc == v["encrypt"]
    p = v["post"]
    assert fake.sha1_signature(v["token"], p["timestamp"], p["nonce"], enc) == p["msg_signature"]
    assert json.loads(fake.decrypt(v["encoding_aes_key"], enc)[0])["msgid"].startswith("CAIQ")


async def test_legacy_group_robot_vector_get_on_aibot(serve, vectors, sink):
    """Receive id "" as for the AI bot: the legacy group-robot GET vector verifies there too."""
    v = vectors["wecom_legacy_robot"]
    client = await serve(aibot_adapter(v, sink, int(v["get"]["timestamp"])))
    r = await client.get("/wecom/aibot", params=v["get"])
    assert r.status == 200 and await r.text() == v["get_reply"]


# -- the scheme against wechatpy's own implementation -----------------------------------------
@pytest.mark.parametrize(
    "text", ["hello", "", "收到:" + "长" * 700, "<xml><a>x</a></xml>" * 3, "a" * 27, "a" * 28]
)  # lengths around a 32-byte block
@pytest.mark.parametrize("receive_id", ["", "wx5823bf96d3bd56c7"])
def test_the_cipher_and_wechatpy_open_each_others_messages(text, receive_id):
    from wechatpy.enterprise.crypto import PrpCrypto, WeChatCrypto

    from bot.platforms.wecom.crypto import MessageCipher

    key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
    ours = MessageCipher(key)
    theirs = WeChatCrypto("token", key, receive_id)
    assert PrpCrypto(theirs.key).decrypt(ours.encrypt(text, receive_id), receive_id) == text
    assert (
        ours.decrypt(PrpCrypto(theirs.key).encrypt(text, receive_id).decode(), receive_id) == text
    )
    with pytest.raises(ValueError):
        ours.decrypt(ours.encrypt(text, receive_id), receive_id + "x")


def test_encrypt_xml_is_wechatpys_envelope():
    from wechatpy.enterprise.crypto import WeChatCrypto

    from bot.platforms.wecom.crypto import WecomCrypto

    key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
    with (
        mock.patch(RANDOM, return_value="abcdefghijklmnop"),
        mock.patch(
            "wechatpy.crypto.base.BasePrpCrypto.get_random_string", return_value="abcdefghijklmnop"
        ),
    ):
        ours = WecomCrypto("tok", key, "corp", FakeClock(0), 300).encrypt_xml(
            "<xml/>", "123", "1409659813"
        )
        theirs = WeChatCrypto("tok", key, "corp").encrypt_message("<xml/>", "123", "1409659813")
    assert ours == theirs
