"""Small interfaces (Protocols) between the layers.

Adapters receive a `MessageSink` (the server's pipeline) and implement `Pusher`;
handlers reach reminders only through `ReminderPort` and write files only through
`FileStore`; everything that needs the time takes a `Clock`, so tests can freeze it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, runtime_checkable

from handlers.events import IncomingMessage, OutboundMessage, Reply


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@runtime_checkable
class MessageSink(Protocol):
    """The pipeline an adapter hands a verified message to.

    It stores the inbound message (idempotent on platform + message id), handles it and
    commits before returning. `None` means: stay silent (chatter). The same delivery
    retried returns the same reply.
    """

    async def __call__(self, msg: IncomingMessage) -> Reply | None: ...


@dataclass(frozen=True)
class PushResult:
    ok: bool
    platform_message_id: str | None = None
    error: str | None = None
    retryable: bool = False


class Pusher(Protocol):
    """An outbound client for one platform (or one route of it)."""

    name: str

    async def push(self, msg: OutboundMessage) -> PushResult: ...


class ReminderPort(Protocol):
    """What handlers ask of the scheduler. Results are plain dicts, so handlers never
    need a type from `scheduler`. Meeting-rule parsing and the work calendar are pure code
    in `handlers`, not part of this port."""

    def activity_changed(self, activity_id: int) -> None:
        """A planned activity was created, changed, completed or undone: resync its reminders."""

    def meeting_rules_changed(self, alliance_id: int) -> None:
        """Meeting rules of an alliance changed: resync their reminders."""

    def upcoming(self, alliance_id: int | None, days: int, session: Any = None) -> list[dict]:
        """The next fires: time, kind, text (pass the handler's session on SQLite)."""


class NullReminders:
    """The port where no scheduler runs (CLI tools, tests of pure handlers)."""

    def activity_changed(self, activity_id: int) -> None:
        return None

    def meeting_rules_changed(self, alliance_id: int) -> None:
        return None

    def upcoming(self, alliance_id: int | None, days: int, session: Any = None) -> list[dict]:
        return []


class FileStore(Protocol):
    """Where handlers put files they produce (exports); implemented by the composition root."""

    def save(self, folder: str, filename: str, content: bytes) -> str:
        """Store `content`; returns its path relative to the data directory."""
