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
class Quote:
    """The earlier message a reply quotes, kept apart from the reply's own text.

    Platforms give different parts: WeCom's AI bot the quoted text, QQ (OneBot) the quoted
    message's id (the pipeline then reads our stored copy of it), the WeCom text form
    「某某:…」 the sender's display name and the text, "回复 @某某:" only the name.
    """

    text: str | None = None  # the quoted message's text, when known
    sender_name: str | None = None  # display name (or roster name) of its sender
    sender_id: str | None = None  # platform user id of its sender, when known
    message_id: str | None = None  # platform id of the quoted message, when known
    from_bot: bool = False  # the quoted message is the bot's own (an answer to its question)


@dataclass(frozen=True)
class IncomingMessage:
    """One user message, as every platform delivers it.

    `message_id` is the platform's own id; together with `platform` and `bot_id` (which
    bot received it: WeCom app "app:corp:agent", AI bot "aibot:<aibotid>", OneBot self id,
    QQ app id) it is the idempotency key of an inbound delivery. `cleaned` notes what was
    repaired in a message that could not be stored as sent (see bot/sanitize.py).
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
    quote: Quote | None = None  # the message this one replies to; `text` is the reply alone
    bot_id: str = ""  # the receiving bot (part of the dedup key)
    cleaned: tuple[str, ...] = ()  # what was repaired ("lone surrogate", "NUL", "timestamp")


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
    # For the sender alone (the ledger asked for in a group): the composition root pushes it
    # to them in a private chat; it is never stored with the reply nor shown in the group.
    private: Reply | None = None

    @classmethod
    def silent(cls) -> Reply:
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
