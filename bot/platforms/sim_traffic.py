"""Simulated platform traffic against a running server (for `alliance-bot simulate` and the demo).

Each `simulate_*` function builds exactly what the platform would send for a text from a
user in a group — signed and encrypted with the configured secrets — POSTs it to
`base_url` (e.g. ``http://127.0.0.1:8080``) and decodes the answer into `SimResult.replies`.

QQ is different: the bot answers through the QQ API, not in the HTTP response. So
`simulate_qq` needs a `LocalQQApi`, a tiny fake QQ API on a loopback port, and the server
must have been started with ``qq.api_base`` / ``qq.token_url`` pointing at it
(`LocalQQApi.settings_overrides()` gives both). `simulate()` does that automatically when
``qq.api_base`` is a loopback URL with a port, e.g. ``http://127.0.0.1:18090``.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from bot.config import OneBotSettings, QQSettings, Settings, WecomAibotSettings, WecomAppSettings
from bot.platforms.base import dumps
from bot.platforms.onebot.http import onebot_signature
from bot.platforms.onebot.message import normalize, plain_text
from bot.platforms.qq.signing import QQSigner
from bot.platforms.wecom.crypto import WecomCrypto, new_nonce, wecom_signature
from bot.platforms.wecom.payloads import extract_encrypt, safe_xml
from handlers.ports import SystemClock

SIM_USER = "zhangsan"
SIM_WECOM_GROUP = "wrSimGroup01"
SIM_QQ_USER = 12345678
SIM_QQ_GROUP = 123456
SIM_SELF_ID = 10001000
SIM_QQ_GROUP_OPENID = "C9F778FE6ADF9D1D1DBE395BF744A33A"
SIM_QQ_MEMBER_OPENID = "E4F4AEA33253A2797FB897C50B81D7ED"


@dataclass
class SimResult:
    status: int
    replies: list[str] = field(default_factory=list)
    raw: Any = None


def _crypto(token: str, key: str, receive_id: str) -> WecomCrypto:
    return WecomCrypto(token, key, receive_id, SystemClock(), window_s=300)


def _signed_query(token: str, encrypt: str) -> dict[str, str]:
    ts, nonce = str(int(time.time())), new_nonce()
    return {
        "msg_signature": wecom_signature(token, ts, nonce, encrypt),
        "timestamp": ts,
        "nonce": nonce,
    }


async def simulate_wecom_aibot(
    settings: WecomAibotSettings,
    base_url: str,
    text: str,
    *,
    user_id: str = SIM_USER,
    chat_id: str = SIM_WECOM_GROUP,
    msgid: str | None = None,
    session: aiohttp.ClientSession | None = None,
) -> SimResult:
    crypto = _crypto(settings.token, settings.encoding_aes_key, "")
    payload = {
        "msgid": msgid or uuid.uuid4().hex,
        "aibotid": "SIMBOT",
        "chatid": chat_id,
        "chattype": "group" if chat_id else "single",
        "from": {"userid": user_id},
        "response_url": f"{base_url.rstrip('/')}/sim/response_url",
        "msgtype": "text",
        "text": {"content": f"@{settings.bot_name or '联盟助手'} {text}"},
    }
    encrypt = crypto.encrypt(dumps(payload))
    async with (
        _session(session) as s,
        s.post(
            f"{base_url.rstrip('/')}/wecom/aibot",
            params=_signed_query(settings.token, encrypt),
            json={"encrypt": encrypt},
        ) as r,
    ):
        status, body = r.status, await r.read()
    if status != 200 or not body:
        return SimResult(status, [], body)
    env = json.loads(body)
    plain = crypto.decrypt(
        {
            "msg_signature": env["msgsignature"],
            "timestamp": env["timestamp"],
            "nonce": env["nonce"],
        },
        env["encrypt"],
    )
    stream = json.loads(plain)["stream"]
    return SimResult(status, [stream["content"]], json.loads(plain))


async def simulate_wecom_app(
    settings: WecomAppSettings,
    base_url: str,
    text: str,
    *,
    user_id: str = SIM_USER,
    msg_id: int | None = None,
    session: aiohttp.ClientSession | None = None,
) -> SimResult:
    crypto = _crypto(settings.token, settings.encoding_aes_key, settings.corp_id)
    now = int(time.time())
    inner = (
        f"<xml><ToUserName><![CDATA[{settings.corp_id}]]></ToUserName>"
        f"<FromUserName><![CDATA[{user_id}]]></FromUserName><CreateTime>{now}</CreateTime>"
        f"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{text}]]></Content>"
        f"<MsgId>{msg_id or uuid.uuid4().int >> 65}</MsgId><AgentID>{settings.agent_id}</AgentID></xml>"
    )
    encrypt = crypto.encrypt(inner)
    body = (
        f"<xml><ToUserName><![CDATA[{settings.corp_id}]]></ToUserName>"
        f"<Encrypt><![CDATA[{encrypt}]]></Encrypt><AgentID><![CDATA[{settings.agent_id}]]></AgentID></xml>"
    )
    async with (
        _session(session) as s,
        s.post(
            f"{base_url.rstrip('/')}/wecom/app",
            params=_signed_query(settings.token, encrypt),
            data=body.encode(),
            headers={"Content-Type": "application/xml"},
        ) as r,
    ):
        status, answer = r.status, await r.read()
    if status != 200 or not answer:
        return SimResult(status, [], answer)
    root = safe_xml(answer)
    plain = crypto.decrypt(
        {
            "msg_signature": root.findtext("MsgSignature") or "",
            "timestamp": root.findtext("TimeStamp") or "",
            "nonce": root.findtext("Nonce") or "",
        },
        extract_encrypt(answer),
    )
    return SimResult(status, [safe_xml(plain).findtext("Content") or ""], plain)


def _onebot_event(
    text: str, self_id: int, group_id: int, user_id: int, message_id: int, mention: bool = True
) -> dict[str, Any]:
    at = [{"type": "at", "data": {"qq": str(self_id)}}] if mention else []
    return {
        "time": int(time.time()),
        "self_id": self_id,
        "post_type": "message",
        "message_type": "group",
        "sub_type": "normal",
        "message_id": message_id,
        "group_id": group_id,
        "user_id": user_id,
        "anonymous": None,
        "message": [*at, {"type": "text", "data": {"text": (" " if mention else "") + text}}],
        "raw_message": (f"[CQ:at,qq={self_id}] " if mention else "") + text,
        "font": 0,
        "sender": {"user_id": user_id, "nickname": "模拟用户", "card": "", "role": "member"},
    }


def _self_id(settings: OneBotSettings) -> int:
    return int(settings.self_id) if settings.self_id.isdigit() else SIM_SELF_ID


async def simulate_onebot_http(
    settings: OneBotSettings,
    base_url: str,
    text: str,
    *,
    group_id: int = SIM_QQ_GROUP,
    user_id: int = SIM_QQ_USER,
    message_id: int | None = None,
    mention: bool = True,
    session: aiohttp.ClientSession | None = None,
) -> SimResult:
    self_id = _self_id(settings)
    body = dumps(
        _onebot_event(
            text, self_id, group_id, user_id, message_id or uuid.uuid4().int % 2**31, mention
        )
    ).encode()
    headers = {"Content-Type": "application/json", "X-Self-ID": str(self_id)}
    if settings.secret:
        headers["X-Signature"] = onebot_signature(settings.secret, body)
    async with (
        _session(session) as s,
        s.post(f"{base_url.rstrip('/')}/onebot", data=body, headers=headers) as r,
    ):
        status, answer = r.status, await r.read()
    if status != 200 or not answer:
        return SimResult(status, [], answer)
    quick = json.loads(answer)
    reply = quick.get("reply")
    return SimResult(
        status, [plain_text(normalize(reply)) if isinstance(reply, list) else reply], quick
    )


async def simulate_onebot_ws(
    settings: OneBotSettings,
    base_url: str,
    text: str,
    *,
    group_id: int = SIM_QQ_GROUP,
    user_id: int = SIM_QQ_USER,
    timeout_s: float = 10.0,
    session: aiohttp.ClientSession | None = None,
) -> SimResult:
    """Connect like NapCat's reverse WebSocket, send one group message, answer the action."""
    self_id = _self_id(settings)
    headers = {"X-Self-ID": str(self_id), "X-Client-Role": "Universal"}
    if settings.access_token:
        headers["Authorization"] = f"Bearer {settings.access_token}"
    url = base_url.rstrip("/").replace("http://", "ws://", 1).replace("https://", "wss://", 1)
    async with _session(session) as s:
        try:
            ws = await s.ws_connect(f"{url}/onebot/ws", headers=headers)
        except aiohttp.WSServerHandshakeError as e:
            return SimResult(e.status, [], None)
        async with ws:
            now = int(time.time())
            await ws.send_str(
                dumps(
                    {
                        "time": now,
                        "self_id": self_id,
                        "post_type": "meta_event",
                        "meta_event_type": "lifecycle",
                        "sub_type": "connect",
                    }
                )
            )
            await ws.send_str(
                dumps(_onebot_event(text, self_id, group_id, user_id, uuid.uuid4().int % 2**31))
            )
            try:
                frame = await asyncio.wait_for(ws.receive_json(), timeout_s)
            except TimeoutError:
                return SimResult(200, [], None)
            await ws.send_str(
                dumps(
                    {
                        "status": "ok",
                        "retcode": 0,
                        "data": {"message_id": 1},
                        "echo": frame.get("echo"),
                    }
                )
            )
    message = frame.get("params", {}).get("message")
    return SimResult(200, [plain_text(normalize(message))], frame)


class LocalQQApi:
    """A loopback stand-in for the QQ API the server replies through (token + messages)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host, self.port = host, port
        self.messages: list[dict[str, Any]] = []
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def settings_overrides(self) -> dict[str, str]:
        return {"api_base": self.url, "token_url": f"{self.url}/app/getAppAccessToken"}

    async def start(self) -> LocalQQApi:
        app = web.Application()
        app.add_routes(
            [
                web.post("/app/getAppAccessToken", self._token),
                web.post("/v2/groups/{openid}/messages", self._message),
                web.post("/v2/users/{openid}/messages", self._message),
            ]
        )
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        if self.port == 0:
            self.port = self._runner.addresses[0][1]
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> LocalQQApi:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _token(self, request: web.Request) -> web.Response:
        return web.json_response({"access_token": "SIMULATED-TOKEN", "expires_in": "7200"})

    async def _message(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.messages.append(
            {
                "path": request.path,
                "body": body,
                "authorization": request.headers.get("Authorization"),
            }
        )
        self._changed.set()
        return web.json_response({"id": uuid.uuid4().hex, "timestamp": int(time.time())})

    async def wait_for(
        self, msg_id: str, timeout_s: float = 10.0, settle_s: float = 0.3
    ) -> list[str]:
        """Contents sent as replies to `msg_id`, once they stop coming for `settle_s`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        seen = -1
        while loop.time() < deadline:
            found = [
                m["body"]["content"] for m in self.messages if m["body"].get("msg_id") == msg_id
            ]
            if found and len(found) == seen:
                return found
            seen = len(found)
            self._changed.clear()
            try:
                await asyncio.wait_for(
                    self._changed.wait(), settle_s if found else deadline - loop.time()
                )
            except TimeoutError:
                pass
        return [m["body"]["content"] for m in self.messages if m["body"].get("msg_id") == msg_id]


async def simulate_qq(
    settings: QQSettings,
    base_url: str,
    text: str,
    api: LocalQQApi,
    *,
    group_openid: str = SIM_QQ_GROUP_OPENID,
    member_openid: str = SIM_QQ_MEMBER_OPENID,
    msg_id: str | None = None,
    timeout_s: float = 10.0,
    session: aiohttp.ClientSession | None = None,
) -> SimResult:
    msg_id = msg_id or f"ROBOT1.0_sim{uuid.uuid4().hex}"
    event = {
        "id": f"GROUP_AT_MESSAGE_CREATE:{uuid.uuid4().hex}",
        "op": 0,
        "s": 1,
        "t": "GROUP_AT_MESSAGE_CREATE",
        "d": {
            "author": {"member_openid": member_openid},
            "content": " " + text,
            "group_openid": group_openid,
            "id": msg_id,
            "timestamp": time.strftime(
                "%Y-%m-%dT%H:%M:%S+08:00", time.gmtime(time.time() + 8 * 3600)
            ),
        },
    }
    body = dumps(event).encode()
    ts = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "QQBot-Callback",
        "X-Bot-Appid": settings.app_id,
        "X-Signature-Timestamp": ts,
        "X-Signature-Ed25519": QQSigner(settings.secret).sign_request(ts, body),
    }
    async with (
        _session(session) as s,
        s.post(f"{base_url.rstrip('/')}/qq/webhook", data=body, headers=headers) as r,
    ):
        status, ack = r.status, await r.read()
    if status != 200:
        return SimResult(status, [], ack)
    return SimResult(status, await api.wait_for(msg_id, timeout_s), json.loads(ack))


class _session:
    """Use the given session, or a throwaway one."""

    def __init__(self, session: aiohttp.ClientSession | None) -> None:
        self._given = session
        self._own: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> aiohttp.ClientSession:
        if self._given is not None:
            return self._given
        self._own = aiohttp.ClientSession()
        return self._own

    async def __aexit__(self, *exc: object) -> None:
        if self._own is not None:
            await self._own.close()


PLATFORMS = ("wecom-aibot", "wecom-app", "onebot", "onebot-ws", "qq")


async def simulate(
    settings: Settings, platform: str, text: str, base_url: str | None = None
) -> SimResult:
    """One simulated message on `platform` (one of PLATFORMS) to the server in `settings`."""
    base_url = base_url or f"http://{settings.server.host}:{settings.server.port}"
    if platform == "wecom-aibot":
        return await simulate_wecom_aibot(settings.wecom.aibot, base_url, text)
    if platform == "wecom-app":
        return await simulate_wecom_app(settings.wecom.app, base_url, text)
    if platform == "onebot":
        return await simulate_onebot_http(settings.onebot, base_url, text)
    if platform == "onebot-ws":
        return await simulate_onebot_ws(settings.onebot, base_url, text)
    if platform == "qq":
        parts = urlsplit(settings.qq.api_base)
        if parts.hostname not in ("127.0.0.1", "localhost", "::1") or not parts.port:
            raise ValueError(
                "模拟 QQ 需要把 qq.api_base 和 qq.token_url 指向本机端口,"
                "例如 http://127.0.0.1:18090 与 http://127.0.0.1:18090/app/getAppAccessToken"
            )
        async with LocalQQApi(parts.hostname, parts.port) as api:
            return await simulate_qq(settings.qq, base_url, text, api)
    raise ValueError(f"未知平台 {platform},可选: {', '.join(PLATFORMS)}")
