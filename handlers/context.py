"""What a handler gets: the message, who sent it, where, a database session, the clock."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.events import IncomingMessage
from bot.ports import ReminderService

if TYPE_CHECKING:
    from bot.config import Settings
    from storage.models import Alliance, ChatGroup, Person, School


class NullReminders:
    """Used where no scheduler runs (CLI tools, tests of pure handlers)."""

    def activity_changed(self, activity_id: int) -> None:
        return None

    def meeting_rules_changed(self, alliance_id: int) -> None:
        return None

    def upcoming(self, alliance_id: int | None, days: int) -> list[dict]:
        return []


@dataclass(frozen=True)
class InboundRef:
    """The stored inbound message a handler runs for (its id goes into audit lines)."""

    id: int


@dataclass
class HandlerContext:
    message: IncomingMessage
    session: Session
    settings: "Settings"
    now: datetime
    person: "Person | None" = None
    school: "School | None" = None
    alliance: "Alliance | None" = None  # the alliance the conversation is about
    group: "ChatGroup | None" = None
    inbound: InboundRef | None = None
    reminders: ReminderService = field(default_factory=NullReminders)
    public_url: str = ""
    extras: dict = field(default_factory=dict)

    @property
    def role(self) -> str:
        return self.person.role if self.person else "unknown"

    @property
    def tz(self) -> tzinfo:
        return ZoneInfo(self.settings.timezone)

    @property
    def today(self):  # noqa: ANN201
        return self.now.astimezone(self.tz).date()
