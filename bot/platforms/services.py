"""What the composition root offers platforms beyond the sink and the clock.

`build_platforms(settings, sink, clock, services)` hands this to every platform's
`wiring.build`; a platform uses what it needs. All of it is optional: without a database
(tests of one adapter) a platform works with none.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from bot.platforms.media import EvidenceSink
from handlers.events import OutboundMessage
from handlers.ports import PushResult


class Lease(Protocol):
    """Who may hold a long connection (one per bot across `serve` processes; storage.lease)."""

    async def acquire(self) -> bool:
        """Try to take (or keep) the lease; True when this process holds it."""

    async def held(self) -> bool:
        """Whether this process still holds it."""

    async def release(self) -> None: ...


@dataclass(frozen=True)
class Services:
    lease_for: Callable[[str], Lease] | None = None  # a lease per connection name
    evidence: EvidenceSink | None = None  # 佐证材料 files → stored beside their record
    # A push this process cannot send now (it does not hold the connection): the outbox.
    handover: Callable[[OutboundMessage], Awaitable[PushResult]] | None = None
