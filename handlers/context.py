"""What a handler gets: the message, who sent it, where, a database session, and the
typed services of the composition root (router, reminder port, file store, target rules)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.events import IncomingMessage
from handlers.ports import FileStore, NullReminders, ReminderPort
from handlers.router import CommandDenied

if TYPE_CHECKING:
    from handlers.router import Router
    from handlers.targets import TargetRule
    from storage.models import Alliance, ChatGroup, Person, School

__all__ = ["HandlerContext", "HandlerSettings", "InboundRef", "ReplayPending"]


class HandlerSettings(Protocol):
    """The settings handlers read. The server's `Settings` satisfies it; handlers never
    import the configuration module of `bot`."""

    @property
    def timezone(self) -> str: ...

    @property
    def terms(self) -> Any: ...  # term start dates: see handlers.periods

    @property
    def assessment(self) -> Any: ...  # milestones, weights: see handlers.scores

    @property
    def calendar(self) -> Any: ...  # configured holidays and working days


@dataclass(frozen=True)
class InboundRef:
    """The stored inbound message a handler runs for (its id goes into audit lines)."""

    id: int


# Save the reports a newly confirmed sender made before binding: (context, platform,
# user id, person) -> ids of the records saved. `/绑定 确认` calls it.
ReplayPending = Callable[["HandlerContext", str, str, "Person"], list[int]]


@dataclass
class HandlerContext:
    message: IncomingMessage
    session: Session
    settings: HandlerSettings
    now: datetime
    person: Person | None = None
    school: School | None = None
    alliance: Alliance | None = None  # the alliance the conversation is about
    group: ChatGroup | None = None
    inbound: InboundRef | None = None
    reminders: ReminderPort = field(default_factory=NullReminders)
    public_url: str = ""  # the base of download links
    router: Router | None = None  # the root router (for /帮助)
    replay_pending: ReplayPending | None = None
    targets: Sequence[TargetRule] | None = None  # parsed once at start; None: the defaults
    files: FileStore | None = None
    # Whether the bot can message the sender privately on this platform (None: never).
    can_reach_privately: Callable[[str], bool] | None = None
    # The server's short-lived lookup cache, `cached(key, load)`: a few seconds, cleared by
    # every command (bot.pipeline.LookupCache); None: load every time.
    cached: Callable[[tuple, Callable[[], Any]], Any] | None = None

    @property
    def me(self) -> Person:
        """The asker's roster entry, in what only bound people reach (the router lets no
        unbound person run a staff command; reports are saved only for bound senders)."""
        if self.person is None:
            raise CommandDenied("请先发送 /绑定 你的姓名 完成身份绑定,再使用此命令。")
        return self.person

    @property
    def role(self) -> str:
        return self.person.role if self.person else "unknown"

    @property
    def tz(self) -> tzinfo:
        return ZoneInfo(self.settings.timezone)

    @property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()

    @property
    def rules(self) -> list[TargetRule]:
        """The target rules in force: the configured ones, else the defaults."""
        from handlers.targets import rules_from

        return rules_from(self.targets)
