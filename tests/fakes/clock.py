"""A controllable clock (handlers.ports.Clock) whose sleep advances time instead of waiting."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta


class FakeClock:
    def __init__(self, now: datetime | float | int = 1_700_000_000) -> None:
        self._now = now if isinstance(now, datetime) else datetime.fromtimestamp(now, UTC)
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return self._now

    def set(self, ts: float) -> None:
        self._now = datetime.fromtimestamp(ts, UTC)

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)
        await asyncio.sleep(0)
