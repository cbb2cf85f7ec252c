"""WeCom inbound payloads → neutral `IncomingMessage`s.

AI bot (智能机器人): decrypted JSON with `msgid`, `chatid` (group only), `chattype`,
`from.userid`, `response_url`, `msgtype` (text | mixed | stream | image | event …).
Self-built app: decrypted XML parsed by `wechatpy.enterprise.parse_message`, after
defusedxml has vetted it (no DTDs, no entities).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from bot.platforms.base import safe_timestamp
from bot.platforms.quotes import split_text_quote
from bot.platforms.security import Malformed
from handlers.events import ChatRef, IncomingMessage, Quote

TZ = ZoneInfo("Asia/Shanghai")
_LEADING_MENTION = re.compile(r"^\s*@\S+\s*")


def strip_leading_mention(text: str, bot_name: str = "") -> tuple[str, bool]:
    """Remove the "@BotName" WeCom puts in front of the text; returns (text, stripped).

    The configured name is tried first (it may contain spaces); otherwise any one leading
    @token goes. WeCom separates a mention with U+2005, which `\\s` matches.
    """
    s = text.lstrip()
    if bot_name and s.startswith("@" + bot_name):
        return s[len(bot_name) + 1 :].strip(), True
    m = _LEADING_MENTION.match(s)
    if m:
        return s[m.end() :].strip(), True
    return s.strip(), False


@dataclass(frozen=True)
class AibotCallback:
    kind: Literal["message", "stream_refresh", "ignored"]
    message: IncomingMessage | None = None
    stream_id: str = ""
    response_url: str = ""


def _text_of(payload: dict[str, Any]) -> str | None:
    msgtype = payload.get("msgtype")
    if msgtype == "text":
        text = payload.get("text")
        content = text.get("content") if isinstance(text, dict) else None
        return content if isinstance(content, str) else None
    if msgtype == "mixed":
        mixed = payload.get("mixed")
        items = (mixed.get("msg_item") if isinstance(mixed, dict) else None) or []
        if not isinstance(items, list):
            return None
        texts = [
            it["text"]["content"]
            for it in items
            if isinstance(it, dict)
            and it.get("msgtype") == "text"
            and isinstance(it.get("text"), dict)
            and isinstance(it["text"].get("content"), str)
        ]
        return "\n".join(texts)
    if msgtype == "voice":
        # WeCom transcribes voice messages (teachers dictate reports): read them as text.
        voice = payload.get("voice")
        content = voice.get("content") if isinstance(voice, dict) else None
        return content if isinstance(content, str) else None
    return None


def _quote_of(payload: dict[str, Any]) -> Quote | None:
    """The AI bot's `quote` field: the quoted message's text (text, mixed or voice, whose
    `voice.content` is WeCom's transcript). It names no sender. An image or file quote has
    no text, but the message is still a reply."""
    quote = payload.get("quote")
    if not isinstance(quote, dict):
        return None
    text = _text_of(quote)
    if text is None and quote.get("msgtype") == "voice":
        voice = quote.get("voice")
        content = voice.get("content") if isinstance(voice, dict) else None
        text = content if isinstance(content, str) else None
    return Quote(text=text.strip() or None if text is not None else None)


def parse_aibot(payload: dict[str, Any], *, bot_name: str, received_ts: int) -> AibotCallback:
    """Classify a decrypted AI-bot callback; `Malformed` for a message missing its ids."""
    msgtype = payload.get("msgtype")
    if msgtype == "stream":
        stream = payload.get("stream")
        sid = stream.get("id") if isinstance(stream, dict) else None
        if not isinstance(sid, str):
            raise Malformed("stream refresh without id")
        return AibotCallback("stream_refresh", stream_id=sid)
    text = _text_of(payload)
    if text is None:
        return AibotCallback("ignored")  # events, images, files …
    msgid = payload.get("msgid")
    sender = payload.get("from")
    userid = sender.get("userid") if isinstance(sender, dict) else None
    if not isinstance(msgid, str) or not msgid or not isinstance(userid, str) or not userid:
        raise Malformed("message without msgid or from.userid")
    chatid = payload.get("chatid")
    group = (
        chatid
        if payload.get("chattype") == "group" and isinstance(chatid, str) and chatid
        else None
    )
    # In 1:1 chats `chatid` is empty: the user is the chat.
    chat = ChatRef("wecom", group or userid, "group" if group else "private")
    stripped, _ = strip_leading_mention(text, bot_name)
    quote = _quote_of(payload)
    if quote is None:
        # A quote typed or pasted as text: 「某某:…」 + dashes, or "回复 @某某:".
        stripped, quote = split_text_quote(stripped)
        stripped, _ = strip_leading_mention(stripped, bot_name)
        if quote is not None and bot_name and quote.sender_name == bot_name:
            quote = replace(quote, sender_name=None, from_bot=True)
    received = datetime.fromtimestamp(received_ts, TZ)
    created = payload.get("create_time")
    sent_at, ok = safe_timestamp(created, received, TZ) if created is not None else (received, True)
    aibotid = payload.get("aibotid")
    msg = IncomingMessage(
        platform="wecom",
        route="wecom-aibot",
        chat=chat,
        sender_id=userid,
        text=stripped,
        message_id=msgid,
        sent_at=sent_at,
        mentions_bot=True,  # the AI bot only ever receives messages addressed to it
        quote=quote,
        bot_id="aibot:" + (aibotid if isinstance(aibotid, str) else ""),
        cleaned=() if ok else ("timestamp",),
    )
    url = payload.get("response_url")
    return AibotCallback("message", message=msg, response_url=url if isinstance(url, str) else "")


def safe_xml(data: str | bytes) -> ET.Element:
    """Parse XML with defusedxml, refusing DTDs (hence entity bombs) and external references."""
    try:
        return DET.fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, ET.ParseError, ValueError) as e:
        raise Malformed(f"unsafe or invalid XML: {type(e).__name__}") from None


def extract_encrypt(body: bytes) -> str:
    """The `<Encrypt>` of an encrypted WeCom callback envelope."""
    root = safe_xml(body)
    node = root.find("Encrypt")
    text = node.text.strip() if node is not None and node.text else ""
    if root.tag != "xml" or not text:
        raise Malformed("no Encrypt element")
    return text


def parse_app_message(
    plaintext: str, received_at: datetime | None = None
) -> IncomingMessage | None:
    """A decrypted self-built-app message; None for events and non-text messages."""
    root = safe_xml(plaintext)  # defusedxml vets it before wechatpy's parser sees it
    # wechatpy (its API clients, requests, ...) loads with the first app message only.
    from wechatpy.enterprise import parse_message

    try:
        message = parse_message(plaintext)
    except Exception as e:
        raise Malformed(f"unparsable message: {type(e).__name__}") from None
    if message is None or message.type != "text":
        return None
    if not message.source or not (root.findtext("MsgId") or "").strip():
        raise Malformed("text message without FromUserName or MsgId")
    # The app's text has no quote field: a reply arrives in the 「某某:…」 + dashes form.
    text, quote = split_text_quote((message.content or "").strip())
    received = received_at or datetime.now(TZ)
    sent_at, ok = safe_timestamp(_int(root.findtext("CreateTime")), received, TZ)
    corp = (root.findtext("ToUserName") or "").strip()
    agent = (root.findtext("AgentID") or "").strip()
    return IncomingMessage(
        platform="wecom",
        route="wecom-app",
        chat=ChatRef("wecom", message.source, "private"),
        sender_id=message.source,
        text=text,
        message_id=str(message.id),
        sent_at=sent_at,
        mentions_bot=True,
        quote=quote,
        bot_id=f"app:{corp}:{agent}",
        cleaned=() if ok else ("timestamp",),
    )


def _int(text: str | None) -> int | None:
    try:
        return int((text or "").strip())
    except ValueError:
        return None
