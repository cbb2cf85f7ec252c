"""`serve --workers N`: N processes on one port (SO_REUSEPORT) sharing one PostgreSQL database.

- SQLite is refused with a clear message;
- two workers answer a load of signed OneBot reports: every one stored once and answered
  with its record, both processes listening on the same port; a worker killed with -9 is
  restarted by the parent and the load goes on; each due reminder is pushed exactly once
  (claimed in the database).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import signal
import subprocess
import time
from collections import Counter

import aiohttp
import pytest
from sqlmodel import Session, select

from storage.db import make_engine, session_scope
from storage.models import Alliance, InboundMessage, Record, Reminder
from tests.conftest import ROOT, SAMPLE_ROSTER
from tests.fakes.wecom import FakeWecomApi
from tests.reliability.conftest import Serve, cli, free_port, run_cli, write_config
from tests.reliability.test_processes import SECRET, post

LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+) \(pid (\d+)\)")


def test_workers_refused_on_sqlite(tmp_path):
    port = free_port()
    config = write_config(
        tmp_path / "bot.toml",
        db_url=f"sqlite:///{tmp_path / 'bot.db'}",
        port=port,
        data_dir=tmp_path / "data",
        onebot_secret=SECRET,
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("ALLIANCE_BOT_CONFIG", None)
    done = subprocess.run(
        cli("--config", str(config), "serve", "--workers", "2"),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--workers 需要 PostgreSQL" in done.stderr
    assert "Traceback" not in done.stderr


class Workers(Serve):
    def __init__(self, *args, workers: int, **kw) -> None:
        super().__init__(*args, **kw)
        self.workers = workers

    def start(self, timeout: float = 90.0) -> Workers:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("ALLIANCE_BOT_CONFIG", None)
        self._log = open(self.log_path, "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            cli("--config", str(self.config), "serve", "--workers", str(self.workers)),
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited {self.proc.returncode}:\n{self.output()}")
            if len(self.listening()) >= self.workers:
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"workers did not listen in {timeout}s:\n{self.output()}")

    def listening(self) -> list[int]:
        # the whole log: output() is its tail, and one line per message pushes startups out
        try:
            log = self.log_path.read_text(errors="replace")
        except OSError:
            return []
        return [int(pid) for port, pid in LISTENING.findall(log) if int(port) == self.port]


@pytest.mark.slow
@pytest.mark.postgres
async def test_two_workers_share_the_port_the_database_and_the_reminders(pg_database_url, tmp_path):
    robot = await FakeWecomApi().start()
    port = free_port()
    config = write_config(
        tmp_path / "bot.toml",
        db_url=pg_database_url,
        port=port,
        data_dir=tmp_path / "data",
        onebot_secret=SECRET,
        reminders=True,
        webhook_api=robot.url,
    )
    run_cli(config, "db", "upgrade")
    run_cli(config, "roster", "import", str(SAMPLE_ROSTER))
    engine = make_engine(pg_database_url)
    now = dt.datetime.now(dt.UTC)
    keys = []
    with session_scope(engine) as s:
        fuhai = s.exec(select(Alliance).where(Alliance.name == "福海县第二小学联盟")).one()
        for k, minutes in enumerate((-1, 0.1, 0.12)):
            key = f"workers-{k}"
            s.add(
                Reminder(
                    dedup_key=key,
                    kind="reliability",
                    alliance_id=fuhai.id,
                    fire_at=now + dt.timedelta(minutes=minutes),
                    platform="wecom",
                    chat_id="wrFuHaiAlliance",
                    text=f"【测试提醒】{key}",
                    status="scheduled",
                )
            )
            keys.append(key)
    server = Workers(config, port, tmp_path / "serve.log", workers=2)
    await asyncio.to_thread(server.start)
    n = 80
    try:
        pids = server.listening()
        assert len(set(pids)) == 2, server.output()
        async with aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0, force_close=True)
        ) as session:
            # a new connection per request, so the kernel spreads them over both workers
            first = await asyncio.gather(*[post(session, server.url, i) for i in range(n // 2)])
            victim = pids[0]
            os.kill(victim, signal.SIGKILL)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and len(server.listening()) < 3:
                await asyncio.sleep(0.2)
            assert len(server.listening()) == 3, server.output()  # the parent restarted it
            second = await asyncio.gather(*[post(session, server.url, i) for i in range(n // 2, n)])
            again = await asyncio.gather(*[post(session, server.url, i) for i in range(0, n, 5)])
        answers = first + second
        assert all(st == 200 and "已记录" in text for st, text in answers), answers
        assert [t for _, t in again] == [answers[i][1] for i in range(0, n, 5)]  # stored replies

        def pushed() -> Counter[str]:
            out: Counter[str] = Counter()
            for c in robot.delivered("webhook/send"):
                blob = json.dumps(c.body, ensure_ascii=False)
                out.update(
                    k for k in keys if f'{k}"' in blob or f"{k}\\n" in blob or blob.endswith(k)
                )
            return out

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(pushed()) < len(keys):
            await asyncio.sleep(0.25)
        await asyncio.sleep(2.0)
        assert pushed() == Counter({k: 1 for k in keys}), (pushed(), server.output())
        with Session(engine) as s:
            rows = s.exec(select(InboundMessage).where(InboundMessage.platform == "onebot")).all()
            records = s.exec(select(Record)).all()
        assert len(rows) == n and len({r.message_id for r in rows}) == n
        assert len(records) == n and all(r.record_id for r in rows)
        assert server.proc.poll() is None
    finally:
        server.stop()
        engine.dispose()
        await robot.close()
    assert all(not _alive(p) for p in server.listening()), server.output()  # no worker left behind


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:  # a zombie is gone too
        return f.read().rsplit(")", 1)[1].split()[0] != "Z"
