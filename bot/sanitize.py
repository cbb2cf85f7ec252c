"""Repair a verified message that could not be stored as sent ("poison messages").

A correctly signed delivery must be stored: refusing it (5xx) makes the platform redeliver
it forever and the report is never kept. What breaks storage or the handlers:

* a lone UTF-16 surrogate (JSON allows "\\ud800"): UTF-8 cannot encode it, so neither
  SQLite nor PostgreSQL accepts the text. It becomes U+FFFD.
* NUL: PostgreSQL text cannot hold it. It is removed (on every backend, so a message is
  stored the same way wherever it lands).
* an absurd send time (before 2000, or more than a day after it was received — a
  millisecond timestamp, year 9999): dates like "今天" are read from the send time, so the
  time the bot received it is used instead.

What was repaired is listed in `IncomingMessage.cleaned` and kept on the inbound row.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from handlers.events import ChatRef, IncomingMessage

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)


def clean_str(value: str, notes: set[str]) -> str:
    if "\x00" in value:
        value = value.replace("\x00", "")
        notes.add("NUL")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # Paired surrogates survive the round trip; lone ones become U+FFFD.
        value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        notes.add("lone surrogate")
    return value


def plausible(sent_at: datetime, received: datetime) -> bool:
    try:
        return sent_at.tzinfo is not None and EARLIEST <= sent_at <= received + FUTURE_SLACK
    except (OverflowError, ValueError, TypeError):
        return False


def sanitize(msg: IncomingMessage, received: datetime) -> IncomingMessage:
    """`msg` itself when nothing needs repair, else a repaired copy noting what changed."""
    notes: set[str] = set()
    text = clean_str(msg.text, notes)
    sender = clean_str(msg.sender_id, notes)
    message_id = clean_str(msg.message_id, notes)
    bot_id = clean_str(msg.bot_id, notes)
    chat_id = clean_str(msg.chat.chat_id, notes)
    name = clean_str(msg.sender_name, notes) if msg.sender_name is not None else None
    sent_at = msg.sent_at
    if not plausible(sent_at, received):
        sent_at = received
        notes.add("timestamp")
    if not notes:
        return msg
    chat = (
        msg.chat
        if chat_id == msg.chat.chat_id
        else ChatRef(msg.chat.platform, chat_id, msg.chat.chat_type)
    )
    return replace(
        msg,
        text=text,
        sender_id=sender,
        message_id=message_id,
        bot_id=bot_id,
        chat=chat,
        sender_name=name,
        sent_at=sent_at,
        cleaned=tuple(sorted(set(msg.cleaned) | notes)),
    )


def cleaned_note(msg: IncomingMessage) -> str | None:
    return ", ".join(msg.cleaned) if msg.cleaned else None
