"""Neutral message types shared by platform adapters, handlers and the server.

Nothing here knows a platform's wire format: an adapter turns its traffic into an
`IncomingMessage` and renders a `Reply` back within its own limits.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

# A platform's name as its adapter and the registry (bot.platforms.registry) spell it:
# "wecom", "onebot", "qq" today. Not a closed Literal, so a new platform touches no
# handlers code.
Platform = str
ChatType = Literal["group", "private"]


@dataclass(frozen=True)
class ChatRef:
    """Where a message came from or where a push goes."""

    platform: Platform
    chat_id: str  # group id / chatid / group_openid; for private chats the user id
    chat_type: ChatType = "group"


@dataclass(frozen=True)
class IncomingMessage:
    """One user message, as every platform delivers it.

    `message_id` is the platform's own id; together with `platform` it is the
    idempotency key of an inbound delivery.
    """

    platform: Platform
    route: str  # which endpoint delivered it: "wecom-aibot", "wecom-app", "onebot", "qq"
    chat: ChatRef
    sender_id: str  # wecom userid / QQ number / QQ member_openid
    text: str  # with the leading @bot mention stripped
    message_id: str
    sent_at: datetime  # tz-aware
    mentions_bot: bool = False
    sender_name: str | None = None  # display name when the platform gives one


@dataclass(frozen=True)
class Mention:
    """Someone a reply or a push should @-mention.

    `ids` maps a platform (as in `Identity.platform`: "wecom", "onebot", "qq") to the
    person's user id there; an adapter @-mentions by id where it has one, else by name.
    """

    name: str
    ids: Mapping[str, str] = field(default_factory=dict, hash=False)

    def user_id(self, platform: str) -> str | None:
        return self.ids.get(platform) or None


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime: str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Reply:
    """What the bot answers, in neutral form.

    `text` is plain simplified Chinese; `markdown` is set when a richer rendering
    is worth it (tables of progress). Adapters pick what their platform supports and
    split or shorten to its limits.
    """

    text: str
    markdown: str | None = None
    mentions: tuple[Mention, ...] = ()
    attachment: Attachment | None = None
    link: str | None = None  # a one-time download link when a file cannot be sent
    quiet: bool = False  # True: send nothing (chatter); kept so callers can log why

    @classmethod
    def silent(cls) -> "Reply":
        return cls(text="", quiet=True)


@dataclass(frozen=True)
class OutboundMessage:
    """A push that is not an answer to a message (reminders, digests, exports)."""

    target: ChatRef
    text: str
    markdown: str | None = None
    mentions: tuple[Mention, ...] = ()
    attachment: Attachment | None = None
    push_key: str | None = None  # WeCom group-robot webhook key, when the group has one
    idempotency_key: str | None = None
    extra: dict = field(default_factory=dict)
