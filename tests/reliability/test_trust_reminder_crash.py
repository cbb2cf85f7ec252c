"""Issue 12: a reminder whose push was in flight when `serve` was killed (kill -9) is sent
after a restart, once its claim has expired. A rare duplicate (the killed push may have
arrived) is better than a reminder that is never sent: docs/reliability.md."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time

import pytest
from sqlmodel import Session, select

from storage.db import make_engine, session_scope
from storage.models import Alliance, Reminder, ReminderDelivery
from tests.conftest import SAMPLE_ROSTER
from tests.fakes.wecom import FakeWecomApi
from tests.reliability.conftest import Serve, free_port, run_cli, write_config

pytestmark = pytest.mark.slow


async def test_reminder_in_flight_at_kill_9_is_sent_after_restart(tmp_path):
    robot = await FakeWecomApi().start()
    db = f"sqlite:///{tmp_path / 'bot.db'}"
    port = free_port()
    config = write_config(
        tmp_path / "bot.toml",
        db_url=db,
        port=port,
        data_dir=tmp_path,
        onebot_secret="s",
        reminders=True,
        webhook_api=robot.url,
        reminders_extra="claim_expiry_minutes = 0.1",
    )
    run_cli(config, "db", "upgrade")
    run_cli(config, "roster", "import", str(SAMPLE_ROSTER))
    engine = make_engine(db)
    serve = Serve(config, port, tmp_path / "serve.log")
    try:
        with session_scope(engine) as s:
            fuhai = s.exec(select(Alliance).where(Alliance.name == "福海县第二小学联盟")).one()
            r = Reminder(
                dedup_key="crash-1",
                kind="reliability",
                alliance_id=fuhai.id,
                fire_at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=8),
                platform="wecom",
                chat_id="wrFuHaiAlliance",
                text="【测试提醒】crash-1",
                status="scheduled",
            )
            s.add(r)
            s.flush()
            rid = r.id
        robot.fail("webhook/send", "timeout")  # the first push hangs (until the kill)
        await asyncio.to_thread(serve.start)  # the fake platform keeps answering meanwhile
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not robot.attempts("webhook/send"):
            await asyncio.sleep(0.1)
        assert robot.attempts("webhook/send"), serve.output()
        serve.kill9()  # the push is in flight
        with Session(engine) as s:
            [d] = s.exec(select(ReminderDelivery).where(ReminderDelivery.reminder_id == rid)).all()
            assert d.status == "claimed"
        await asyncio.to_thread(serve.start)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and not robot.delivered("webhook/send"):
            await asyncio.sleep(0.25)
        sent = [
            c
            for c in robot.delivered("webhook/send")
            if "crash-1" in json.dumps(c.body, ensure_ascii=False)
        ]
        assert len(sent) == 1, serve.output()
        with Session(engine) as s:
            assert s.get(Reminder, rid).status == "sent"
            [d] = s.exec(select(ReminderDelivery).where(ReminderDelivery.reminder_id == rid)).all()
            assert d.status == "sent" and d.attempts == 2
    finally:
        serve.stop()
        await robot.close()
        engine.dispose()
