"""OneBot v11 events → `IncomingMessage`, and replies → OneBot messages.

The same JSON arrives by HTTP POST and over the reverse WebSocket.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from handlers.events import ChatRef, IncomingMessage, Mention, Reply
from bot.platforms.base import mention_prefix, with_link
from bot.platforms.errors import PlatformAPIError
from bot.platforms.onebot.message import Segment, at_segment, normalize, plain_text, strip_at_self, text_segment
from bot.platforms.security import Malformed

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


def parse_event(event: dict[str, Any], *, received_at: datetime, self_id: str = "") -> IncomingMessage | None:
    """A group or private message event as an IncomingMessage; None for everything else
    (meta events, notices, requests, the bot's own messages). `Malformed` for a message
    event that lacks what a message needs."""
    if event.get("post_type") != "message":
        return None
    kind = event.get("message_type")
    if kind not in ("group", "private"):
        return None
    bot = self_id or _id(event.get("self_id")) or ""
    user = _id(event.get("user_id"))
    message_id = _id(event.get("message_id"))
    if user is None or message_id is None:
        raise Malformed("message event without user_id or message_id")
    if bot and user == bot:
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
    segments, at_me = strip_at_self(segments, bot) if bot else (segments, False)
    ts = event.get("time")
    sent_at = datetime.fromtimestamp(ts, TZ) if isinstance(ts, int) and ts > 0 else received_at
    sender = event.get("sender") if isinstance(event.get("sender"), dict) else {}
    name = sender.get("card") or sender.get("nickname")
    return IncomingMessage(
        platform="onebot", route="onebot", chat=chat, sender_id=user,
        text=plain_text(segments), message_id=message_id, sent_at=sent_at,
        mentions_bot=at_me or kind == "private",
        sender_name=name if isinstance(name, str) and name else None,
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
    return {"reply": "".join(s["data"]["text"] for s in segments), "at_sender": False,
            "auto_escape": True}


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
