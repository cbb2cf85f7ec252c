"""The protocol every reminder kind implements, and what the runner hands it.

A reminder kind says which reminders the database asks for (`batches`: wanted rows plus
the scope of scheduled rows it owns, so stale ones are cancelled), why a scheduled one
should no longer go out (`stale_reason`) and what to send when it fires (`message`).
Its Chinese texts live in its own module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from handlers.events import Mention
from handlers.workdays import WorkCalendar
from storage.models import Alliance, ChatGroup, Reminder

DigestText = Callable[[int, dt.datetime], "str | None"]


def aware(value: dt.datetime) -> dt.datetime:
    """Datetimes read back from SQLite are naive UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@dataclass
class Want:
    """One reminder the current state of the database asks for."""

    dedup_key: str
    kind: str
    alliance_id: int | None
    fire_at: dt.datetime
    occurs_on: dt.date | None
    platform: str | None
    chat_id: str | None
    text: str
    record_id: int | None = None
    meeting_rule_id: int | None = None
    payload: dict | None = None


@dataclass
class Batch:
    """Wanted reminders, and the scheduled rows (a SQL condition) they replace."""

    wants: list[Want]
    scope: Any


@dataclass(frozen=True)
class Changes:
    """What handlers reported since the last sync (None for a full sync)."""

    records: frozenset[int] = frozenset()
    alliances: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Message:
    """What a firing reminder sends; `text` None means nothing to say (`empty_reason`)."""

    text: str | None
    mentions: tuple[Mention, ...] = ()
    empty_reason: str = ""


@dataclass
class KindEnv:
    """Settings and collaborators shared by the kinds."""

    rs: Any  # settings.reminders
    tz: ZoneInfo
    calendar: WorkCalendar
    horizon_days: int = 45
    digest_text: DigestText | None = None
    disabled_kinds: frozenset[str] = field(default_factory=frozenset)
    disabled_alliances: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_settings(cls, settings: Any, **kw: Any) -> KindEnv:
        rs = settings.reminders
        return cls(
            rs=rs,
            tz=ZoneInfo(settings.timezone),
            calendar=WorkCalendar.from_settings(settings),
            disabled_kinds=frozenset(getattr(rs, "disabled_kinds", None) or ()),
            disabled_alliances=frozenset(getattr(rs, "disabled_alliances", None) or ()),
            **kw,
        )

    def enabled(self, kind: str, alliance_name: str | None) -> bool:
        if not self.rs.enabled or kind in self.disabled_kinds:
            return False
        return alliance_name not in self.disabled_alliances

    def today(self, now: dt.datetime) -> dt.date:
        return now.astimezone(self.tz).date()


class ReminderKind(Protocol):
    """One reminder source (planned activities, meetings, digest, chase)."""

    @property
    def labels(self) -> Mapping[str, str]:
        """Reminder kind code (Reminder.kind) → Chinese label for listings."""

    def batches(
        self, env: KindEnv, s: Session, now: dt.datetime, changes: Changes | None
    ) -> Iterable[Batch]:
        """The reminders the database asks for (all, or those `changes` concern)."""

    def stale_reason(self, s: Session, r: Reminder) -> str | None:
        """Why a scheduled row of this kind should no longer go out, or None."""

    def message(self, env: KindEnv, s: Session, r: Reminder, now: dt.datetime) -> Message:
        """What to send now for this row."""


@dataclass
class Groups:
    """Where reminders go: alliance id → its main group / principals group; chat → group."""

    main: dict[int, ChatGroup]
    principals: dict[int, ChatGroup]
    by_chat: dict[tuple[str, str], ChatGroup]
    alliance_names: dict[int, str]

    @classmethod
    def load(cls, s: Session) -> Groups:
        def rank(g: ChatGroup) -> tuple:
            pushable = g.platform == "onebot" or (g.platform == "wecom" and bool(g.webhook_key))
            return (not pushable, g.id)

        main: dict[int, ChatGroup] = {}
        principals: dict[int, ChatGroup] = {}
        by_chat: dict[tuple[str, str], ChatGroup] = {}
        for g in sorted(s.exec(select(ChatGroup)).all(), key=rank):
            by_chat[(g.platform, g.chat_id)] = g
            target = principals if g.purpose == "principals" else main
            target.setdefault(g.alliance_id, g)
        return cls(main, principals, by_chat, alliance_names(s))


def alliance_names(s: Session) -> dict[int, str]:
    return {a.id: a.name for a in s.exec(select(Alliance)).all()}
