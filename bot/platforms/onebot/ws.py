"""OneBot v11 reverse WebSocket: `GET /onebot/ws` (NapCat's "WebSocket客户端").

OneBot connects to us with `X-Self-ID`, `X-Client-Role` and, when an access token is
configured, `Authorization: Bearer <token>` (or `?access_token=`): missing → 401, wrong →
403, both before the upgrade. Events arrive as the same JSON as the HTTP POST (no signature,
no quick operation); answers go out as `send_group_msg` / `send_private_msg` action frames
with an `echo`, whose response frames are matched to waiting futures by that echo.

Without an access token every connection is refused (401), unless `allow_unsigned = true`
and the server listens on loopback only. One live connection per self id: a reconnect that
presents the token replaces (and closes) the old connection; without a token configured, a
second connection for a self id that is still connected is refused (409), so nobody can
take over the bot's socket by claiming its X-Self-ID.
Each message event is handled in a tracked task so the reader keeps reading responses.
An event redelivered on the socket reaches the sink again (it dedups) but is answered once.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from bot.config import OneBotSettings, ServerSettings
from bot.platforms.base import LRU, BaseAdapter, SinkFailed, dumps
from bot.platforms.errors import PlatformAPIError
from bot.platforms.onebot.evidence import OneBotEvidence, deliver_with_evidence
from bot.platforms.onebot.payloads import action_for, action_result, parse_event, render_reply
from bot.platforms.security import (
    AlreadyConnected,
    BadToken,
    Malformed,
    MissingToken,
    Rejected,
    UnsignedRefused,
    safe_equals,
)
from handlers.ports import Clock, MessageSink


@dataclass(eq=False)
class Connection:
    self_id: str
    role: str
    ws: web.WebSocketResponse
    pending: dict[str, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)
    last_heartbeat: datetime | None = None
    heartbeat_interval_ms: int | None = None

    @property
    def can_call(self) -> bool:
        return self.role != "event" and not self.ws.closed

    def fail_pending(self, reason: str) -> None:
        for fut in self.pending.values():
            if not fut.done():
                fut.set_exception(PlatformAPIError("onebot", None, None, reason, retryable=True))
        self.pending.clear()


class OneBotWsAdapter(BaseAdapter):
    platform = "onebot"
    route = "onebot"
    path = "/onebot/ws"
    evidence: OneBotEvidence | None = None  # set by the registry when evidence is collected

    def __init__(
        self,
        settings: OneBotSettings,
        sink: MessageSink,
        clock: Clock,
        server: ServerSettings | None = None,
        *,
        action_timeout_s: float = 10.0,
    ) -> None:
        super().__init__(sink, clock, server)
        self.settings = settings
        self.action_timeout_s = action_timeout_s
        self.connections: dict[str, Connection] = {}  # self id → the connection actions use
        self._all: set[Connection] = set()
        self._answered: LRU[tuple[str, str], bool] = LRU(10_000)
        self._echo = itertools.count(1)

    def routes(self) -> list[web.RouteDef]:
        return [web.get(self.path, self.guard(self.handle_ws))]

    # -- connection management -------------------------------------------------------------
    def check_token(self, request: web.Request) -> None:
        expected = self.settings.access_token
        if not expected:
            if self.settings.allow_unsigned and self.loopback_only:
                return
            raise UnsignedRefused("onebot.access_token is empty")
        auth = request.headers.get("Authorization", "")
        scheme, _, given = auth.partition(" ")
        if scheme.lower() not in ("bearer", "token") or not given:
            given = request.query.get("access_token", "")
        if not given:
            raise MissingToken("no access token")
        if not safe_equals(given.strip(), expected):
            raise BadToken("access token mismatch")

    async def handle_ws(self, request: web.Request) -> web.StreamResponse:
        self.check_token(request)
        self_id = request.headers.get("X-Self-ID", "").strip()
        if not self_id.isdigit():
            raise Malformed("X-Self-ID missing")
        role = request.headers.get("X-Client-Role", "Universal").strip().lower()
        live = self.connections.get(self_id)
        if not self.settings.access_token and live is not None and not live.ws.closed:
            raise AlreadyConnected(f"self id {self_id} already connected")
        # heartbeat: a half-open socket (OneBot restarted unseen) is closed within a minute, so
        # a tokenless reconnect is not refused for long.
        ws = web.WebSocketResponse(max_msg_size=self.max_body_bytes, autoping=True, heartbeat=30.0)
        if not ws.can_prepare(request).ok:
            raise Malformed("not a websocket upgrade")
        await ws.prepare(request)
        conn = Connection(self_id, role, ws)
        self._all.add(conn)
        if role != "event":
            old = self.connections.get(self_id)
            self.connections[self_id] = conn
            if old is not None:
                self.log.info("OneBot %s reconnected; closing the old connection", self_id)
                old.fail_pending("connection replaced")
                await old.ws.close(code=WSCloseCode.GOING_AWAY, message=b"replaced")
        self.log.info("OneBot %s connected (role %s)", self_id, role)
        try:
            async for frame in ws:
                if frame.type == WSMsgType.TEXT:
                    try:
                        self._on_frame(conn, frame.data)
                    except Exception as e:
                        self.log.warning(
                            "OneBot %s: frame dropped (%s)", conn.self_id, type(e).__name__
                        )
                elif frame.type == WSMsgType.ERROR:
                    break
        finally:
            self._all.discard(conn)
            if self.connections.get(self_id) is conn:
                del self.connections[self_id]
            conn.fail_pending("connection closed")
            self.log.info("OneBot %s disconnected", self_id)
        return ws

    def connection(self, self_id: str | None = None) -> Connection | None:
        """The live connection for `self_id`, or any single one when not given."""
        self_id = self_id or self.settings.self_id or None
        if self_id:
            conn = self.connections.get(self_id)
        else:
            conn = next((c for c in self.connections.values() if c.can_call), None)
        return conn if conn is not None and conn.can_call else None

    def connected(self, self_id: str | None = None) -> bool:
        return self.connection(self_id) is not None

    async def close(self) -> None:
        await super().close()
        for conn in list(self._all):
            conn.fail_pending("server shutting down")
            await conn.ws.close(code=WSCloseCode.GOING_AWAY, message=b"shutdown")

    # -- frames ----------------------------------------------------------------------------
    def _on_frame(self, conn: Connection, data: str) -> None:
        try:
            obj = json.loads(data)
        except (ValueError, RecursionError):
            self.log.warning("OneBot %s sent a frame that is not JSON", conn.self_id)
            return
        if not isinstance(obj, dict):
            return
        if "post_type" not in obj and "echo" in obj:
            fut = conn.pending.get(str(obj["echo"]))
            if fut is not None and not fut.done():
                fut.set_result(obj)
            return
        post_type = obj.get("post_type")
        if post_type == "meta_event":
            self._on_meta(conn, obj)
        elif post_type == "message":
            self.tasks.spawn(self._on_message(conn, obj), name=f"onebot-event-{conn.self_id}")

    def _on_meta(self, conn: Connection, obj: dict[str, Any]) -> None:
        kind = obj.get("meta_event_type")
        if kind == "heartbeat":
            conn.last_heartbeat = self.clock.now()
            interval = obj.get("interval")
            conn.heartbeat_interval_ms = interval if isinstance(interval, int) else None
        elif kind == "lifecycle":
            self.log.info("OneBot %s lifecycle: %s", conn.self_id, obj.get("sub_type"))

    async def _on_message(self, conn: Connection, event: dict[str, Any]) -> None:
        try:
            msg = parse_event(event, received_at=self.clock.now(), self_id=conn.self_id)
        except Rejected as e:
            self.log.warning("OneBot %s event rejected: %s", conn.self_id, e.code)
            return
        if msg is None:
            return
        try:
            reply = await deliver_with_evidence(self, event, msg)
        except SinkFailed:
            return
        if reply is None or not self._answered.add((conn.self_id, msg.message_id)):
            return
        action, params = action_for(msg.chat, render_reply(reply))
        try:
            await self.call_action(action, params, self_id=conn.self_id)
        except PlatformAPIError as e:
            self.log.warning("OneBot %s: %s failed: %s", conn.self_id, action, e)

    # -- actions ---------------------------------------------------------------------------
    async def call_action(
        self,
        action: str,
        params: dict[str, Any],
        *,
        self_id: str | None = None,
        timeout_s: float | None = None,
    ) -> dict[str, Any]:
        """Send an action frame and wait for its response (matched by echo)."""
        conn = self.connection(self_id)
        if conn is None:
            raise PlatformAPIError(
                "onebot", None, None, "no live OneBot connection", retryable=True
            )
        echo = f"{next(self._echo)}-{secrets.token_hex(4)}"
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        conn.pending[echo] = fut
        try:
            await conn.ws.send_str(dumps({"action": action, "params": params, "echo": echo}))
            resp = await asyncio.wait_for(fut, timeout_s or self.action_timeout_s)
        except TimeoutError:
            raise PlatformAPIError(
                "onebot", None, None, f"{action} timed out", retryable=True
            ) from None
        except (ConnectionError, RuntimeError) as e:
            raise PlatformAPIError(
                "onebot", None, None, f"send failed: {type(e).__name__}", retryable=True
            ) from None
        finally:
            conn.pending.pop(echo, None)
        return action_result(resp)
