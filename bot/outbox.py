"""Sending the outbox: each `serve` process sends the rows it can reach now.

A row for a WeCom group reached over the long connection is sent only by the process that
holds the connection; group-robot rows (push_key) and OneBot rows by any process that can
push them. Rows are claimed before sending, so two processes never send one twice.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket

from sqlalchemy import Engine
from sqlmodel import Session

from bot.platforms.registry import RoutingPusher
from handlers.events import ChatRef, OutboundMessage
from handlers.ports import Clock, PushResult
from storage import outbox

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def _target(platform: str, chat_id: str, chat_type: str) -> ChatRef:
    return ChatRef(platform, chat_id, "private" if chat_type == "private" else "group")


class OutboxSender:
    def __init__(
        self, engine: Engine, pusher: RoutingPusher, clock: Clock, poll_s: float = 2.0
    ) -> None:
        self.engine = engine
        self.pusher = pusher
        self.clock = clock
        self.poll_s = poll_s
        self.owner = f"{socket.gethostname()}:{os.getpid()}"
        self._task: asyncio.Task | None = None
        self.sent = 0

    def can_send(self, msg: OutboundMessage) -> bool:
        name = self.pusher.pusher_for(msg)
        p = self.pusher.pushers.get(name)
        if p is None:
            return False
        online = getattr(p, "online", None)
        if online is not None:
            return bool(online)
        if name == "onebot":
            ws, settings = getattr(p, "ws", None), getattr(p, "settings", None)
            self_id = getattr(settings, "self_id", "") or None
            return bool(
                (ws is not None and ws.connected(self_id)) or getattr(settings, "api_url", "")
            )
        return name != "qq"  # QQ official bots cannot push

    async def handover(self, msg: OutboundMessage) -> PushResult:
        """A push this process cannot send now: queue it for the connection's holder."""

        def put() -> int:
            with Session(self.engine) as s:
                rid = outbox.enqueue(
                    s,
                    platform=msg.target.platform,
                    chat_id=msg.target.chat_id,
                    chat_type=msg.target.chat_type,
                    text=msg.text,
                    markdown=msg.markdown,
                    push_key=msg.push_key,
                    source="handover",
                    now=self.clock.now(),
                )
                s.commit()
                return rid

        rid = await asyncio.to_thread(put)
        return PushResult(ok=True, platform_message_id=f"outbox:{rid}")

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="outbox")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception as e:
                log.warning("outbox: %s", type(e).__name__)
            await asyncio.sleep(self.poll_s)

    async def run_once(self) -> int:
        def rows() -> list:
            with Session(self.engine, expire_on_commit=False) as s:
                return outbox.pending(s, ["wecom", "onebot", "qq"], self.clock.now())

        n = 0
        for row in await asyncio.to_thread(rows):
            msg = OutboundMessage(
                target=_target(row.platform, row.chat_id, row.chat_type),
                text=row.text,
                markdown=row.markdown,
                push_key=row.push_key,
                idempotency_key=f"outbox:{row.id}",
                extra={"from_outbox": True},
            )
            if not self.can_send(msg):
                continue

            def take(row_id: int = row.id) -> bool:
                with Session(self.engine) as s:
                    return outbox.claim(s, row_id, self.owner, self.clock.now())

            if not await asyncio.to_thread(take):
                continue
            result = await self.pusher.push(msg)
            give_up = not result.ok and (not result.retryable or row.attempts + 1 >= MAX_ATTEMPTS)

            def done(
                row_id: int = row.id, result: PushResult = result, give_up: bool = give_up
            ) -> None:
                with Session(self.engine) as s:
                    outbox.finish(
                        s,
                        row_id,
                        ok=result.ok,
                        error=result.error,
                        now=self.clock.now(),
                        give_up=give_up,
                    )

            await asyncio.to_thread(done)
            if result.ok:
                n += 1
                self.sent += 1
                log.info("outbox #%s sent to %s/%s", row.id, row.platform, row.chat_id)
            else:
                log.warning(
                    "outbox #%s to %s/%s failed: %s",
                    row.id,
                    row.platform,
                    row.chat_id,
                    result.error,
                )
        return n
