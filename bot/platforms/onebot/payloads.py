"""OneBot v11 events → `IncomingMessage`, and replies → OneBot messages.

The same JSON arrives by HTTP POST and over the reverse WebSocket.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.platforms.base import mention_prefix, safe_timestamp, with_link
from bot.platforms.errors import PlatformAPIError
from bot.platforms.onebot.message import (
    Segment,
    at_segment,
    normalize,
    plain_text,
    split_reply,
    strip_at_self,
    text_segment,
)
from bot.platforms.quotes import split_text_quote
from bot.platforms.security import Malformed
from handlers.events import ChatRef, IncomingMessage, Mention, Quote, Reply

TZ = ZoneInfo("Asia/Shanghai")


def _id(value: Any) -> str | None:
    """OneBot ids are int64 numbers (some implementations send strings)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip().isdigit():
        return value.strip()
    return None


def parse_event(
    event: dict[str, Any], *, received_at: datetime, self_id: str = ""
) -> IncomingMessage | None:
    """A group or private message event as an IncomingMessage; None for everything else
    (meta events, notices, requests, the bot's own messages). `Malformed` for a message
    event that lacks what a message needs."""
    if event.get("post_type") != "message":
        return None
    kind = event.get("message_type")
    if kind not in ("group", "private"):
        return None
    # The signed event names the account that received it; the header/setting is a fallback.
    bot = _id(event.get("self_id")) or self_id or ""
    user = _id(event.get("user_id"))
    message_id = _id(event.get("message_id"))
    if user is None or message_id is None:
        raise Malformed("message event without user_id or message_id")
    if bot and user == bot:
        return None
    if event.get("sub_type") == "anonymous" or event.get("anonymous"):
        # An anonymous group message carries a user_id that is not the sender's account
        # (OneBot reports a placeholder): never act as that person.
        return None
    if kind == "group":
        group = _id(event.get("group_id"))
        if group is None:
            raise Malformed("group message without group_id")
        chat = ChatRef("onebot", group, "group")
    else:
        chat = ChatRef("onebot", user, "private")
    try:
        segments = normalize(event.get("message", ""))
    except ValueError as e:
        raise Malformed(str(e)) from None
    segments, reply = split_reply(segments)
    segments, at_me = strip_at_self(segments, bot) if bot else (segments, False)
    text = plain_text(segments)
    quote: Quote | None = None
    if reply is not None:
        # NapCat and Lagrange give only the quoted message's id; the pipeline reads our
        # stored copy. go-cqhttp's custom reply form may carry its text and sender. A reply
        # to the bot's own message carries the bot's @: it is addressed to the bot.
        to_bot = bool(bot) and reply.get("qq") == bot
        at_me = at_me or to_bot
        quote = Quote(
            text=reply.get("text"),
            sender_id=None if to_bot else reply.get("qq"),
            message_id=reply.get("id"),
            from_bot=to_bot,
        )
    else:
        text, quote = split_text_quote(text)
    sent_at, ok = safe_timestamp(event.get("time"), received_at, TZ)
    sender = event.get("sender")
    if not isinstance(sender, dict):
        sender = {}
    name = sender.get("card") or sender.get("nickname")
    return IncomingMessage(
        platform="onebot",
        route="onebot",
        chat=chat,
        sender_id=user,
        text=text,
        message_id=message_id,
        sent_at=sent_at,
        mentions_bot=at_me or kind == "private",
        sender_name=name if isinstance(name, str) and name else None,
        quote=quote,
        bot_id=bot,
        cleaned=() if ok or event.get("time") is None else ("timestamp",),
    )


def render_segments(text: str, mentions: tuple[Mention, ...]) -> list[Segment]:
    """`[CQ:at,qq=…]` for mentions with a QQ number, "@name" text for the others."""
    segs: list[Segment] = []
    for m in mentions:
        if qq := m.user_id("onebot"):
            segs += [at_segment(qq), text_segment(" ")]
    others = tuple(m for m in mentions if not m.user_id("onebot"))
    body = mention_prefix(others) + text
    if body:
        segs.append(text_segment(body))
    return segs


def render_reply(reply: Reply) -> list[Segment]:
    """OneBot has no documented length limit; plain text only (no markdown on QQ)."""
    return render_segments(with_link(reply.text, reply), reply.mentions)


def quick_operation(reply: Reply) -> dict[str, Any]:
    """HTTP POST quick reply. `at_sender` is explicitly false (its default is true): when
    someone should be mentioned, the reply carries at segments itself."""
    segments = render_reply(reply)
    if any(s["type"] != "text" for s in segments):
        return {"reply": segments, "at_sender": False}
    return {
        "reply": "".join(s["data"]["text"] for s in segments),
        "at_sender": False,
        "auto_escape": True,
    }


def action_for(chat: ChatRef, segments: list[Segment]) -> tuple[str, dict[str, Any]]:
    """The send action and params for a chat (segment arrays: no escaping questions)."""
    if chat.chat_type == "group":
        return "send_group_msg", {"group_id": int(chat.chat_id), "message": segments}
    return "send_private_msg", {"user_id": int(chat.chat_id), "message": segments}


def action_result(resp: dict[str, Any]) -> dict[str, Any]:
    """An action response (HTTP body or WS frame): itself when ok/async, else an error."""
    retcode = resp.get("retcode")
    if retcode in (0, 1) or resp.get("status") in ("ok", "async"):
        return resp
    detail = resp.get("wording") or resp.get("msg") or resp.get("status") or ""
    raise PlatformAPIError("onebot", None, retcode, str(detail))


def sent_message_id(resp: dict[str, Any]) -> str | None:
    data = resp.get("data")
    if isinstance(data, dict) and data.get("message_id") is not None:
        return str(data["message_id"])
    return None


def media_of_event(event: dict[str, Any]) -> tuple[list[tuple[str, str, str]], str | None]:
    """Images and files of a message event as (kind, url, filename), and the id of the
    message it replies to. NapCat, Lagrange and LLOneBot put a download `url` in `image` and
    `file` segments (`file` is often only a name or a path on *their* machine, so only
    http(s) URLs and base64:// payloads are used)."""
    try:
        segments = normalize(event.get("message", ""))
    except ValueError:
        return [], None
    media: list[tuple[str, str, str]] = []
    quoted = None
    for seg in segments:
        data = seg.get("data") or {}
        if seg["type"] == "reply" and data.get("id") is not None:
            quoted = str(data["id"])
        if seg["type"] not in ("image", "file"):
            continue
        url = str(data.get("url") or "")
        file = str(data.get("file") or "")
        if not url.startswith(("http://", "https://")) and file.startswith("base64://"):
            url = file
        if url.startswith(("http://", "https://", "base64://")):
            name = str(data.get("name") or data.get("file_name") or "")
            if not name and file and not file.startswith("base64://") and "/" not in file:
                name = file
            media.append((seg["type"], url, name))
    return media, quoted
