"""Long-connection frame bodies → neutral messages, and replies/pushes → frame bodies.

The bodies of `aibot_msg_callback` are the AI bot's callback JSON (doc 100719): `msgid`,
`aibotid`, `chatid` (groups), `chattype` ("single" | "group"), `from.userid`, `msgtype`
(text | mixed | voice | image | file), and `quote` when the user quoted a message. Voice
arrives already transcribed (`voice.content`). Images and files carry a download `url` and
a per-resource `aeskey` (AES-256-CBC, IV = key[:16]).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from bot.platforms.base import mention_prefix, with_link
from bot.platforms.textlimits import fit_parts, truncate_utf8, utf8_len
from bot.platforms.wecom.payloads import TZ, strip_leading_mention
from handlers.events import ChatRef, IncomingMessage, Mention, OutboundMessage, Reply

ROUTE = "wecom-ws"
MARKDOWN_MAX_BYTES = 4096  # stream content; aibot_send_msg markdown
MAX_PUSH_PARTS = 10
_RECORD_REF = re.compile(r"#(\d{1,9})\b")


@dataclass(frozen=True)
class MediaRef:
    """An image or file to download (and decrypt with `aeskey`)."""

    kind: Literal["image", "file"]
    url: str
    aeskey: str = ""
    filename: str = ""


@dataclass(frozen=True)
class WsInbound:
    kind: Literal["message", "media", "ignored"]
    message: IncomingMessage | None = None  # text, mixed text, voice transcript
    chat: ChatRef | None = None
    sender_id: str = ""
    message_id: str = ""
    sent_at: datetime | None = None
    media: tuple[MediaRef, ...] = ()
    quoted_record_id: int | None = None  # "#12" in a quoted bot echo
    reason: str = ""


def _str(d: Any, *path: str) -> str:
    for p in path:
        d = d.get(p) if isinstance(d, dict) else None
    return d if isinstance(d, str) else ""


def _media_of(item: dict[str, Any]) -> MediaRef | None:
    kind = item.get("msgtype")
    if kind not in ("image", "file"):
        return None
    url = _str(item, kind, "url")
    if not url.startswith(("https://", "http://")):
        return None
    return MediaRef(
        kind,
        url,
        _str(item, kind, "aeskey"),
        _str(item, kind, "filename") or _str(item, kind, "name"),
    )


def _quoted_text(body: dict[str, Any]) -> str:
    quote = body.get("quote")
    if not isinstance(quote, dict):
        return ""
    t = quote.get("msgtype")
    if t == "text":
        return _str(quote, "text", "content")
    if t == "mixed":
        items = (
            quote.get("mixed", {}).get("msg_item") if isinstance(quote.get("mixed"), dict) else None
        )
        return "\n".join(_str(i, "text", "content") for i in items or [] if isinstance(i, dict))
    if t == "voice":
        return _str(quote, "voice", "content")
    return ""


def parse_frame_body(body: Any, *, bot_name: str, received_ts: int) -> WsInbound:
    """Classify an `aibot_msg_callback` body."""
    if not isinstance(body, dict):
        return WsInbound("ignored", reason="body is not an object")
    msgid = _str(body, "msgid")
    userid = _str(body, "from", "userid")
    if not msgid or not userid:
        return WsInbound("ignored", reason="message without msgid or from.userid")
    chatid = _str(body, "chatid")
    is_group = body.get("chattype") == "group" and bool(chatid)
    chat = ChatRef("wecom", chatid if is_group else userid, "group" if is_group else "private")
    created = body.get("create_time")
    ts = created if isinstance(created, int) and created > 0 else received_ts
    sent_at = datetime.fromtimestamp(ts, TZ)
    msgtype = body.get("msgtype")
    text: str | None = None
    media: list[MediaRef] = []
    if msgtype == "text":
        text = _str(body, "text", "content")
    elif msgtype == "voice":
        text = _str(body, "voice", "content")  # WeCom's transcription
    elif msgtype == "mixed":
        items = (
            body.get("mixed", {}).get("msg_item") if isinstance(body.get("mixed"), dict) else None
        )
        items = [i for i in items or [] if isinstance(i, dict)]
        text = "\n".join(_str(i, "text", "content") for i in items if i.get("msgtype") == "text")
        media = [m for m in (_media_of(i) for i in items) if m is not None]
    elif msgtype in ("image", "file"):
        m = _media_of(body)
        media = [m] if m else []
    else:
        return WsInbound("ignored", reason=f"msgtype {msgtype!r}")
    quoted = _quoted_text(body)
    ref = _RECORD_REF.search(quoted)
    quoted_id = int(ref.group(1)) if ref else None
    message = None
    if text is not None and text.strip():
        stripped, _ = strip_leading_mention(text, bot_name)
        if stripped:
            message = IncomingMessage(
                platform="wecom",
                route=ROUTE,
                chat=chat,
                sender_id=userid,
                text=stripped,
                message_id=msgid,
                sent_at=sent_at,
                mentions_bot=True,
            )
    if message is None and not media:
        return WsInbound("ignored", reason="empty message")
    return WsInbound(
        "message" if message else "media",
        message=message,
        chat=chat,
        sender_id=userid,
        message_id=msgid,
        sent_at=sent_at,
        media=tuple(media),
        quoted_record_id=quoted_id,
    )


def event_type(body: Any) -> str:
    return _str(body, "event", "eventtype")


def _mention_head(mentions: tuple[Mention, ...]) -> str:
    """WeCom markdown mentions: `<@userid>` for people with a WeCom id, "@name" for others."""
    ids = " ".join(f"<@{m.user_id('wecom')}>" for m in mentions if m.user_id("wecom"))
    rest = mention_prefix(tuple(m for m in mentions if not m.user_id("wecom"))).strip()
    head = " ".join(x for x in (ids, rest) if x)
    return head + "\n" if head else ""


def render_reply(reply: Reply) -> str:
    """Stream content for a reply: markdown, people mentioned, one message within 4,096 bytes."""
    body = reply.markdown if reply.markdown is not None else reply.text
    body = _mention_head(reply.mentions) + with_link(body, reply, markdown=True)
    return truncate_utf8(body, MARKDOWN_MAX_BYTES)


def render_push(msg: OutboundMessage) -> list[dict[str, Any]]:
    """`aibot_send_msg` bodies (without chatid): markdown, split at 4,096 bytes."""
    head = _mention_head(msg.mentions)
    text = msg.markdown or msg.text
    parts = fit_parts(text, MARKDOWN_MAX_BYTES - utf8_len(head), MAX_PUSH_PARTS)
    if not parts and head:
        parts = [""]
    chat_type = 2 if msg.target.chat_type == "group" else 1
    return [
        {
            "chat_type": chat_type,
            "msgtype": "markdown",
            "markdown": {"content": (head + p) if i == 0 else p},
        }
        for i, p in enumerate(parts)
    ]


WELCOME = (
    "你好,我是联盟助手。\n"
    "上报活动:直接发一句话,写清什么时候、哪些学校、做了什么,例如"
    "“今天我和马欣瑞去解小送课,上了两节语文课,听课15人”。\n"
    "上报后可以接着发照片或文件作为佐证材料。发 /帮助 查看全部命令。"
)


def welcome_body() -> dict[str, Any]:
    return {"msgtype": "text", "text": {"content": WELCOME}}


@dataclass
class Backoff:
    """Reconnect delays: base, 2·base, 4·base … capped; reset after a good connection."""

    base: float
    cap: float
    attempt: int = 0
    history: list[float] = field(default_factory=list)

    def next(self) -> float:
        delay = min(self.base * (2**self.attempt), self.cap)
        self.attempt += 1
        self.history.append(delay)
        return delay

    def reset(self) -> None:
        self.attempt = 0
