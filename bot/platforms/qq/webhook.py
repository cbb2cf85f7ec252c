"""QQ open-platform webhook: `POST /qq/webhook`.

- op 13 (URL validation): answered with ``{"plain_token", "signature"}``; see
  `bot.platforms.qq.signing` for when an unsigned op 13 is accepted.
- everything else must carry a valid `X-Signature-Ed25519` over
  `X-Signature-Timestamp` + raw body, the timestamp inside the window.
- op 0 GROUP_AT_MESSAGE_CREATE / C2C_MESSAGE_CREATE: the sink runs inside the request (so the
  message is stored before QQ gets its ack), then ``{"op":12,"d":0}`` is written, and only
  then the passive reply is posted by a tracked background task (`drain()` waits for it).
  A failing sink answers ``{"op":12,"d":1}`` so that QQ delivers again. One msg_id is
  answered at most once, however often QQ delivers it: per process by an LRU, and across
  serve processes by `claim_reply` (the pipeline marks the stored message as answered in
  the database; only the process whose mark took effect posts).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

import aiohttp
from aiohttp import web

from bot.config import QQSettings, ServerSettings
from bot.platforms.base import LRU, BaseAdapter, SinkFailed, json_response, parse_json_object
from bot.platforms.errors import PlatformAPIError
from bot.platforms.outbound import DEFAULT_RETRY_DELAYS, Sleep
from bot.platforms.qq.client import QQApiClient
from bot.platforms.qq.payloads import (
    ACK,
    NACK,
    OP_DISPATCH,
    OP_HEARTBEAT,
    OP_VALIDATION,
    parse_dispatch,
    render_reply_parts,
)
from bot.platforms.qq.signing import QQSignatureVerifier
from bot.platforms.security import Malformed, MissingSignature
from handlers.events import IncomingMessage, Reply
from handlers.ports import Clock, MessageSink


class QQWebhookAdapter(BaseAdapter):
    platform = "qq"
    route = "qq"
    path = "/qq/webhook"

    def __init__(
        self,
        settings: QQSettings,
        sink: MessageSink,
        clock: Clock,
        server: ServerSettings | None = None,
        *,
        session: aiohttp.ClientSession | None = None,
        retry_delays: Sequence[float] = DEFAULT_RETRY_DELAYS,
        sleep: Sleep = asyncio.sleep,
        timeout_s: float = 10.0,
        claim_reply: Callable[[IncomingMessage], Awaitable[bool]] | None = None,
    ) -> None:
        super().__init__(sink, clock, server)
        self.settings = settings
        self.claim_reply = claim_reply
        self.verifier = QQSignatureVerifier(settings.secret, clock, self.timestamp_window_s)
        self.api = QQApiClient(
            settings,
            clock,
            session=session,
            retry_delays=retry_delays,
            sleep=sleep,
            timeout_s=timeout_s,
        )
        self._answered: LRU[str, bool] = LRU(10_000)

    def routes(self) -> list[web.RouteDef]:
        return [web.post(self.path, self.guard(self.handle_post))]

    async def start(self) -> None:
        await self.api.start()

    async def close(self) -> None:
        await super().close()
        await self.api.close()

    async def handle_post(self, request: web.Request) -> web.StreamResponse:
        body = await self.read_body(request)
        if self.verifier.has_signature(request.headers):
            self.verifier.verify(request.headers, body)
            payload = parse_json_object(body)
        else:
            # Only URL validation may come unsigned; anything else is refused as such.
            try:
                payload = parse_json_object(body)
            except Malformed:
                raise MissingSignature("X-Signature-Ed25519 missing") from None
            if payload.get("op") != OP_VALIDATION:
                raise MissingSignature("X-Signature-Ed25519 missing")
        op = payload.get("op")
        d = payload.get("d")
        if op == OP_VALIDATION:
            d = d if isinstance(d, dict) else {}
            token = d.get("plain_token")
            signature = self.verifier.validation_signature(d.get("event_ts"), token)
            return json_response({"plain_token": token, "signature": signature})
        if op == OP_HEARTBEAT:
            return json_response({"op": 11, "d": d if isinstance(d, int) else 0})
        if op != OP_DISPATCH:
            return json_response(ACK)
        msg = parse_dispatch(
            payload.get("t"), d, received_at=self.clock.now(), app_id=self.settings.app_id
        )
        if msg is None:
            return json_response(ACK)
        try:
            reply = await self.deliver(msg)
        except SinkFailed:
            return json_response(NACK)
        response = json_response(ACK)
        if reply is not None and self._answered.add(msg.message_id):
            # The ack is written first; the reply is a separate API call after it.
            await response.prepare(request)
            await response.write_eof()
            self.tasks.spawn(self._send_reply(msg, reply), name=f"qq-reply-{msg.message_id[-8:]}")
        return response

    async def _send_reply(self, msg: IncomingMessage, reply: Reply) -> None:
        if self.claim_reply is not None:
            try:
                if not await self.claim_reply(msg):
                    self.log.info(
                        "QQ reply to %s already sent by another process", msg.message_id[-8:]
                    )
                    return
            except Exception as e:
                self.log.warning("QQ reply claim failed (%s); replying anyway", type(e).__name__)
        for seq, part in enumerate(render_reply_parts(reply), start=1):
            try:
                await self.api.send_passive(msg.chat, msg.message_id, part, seq)
            except PlatformAPIError as e:
                self.log.warning(
                    "QQ passive reply to %s failed at part %d: %s", msg.chat.chat_type, seq, e
                )
                return
