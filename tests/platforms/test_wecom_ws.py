"""WeCom AI bot over the long connection, end to end: the real BotApp (official SDK inside
the adapter, pipeline, storage) against a fake WeCom endpoint on loopback TLS whose
throwaway CA is passed as `ca_file`."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import websockets
from sqlmodel import Session, select

from bot.app import BotApp
from bot.config import load_settings
from storage.db import make_engine, upgrade
from storage.models import EvidenceFile, InboundMessage, OutboxMessage, Record
from storage.roster_import import import_roster_file
from tests.conftest import SAMPLE_ROSTER
from tests.fakes.clock import FakeClock
from tests.fakes.tls import make_pki
from tests.fakes.wecom_ws import FakeWecomWs

SH = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=SH)
GROUP = "wrFuHaiAlliance"


def ws_roster(tmp_path: Path) -> Path:
    """The sample roster without group-robot keys: the group is reached over the connection."""
    text = re.sub(
        r"^webhook_key = .*$", "", SAMPLE_ROSTER.read_text(encoding="utf-8"), flags=re.MULTILINE
    )
    p = tmp_path / "roster.toml"
    p.write_text(text, encoding="utf-8")
    return p


def settings_for(db_url: str, data_dir: Path, fake: FakeWecomWs, **aibot):
    return load_settings(
        None,
        database={"url": db_url},
        data_dir=str(data_dir),
        reminders={"enabled": False},
        wecom={
            "aibot": {
                "mode": "websocket",
                "bot_id": fake.bot_id,
                "secret": fake.secret,
                "ws_url": fake.url,
                "ca_file": str(fake.pki.ca_file),
                "reconnect_base_s": 0.05,
                "reconnect_max_s": 0.4,
                "lease_poll_s": 0.2,
                **aibot,
            }
        },
    )


@pytest.fixture
async def fake(tmp_path):
    server = await FakeWecomWs(make_pki(tmp_path / "pki")).start()
    yield server
    await server.close()


async def start_bot(
    db_url: str,
    data_dir: Path,
    fake: FakeWecomWs,
    roster: Path | None,
    clock: FakeClock | None = None,
    **aibot,
) -> BotApp:
    engine = make_engine(db_url)
    upgrade(engine)
    if roster is not None:
        import_roster_file(engine, str(roster))
    bot = BotApp(
        settings_for(db_url, data_dir, fake, **aibot), clock=clock or FakeClock(NOW), engine=engine
    )
    await bot._on_startup(None)
    return bot


async def stop_bot(bot: BotApp) -> None:
    await bot._on_shutdown(None)


@pytest.fixture
async def live(db_url, tmp_path, fake):
    bot = await start_bot(db_url, tmp_path / "data", fake, ws_roster(tmp_path))
    yield bot
    await stop_bot(bot)


def text_body(userid: str, text: str, msgid: str, chat: str | None = GROUP) -> dict:
    body = {
        "msgid": msgid,
        "aibotid": "BOT_ID_1",
        "chattype": "group" if chat else "single",
        "from": {"userid": userid},
        "create_time": int(NOW.timestamp()),
        "msgtype": "text",
        "text": {"content": f"@联盟助手 {text}"},
    }
    if chat:
        body["chatid"] = chat
    return body


async def online(bot: BotApp, fake: FakeWecomWs) -> None:
    conn = bot.platforms.adapters[0].conn
    await fake.wait_for(lambda: fake.active and conn.state == "online")


def finished(fake: FakeWecomWs, req_id: str):
    return lambda: [f for f in fake.replies(req_id) if f["body"]["stream"]["finish"]]


async def test_subscribes_with_credentials_over_tls_with_ca_file(live, fake):
    await online(live, fake)
    sub = fake.frames("aibot_subscribe")[0]
    assert sub["body"] == {"bot_id": "BOT_ID_1", "secret": "S3cret"}
    assert sub["headers"]["req_id"].startswith("aibot_subscribe")
    await fake.wait_for(lambda: live.platforms.adapters[0].status()["state"] == "online")


async def test_report_in_gives_record_and_reply_frame(live, fake):
    await online(live, fake)
    req = await fake.message(
        text_body("MaXinRui", "今天我和张炜去解小送课,上了两节语文课,听课15人", "msg-1")
    )
    [reply] = await fake.wait_for(finished(fake, req))
    content = reply["body"]["stream"]["content"]
    assert reply["cmd"] == "aibot_respond_msg" and reply["body"]["msgtype"] == "stream"
    m = re.search(r"#(\d+)", content)
    assert m, content
    with Session(live.engine) as s:
        rec = s.get(Record, int(m.group(1)))
        assert rec is not None and rec.lessons == 2
        row = s.exec(select(InboundMessage).where(InboundMessage.message_id == "msg-1")).one()
        assert row.route == "wecom-ws" and row.record_id == rec.id and row.chat_id == GROUP
    # The same msgid again (WeCom redelivers): same answer, nothing new stored.
    req2 = await fake.message(
        text_body("MaXinRui", "今天我和张炜去解小送课,上了两节语文课,听课15人", "msg-1")
    )
    [again] = await fake.wait_for(finished(fake, req2))
    assert again["body"]["stream"]["content"] == content
    with Session(live.engine) as s:
        assert len(s.exec(select(Record)).all()) == 1


async def test_voice_and_quote_and_private_chat(live, fake):
    await online(live, fake)
    body = {
        "msgid": "v-1",
        "chattype": "single",
        "from": {"userid": "MaXinRui"},
        "msgtype": "voice",
        "voice": {"content": "/帮助"},
    }
    req = await fake.message(body)
    [reply] = await fake.wait_for(finished(fake, req))
    assert "/进度" in reply["body"]["stream"]["content"]
    with Session(live.engine) as s:
        row = s.exec(select(InboundMessage).where(InboundMessage.message_id == "v-1")).one()
        assert row.chat_type == "private" and row.chat_id == "MaXinRui"
    quoted = {
        **text_body("MaXinRui", "/帮助", "q-1"),
        "quote": {"msgtype": "text", "text": {"content": "已记录 #1"}},
    }
    req = await fake.message(quoted)
    await fake.wait_for(finished(fake, req))


async def test_enter_chat_gets_a_welcome(live, fake):
    await online(live, fake)
    req = await fake.event(
        {
            "msgid": "e-1",
            "chattype": "single",
            "from": {"userid": "MaXinRui"},
            "msgtype": "event",
            "event": {"eventtype": "enter_chat"},
        }
    )
    [w] = await fake.wait_for(lambda: fake.replies(req))
    assert w["cmd"] == "aibot_respond_welcome_msg"
    assert "/帮助" in w["body"]["text"]["content"] and "上报" in w["body"]["text"]["content"]


async def test_dropped_connection_is_reestablished_with_backoff(live, fake):
    await online(live, fake)
    conn = live.platforms.adapter(type(live.platforms.adapters[0])).conn
    assert conn.connections == 1
    fake.refuse_next = 2
    t0 = time.monotonic()
    n0 = len(fake.attempts)
    await fake.drop()
    await fake.wait_for(lambda: len(fake.active) == 1 and conn.connections == 2, timeout=10)
    attempts = fake.attempts[n0:]
    assert len(attempts) == 3  # refused, refused, accepted
    # Delays double after each failed attempt: 0.05, 0.1, 0.2 s.
    assert conn.backoff.history[-3:] == [0.05, 0.1, 0.2]
    gaps = [b - a for a, b in zip([t0, *attempts], attempts, strict=False)]
    assert gaps[1] >= 0.09 and gaps[2] >= 0.19, gaps
    # And it works again.
    req = await fake.message(text_body("MaXinRui", "/帮助", "after-drop"))
    await fake.wait_for(finished(fake, req))


async def test_wrong_secret_is_refused_and_retried_with_backoff(db_url, tmp_path, fake, caplog):
    bot = await start_bot(db_url, tmp_path / "data", fake, None, secret="wrong")
    try:
        await fake.wait_for(lambda: len(fake.attempts) >= 3, timeout=10)
        assert not fake.active
        assert "请检查 [wecom.aibot] bot_id 和 secret" in caplog.text
    finally:
        await stop_bot(bot)


async def test_untrusted_certificate_is_named(db_url, tmp_path, fake, caplog):
    bot = await start_bot(db_url, tmp_path / "data", fake, None, ca_file="")
    try:
        await fake.wait_for(lambda: "ca_file" in caplog.text, timeout=10)
        assert not fake.conns  # TLS failed before any WebSocket
    finally:
        await stop_bot(bot)


async def test_reminder_arrives_as_aibot_send_msg(db_url, tmp_path, fake):
    clock = FakeClock(NOW)
    bot = await start_bot(db_url, tmp_path / "data", fake, ws_roster(tmp_path), clock=clock)
    try:
        await online(bot, fake)
        req = await fake.message(text_body("MaXinRui", "下周三我和张炜去解小送课", "plan-1"))
        [reply] = await fake.wait_for(finished(fake, req))
        rid = int(re.search(r"#(\d+)", reply["body"]["stream"]["content"]).group(1))
        from scheduler.runner import ReminderScheduler

        settings = bot.settings.model_copy(deep=True)
        settings.reminders.enabled = True
        sched = ReminderScheduler(bot.engine, settings, bot.pusher, clock)
        sched.sync_from_db(NOW)
        day_before = datetime(2026, 12, 1, 16, 0, tzinfo=SH)
        sent = await sched.run_due(day_before + timedelta(minutes=1))
        assert sent >= 1
        [push] = await fake.wait_for(lambda: fake.frames("aibot_send_msg"))
        assert push["body"]["chatid"] == GROUP and push["body"]["chat_type"] == 2
        assert push["body"]["msgtype"] == "markdown"
        assert (
            "<@MaXinRui>" in push["body"]["markdown"]["content"]
            or "<@ZhangWei>" in push["body"]["markdown"]["content"]
        )
        with Session(bot.engine) as s:
            assert s.get(Record, rid).status == "planned"
    finally:
        await stop_bot(bot)


async def test_notify_queues_and_the_holder_sends_it(live, fake, tmp_path):
    from bot.cli import main

    await online(live, fake)
    cfg = tmp_path / "notify.toml"
    cfg.write_text(f'[database]\nurl = "{live.settings.database.url}"\n', encoding="utf-8")
    rc = await asyncio.to_thread(
        main,
        [
            "--config",
            str(cfg),
            "notify",
            "--alliance",
            "福海县第二小学联盟",
            "明天下午三点在城关小学开联盟例会",
        ],
    )
    assert rc == 0
    pushes = await fake.wait_for(lambda: fake.frames("aibot_send_msg"), timeout=10)
    assert {p["body"]["chatid"] for p in pushes} <= {GROUP, "wrFuHaiPrincipals"}
    assert "联盟例会" in pushes[0]["body"]["markdown"]["content"]

    def all_sent() -> bool:
        with Session(live.engine) as s:
            rows = s.exec(select(OutboxMessage)).all()
            return len(rows) == 2 and all(r.sent_at for r in rows)

    await fake.wait_for(all_sent)
    await asyncio.sleep(2.5)  # another outbox round: nothing is sent twice
    assert len(fake.frames("aibot_send_msg")) == 2


async def test_disconnected_event_is_logged_and_not_fought(live, fake, caplog):
    await online(live, fake)
    conn = live.platforms.adapters[0].conn
    import ssl

    ctx = ssl.create_default_context(cafile=str(fake.pki.ca_file))
    async with websockets.connect(fake.url, ssl=ctx) as other:
        await other.send(
            json.dumps(
                {
                    "cmd": "aibot_subscribe",
                    "headers": {"req_id": "x"},
                    "body": {"bot_id": fake.bot_id, "secret": fake.secret},
                }
            )
        )
        await other.recv()
        await fake.wait_for(lambda: conn.state == "replaced")
        n = len(fake.attempts)
        await asyncio.sleep(0.6)  # several backoff periods: no reconnect attempt
        assert len(fake.attempts) == n
        assert "disconnected_event" in caplog.text


async def test_evidence_image_after_report_is_stored_beside_the_record(live, fake):
    await online(live, fake)
    req = await fake.message(
        text_body("MaXinRui", "今天我和张炜去解小送课,上了两节语文课,听课15人", "rep-1")
    )
    [reply] = await fake.wait_for(finished(fake, req))
    rid = int(re.search(r"#(\d+)", reply["body"]["stream"]["content"]).group(1))
    photo = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40
    url, aeskey = fake.add_media(photo, "课堂.jpg")
    req = await fake.message(
        {
            "msgid": "img-1",
            "chattype": "group",
            "chatid": GROUP,
            "from": {"userid": "MaXinRui"},
            "msgtype": "mixed",
            "mixed": {"msg_item": [{"msgtype": "image", "image": {"url": url, "aeskey": aeskey}}]},
        }
    )
    [ack] = await fake.wait_for(finished(fake, req))
    assert (
        f"#{rid}" in ack["body"]["stream"]["content"]
        and "共 1 份" in ack["body"]["stream"]["content"]
    )
    with Session(live.engine) as s:
        [ev] = s.exec(select(EvidenceFile)).all()
    assert ev.record_id == rid and ev.sha256 == hashlib.sha256(photo).hexdigest()
    stored = live.settings.data_path / ev.path
    assert stored.read_bytes() == photo  # decrypted with its aeskey
    # /明细 #N says how many.
    req = await fake.message(text_body("MaXinRui", f"/明细 #{rid}", "detail-1"))
    [d] = await fake.wait_for(finished(fake, req))
    assert "佐证材料 1 份" in d["body"]["stream"]["content"]


@pytest.mark.postgres
async def test_two_serve_processes_hold_one_connection(pg_database_url, tmp_path, fake):
    """Two real `alliance-bot serve` processes on one PostgreSQL: one long connection; when
    its holder is killed, the other takes over within the lease poll."""
    import os
    import signal
    import sys

    engine = make_engine(pg_database_url)
    upgrade(engine)
    import_roster_file(engine, str(ws_roster(tmp_path)))
    engine.dispose()
    cfg = tmp_path / "bot.toml"
    cfg.write_text(
        f"""
[database]
url = "{pg_database_url}"
[server]
port = 0
[reminders]
enabled = false
[onebot]
enabled = false
[wecom.aibot]
mode = "websocket"
bot_id = "{fake.bot_id}"
secret = "{fake.secret}"
ws_url = "{fake.url}"
ca_file = "{fake.pki.ca_file}"
lease_poll_s = 0.5
reconnect_base_s = 0.1
""",
        encoding="utf-8",
    )
    procs, logs = [], []
    for i in range(2):
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
        logs.append(tmp_path / f"serve{i}.log")
        procs.append(
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot.cli",
                "--config",
                str(cfg),
                "serve",
                "--port",
                "0",
                env=env,
                cwd=str(tmp_path),
                stdout=asyncio.subprocess.DEVNULL,
                stderr=logs[-1].open("wb"),
            )
        )

    def holder_pid() -> int | None:
        for log in logs:
            m = re.search(
                r"lease wecom-ws:\S+ taken \(pid (\d+)\)", log.read_text("utf-8", "replace")
            )
            if m:
                return int(m.group(1))
        return None

    try:
        await fake.wait_for(lambda: fake.active and holder_pid(), timeout=90)
        await fake.wait_for(
            lambda: all("listening on" in p.read_text("utf-8", "replace") for p in logs), timeout=90
        )
        await asyncio.sleep(2)  # both up, the standby polling: still exactly one connection
        assert len(fake.active) == 1 and len(fake.conns) == 1
        holder = next(p for p in procs if p.pid == holder_pid())
        holder_conn = fake.active[0]
        holder.send_signal(signal.SIGKILL)  # no chance to clean up
        await holder.wait()
        t0 = time.monotonic()
        await fake.wait_for(lambda: fake.active and fake.active[-1] is not holder_conn, timeout=60)
        took = time.monotonic() - t0
        assert holder_conn.closed and len(fake.active) == 1
        assert took < 60, took
        assert "企业微信长连接由另一个进程持有" in "".join(
            p.read_text("utf-8", "replace") for p in logs
        )
    finally:
        for p in procs:
            if p.returncode is None:
                p.send_signal(signal.SIGTERM)
                try:
                    await asyncio.wait_for(p.wait(), 10)
                except TimeoutError:
                    p.kill()


async def test_simulate_wecom_ws_talks_to_a_running_serve(tmp_path):
    """`alliance-bot simulate --platform wecom-ws` is the far end of a real `serve` in
    long-connection mode: it makes its own CA (the bot's ca_file), the bot dials in."""
    import os
    import socket
    import sys

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    db = tmp_path / "data" / "bot.db"
    cfg = tmp_path / "bot.toml"
    cfg.write_text(
        f"""
data_dir = "{tmp_path / "data"}"
[database]
url = "sqlite:///{db}"
[server]
port = 0
[reminders]
enabled = false
[onebot]
enabled = false
[wecom.aibot]
mode = "websocket"
bot_id = "SIMBOT"
secret = "sim-secret"
ws_url = "wss://127.0.0.1:{port}"
ca_file = "{tmp_path / "data" / "sim-tls" / "ca.pem"}"
reconnect_base_s = 0.2
""",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    cli = [sys.executable, "-m", "bot.cli", "--config", str(cfg)]
    imp = await asyncio.create_subprocess_exec(
        *cli, "roster", "import", str(SAMPLE_ROSTER), env=env, stdout=asyncio.subprocess.DEVNULL
    )
    assert await imp.wait() == 0
    sim = await asyncio.create_subprocess_exec(
        *cli,
        "simulate",
        "--platform",
        "wecom-ws",
        "--as",
        "马欣瑞",
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    serve = None
    try:
        line = await asyncio.wait_for(sim.stdout.readline(), 60)
        assert "等待机器人连接" in line.decode()
        serve = await asyncio.create_subprocess_exec(
            *cli,
            "serve",
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        line = await asyncio.wait_for(sim.stdout.readline(), 90)
        assert "马欣瑞" in line.decode()
        sim.stdin.write("今天我和张炜去解小送课,上了两节语文课,听课15人\n".encode())
        await sim.stdin.drain()
        reply = (await asyncio.wait_for(sim.stdout.readline(), 60)).decode()
        assert reply.startswith("机器人:") and "#" in reply, reply
        sim.stdin.close()
        assert await asyncio.wait_for(sim.wait(), 30) == 0
    finally:
        for p in (sim, serve):
            if p is not None and p.returncode is None:
                p.kill()
                await p.wait()


async def test_heartbeat_pings_and_a_silent_link_is_replaced(db_url, tmp_path, fake):
    bot = await start_bot(db_url, tmp_path / "data", fake, None, heartbeat_s=0.1)
    try:
        await online(bot, fake)
        conn = bot.platforms.adapters[0].conn
        await fake.wait_for(lambda: len(fake.frames("ping")) >= 2)
        assert all(p["headers"]["req_id"].startswith("ping") for p in fake.frames("ping"))
        fake.answer_pings = False  # the link stays open but nothing comes back
        first = fake.active[0]
        await fake.wait_for(lambda: first.closed, timeout=10)  # the bot gave it up itself
        fake.answer_pings = True
        await fake.wait_for(lambda: conn.connections == 2 and conn.state == "online", timeout=10)
    finally:
        await stop_bot(bot)
