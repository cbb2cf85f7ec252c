"""`alliance-bot serve` as real OS processes.

- kill -9 in the middle of a load of signed OneBot reports, restart, verify that every
  message answered 200 is stored exactly once with its reply and record, then re-deliver
  every message: each is answered, nothing is duplicated (SQLite file, then PostgreSQL).
- two `serve` processes on one PostgreSQL database send each due reminder exactly once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections import Counter

import aiohttp
import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from storage.db import make_engine, session_scope
from storage.models import (
    Alliance,
    InboundMessage,
    Record,
    RecordReporter,
    Reminder,
    ReminderDelivery,
)
from tests.conftest import SAMPLE_ROSTER
from tests.fakes.onebot import hmac_signature
from tests.fakes.wecom import FakeWecomApi
from tests.reliability.conftest import (
    ZHANGPING_QQ,
    Serve,
    free_port,
    report_text,
    run_cli,
    write_config,
)

pytestmark = pytest.mark.slow

SECRET = "crash-test-secret"
SELF_ID = 10001000
N = 160
GROUP = 80001


def _db_url(backend: str, tmp_path, request) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'bot.db'}"
    return request.getfixturevalue("pg_database_url")


def event(i: int) -> bytes:
    qq = ZHANGPING_QQ[i % len(ZHANGPING_QQ)]
    text = report_text(i)
    return json.dumps(
        {
            "time": int(time.time()),
            "self_id": SELF_ID,
            "post_type": "message",
            "message_type": "group",
            "sub_type": "normal",
            "message_id": 3_000_000 + i,
            "group_id": GROUP,
            "user_id": qq,
            "anonymous": None,
            "message": [
                {"type": "at", "data": {"qq": str(SELF_ID)}},
                {"type": "text", "data": {"text": " " + text}},
            ],
            "raw_message": text,
            "font": 0,
            "sender": {"user_id": qq, "nickname": "n", "card": "", "role": "member"},
        },
        ensure_ascii=False,
    ).encode()


async def post(session: aiohttp.ClientSession, url: str, i: int) -> tuple[int, str]:
    body = event(i)
    headers = {
        "Content-Type": "application/json",
        "X-Self-ID": str(SELF_ID),
        "X-Signature": hmac_signature(SECRET, body),
    }
    async with session.post(
        f"{url}/onebot", data=body, headers=headers, timeout=aiohttp.ClientTimeout(total=30)
    ) as r:
        raw = await r.read()
        if r.status != 200:
            return r.status, raw.decode(errors="replace")
        reply = json.loads(raw)["reply"]
        text = (
            reply
            if isinstance(reply, str)
            else "".join(s["data"].get("text", "") for s in reply if s.get("type") == "text")
        )
        return 200, text


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
async def test_kill_9_mid_load_then_restart_and_redeliver(backend, tmp_path, request):
    db_url = _db_url(backend, tmp_path, request)
    port = free_port()
    config = write_config(
        tmp_path / "bot.toml",
        db_url=db_url,
        port=port,
        data_dir=tmp_path / "data",
        onebot_secret=SECRET,
    )
    run_cli(config, "db", "upgrade")
    run_cli(config, "roster", "import", str(SAMPLE_ROSTER))
    server = Serve(config, port, tmp_path / "serve.log")
    await asyncio.to_thread(server.start)
    ok: dict[int, str] = {}
    failed: dict[int, str] = {}
    killed = asyncio.Event()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(N):
        queue.put_nowait(i)
    try:
        async with aiohttp.ClientSession() as session:

            async def worker() -> None:
                while not queue.empty():
                    i = queue.get_nowait()
                    try:
                        status, text = await post(session, server.url, i)
                    except (aiohttp.ClientError, TimeoutError) as e:
                        failed[i] = type(e).__name__
                        continue
                    if status == 200:
                        ok[i] = text
                    else:
                        failed[i] = f"HTTP {status}: {text[:100]}"
                    if len(ok) >= N // 4 and not killed.is_set():
                        killed.set()
                        server.kill9()  # SIGKILL in the middle of the load

            await asyncio.gather(*[worker() for _ in range(6)])
            assert killed.is_set()
            assert ok and failed, (len(ok), len(failed))  # the kill really was mid-load
            assert not [v for v in failed.values() if v.startswith("HTTP 5")], failed

            # restart on the same database
            server = Serve(config, port, tmp_path / "serve2.log")
            await asyncio.to_thread(server.start)
            engine = make_engine(db_url)
            try:
                with Session(engine) as s:
                    rows = s.exec(
                        select(InboundMessage).where(InboundMessage.platform == "onebot")
                    ).all()
                    by_id = Counter(r.message_id for r in rows)
                    assert all(c == 1 for c in by_id.values())
                    stored = {r.message_id: r for r in rows}
                    for i, text in ok.items():
                        row = stored.get(str(3_000_000 + i))
                        assert row is not None, f"message {i} answered 200 but not stored"
                        assert row.reply_text == text and row.record_id is not None, (i, row)
                        rec = s.get(Record, row.record_id)
                        assert rec is not None and not rec.deleted
                    n_records = s.exec(select(func.count()).select_from(Record)).one()
                    assert n_records == len({r.record_id for r in rows if r.record_id})
                    reporters = s.exec(select(func.count()).select_from(RecordReporter)).one()
                    assert reporters == n_records

                # re-deliver everything, the answered and the failed, twice over
                results = await asyncio.gather(*[post(session, server.url, i) for i in range(N)])
                for i, (status, text) in enumerate(results):
                    assert status == 200, (i, status, text)
                    assert "已记录" in text, (i, text)
                    if i in ok:
                        assert text == ok[i], (i, text, ok[i])  # the stored reply, not a new record
                again = await asyncio.gather(
                    *[post(session, server.url, i) for i in range(0, N, 7)]
                )
                assert all(s == 200 for s, _ in again)

                with Session(engine) as s:
                    rows = s.exec(
                        select(InboundMessage).where(InboundMessage.platform == "onebot")
                    ).all()
                    records = s.exec(select(Record).where(Record.deleted == False)).all()  # noqa: E712
                    reporters = s.exec(select(RecordReporter)).all()
                assert len(rows) == N and len({r.message_id for r in rows}) == N
                assert all(r.record_id is not None and r.reply_text for r in rows)
                assert len(records) == N and len(reporters) == N  # one distinct event each
                assert sorted(r.record_id for r in rows) == sorted(r.id for r in records)
            finally:
                engine.dispose()
    finally:
        server.stop()


@pytest.mark.postgres
async def test_two_serve_processes_on_one_postgres_send_each_reminder_once(
    pg_database_url, tmp_path
):
    robot = await FakeWecomApi().start()
    servers: list[Serve] = []
    engine = make_engine(pg_database_url)
    try:
        ports = [free_port(), free_port()]
        configs = [
            write_config(
                tmp_path / f"bot{k}.toml",
                db_url=pg_database_url,
                port=ports[k],
                data_dir=tmp_path / f"data{k}",
                onebot_secret=SECRET,
                reminders=True,
                webhook_api=robot.url,
            )
            for k in range(2)
        ]
        run_cli(configs[0], "db", "upgrade")
        run_cli(configs[0], "roster", "import", str(SAMPLE_ROSTER))

        now = dt.datetime.now(dt.UTC)
        keys: dict[int, str] = {}
        with session_scope(engine) as s:
            fuhai = s.exec(select(Alliance).where(Alliance.name == "福海县第二小学联盟")).one()
            plan = [
                (-2, "wrFuHaiAlliance"),
                (-1, "wrFuHaiPrincipals"),
                (-1, "wrFuHaiAlliance"),
                (0.15, "wrFuHaiAlliance"),
                (0.15, "wrFuHaiPrincipals"),
                (0.17, "wrFuHaiAlliance"),
            ]
            for k, (minutes, chat) in enumerate(plan):
                key = f"rel-two-{k}"
                r = Reminder(
                    dedup_key=key,
                    kind="reliability",
                    alliance_id=fuhai.id,
                    fire_at=now + dt.timedelta(minutes=minutes),
                    platform="wecom",
                    chat_id=chat,
                    text=f"【测试提醒】{key}",
                    status="scheduled",
                )
                s.add(r)
                s.flush()
                keys[r.id] = key

        servers = [Serve(configs[k], ports[k], tmp_path / f"serve{k}.log") for k in range(2)]
        # start both at once: they race for the due reminders and both schedule the others
        await asyncio.gather(*[asyncio.to_thread(srv.start) for srv in servers])

        def pushed() -> Counter[str]:
            out: Counter[str] = Counter()
            for c in robot.delivered("webhook/send"):
                blob = json.dumps(c.body, ensure_ascii=False)
                for key in keys.values():
                    if (
                        key + "】" in blob
                        or blob.endswith(key)
                        or f'{key}"' in blob
                        or f"{key}\\n" in blob
                    ):
                        out[key] += 1
            return out

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(pushed()) < len(keys):
            await asyncio.sleep(0.25)
        await asyncio.sleep(2.0)  # let a late duplicate show up, if there were one
        got = pushed()
        assert got == Counter({k: 1 for k in keys.values()}), (got, [s.output() for s in servers])
        assert len(robot.attempts("webhook/send")) == len(keys)
        with Session(engine) as s:
            for rid in keys:
                assert s.get(Reminder, rid).status == "sent"
                deliveries = s.exec(
                    select(ReminderDelivery).where(ReminderDelivery.reminder_id == rid)
                ).all()
                assert [d.status for d in deliveries] == ["sent"]
            claimers = {d.claimed_by for d in s.exec(select(ReminderDelivery)).all()}
        assert len(claimers) >= 1
        for srv in servers:
            assert srv.proc.poll() is None, srv.output()  # both still serving
    finally:
        for srv in servers:
            srv.stop()
        await robot.close()
        engine.dispose()
