"""Scheduler fixtures: the sample roster, a frozen clock, a recording fake platform."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bot.config import Settings
from handlers.events import OutboundMessage
from handlers.ports import PushResult, SystemClock
from tests.conftest import SAMPLE_ROSTER

TZ = ZoneInfo("Asia/Shanghai")


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


class FakePlatform:
    """A Pusher like the real router pusher: remembers what went out, can be told to fail,
    and (like the real one) never sends the same idempotency key twice."""

    name = "fake"

    def __init__(self) -> None:
        self.calls: list[OutboundMessage] = []
        self.sent: list[OutboundMessage] = []
        self.fail_next = 0
        self._keys: set[str] = set()

    async def push(self, msg: OutboundMessage) -> PushResult:
        self.calls.append(msg)
        if self.fail_next:
            self.fail_next -= 1
            return PushResult(
                ok=False, error="errcode 45009: api freq out of limit", retryable=True
            )
        assert msg.idempotency_key not in self._keys, "duplicate send"
        self._keys.add(msg.idempotency_key)
        self.sent.append(msg)
        return PushResult(ok=True, platform_message_id=f"m{len(self.sent)}")


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def pusher() -> FakePlatform:
    return FakePlatform()


@pytest.fixture
def clock():
    """A frozen clock the test moves with `clock.move_to(local(...))`."""
    with time_machine.travel(local(2026, 11, 16, 10, 0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def roster_engine(sqlite_engine):
    from storage.roster_import import import_roster_file

    import_roster_file(sqlite_engine, str(SAMPLE_ROSTER))
    return sqlite_engine


@pytest.fixture
def make_scheduler(settings, pusher):
    from scheduler.runner import ReminderScheduler

    def make(engine, **kw):
        kw.setdefault("worker_id", "w1")
        return ReminderScheduler(engine, settings, kw.pop("pusher", pusher), SystemClock(), **kw)

    return make
