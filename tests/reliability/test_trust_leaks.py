"""Issue 12, leaks, tried through the real endpoints: unsigned OneBot traffic on a default
install, a reverse-WebSocket takeover, one-time links used up by previewers, formula
injection into the ledger, and markdown from reports in WeCom replies."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlmodel import Session, select

from bot.app import BotApp
from bot.config import load_settings
from storage.db import make_engine, upgrade
from storage.models import DownloadLink, InboundMessage
from storage.roster_import import import_roster_file
from tests.conftest import SAMPLE_ROSTER
from tests.e2e.conftest import NOW, SELF_ID
from tests.fakes.clock import FakeClock
from tests.reliability.conftest import report_text


class Install:
    """A bot built from a near-default configuration (only the database and data dir set)."""

    def __init__(self, tmp_path, **config) -> None:
        url = f"sqlite:///{tmp_path / 'default.db'}"
        self.settings = load_settings(
            None,
            database={"url": url},
            data_dir=str(tmp_path),
            reminders={"enabled": False},
            **config,
        )
        self.engine = make_engine(url)
        upgrade(self.engine)
        import_roster_file(self.engine, str(SAMPLE_ROSTER))
        self.clock = FakeClock(NOW)
        self.bot = BotApp(self.settings, clock=self.clock, engine=self.engine, with_scheduler=False)

    async def __aenter__(self) -> Install:
        self.server = TestServer(self.bot.web_app(), host="127.0.0.1")
        await self.server.start_server()
        self.session = aiohttp.ClientSession()
        self.url = str(self.server.make_url("")).rstrip("/")
        return self

    async def __aexit__(self, *exc) -> None:
        await self.session.close()
        await self.server.close()
        self.engine.dispose()

    def event(self, qq: int, text: str, message_id: int) -> bytes:
        return json.dumps(
            {
                "time": int(self.clock.now().timestamp()),
                "self_id": SELF_ID,
                "post_type": "message",
                "message_type": "group",
                "sub_type": "normal",
                "message_id": message_id,
                "group_id": 80001,
                "user_id": qq,
                "anonymous": None,
                "message": [
                    {"type": "at", "data": {"qq": str(SELF_ID)}},
                    {"type": "text", "data": {"text": " " + text}},
                ],
                "raw_message": text,
                "font": 0,
                "sender": {"user_id": qq, "nickname": "n"},
            },
            ensure_ascii=False,
        ).encode()

    async def post(self, body: bytes) -> int:
        async with self.session.post(
            f"{self.url}/onebot",
            data=body,
            headers={"Content-Type": "application/json", "X-Self-ID": str(SELF_ID)},
        ) as r:
            await r.read()
            return r.status

    def inbound(self) -> int:
        with Session(self.engine) as s:
            return len(s.exec(select(InboundMessage)).all())

    async def healthz(self) -> dict:
        async with self.session.get(f"{self.url}/healthz") as r:
            return await r.json()


async def test_default_install_refuses_unsigned_onebot(tmp_path, caplog):
    async with Install(tmp_path) as inst:
        # as the curl did: a report, and a principal's /导出, unsigned
        assert await inst.post(inst.event(200150, report_text(1), 1)) == 403
        assert await inst.post(inst.event(200164, "/导出", 2)) == 403
        assert inst.inbound() == 0
        with pytest.raises(aiohttp.WSServerHandshakeError) as e:
            await inst.session.ws_connect(
                f"{inst.url}/onebot/ws", headers={"X-Self-ID": str(SELF_ID)}
            )
        assert e.value.status == 403
        health = await inst.healthz()
        assert health["unsigned"] == {"onebot": "refused", "onebot-ws": "refused"}
    assert any("onebot: no secret configured; refusing" in r.getMessage() for r in caplog.records)


async def test_allow_unsigned_needs_a_loopback_only_server(tmp_path):
    async with Install(
        tmp_path, server={"host": "0.0.0.0"}, onebot={"allow_unsigned": True}
    ) as inst:
        assert await inst.post(inst.event(200150, report_text(1), 1)) == 403
        assert (await inst.healthz())["unsigned"]["onebot"] == "refused"
        assert inst.inbound() == 0
    async with Install(
        tmp_path / "lo", server={"host": "127.0.0.1"}, onebot={"allow_unsigned": True}
    ) as inst:
        assert await inst.post(inst.event(200150, report_text(1), 1)) == 200
        assert (await inst.healthz())["unsigned"] == {"onebot": "accepted", "onebot-ws": "accepted"}
        assert inst.inbound() == 1


async def test_second_reverse_ws_with_same_self_id_cannot_take_over_without_token(tmp_path):
    async with Install(tmp_path, onebot={"allow_unsigned": True}) as inst:
        url = f"{inst.url}/onebot/ws"
        hdr = {"X-Self-ID": str(SELF_ID)}
        async with inst.session.ws_connect(url, headers=hdr) as first:
            with pytest.raises(aiohttp.WSServerHandshakeError) as e:
                await inst.session.ws_connect(url, headers=hdr)
            assert e.value.status == 409
            # the first connection still gets the answers
            await first.send_str(inst.event(200150, report_text(2), 11).decode())
            frame = await first.receive_json(timeout=15)
            assert frame["action"] == "send_group_msg"
            await first.send_json(
                {"status": "ok", "retcode": 0, "data": {"message_id": 1}, "echo": frame["echo"]}
            )
        await inst.bot.platforms.drain(timeout=5)


async def test_second_reverse_ws_needs_the_token_to_replace_the_first(live):
    url = live.url.replace("http://", "ws://") + "/onebot/ws"
    good = {"Authorization": "Bearer ws-token", "X-Self-ID": str(SELF_ID)}
    async with live.session.ws_connect(url, headers=good) as first:
        for bad in (
            {"X-Self-ID": str(SELF_ID)},
            {"X-Self-ID": str(SELF_ID), "Authorization": "Bearer guess"},
        ):
            with pytest.raises(aiohttp.WSServerHandshakeError) as e:
                await live.session.ws_connect(url, headers=bad)
            assert e.value.status in (401, 403)
        assert not first.closed
        async with live.session.ws_connect(url, headers=good) as second:  # a real reconnect
            msg = await first.receive(timeout=5)
            assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
            assert not second.closed


async def _export_link(live) -> str:
    _, [reply] = await live.onebot_say(200164, "/导出")  # 郑建华, principal of that alliance
    token = re.search(r"/download/([\w-]+)", reply).group(1)
    return f"{live.url}/download/{token}"


async def test_head_and_range_requests_do_not_use_up_a_link(live):
    url = await _export_link(live)
    for _ in range(2):
        async with live.session.head(url) as r:
            assert r.status == 200 and int(r.headers["Content-Length"]) > 1000
            assert "attachment" in r.headers["Content-Disposition"]
            head_type = r.headers["Content-Type"]
    async with live.session.get(url, headers={"Range": "bytes=0-1023"}) as r:
        assert r.status == 416
    async with live.session.get(url) as r:
        assert r.status == 200
        assert (await r.read())[:2] == b"PK"
        assert (
            r.headers["Content-Type"]
            == head_type
            == ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        )
    async with live.session.get(url) as r:  # used now
        assert r.status == 410 and "已使用" in await r.text()
    async with live.session.head(url) as r:
        assert r.status == 410


async def test_links_expire_and_cleanup_deletes_files_and_links(live):
    url = await _export_link(live)
    used = await _export_link(live)
    async with live.session.get(used) as r:
        assert r.status == 200
    with Session(live.bot.engine) as s:
        links = s.exec(select(DownloadLink)).all()
    files = [live.bot.settings.data_path / link.path for link in links]
    assert len(files) == 2 and all(f.exists() for f in files)
    live.clock.advance(timedelta(hours=2).total_seconds())
    assert await live.bot.cleanup_downloads() == (1, 1)  # the used link and its file
    live.clock.advance(timedelta(hours=22, minutes=1).total_seconds())  # 24 h after the export
    async with live.session.get(url) as r:
        assert r.status == 410 and "过期" in await r.text()
    assert await live.bot.cleanup_downloads() == (1, 1)
    assert not any(f.exists() for f in files)
    with Session(live.bot.engine) as s:
        assert s.exec(select(DownloadLink)).all() == []
    async with live.session.get(url) as r:
        assert r.status == 404


async def test_ledger_cells_from_reports_are_text_not_formulas(live):
    from openpyxl import load_workbook

    evil = '=HYPERLINK("http://evil.example/x","点我")'
    _, [a] = await live.onebot_say(
        200150, f"{evil} 2026年11月2日我到城关小学送课,上了一节数学课《{evil}》,听课20人"
    )
    assert a.startswith("✅ 已记录"), a
    url = await _export_link(live)
    async with live.session.get(url) as r:
        data = await r.read()
    wb = load_workbook(io.BytesIO(data))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    texts = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert texts, "the report text should be in the ledger"
    assert all(c.data_type == "s" for c in texts), [(c.coordinate, c.data_type) for c in texts]
    assert not [c for c in cells if c.data_type == "f"]


async def test_markdown_from_reports_is_escaped_in_wecom_replies(live):
    text = (
        '2025年3月4日我到齐小送教,数学两节,课题《<font color="warning">**紧急**</font>》'
        "<@all> [点我](http://evil.example)"
    )
    status, [reply] = await live.aibot_say("ZhangWei", text)
    assert status == 200 and reply.startswith("✅ 已记录"), reply
    for markup in ("<font", "<@all>", "**", "[点我](", "</font>"):
        assert markup not in reply, (markup, reply)
    # and the principal's /明细 on the AI bot (吴学红, principal of that alliance)
    status, [details] = await live.aibot_say("WuXueHong", "/明细")
    assert status == 200 and "紧急" in details, details
    for markup in ("<font", "<@all>", "**"):
        assert markup not in details, (markup, details)


async def _settle(live) -> None:
    import asyncio

    while live.bot._tasks:
        await asyncio.wait(set(live.bot._tasks), timeout=10)


async def test_export_asked_in_a_group_goes_to_the_asker_only(live):
    # 吴学红 asks in the Fuhai alliance group (AI bot): the group sees no link and no file
    status, [reply] = await live.aibot_say("WuXueHong", "/导出")
    assert status == 200 and reply.startswith("已导出") and "私信" in reply, reply
    assert "/download/" not in reply
    await _settle(live)
    private = [
        c for c in live.wecom_api.delivered("message/send") if c.body.get("touser") == "WuXueHong"
    ]
    assert any("/download/" in json.dumps(c.body, ensure_ascii=False) for c in private), private
    assert any(c.body.get("msgtype") == "file" for c in private)  # the workbook itself, privately
    assert not live.wecom_api.attempts("webhook/upload_media")  # nothing into the group
    assert not [
        c for c in live.wecom_api.attempts("webhook/send") if c.body.get("msgtype") == "file"
    ]

    # in the principals' group (purpose = "principals") it is posted there
    status, [reply] = await live.aibot_say("WuXueHong", "/导出", chat="wrFuHaiPrincipals")
    assert "/download/" in reply, reply
    await _settle(live)
    uploads = live.wecom_api.attempts("webhook/upload_media")
    assert uploads and all(c.query.get("key") == "demo-fuhai-principals-key" for c in uploads)

    # OneBot with no way to message privately: a one-time link in the reply, never the file
    _, [reply] = await live.onebot_say(200164, "/导出")
    assert "/download/" in reply and "请勿转发" in reply, reply
