"""WeCom's AI-bot long-connection endpoint (wss://openws.work.weixin.qq.com) on loopback.

Speaks the documented frames: the client subscribes with `aibot_subscribe` (bot_id +
secret, checked here), pings with `ping`, answers with `aibot_respond_msg` /
`aibot_respond_welcome_msg` on a callback's req_id and pushes with `aibot_send_msg`; every
one of them is acknowledged with `{"headers": {"req_id"}, "errcode": 0}`. The test pushes
`aibot_msg_callback` / `aibot_event_callback` frames, can drop the connection, refuse the
next connection attempts, and serve encrypted media (per-file aeskey, AES-256-CBC) over the
same TLS port. A second authenticated connection for the same bot replaces the first: the
old one gets a `disconnected_event` and is closed, as WeCom does.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import time
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from aiohttp import WSMsgType, web
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from tests.fakes.tls import TestPKI


@dataclass
class Conn:
    id: int
    ws: web.WebSocketResponse
    opened_at: float
    authed: bool = False
    closed: bool = False
    frames: list[dict[str, Any]] = field(default_factory=list)


def encrypt_media(plaintext: bytes, aeskey_b64: str) -> bytes:
    key = base64.b64decode(aeskey_b64 + "=" * (-len(aeskey_b64) % 4))
    pad = 32 - len(plaintext) % 32
    raw = plaintext + bytes([pad]) * pad
    enc = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return enc.update(raw) + enc.finalize()


class FakeWecomWs:
    def __init__(self, pki: TestPKI, bot_id: str = "BOT_ID_1", secret: str = "S3cret") -> None:
        self.pki, self.bot_id, self.secret = pki, bot_id, secret
        self.conns: list[Conn] = []
        self.attempts: list[float] = []  # monotonic time of every upgrade attempt
        self.refuse_next = 0  # answer the next N upgrade attempts with 503
        self.ack_errcode = 0
        self.answer_pings = True  # False: a dead link that still looks open
        self.media: dict[str, tuple[bytes, str]] = {}
        self._ids = count(1)
        self._req = count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._changed = asyncio.Event()

    # -- lifecycle --------------------------------------------------------------------
    async def start(self) -> FakeWecomWs:
        app = web.Application()
        app.router.add_get("/", self._ws)
        app.router.add_get("/media/{name}", self._media)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=self.pki.server_context())
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        for c in self.conns:
            if not c.closed:
                await c.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        return f"wss://127.0.0.1:{self.port}"

    # -- what the test sees ---------------------------------------------------------------
    @property
    def active(self) -> list[Conn]:
        return [c for c in self.conns if c.authed and not c.closed]

    def frames(self, cmd: str | None = None) -> list[dict[str, Any]]:
        return [f for c in self.conns for f in c.frames if cmd is None or f.get("cmd") == cmd]

    async def wait_for(self, predicate, timeout: float = 10.0) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError("fake WeCom long connection: condition not reached")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), 0.05)
            except TimeoutError:
                pass

    def _notify(self) -> None:
        self._changed.set()

    # -- what the test does ----------------------------------------------------------------
    async def push(self, cmd: str, body: dict[str, Any], conn: Conn | None = None) -> str:
        conn = conn or await self.wait_for(lambda: self.active and self.active[-1])
        req_id = f"req_{next(self._req)}_{os.urandom(4).hex()}"
        await conn.ws.send_str(
            json.dumps(
                {"cmd": cmd, "headers": {"req_id": req_id}, "body": body}, ensure_ascii=False
            )
        )
        return req_id

    async def message(self, body: dict[str, Any]) -> str:
        return await self.push("aibot_msg_callback", body)

    async def event(self, body: dict[str, Any]) -> str:
        return await self.push("aibot_event_callback", body)

    async def drop(self) -> None:
        """Cut the current connection (as a network failure would)."""
        for c in self.active:
            c.closed = True
            await c.ws.close(code=1011, message=b"dropped by test")
        self._notify()

    def add_media(self, content: bytes, filename: str) -> tuple[str, str]:
        """Serve `content` encrypted with a fresh aeskey; returns (url, aeskey)."""
        aeskey = base64.b64encode(os.urandom(32)).decode().rstrip("=")
        name = os.urandom(6).hex()
        self.media[name] = (encrypt_media(content, aeskey), filename)
        return f"https://127.0.0.1:{self.port}/media/{name}", aeskey

    def replies(self, req_id: str) -> list[dict[str, Any]]:
        return [
            f
            for f in self.frames()
            if f.get("cmd") in ("aibot_respond_msg", "aibot_respond_welcome_msg")
            and f.get("headers", {}).get("req_id") == req_id
        ]

    # -- server side ---------------------------------------------------------------------
    async def _media(self, request: web.Request) -> web.Response:
        item = self.media.get(request.match_info["name"])
        if item is None:
            return web.Response(status=404)
        data, filename = item
        from urllib.parse import quote

        return web.Response(
            body=data,
            headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
        )

    async def _ws(self, request: web.Request) -> web.StreamResponse:
        self.attempts.append(time.monotonic())
        self._notify()
        if self.refuse_next > 0:
            self.refuse_next -= 1
            return web.Response(status=503, text="busy")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        conn = Conn(next(self._ids), ws, time.monotonic())
        self.conns.append(conn)
        try:
            async for m in ws:
                if m.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(m.data)
                conn.frames.append(frame)
                self._notify()
                await self._answer(conn, frame)
        finally:
            conn.closed = True
            self._notify()
        return ws

    async def _answer(self, conn: Conn, frame: dict[str, Any]) -> None:
        cmd = frame.get("cmd")
        req_id = frame.get("headers", {}).get("req_id", "")
        if cmd == "aibot_subscribe":
            body = frame.get("body") or {}
            if body.get("bot_id") != self.bot_id or body.get("secret") != self.secret:
                await conn.ws.send_json(
                    {
                        "headers": {"req_id": req_id},
                        "errcode": 40001,
                        "errmsg": "invalid bot_id or secret",
                    }
                )
                await conn.ws.close()
                return
            for old in self.active:  # a newer connection replaces the older one
                await old.ws.send_json(
                    {
                        "cmd": "aibot_event_callback",
                        "headers": {"req_id": f"evt_{next(self._req)}"},
                        "body": {
                            "msgtype": "event",
                            "create_time": int(time.time()),
                            "event": {"eventtype": "disconnected_event"},
                        },
                    }
                )
                old.closed = True
                await old.ws.close()
            conn.authed = True
            await conn.ws.send_json({"headers": {"req_id": req_id}, "errcode": 0, "errmsg": "ok"})
        elif not conn.authed:
            await conn.ws.send_json(
                {"headers": {"req_id": req_id}, "errcode": 40001, "errmsg": "not subscribed"}
            )
        elif cmd == "ping" and not self.answer_pings:
            pass
        elif cmd in (
            "ping",
            "aibot_respond_msg",
            "aibot_respond_welcome_msg",
            "aibot_send_msg",
            "aibot_respond_update_msg",
        ):
            await conn.ws.send_json(
                {
                    "headers": {"req_id": req_id},
                    "errcode": self.ack_errcode,
                    "errmsg": "ok" if self.ack_errcode == 0 else "error",
                }
            )
        self._notify()
