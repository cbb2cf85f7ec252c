"""The real bot (BotApp: adapters, pipeline, handlers, storage) on a random loopback port,
driven by test-side fake platforms that sign and encrypt with their own crypto."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from itertools import count
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import func
from sqlmodel import Session, select

from bot.app import BotApp
from bot.config import load_settings
from storage.db import make_engine, upgrade
from storage.models import InboundMessage, Record
from storage.roster_import import import_roster_file
from tests.conftest import SAMPLE_ROSTER
from tests.fakes.clock import FakeClock
from tests.fakes.onebot import hmac_signature
from tests.fakes.qq import FakeQQApi, QQPlatform
from tests.fakes.wecom import FakeWecomApi, WecomPlatform

SH = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=SH)
AIBOT_KEY = base64.b64encode(b"a" * 32).decode()[:43]
APP_KEY = base64.b64encode(b"b" * 32).decode()[:43]
ONEBOT_SECRET = "onebot-secret"
QQ_SECRET = "qq-secret-for-tests-0123456789ab"
QQ_APP_ID = "11111111"
SELF_ID = 10001000


@dataclass
class LiveBot:
    bot: BotApp
    server: TestServer
    session: aiohttp.ClientSession
    clock: FakeClock
    wecom_api: FakeWecomApi
    qq_api: FakeQQApi
    aibot: WecomPlatform = field(
        default_factory=lambda: WecomPlatform("aibot-token", AIBOT_KEY, "")
    )
    app: WecomPlatform = field(
        default_factory=lambda: WecomPlatform("app-token", APP_KEY, "wwcorp")
    )
    qq: QQPlatform = field(default_factory=lambda: QQPlatform(QQ_SECRET, QQ_APP_ID))
    ids: Any = field(default_factory=lambda: count(1))

    @property
    def url(self) -> str:
        return str(self.server.make_url("")).rstrip("/")

    @property
    def ts(self) -> int:
        return int(self.clock.now().timestamp())

    # -- one call per route: returns (status, list of reply texts) ----------------------
    async def aibot_say(
        self,
        userid: str,
        text: str,
        *,
        chat: str = "wrFuHaiAlliance",
        msgid: str | None = None,
        quote: dict | None = None,
    ) -> tuple[int, list[str]]:
        payload = {
            "msgid": msgid or f"aibot-{next(self.ids)}",
            "aibotid": "BOT",
            "chatid": chat,
            "chattype": "group",
            "from": {"userid": userid},
            "response_url": f"{self.wecom_api.url}/response",
            "msgtype": "text",
            "text": {"content": f"@联盟助手 {text}"},
        }
        if quote is not None:  # WeCom's `quote` field of a reply (text / mixed / voice …)
            payload["quote"] = quote
        query, body = self.aibot.json_callback(payload, self.ts)
        async with self.session.post(f"{self.url}/wecom/aibot", params=query, data=body) as r:
            raw = await r.read()
            if r.status != 200 or not raw:
                return r.status, []
            reply = self.aibot.open_json_reply(json.loads(raw))
            return r.status, [reply["stream"]["content"]]

    async def app_say(
        self, userid: str, text: str, *, msg_id: int | None = None
    ) -> tuple[int, list[str]]:
        inner = (
            f"<xml><ToUserName><![CDATA[wwcorp]]></ToUserName><FromUserName><![CDATA[{userid}]]>"
            f"</FromUserName><CreateTime>{self.ts}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{text}]]></Content><MsgId>{msg_id or 7000 + next(self.ids)}</MsgId>"
            f"<AgentID>1000002</AgentID></xml>"
        )
        query, body = self.app.xml_callback(inner, self.ts, 1000002)
        async with self.session.post(f"{self.url}/wecom/app", params=query, data=body) as r:
            raw = await r.text()
            if r.status != 200 or not raw:
                return r.status, []
            plain = self.app.open_xml_reply(raw)
            import re

            return r.status, [
                re.search(r"<Content><!\[CDATA\[(.*)\]\]></Content>", plain, re.S).group(1)
            ]

    def onebot_event(
        self,
        qq: int,
        text: str,
        *,
        group: int = 80001,
        message_id: int | None = None,
        mention: bool = True,
        reply_to: tuple[int, int] | None = None,
    ) -> bytes:
        segs = ([{"type": "at", "data": {"qq": str(SELF_ID)}}] if mention else []) + [
            {"type": "text", "data": {"text": (" " if mention else "") + text}}
        ]
        if reply_to is not None:  # QQ's reply: [CQ:reply,id=…] then an @ of the quoted sender
            quoted_id, quoted_qq = reply_to
            segs = [
                {"type": "reply", "data": {"id": str(quoted_id)}},
                {"type": "at", "data": {"qq": str(quoted_qq)}},
                {"type": "text", "data": {"text": " "}},
            ] + segs
        return json.dumps(
            {
                "time": self.ts,
                "self_id": SELF_ID,
                "post_type": "message",
                "message_type": "group",
                "sub_type": "normal",
                "message_id": message_id or 900 + next(self.ids),
                "group_id": group,
                "user_id": qq,
                "anonymous": None,
                "message": segs,
                "raw_message": text,
                "font": 0,
                "sender": {"user_id": qq, "nickname": "n", "card": "", "role": "member"},
            },
            ensure_ascii=False,
        ).encode()

    async def onebot_say(self, qq: int, text: str, **kw: Any) -> tuple[int, list[str]]:
        body = self.onebot_event(qq, text, **kw)
        headers = {
            "Content-Type": "application/json",
            "X-Self-ID": str(SELF_ID),
            "X-Signature": hmac_signature(ONEBOT_SECRET, body),
        }
        async with self.session.post(f"{self.url}/onebot", data=body, headers=headers) as r:
            raw = await r.read()
            if r.status != 200 or not raw:
                return r.status, []
            reply = json.loads(raw)["reply"]
            text = (
                reply
                if isinstance(reply, str)
                else "".join(s["data"].get("text", "") for s in reply if s["type"] == "text")
            )
            return r.status, [text]

    def qq_body(
        self,
        member: str,
        text: str,
        *,
        group: str = "C9F778FE6ADF9D1D1DBE395BF744A33A",
        msg_id: str | None = None,
    ) -> bytes:
        return QQPlatform.group_at(
            msg_id or f"ROBOT1.0_{next(self.ids)}", " " + text, group, member
        )

    async def qq_post(self, body: bytes) -> int:
        async with self.session.post(
            f"{self.url}/qq/webhook", data=body, headers=self.qq.headers(body, self.ts)
        ) as r:
            await r.read()
            return r.status

    def count(self, model: Any = Record) -> int:
        with Session(self.bot.engine) as s:
            q = select(func.count()).select_from(model)
            if model is Record:
                q = q.where(Record.deleted == False)  # noqa: E712
            return s.exec(q).one()

    def inbound(self) -> int:
        return self.count(InboundMessage)


def bot_settings(db_url: str, tmp_path, wecom_api: str, qq_api: str):
    return load_settings(
        None,
        **{
            "database": {"url": db_url},
            "data_dir": str(tmp_path),
            "server": {"public_url": "http://bot.example"},
            "wecom": {
                "aibot": {
                    "token": "aibot-token",
                    "encoding_aes_key": AIBOT_KEY,
                    "bot_name": "联盟助手",
                },
                "app": {
                    "corp_id": "wwcorp",
                    "agent_id": 1000002,
                    "secret": "app-secret",
                    "token": "app-token",
                    "encoding_aes_key": APP_KEY,
                    "api_base": wecom_api,
                },
                "webhook": {"api_base": wecom_api},
            },
            "onebot": {
                "secret": ONEBOT_SECRET,
                "access_token": "ws-token",
                "self_id": str(SELF_ID),
            },
            "qq": {
                "app_id": QQ_APP_ID,
                "secret": QQ_SECRET,
                "api_base": qq_api,
                "token_url": f"{qq_api}/app/getAppAccessToken",
            },
            "reminders": {"enabled": False},
        },
    )


@pytest.fixture
async def live(db_url, tmp_path):
    wecom_api = await FakeWecomApi().start()
    qq_api = await FakeQQApi(QQ_APP_ID, QQ_SECRET).start()
    settings = bot_settings(db_url, tmp_path, wecom_api.url, qq_api.url)
    engine = make_engine(db_url)
    upgrade(engine)
    import_roster_file(engine, str(SAMPLE_ROSTER))
    clock = FakeClock(NOW)
    bot = BotApp(settings, clock=clock, engine=engine)
    server = TestServer(bot.web_app(), host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as session:
        yield LiveBot(bot, server, session, clock, wecom_api, qq_api)
    await server.close()
    await wecom_api.close()
    await qq_api.close()
    engine.dispose()
