"""Neutral replies and pushes → WeCom message bodies, within WeCom's byte limits."""

from __future__ import annotations

import re
from typing import Any

from bot.platforms.base import file_note, link_text, mention_prefix
from bot.platforms.textlimits import fit_parts, shorten_at_line, truncate_utf8, utf8_len
from handlers.events import Mention, OutboundMessage, Reply

TEXT_MAX_BYTES = 2048  # group robot text, app text
MARKDOWN_MAX_BYTES = 4096  # group robot markdown; also used for AI-bot stream content
APP_MARKDOWN_MAX_BYTES = 2048  # message/send markdown
MAX_PARTS = 10  # a longer push is shortened rather than flooding a 20-per-minute robot


_MD_LINE_START = re.compile(r"^([ \t]*)(#+(?=\s)|>)", re.M)
_MD_CHARS = str.maketrans({"<": "＜", "*": "＊", "`": "｀", "[": "［", "]": "］"})


def escape_markdown(text: str) -> str:
    """Plain text made inert in WeCom markdown: user text (a report, a title, a name) must
    not become `<font …>`, `<@all>`, bold, links, code, headings or quotes. WeCom documents
    no backslash escape, so markup characters become their full-width forms, which read
    the same to a Chinese user; a `#` is only touched where it would start a heading."""
    text = text.translate(_MD_CHARS)
    return _MD_LINE_START.sub(
        lambda m: m.group(1) + ("＞" if m.group(2) == ">" else "＃" * len(m.group(2))), text
    )


def _one_message(prefix: str, body: str, extra: str, max_bytes: int) -> str:
    """One message: the body shortened at a line break (never mid-sentence) so that the
    mentions before it and the download link after it always arrive whole."""
    tail = f"\n{extra}" if extra and body else extra
    room = max_bytes - utf8_len(prefix) - utf8_len(tail)
    if room < 4:
        return truncate_utf8(prefix + body + tail, max_bytes)
    return prefix + shorten_at_line(body, room) + tail


def render_stream_content(reply: Reply) -> str:
    """AI-bot stream / response_url markdown: one message within 4,096 bytes.

    A reply without its own markdown is plain text (which holds what users wrote) and is
    escaped; a handler that builds `markdown` escapes the user text it puts in."""
    body = reply.markdown if reply.markdown is not None else escape_markdown(reply.text)
    extra = link_text(reply, markdown=True) or file_note(reply.attachment)
    return _one_message(
        escape_markdown(mention_prefix(reply.mentions)), body, extra, MARKDOWN_MAX_BYTES
    )


def render_app_text(reply: Reply) -> str:
    """Self-built app passive text reply: one message of at most 2,048 bytes."""
    extra = link_text(reply, body=reply.text) or file_note(reply.attachment)
    return _one_message(mention_prefix(reply.mentions), reply.text, extra, TEXT_MAX_BYTES)


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def render_app_reply_xml(
    content: str, *, corp_id: str, user_id: str, agent_id: int | str, create_time: int
) -> str:
    """The passive text reply, field order as wechatpy's test vector (MsgType first)."""
    return (
        "<xml>\n"
        f"<MsgType>{_cdata('text')}</MsgType>\n"
        f"<Content>{_cdata(content)}</Content>\n"
        f"<FromUserName>{_cdata(corp_id)}</FromUserName>\n"
        f"<ToUserName>{_cdata(user_id)}</ToUserName>\n"
        f"<AgentID>{int(agent_id)}</AgentID>\n"
        f"<CreateTime>{create_time}</CreateTime>\n"
        "</xml>"
    )


def _split_mentions(mentions: tuple[Mention, ...]) -> tuple[list[str], tuple[Mention, ...]]:
    ids = [u for m in mentions if (u := m.user_id("wecom"))]
    rest = tuple(m for m in mentions if not m.user_id("wecom"))
    return ids, rest


def render_webhook(msg: OutboundMessage) -> list[dict[str, Any]]:
    """Group-robot bodies: markdown with `<@userid>`, or text with `mentioned_list`."""
    ids, others = _split_mentions(msg.mentions)
    if msg.markdown:
        head = " ".join(f"<@{u}>" for u in ids)
        head = (head + " " + escape_markdown(mention_prefix(others))).strip()
        head = head + "\n" if head else ""
        parts = fit_parts(msg.markdown, MARKDOWN_MAX_BYTES - utf8_len(head), MAX_PARTS)
        if parts:
            parts[0] = head + parts[0]
        elif head:
            parts = [head.strip()]
        return [{"msgtype": "markdown", "markdown": {"content": p}} for p in parts]
    head = mention_prefix(others)
    parts = fit_parts(msg.text, TEXT_MAX_BYTES - utf8_len(head), MAX_PARTS)
    if not parts and ids:
        parts = [""]
    out: list[dict[str, Any]] = []
    for i, p in enumerate(parts):
        text: dict[str, Any] = {"content": (head + p) if i == 0 else p}
        if i == 0 and ids:
            text["mentioned_list"] = ids
        out.append({"msgtype": "text", "text": text})
    return out


def render_app_push(msg: OutboundMessage) -> list[dict[str, Any]]:
    """message/send and appchat/send bodies (without the addressing fields)."""
    head = mention_prefix(msg.mentions)
    if msg.markdown:
        parts = fit_parts(msg.markdown, APP_MARKDOWN_MAX_BYTES - utf8_len(head), MAX_PARTS)
        kind = "markdown"
    else:
        parts = fit_parts(msg.text, TEXT_MAX_BYTES - utf8_len(head), MAX_PARTS)
        kind = "text"
    return [
        {"msgtype": kind, kind: {"content": (head + p) if i == 0 else p}}
        for i, p in enumerate(parts)
    ]
