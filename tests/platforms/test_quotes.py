"""A quoted message reaches the sink apart from the reply, on every platform's wire form."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import OneBotSettings, WecomAibotSettings, WecomAppSettings
from bot.platforms.onebot.http import OneBotHttpAdapter
from bot.platforms.quotes import split_text_quote
from bot.platforms.wecom.aibot import WecomAibotAdapter
from bot.platforms.wecom.app import WecomAppAdapter
from handlers.events import Quote
from tests.fakes.clock import FakeClock
from tests.fakes.onebot import hmac_signature
from tests.fakes.wecom import WecomPlatform

from .conftest import SERVER

NOW = 1_700_000_000
DASHES = "- - - - - - - - - - - - - - -"
REPORT = "今天我去解小送课,上了一节数学课"
THANKS = "谢谢张老师,孩子们很喜欢!"


# -- the text forms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, reply, quote",
    [
        (f"「张炜：{REPORT}」\n{DASHES}\n{THANKS}", THANKS, Quote(text=REPORT, sender_name="张炜")),
        (f"「张炜:{REPORT}」\n------\n{THANKS}", THANKS, Quote(text=REPORT, sender_name="张炜")),
        # A quote of several lines, with 「」 inside it.
        (
            "「吴学红：今天的送教\n谁来汇报「一下」？」\n———\n我来",
            "我来",
            Quote(text="今天的送教\n谁来汇报「一下」？", sender_name="吴学红"),
        ),
        ("回复 @张炜: 谢谢张老师", "谢谢张老师", Quote(sender_name="张炜")),
        ("回复@马欣瑞：收到", "收到", Quote(sender_name="马欣瑞")),
        ("回复 @马欣瑞\u2005明天我也去", "明天我也去", Quote(sender_name="马欣瑞")),
    ],
)
def test_text_forms_split(text, reply, quote):
    assert split_text_quote(text) == (reply, quote)


@pytest.mark.parametrize(
    "text",
    [
        "今天学生朗读了「春天」主题诗歌,三年级组织观摩",  # 「」 in a report is not a quote
        "【实小送教记录】\n时间:11月24日\n----------\n授课:黄丽萍(语文)",  # a rule line in a form
        "「张炜:今天去解小」后来又去了齐小",  # no dashed line after it
        "回复家长的问题:明天送教照常",  # 回复 without @
    ],
)
def test_text_that_only_looks_like_a_quote_stays_whole(text):
    assert split_text_quote(text) == (text, None)


# -- OneBot: the reply segment -------------------------------------------------------------


def onebot_event(message) -> bytes:
    return json.dumps(
        {
            "time": NOW,
            "self_id": 10001000,
            "post_type": "message",
            "message_type": "group",
            "sub_type": "normal",
            "message_id": 300,
            "group_id": 123456,
            "user_id": 555,
            "message": message,
            "raw_message": "",
            "font": 0,
            "sender": {"user_id": 555, "nickname": "n", "card": "", "role": "member"},
        },
        ensure_ascii=False,
    ).encode()


@pytest.fixture
async def onebot(serve, sink):
    return await serve(OneBotHttpAdapter(OneBotSettings(secret="s"), sink, FakeClock(), SERVER))


async def onebot_post(client, body: bytes):
    return await client.post(
        "/onebot",
        data=body,
        headers={
            "Content-Type": "application/json",
            "X-Self-ID": "10001000",
            "X-Signature": hmac_signature("s", body),
        },
    )


@pytest.mark.parametrize(
    "message",
    [
        [
            {"type": "reply", "data": {"id": "-2147483000"}},
            {"type": "at", "data": {"qq": "200087"}},
            {"type": "text", "data": {"text": " "}},
            {"type": "at", "data": {"qq": "10001000"}},
            {"type": "text", "data": {"text": f" {THANKS}"}},
        ],
        f"[CQ:reply,id=-2147483000][CQ:at,qq=200087] [CQ:at,qq=10001000] {THANKS}",
    ],
)
async def test_onebot_reply_segment_is_the_quote_and_its_at_is_dropped(onebot, sink, message):
    r = await onebot_post(onebot, onebot_event(message))
    assert r.status == 200
    [msg] = sink.calls
    assert msg.text == THANKS and msg.mentions_bot
    assert msg.quote == Quote(sender_id="200087", message_id="-2147483000")


async def test_onebot_reply_carrying_its_text(onebot, sink):
    # go-cqhttp's custom reply form names the quoted text and sender in the segment.
    message = [
        {"type": "reply", "data": {"id": "7", "text": REPORT, "qq": "200087"}},
        {"type": "at", "data": {"qq": "10001000"}},
        {"type": "text", "data": {"text": "辛苦了"}},
    ]
    await onebot_post(onebot, onebot_event(message))
    [msg] = sink.calls
    assert msg.text == "辛苦了" and msg.quote == Quote(
        text=REPORT, sender_id="200087", message_id="7"
    )


async def test_onebot_at_of_someone_else_without_reply_stays(onebot, sink):
    await onebot_post(onebot, onebot_event("[CQ:at,qq=10001000] 今天和[CQ:at,qq=200094]去解小送教"))
    [msg] = sink.calls
    assert msg.quote is None and msg.text == "今天和@200094去解小送教"


async def test_onebot_text_form_quote(onebot, sink):
    await onebot_post(
        onebot, onebot_event(f"[CQ:at,qq=10001000] 「张炜：{REPORT}」\n{DASHES}\n{THANKS}")
    )
    [msg] = sink.calls
    assert msg.text == THANKS and msg.quote == Quote(text=REPORT, sender_name="张炜")


# -- WeCom AI bot: the quote field ---------------------------------------------------------

AIBOT = WecomPlatform("aibot-token", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "")


@pytest.fixture
async def aibot(serve, sink):
    settings = WecomAibotSettings(
        token=AIBOT.token, encoding_aes_key=AIBOT.key, bot_name="联盟助手"
    )
    return await serve(WecomAibotAdapter(settings, sink, FakeClock(NOW), SERVER))


async def aibot_post(client, quote, content: str = f"@联盟助手 {THANKS}"):
    payload = {
        "msgid": "q1",
        "aibotid": "AIBOT",
        "chatid": "wrGroup1",
        "chattype": "group",
        "from": {"userid": "HaoWuLan"},
        "response_url": "",
        "msgtype": "text",
        "text": {"content": content},
    }
    if quote is not None:
        payload["quote"] = quote
    query, body = AIBOT.json_callback(payload, NOW)
    return await client.post("/wecom/aibot", params=query, data=body)


@pytest.mark.parametrize(
    "quote, text",
    [
        ({"msgtype": "text", "text": {"content": REPORT}}, REPORT),
        (
            {
                "msgtype": "mixed",
                "mixed": {
                    "msg_item": [
                        {"msgtype": "text", "text": {"content": REPORT}},
                        {"msgtype": "image", "image": {"url": "http://x/1.png"}},
                    ]
                },
            },
            REPORT,
        ),
        ({"msgtype": "voice", "voice": {"content": REPORT}}, REPORT),
        ({"msgtype": "image", "image": {"url": "http://x/1.png"}}, None),
    ],
)
async def test_aibot_quote_field(aibot, sink, quote, text):
    r = await aibot_post(aibot, quote)
    assert r.status == 200
    [msg] = sink.calls
    assert msg.text == THANKS and msg.quote == Quote(text=text)


async def test_aibot_text_form_with_the_mention_after_the_quote(aibot, sink):
    await aibot_post(aibot, None, f"「张炜：{REPORT}」\n{DASHES}\n@联盟助手 {THANKS}")
    [msg] = sink.calls
    assert msg.text == THANKS and msg.quote == Quote(text=REPORT, sender_name="张炜")


async def test_aibot_malformed_quote_is_ignored_not_an_error(aibot, sink):
    r = await aibot_post(aibot, {"msgtype": "text", "text": "not an object"})
    assert r.status == 200
    [msg] = sink.calls
    assert msg.text == THANKS and msg.quote == Quote(text=None)


# -- WeCom self-built app: text only, so the dashed form ------------------------------------

APP = WecomPlatform("app-token", "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt", "wwcorp")


async def test_app_text_form_quote(serve, sink):
    settings = WecomAppSettings(
        corp_id="wwcorp", agent_id=1000002, token=APP.token, encoding_aes_key=APP.key
    )
    client = await serve(WecomAppAdapter(settings, sink, FakeClock(NOW), SERVER))
    content = f"「张炜：{REPORT}」\n{DASHES}\n{THANKS}"
    xml = (
        f"<xml><ToUserName><![CDATA[wwcorp]]></ToUserName><FromUserName><![CDATA[wangwu]]></FromUserName>"
        f"<CreateTime>{NOW}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content><MsgId>42</MsgId><AgentID>1000002</AgentID></xml>"
    )
    query, body = APP.xml_callback(xml, NOW)
    r = await client.post("/wecom/app", params=query, data=body)
    assert r.status == 200
    [msg] = sink.calls
    assert msg.text == THANKS and msg.quote == Quote(text=REPORT, sender_name="张炜")


async def test_onebot_reply_to_the_bots_own_message_is_addressed_to_it(onebot, sink):
    # Replying to the bot's message puts the bot's @ after the reply segment.
    await onebot_post(onebot, onebot_event("[CQ:reply,id=88][CQ:at,qq=10001000] 马欣瑞老师"))
    [msg] = sink.calls
    assert msg.text == "马欣瑞老师" and msg.mentions_bot
    assert msg.quote == Quote(message_id="88", from_bot=True)


async def test_aibot_text_form_quoting_the_bot(aibot, sink):
    await aibot_post(
        aibot, None, f"「联盟助手：✅ 已记录 #3 送教下乡」\n{DASHES}\n@联盟助手 马欣瑞老师"
    )
    [msg] = sink.calls
    assert msg.text == "马欣瑞老师"
    assert msg.quote == Quote(text="✅ 已记录 #3 送教下乡", from_bot=True)


_PIECES = st.sampled_from(
    [
        "「",
        "」",
        "张炜",
        ":",
        "：",
        "\n",
        "- - - -",
        "------",
        "回复",
        "@",
        " ",
        "谢谢",
        "送教",
        "\u2005",
        "——",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=30).map("".join))
def test_splitting_never_fails_and_keeps_the_reply_text(text):
    reply, quote = split_text_quote(text)
    assert reply in text
    if quote is None:
        assert reply == text
