"""WeCom AI bot over the long connection: inbound messages, streamed replies, pushes.

No HTTP route: `start()` starts the supervised connection (see `connection.py`). A
message callback becomes an `IncomingMessage` for the same pipeline as every platform
(durable inbound row first, deduplicated by msgid); its reply goes back as a stream on the
callback's req_id: a short "正在处理" frame when the pipeline takes more than
`interim_after_s`, and the finished answer (markdown, people mentioned) within WeCom's
six-minute limit. Images and files (1:1 chats, and the pictures of a mixed message) are
downloaded, decrypted with their aeskey and handed to the evidence sink. `enter_chat` gets
a short welcome. `WecomWsPusher` pushes with `aibot_send_msg`; a process that does not hold
the connection hands the push to `fallback` (the outbox), so the holder sends it.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aibot import decrypt_file

from bot.config import EvidenceSettings, ServerSettings, WecomAibotSettings
from bot.platforms.base import LRU, BaseAdapter, SinkFailed
from bot.platforms.media import EvidenceIn, EvidenceSink, TooLarge, download
from bot.platforms.wecom.longconn.connection import Lease, LongConnection, Sleep
from bot.platforms.wecom.longconn.payloads import (
    ROUTE,
    WsInbound,
    event_type,
    parse_frame_body,
    render_push,
    render_reply,
    welcome_body,
)
from handlers.events import OutboundMessage
from handlers.ports import Clock, MessageSink, PushResult

MAX_WAIT_S = 5 * 60  # WeCom drops a stream not finished within 6 minutes of the message
PROCESSING = "正在处理…"


def stream_id_for(message_id: str) -> str:
    return "w" + hashlib.sha1(message_id.encode("utf-8")).hexdigest()[:24]


class WecomWsAdapter(BaseAdapter):
    platform = "wecom"
    route = ROUTE

    def __init__(
        self,
        settings: WecomAibotSettings,
        sink: MessageSink,
        clock: Clock,
        server: ServerSettings | None = None,
        *,
        lease: Lease | None = None,
        evidence: EvidenceSink | None = None,
        evidence_settings: EvidenceSettings | None = None,
        sleep: Sleep = asyncio.sleep,
        interim_after_s: float = 3.0,
    ) -> None:
        super().__init__(sink, clock, server)
        self.settings = settings
        self.evidence = evidence
        self.evidence_settings = evidence_settings or EvidenceSettings()
        self.interim_after_s = interim_after_s
        self.conn = LongConnection(
            settings, lease=lease, on_message=self._on_message, on_event=self._on_event, sleep=sleep
        )
        self._seen: LRU[str, bool] = LRU(5_000)  # req_ids in flight or answered
        self._session: aiohttp.ClientSession | None = None

    def routes(self) -> list:
        return []

    async def start(self) -> None:
        self.conn.start()

    async def close(self) -> None:
        await self.conn.stop()
        await super().close()
        if self._session is not None:
            await self._session.close()

    def status(self) -> dict[str, Any]:
        return {
            "state": self.conn.state,
            "connections": self.conn.connections,
            "last_error": self.conn.last_error,
        }

    # -- frames (called by pyee, synchronously) ------------------------------------------------
    def _on_message(self, frame: dict[str, Any]) -> None:
        req_id = str(frame.get("headers", {}).get("req_id", ""))
        if not req_id or not self._seen.add(req_id):
            return
        self.tasks.spawn(self._handle_message(frame), f"wecom-ws message {req_id[:16]}")

    def _on_event(self, frame: dict[str, Any]) -> None:
        body = frame.get("body") or {}
        kind = event_type(body)
        if kind == "disconnected_event":
            self.conn.replaced()
        elif kind == "enter_chat":
            self.tasks.spawn(self._welcome(frame), "wecom-ws welcome")
        else:
            self.log.debug("event %s ignored", kind or "(none)")

    # -- handling ------------------------------------------------------------------------
    async def _handle_message(self, frame: dict[str, Any]) -> None:
        parsed = parse_frame_body(
            frame.get("body"), bot_name=self.settings.bot_name, received_ts=int(time.time())
        )
        if parsed.kind == "ignored":
            self.log.info("wecom-ws message ignored: %s", parsed.reason)
            return
        sid = stream_id_for(parsed.message_id)
        work = asyncio.ensure_future(self._process(parsed))
        done, _ = await asyncio.wait({work}, timeout=self.interim_after_s)
        interim = not done
        if interim:
            await self._reply(frame, sid, PROCESSING, finish=False)
            done, _ = await asyncio.wait({work}, timeout=MAX_WAIT_S - self.interim_after_s)
        if not done:
            work.cancel()
            await self._reply(frame, sid, "处理超时,请稍后再试一次。", finish=True)
            return
        try:
            content = work.result()
        except SinkFailed:
            content = "服务暂时不可用,请稍后重试。"
        if content:
            await self._reply(frame, sid, content, finish=True)
        elif interim:  # a started stream must be finished, even with nothing to say
            await self._reply(frame, sid, "好的。", finish=True)

    async def _process(self, parsed: WsInbound) -> str:
        parts: list[str] = []
        if parsed.message is not None:
            reply = await self.deliver(parsed.message)
            if reply is not None:
                parts.append(render_reply(reply))
        if parsed.media:
            note = await self._evidence(parsed)
            if note:
                parts.append(note)
        return "\n\n".join(parts)

    async def _evidence(self, parsed: WsInbound) -> str | None:
        if self.evidence is None or not self.evidence_settings.enabled or parsed.chat is None:
            return None
        cap = self.evidence_settings.max_bytes
        items: list[EvidenceIn] = []
        skipped: list[str] = []
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        for i, m in enumerate(parsed.media, 1):
            try:
                data, name = await download(
                    self._session, m.url, cap + 64, ssl=self.conn.tls()
                )  # same trust as the connection
                if m.aeskey:
                    data = await asyncio.to_thread(decrypt_file, data, m.aeskey)
                if len(data) > cap:
                    raise TooLarge(len(data))
            except TooLarge:
                skipped.append(f"第{i}个文件超过 {cap // (1024 * 1024)} MB")
                continue
            except Exception as e:
                self.log.warning("evidence download failed: %s", type(e).__name__)
                skipped.append(f"第{i}个文件下载失败")
                continue
            ext = ".jpg" if m.kind == "image" else ""
            items.append(
                EvidenceIn(
                    platform="wecom",
                    route=ROUTE,
                    chat=parsed.chat,
                    sender_id=parsed.sender_id,
                    message_id=parsed.message_id,
                    sent_at=parsed.sent_at or self.clock.now(),
                    filename=m.filename or name or f"{m.kind}{i}{ext}",
                    content=data,
                    kind=m.kind,
                    quoted_record_id=parsed.quoted_record_id,
                )
            )
        note = await self.evidence(items) if items else None
        if skipped:
            note = ((note + "\n") if note else "") + "未保存:" + ";".join(skipped) + "。"
        return note

    async def _reply(
        self, frame: dict[str, Any], stream_id: str, content: str, *, finish: bool
    ) -> None:
        client = self.conn.client
        if client is None:
            self.log.warning("reply lost: the long connection is down")
            return
        try:
            await client.reply_stream(frame, stream_id, content, finish=finish)
        except Exception as e:
            self.log.warning("stream reply failed: %s", e)

    async def _welcome(self, frame: dict[str, Any]) -> None:
        client = self.conn.client
        if client is None:
            return
        try:
            await client.reply_welcome(frame, welcome_body())
        except Exception as e:
            self.log.warning("welcome reply failed: %s", e)


class WecomWsPusher:
    """`aibot_send_msg` through the connection this process holds; otherwise `fallback`."""

    name = "wecom-ws"

    def __init__(
        self,
        adapter: WecomWsAdapter,
        fallback: Callable[[OutboundMessage], Awaitable[PushResult]] | None = None,
    ) -> None:
        self.adapter = adapter
        self.fallback = fallback
        self._done: LRU[str, PushResult] = LRU(10_000)

    @property
    def online(self) -> bool:
        return self.adapter.conn.online

    async def push(self, msg: OutboundMessage) -> PushResult:
        key = msg.idempotency_key
        if key and key in self._done:
            return self._done.get(key)  # type: ignore[return-value]
        client = self.adapter.conn.client if self.online else None
        if client is None:
            if self.fallback is not None and not msg.extra.get("from_outbox"):
                return await self.fallback(msg)
            return PushResult(ok=False, error="企业微信长连接未建立", retryable=True)
        last = None
        for body in render_push(msg):
            try:
                ack = await client.send_message(msg.target.chat_id, body)
            except Exception as e:
                return PushResult(ok=False, error=f"aibot_send_msg: {e}"[:300], retryable=True)
            last = str(ack.get("headers", {}).get("req_id", "")) or None
        result = PushResult(ok=True, platform_message_id=last)
        if key:
            self._done[key] = result
        return result
