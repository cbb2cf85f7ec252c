"""QQ open-platform webhook payloads: ``{"id","op","d","s","t"}``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.platforms.base import file_note, link_text, mention_prefix
from bot.platforms.quotes import split_text_quote
from bot.platforms.security import Malformed
from bot.platforms.textlimits import fit_parts
from handlers.events import ChatRef, IncomingMessage, Reply

OP_DISPATCH = 0
OP_HEARTBEAT = 1
OP_ACK = 12
OP_VALIDATION = 13

GROUP_AT = "GROUP_AT_MESSAGE_CREATE"
C2C = "C2C_MESSAGE_CREATE"

# QQ documents no byte limit for text; stay well inside what clients show in one bubble.
TEXT_MAX_BYTES = 2000
MAX_REPLIES = 5  # passive replies per msg_id (msg_seq 1..5)

ACK = {"op": OP_ACK, "d": 0}
NACK = {"op": OP_ACK, "d": 1}  # "failed": QQ delivers the event again


def _str(d: dict[str, Any], key: str) -> str:
    value = d.get(key)
    if not isinstance(value, str) or not value:
        raise Malformed(f"{key} missing")
    return value


def parse_dispatch(
    event_type: Any, d: Any, *, received_at: datetime, app_id: str = ""
) -> IncomingMessage | None:
    """GROUP_AT_MESSAGE_CREATE / C2C_MESSAGE_CREATE as an IncomingMessage; None otherwise."""
    if event_type not in (GROUP_AT, C2C):
        return None
    if not isinstance(d, dict):
        raise Malformed("d is not an object")
    author = d.get("author")
    if not isinstance(author, dict):
        raise Malformed("author missing")
    msg_id = _str(d, "id")
    if event_type == GROUP_AT:
        sender = _str(author, "member_openid")
        chat = ChatRef("qq", _str(d, "group_openid"), "group")
    else:
        sender = _str(author, "user_openid")
        chat = ChatRef("qq", sender, "private")
    sent_at = received_at
    ts = d.get("timestamp")
    if isinstance(ts, str):
        try:
            parsed = datetime.fromisoformat(ts)
            if parsed.tzinfo is not None:
                sent_at = parsed
        except ValueError:
            pass
    content = d.get("content")
    # Arrives with a leading space; a quote can only come as text here (「某某:…」, "回复 @某某:").
    text, quote = split_text_quote((content if isinstance(content, str) else "").strip())
    return IncomingMessage(
        platform="qq",
        route="qq",
        chat=chat,
        sender_id=sender,
        text=text,
        message_id=msg_id,
        sent_at=sent_at,
        mentions_bot=True,
        quote=quote,
        bot_id=app_id,
    )


def render_reply_parts(reply: Reply) -> list[str]:
    """Plain-text parts for msg_seq 1..5. A link goes in its own last part: QQ rejects a
    message whose URL is not registered in the console, and the text should still arrive."""
    text = mention_prefix(reply.mentions) + reply.text
    link = link_text(reply)
    if link and reply.link:
        text = text.replace(reply.link, "(见下一条消息)")  # the URL travels alone, last
    if not link and reply.attachment is not None:
        text += "\n" + file_note(reply.attachment)
    parts = fit_parts(text, TEXT_MAX_BYTES, MAX_REPLIES - 1 if link else MAX_REPLIES)
    return parts + [link] if link else parts
