"""Outbound failures through the pushers the app really uses: the fake platform answers 500,
then 429 / errcode 45009, then times out. Each call is retried with backoff (tiny
retry_delays), recorded as failed after the last try, and never sent twice."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging

import pytest
from sqlmodel import Session, select

from bot.app import BotApp
from bot.platforms.qq.webhook import QQWebhookAdapter
from scheduler.runner import ReminderScheduler
from storage.db import session_scope
from storage.models import Reminder, ReminderDelivery
from tests.e2e.conftest import NOW

DELAYS = (0.01, 0.02, 0.04)


def tiny_backoff(http) -> list[float]:
    """Make an HttpClient retry fast and record its sleeps."""
    sleeps: list[float] = []
    real = http.sleep

    async def sleep(s: float) -> None:
        sleeps.append(s)
        await real(s)

    http.retry_delays = DELAYS
    http.sleep = sleep
    http.timeout_s = 0.25
    return sleeps


# -- QQ passive replies (the QQ adapter's background reply task) ---------------------------
async def test_qq_passive_reply_retried_with_backoff_then_sent_once(sqlite_live):
    live = sqlite_live
    adapter = live.bot.platforms.adapter(QQWebhookAdapter)
    sleeps = tiny_backoff(adapter.api.http)
    live.qq_api.fail("groups", "500", "429", "timeout")
    body = live.qq_body("M1", "2025年3月6日我到淤上送教", msg_id="ROBOT1.0_out1")
    assert await live.qq_post(body) == 200
    await live.bot.platforms.drain(timeout=10)
    tries = [c for c in live.qq_api.attempts("groups") if c.body.get("msg_id") == "ROBOT1.0_out1"]
    assert [c.extra.get("failure") for c in tries] == ["500", "429", "timeout", None]
    assert len(live.qq_api.delivered("groups")) == 1
    assert sleeps == list(DELAYS)  # exponential-ish backoff, in order
    # QQ delivers the same event again: stored reply, no second send
    assert await live.qq_post(body) == 200
    await live.bot.platforms.drain(timeout=10)
    assert len(live.qq_api.attempts("groups")) == 4 and live.inbound() == 1


async def test_qq_passive_reply_gives_up_after_last_try_and_never_resends(sqlite_live, caplog):
    live = sqlite_live
    adapter = live.bot.platforms.adapter(QQWebhookAdapter)
    sleeps = tiny_backoff(adapter.api.http)
    live.qq_api.fail("groups", "500", "429", "timeout", "500", "500")
    body = live.qq_body("M2", "进度", msg_id="ROBOT1.0_out2")
    with caplog.at_level(logging.WARNING, logger="bot.platforms.qq"):
        assert await live.qq_post(body) == 200
        await live.bot.platforms.drain(timeout=10)
    assert len(live.qq_api.attempts("groups")) == 4 and live.qq_api.delivered("groups") == []
    assert sleeps == list(DELAYS)
    assert any(
        "passive reply" in r.getMessage() and "failed" in r.getMessage() for r in caplog.records
    )
    assert await live.qq_post(body) == 200  # redelivered: nothing sent again
    await live.bot.platforms.drain(timeout=10)
    assert len(live.qq_api.attempts("groups")) == 4 and live.inbound() == 1


# -- reminder pushes (scheduler -> RoutingPusher -> WeCom group robot) ---------------------
@pytest.fixture
def reminder_bot(sqlite_live):
    """A second BotApp on the same database and fake platforms, with its scheduler (not
    started: the test drives run_due with explicit times) and reminders enabled."""
    live = sqlite_live
    settings = live.bot.settings.model_copy(deep=True)
    settings.reminders.enabled = True
    bot = BotApp(settings, clock=live.clock, engine=live.bot.engine, with_scheduler=True)
    webhook = bot.platforms.pushers["wecom-webhook"]
    sleeps = tiny_backoff(webhook.client)
    yield live, bot, sleeps
    # closing happens in the test (async)


def _reminder(engine, key: str, fire_at: dt.datetime) -> int:
    with session_scope(engine) as s:
        r = Reminder(
            dedup_key=key,
            kind="reliability",
            alliance_id=1,
            fire_at=fire_at,
            platform="wecom",
            chat_id="wrFuHaiAlliance",
            text=f"【测试提醒】{key}",
            status="scheduled",
        )
        s.add(r)
        s.flush()
        return r.id


def _delivery(engine, rid: int) -> ReminderDelivery:
    with Session(engine) as s:
        return s.exec(select(ReminderDelivery).where(ReminderDelivery.reminder_id == rid)).one()


def _status(engine, rid: int) -> str:
    with Session(engine) as s:
        return s.get(Reminder, rid).status


async def test_reminder_push_retried_then_sent_exactly_once(reminder_bot):
    live, bot, sleeps = reminder_bot
    engine = bot.engine
    t0 = NOW.astimezone(dt.UTC)
    rid = _reminder(engine, "rel-1", t0 - dt.timedelta(minutes=1))
    live.wecom_api.fail("webhook/send", "500", "429", "45009", "timeout")
    try:
        await bot.scheduler.run_due(now=t0)
        d = _delivery(engine, rid)
        assert (d.status, d.attempts) == ("failed", 1) and d.error
        assert _status(engine, rid) == "scheduled"
        assert [c.extra.get("failure") for c in live.wecom_api.attempts("webhook/send")] == [
            "500",
            "429",
            "45009",
            "timeout",
        ]
        assert sleeps == list(DELAYS)
        assert live.wecom_api.delivered("webhook/send") == []

        await bot.scheduler.run_due(now=t0 + dt.timedelta(seconds=60))  # retry not due yet
        assert len(live.wecom_api.attempts("webhook/send")) == 4

        # the retry is due; two workers race for it (the app's scheduler and another one)
        other = ReminderScheduler(engine, bot.settings, bot.pusher, live.clock, worker_id="other")
        later = t0 + dt.timedelta(seconds=301)
        await asyncio.gather(bot.scheduler.run_due(now=later), other.run_due(now=later))
        await bot.scheduler.run_due(now=later + dt.timedelta(minutes=30))
        sent = live.wecom_api.delivered("webhook/send")
        assert len(sent) == 1 and sent[0].query["key"] == "demo-fuhai-robot-key"
        assert "rel-1" in json.dumps(sent[0].body, ensure_ascii=False)
        assert len(live.wecom_api.attempts("webhook/send")) == 5
        d = _delivery(engine, rid)
        assert (d.status, d.attempts, d.error) == ("sent", 2, None)
        assert _status(engine, rid) == "sent"
    finally:
        await bot.platforms.close()


async def test_reminder_push_recorded_failed_after_last_try(reminder_bot):
    live, bot, sleeps = reminder_bot
    engine = bot.engine
    t0 = NOW.astimezone(dt.UTC)
    rid = _reminder(engine, "rel-2", t0 - dt.timedelta(minutes=1))
    live.wecom_api.fail("webhook/send", *(["500", "429", "45009", "timeout"] * 3))
    try:
        for minutes in (0, 6, 21, 30, 45):  # first try, retry after 300 s, after 900 s more, ...
            await bot.scheduler.run_due(now=t0 + dt.timedelta(minutes=minutes))
        assert len(live.wecom_api.attempts("webhook/send")) == 12  # 3 scheduler attempts x 4 tries
        assert live.wecom_api.delivered("webhook/send") == []
        d = _delivery(engine, rid)
        assert (d.status, d.attempts) == ("failed", 3) and d.error
        assert _status(engine, rid) == "failed"
        assert sleeps == list(DELAYS) * 3
        # nothing more is ever tried, even though the platform now works
        await bot.scheduler.run_due(now=t0 + dt.timedelta(minutes=50))
        assert len(live.wecom_api.attempts("webhook/send")) == 12
    finally:
        await bot.platforms.close()
