"""Issue 12: slow or silent connections must not stall the server. A real `alliance-bot
serve` process limited to 1,024 file descriptors gets 1,100 idle connections (bounded,
loopback only); a signed report still gets its answer at once, a slowloris client that
never finishes its headers and one that never finishes its body are cut off."""

from __future__ import annotations

import asyncio
import json
import socket
import time

import aiohttp
import pytest

from storage.db import make_engine, upgrade
from storage.roster_import import import_roster_file
from tests.conftest import SAMPLE_ROSTER
from tests.fakes.onebot import hmac_signature
from tests.reliability.conftest import Serve, free_port, report_text, write_config

SECRET = "flood-secret"
SELF_ID = 10001000
IDLE = 1100
FDS = 1024


def _event(i: int) -> bytes:
    return json.dumps(
        {
            "time": int(time.time()),
            "self_id": SELF_ID,
            "post_type": "message",
            "message_type": "group",
            "sub_type": "normal",
            "message_id": 7_000_000 + i,
            "group_id": 80001,
            "user_id": 200150,
            "anonymous": None,
            "message": [
                {"type": "at", "data": {"qq": str(SELF_ID)}},
                {"type": "text", "data": {"text": " " + report_text(i)}},
            ],
            "raw_message": report_text(i),
            "font": 0,
            "sender": {"user_id": 200150, "nickname": "n"},
        },
        ensure_ascii=False,
    ).encode()


async def _report(url: str, i: int) -> tuple[int, float]:
    body = _event(i)
    headers = {
        "Content-Type": "application/json",
        "X-Self-ID": str(SELF_ID),
        "X-Signature": hmac_signature(SECRET, body),
    }
    start = time.monotonic()
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{url}/onebot", data=body, headers=headers, timeout=aiohttp.ClientTimeout(total=20)
        ) as r,
    ):
        await r.read()
        return r.status, time.monotonic() - start


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                return True  # EOF: the server closed it
    except TimeoutError:
        return False
    except OSError:
        return True  # reset


@pytest.fixture
def server(tmp_path):
    db = f"sqlite:///{tmp_path / 'bot.db'}"
    engine = make_engine(db)
    upgrade(engine)
    import_roster_file(engine, str(SAMPLE_ROSTER))
    engine.dispose()
    port = free_port()
    config = write_config(
        tmp_path / "bot.toml",
        db_url=db,
        port=port,
        data_dir=tmp_path,
        onebot_secret=SECRET,
        server_extra="",
    )
    serve = Serve(config, port, tmp_path / "serve.log", max_fds=FDS).start()
    yield serve
    serve.stop()


async def test_idle_connection_flood_does_not_stall_legitimate_requests(server):
    assert (await _report(server.url, 0))[0] == 200  # warm (parser built)
    idle: list[socket.socket] = []
    try:

        def flood() -> None:
            for _ in range(IDLE):
                idle.append(socket.create_connection(("127.0.0.1", server.port), timeout=10))

        await asyncio.to_thread(flood)  # every one connected, none sends a byte
        status, took = await _report(server.url, 1)
        assert status == 200, server.output()
        print(f"\n1,100 idle connections at {FDS} fds: signed report answered in {took:.2f} s")
        assert took < 3.0, took  # served at once, not after the idle ones time out
        assert (await _report(server.url, 2))[0] == 200
    finally:
        for s in idle:
            s.close()
    assert server.proc.poll() is None, server.output()
    assert "connection cap" in server.log_path.read_text(errors="replace")


async def test_slow_headers_and_slow_bodies_are_cut_off(tmp_path):
    """The same server code (`run_server`) in-process, with one-second timeouts."""
    from bot.app import BotApp, run_server
    from bot.config import load_settings

    db = f"sqlite:///{tmp_path / 'slow.db'}"
    settings = load_settings(
        None,
        database={"url": db},
        data_dir=str(tmp_path),
        reminders={"enabled": False},
        onebot={"secret": SECRET},
        server={"idle_timeout_s": 1.0, "body_timeout_s": 1.0},
    )
    engine = make_engine(db)
    upgrade(engine)
    bot = BotApp(settings, engine=engine, with_scheduler=False)
    ready, stop = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(run_server(bot, "127.0.0.1", 0, ready=ready, stop=stop))
    await asyncio.wait_for(ready.wait(), 30)
    try:
        port = bot.bound_port
        silent = socket.create_connection(("127.0.0.1", port))
        slow_head = socket.create_connection(("127.0.0.1", port))
        slow_head.sendall(b"POST /onebot HTTP/1.1\r\nHost: x\r\nX-Self-ID: 1")
        slow_body = socket.create_connection(("127.0.0.1", port))
        slow_body.sendall(
            b"POST /onebot HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n"
            b'Content-Type: application/json\r\n\r\n{"a":'
        )
        for sock in (silent, slow_head, slow_body):
            assert await asyncio.to_thread(_closed_within, sock, 5.0)
            sock.close()
    finally:
        stop.set()
        await task
        engine.dispose()
