"""Issue 12, backups: `alliance-bot backup` while a real `serve` process takes a load of
signed reports gives a copy holding every report acknowledged before the backup began;
`alliance-bot restore` brings it back (SQLite online backup API; PostgreSQL pg_dump)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time

import aiohttp
import pytest
from sqlalchemy import create_engine, text

from storage.db import make_engine, upgrade
from storage.roster_import import import_roster_file
from tests.conftest import SAMPLE_ROSTER, _fresh_pg_database, pg_url
from tests.fakes.onebot import hmac_signature
from tests.reliability.conftest import (
    ZHANGPING_QQ,
    Serve,
    free_port,
    report_text,
    run_cli,
    write_config,
)

SECRET = "backup-secret"
SELF_ID = 10001000
MAX = 590  # report_text(i) stays in the past below 600; the load stops soon after the backup


def _event(i: int) -> bytes:
    qq = ZHANGPING_QQ[i % len(ZHANGPING_QQ)]
    return json.dumps(
        {
            "time": int(time.time()),
            "self_id": SELF_ID,
            "post_type": "message",
            "message_type": "group",
            "sub_type": "normal",
            "message_id": 8_000_000 + i,
            "group_id": 80001,
            "user_id": qq,
            "anonymous": None,
            "message": [
                {"type": "at", "data": {"qq": str(SELF_ID)}},
                {"type": "text", "data": {"text": " " + report_text(i)}},
            ],
            "raw_message": report_text(i),
            "font": 0,
            "sender": {"user_id": qq, "nickname": "n"},
        },
        ensure_ascii=False,
    ).encode()


async def _load_with_backup(serve: Serve, config, backup_path) -> tuple[set[str], int]:
    """Post reports 6 at a time, without pause, from before `backup` starts until after it
    finished. Returns (the message ids acknowledged before the backup started, how many
    reports were posted in all)."""
    acked: set[str] = set()
    before: set[str] = set()
    finished = asyncio.Event()
    counter = iter(range(MAX))

    async def worker(session: aiohttp.ClientSession) -> None:
        after = 0
        for i in counter:
            body = _event(i)
            headers = {
                "Content-Type": "application/json",
                "X-Self-ID": str(SELF_ID),
                "X-Signature": hmac_signature(SECRET, body),
            }
            async with session.post(
                f"{serve.url}/onebot",
                data=body,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=60),
            ) as r:
                await r.read()
                assert r.status == 200, r.status
                acked.add(str(8_000_000 + i))
            if finished.is_set():
                after += 1
                if after >= 5:
                    return

    async def take_backup() -> str:
        while len(acked) < 20:
            await asyncio.sleep(0.05)
        before.update(acked)
        done = await asyncio.to_thread(run_cli, config, "backup", str(backup_path))
        finished.set()
        return done.stdout

    async with aiohttp.ClientSession() as session:
        out, *_ = await asyncio.gather(take_backup(), *[worker(session) for _ in range(6)])
    assert "已备份到" in out and "记录" in out, out
    return before, len(acked)


def _backed_up_ids(path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        ids = {
            r[0]
            for r in con.execute(
                "SELECT i.message_id FROM inbound_message i JOIN record r ON r.id = i.record_id "
                "WHERE r.deleted = 0"
            )
        }
    finally:
        con.close()
    return ids


async def test_sqlite_backup_while_serving_keeps_every_acknowledged_report(tmp_path):
    db = f"sqlite:///{tmp_path / 'bot.db'}"
    engine = make_engine(db)
    upgrade(engine)
    import_roster_file(engine, str(SAMPLE_ROSTER))
    engine.dispose()
    port = free_port()
    config = write_config(
        tmp_path / "bot.toml", db_url=db, port=port, data_dir=tmp_path, onebot_secret=SECRET
    )
    serve = Serve(config, port, tmp_path / "serve.log").start()
    try:
        copy = tmp_path / "backups" / "copy.db"
        before, total = await _load_with_backup(serve, config, copy)
    finally:
        serve.stop()
    in_copy = _backed_up_ids(copy)
    print(
        f"\nbackup during a load: {len(before)} reports acknowledged before it began, "
        f"{len(before & in_copy)} of them in the copy; {len(in_copy)} in the copy, "
        f"{total} posted in all"
    )
    assert before <= in_copy, sorted(before - in_copy)
    assert len(in_copy) < total  # the copy was taken while reports kept arriving
    assert not list(copy.parent.glob("*.partial"))

    # restore into another installation: everything in the copy comes back
    other = tmp_path / "restored"
    other.mkdir()
    config2 = write_config(
        other / "bot.toml",
        db_url=f"sqlite:///{other / 'bot.db'}",
        port=free_port(),
        data_dir=other,
        onebot_secret=SECRET,
    )
    done = run_cli(config2, "restore", str(copy))
    assert "已从" in done.stdout and "记录" in done.stdout, done.stdout
    assert _backed_up_ids(other / "bot.db") == in_copy
    # a directory as PATH: a dated file inside (the daily cron/systemd form)
    done = run_cli(config2, "backup", str(other))
    assert "alliance-" in done.stdout and ".db" in done.stdout, done.stdout


def test_backup_and_restore_refuse_bad_input_with_a_clear_message(tmp_path):
    import subprocess

    db = f"sqlite:///{tmp_path / 'bot.db'}"
    config = write_config(
        tmp_path / "bot.toml", db_url=db, port=free_port(), data_dir=tmp_path, onebot_secret=SECRET
    )
    not_a_db = tmp_path / "junk.db"
    not_a_db.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(subprocess.CalledProcessError) as e:
        run_cli(config, "restore", str(not_a_db))
    assert "恢复未完成" in e.value.stderr and "不是有效的 SQLite" in e.value.stderr, e.value.stderr
    with pytest.raises(subprocess.CalledProcessError) as e:
        run_cli(config, "restore", str(tmp_path / "missing.db"))
    assert "找不到备份文件" in e.value.stderr


@pytest.mark.postgres
async def test_postgres_backup_while_serving_and_restore(tmp_path):
    if not pg_url():
        pytest.skip("ALLIANCE_BOT_TEST_PG_URL not set")
    url, drop = _fresh_pg_database(pg_url())
    url2, drop2 = _fresh_pg_database(pg_url())
    try:
        engine = make_engine(url)
        upgrade(engine)
        import_roster_file(engine, str(SAMPLE_ROSTER))
        engine.dispose()
        port = free_port()
        config = write_config(
            tmp_path / "bot.toml", db_url=url, port=port, data_dir=tmp_path, onebot_secret=SECRET
        )
        serve = Serve(config, port, tmp_path / "serve.log").start()
        try:
            dump = tmp_path / "alliance.dump"
            before, _total = await _load_with_backup(serve, config, dump)
        finally:
            serve.stop()
        config2 = write_config(
            tmp_path / "bot2.toml",
            db_url=url2,
            port=free_port(),
            data_dir=tmp_path,
            onebot_secret=SECRET,
        )
        done = run_cli(config2, "restore", str(dump))
        assert "已从" in done.stdout, done.stdout
        eng = create_engine(url2)
        with eng.connect() as c:
            ids = {
                r[0]
                for r in c.execute(
                    text(
                        "SELECT i.message_id FROM inbound_message i JOIN record r ON r.id = i.record_id "
                        "WHERE NOT r.deleted"
                    )
                )
            }
        eng.dispose()
        assert before <= ids, sorted(before - ids)
    finally:
        drop()
        drop2()
