"""Reply rendering per platform: links, files that cannot be sent, mentions."""

from __future__ import annotations

from bot.platforms.onebot.payloads import quick_operation
from bot.platforms.qq.payloads import render_reply_parts
from bot.platforms.wecom.render import render_app_text, render_stream_content, render_webhook
from handlers.events import Attachment, ChatRef, Mention, OutboundMessage, Reply

FILE = Attachment("进度.xlsx", b"x")


def test_links_and_file_notes():
    with_link = Reply(text="已导出", markdown="**已导出**", attachment=FILE, link="https://b/d/1")
    assert render_stream_content(with_link) == "**已导出**\n[进度.xlsx](https://b/d/1)"
    assert render_app_text(with_link) == "已导出\n进度.xlsx: https://b/d/1"
    assert quick_operation(with_link)["reply"] == "已导出\n进度.xlsx: https://b/d/1"
    assert render_reply_parts(with_link) == ["已导出", "进度.xlsx: https://b/d/1"]
    no_link = Reply(text="已导出", attachment=FILE)
    for out in (
        render_stream_content(no_link),
        render_app_text(no_link),
        quick_operation(no_link)["reply"],
        "\n".join(render_reply_parts(no_link)),
    ):
        assert out == "已导出\n(文件 进度.xlsx 无法在此发送)"


def test_webhook_mentions_only():
    msg = OutboundMessage(
        target=ChatRef("wecom", "g"), text="", mentions=(Mention("全体", ids={"wecom": "@all"}),)
    )
    assert render_webhook(msg) == [
        {"msgtype": "text", "text": {"content": "", "mentioned_list": ["@all"]}}
    ]
    md = OutboundMessage(
        target=ChatRef("wecom", "g"),
        text="x",
        markdown="**周报**",
        mentions=(Mention("王", ids={"wecom": "wang"}), Mention("李")),
    )
    assert render_webhook(md) == [
        {"msgtype": "markdown", "markdown": {"content": "<@wang> @李\n**周报**"}}
    ]
