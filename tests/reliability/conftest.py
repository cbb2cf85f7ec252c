"""Reliability fixtures: the real BotApp in-process (SQLite) for the fuzzer, the e2e `live`
fixture (SQLite and PostgreSQL) for the rest, and helpers to run `alliance-bot serve`."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.app import BotApp
from storage.db import make_engine, upgrade
from storage.roster_import import import_roster_file
from tests.conftest import ROOT, SAMPLE_ROSTER
from tests.e2e.conftest import NOW, LiveBot, bot_settings, live  # noqa: F401
from tests.fakes.clock import FakeClock
from tests.fakes.qq import FakeQQApi
from tests.fakes.wecom import FakeWecomApi

# Zhangping alliance (OneBot group 80001) people, from bot/data/sample_roster.toml.
ZHANGPING_QQ = [200150, 200157, 200164, 200171, 200178]
DESTINATIONS = [
    "新民小学",
    "城北小学",
    "桂林中心学校",
    "溪南中心学校",
    "和平中心学校",
    "新桥中心学校",
]
SUBJECTS = ["语文", "数学", "英语", "音乐", "美术"]
FIRST_DAY = dt.date(2025, 1, 2)


def report_text(i: int) -> str:
    """A report of a distinct event for each i (one day each; i < 600 stays in the past)."""
    day = FIRST_DAY + dt.timedelta(days=i)
    return (
        f"{day.year}年{day.month}月{day.day}日我到{DESTINATIONS[i % len(DESTINATIONS)]}送课,"
        f"上了一节{SUBJECTS[i % len(SUBJECTS)]}课"
    )


@pytest.fixture
async def sqlite_live(tmp_path):
    """Like tests.e2e `live`, SQLite only (the fuzzer's in-process server)."""
    db_url = f"sqlite:///{tmp_path / 'fuzz.db'}"
    wecom_api = await FakeWecomApi().start()
    qq_api = await FakeQQApi("11111111", "qq-secret-for-tests-0123456789ab").start()
    settings = bot_settings(db_url, tmp_path, wecom_api.url, qq_api.url)
    engine = make_engine(db_url)
    upgrade(engine)
    import_roster_file(engine, str(SAMPLE_ROSTER))
    clock = FakeClock(NOW)
    bot = BotApp(settings, clock=clock, engine=engine, with_scheduler=False)
    server = TestServer(bot.web_app(), host="127.0.0.1")
    await server.start_server()
    connector = aiohttp.TCPConnector(limit=16)
    async with aiohttp.ClientSession(connector=connector) as session:
        yield LiveBot(bot, server, session, clock, wecom_api, qq_api)
    await server.close()
    await wecom_api.close()
    await qq_api.close()
    engine.dispose()


# -- `alliance-bot serve` as a subprocess -------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(
    path: Path,
    *,
    db_url: str,
    port: int,
    data_dir: Path,
    onebot_secret: str,
    reminders: bool = False,
    webhook_api: str = "http://127.0.0.1:9",
    server_extra: str = "",
    reminders_extra: str = "",
) -> Path:
    path.write_text(
        f"""
data_dir = "{data_dir}"
log_level = "INFO"

[database]
url = "{db_url}"

[server]
host = "127.0.0.1"
port = {port}
{server_extra}

[onebot]
secret = "{onebot_secret}"
self_id = "10001000"

[wecom.webhook]
api_base = "{webhook_api}"

[reminders]
enabled = {"true" if reminders else "false"}
{reminders_extra}
""",
        encoding="utf-8",
    )
    return path


def cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", *args]


def run_cli(config: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("ALLIANCE_BOT_CONFIG", None)
    return subprocess.run(
        cli("--config", str(config), *args),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


class Serve:
    """One `alliance-bot serve` process; `log` collects its output."""

    def __init__(self, config: Path, port: int, log: Path, *, max_fds: int | None = None) -> None:
        self.config, self.port, self.log_path = config, port, log
        self.max_fds = max_fds  # RLIMIT_NOFILE of the server process
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> Serve:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("ALLIANCE_BOT_CONFIG", None)
        self._log = open(self.log_path, "ab")  # noqa: SIM115

        def limit_fds() -> None:
            if self.max_fds is not None:
                import resource

                resource.setrlimit(resource.RLIMIT_NOFILE, (self.max_fds, self.max_fds))

        self.proc = subprocess.Popen(
            cli("--config", str(self.config), "serve"),
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            preexec_fn=limit_fds if self.max_fds else None,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited {self.proc.returncode}:\n{self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"serve did not listen in {timeout}s:\n{self.output()}")

    def output(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-5000:]
        except OSError:
            return ""

    def kill9(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()  # SIGKILL
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if getattr(self, "_log", None):
            self._log.close()
            self._log = None
