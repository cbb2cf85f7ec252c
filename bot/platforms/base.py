"""What every inbound adapter shares: body-size guard, error responses, sink call, tasks.

An adapter subclasses `BaseAdapter`, implements `routes()` and wraps each handler with
`self.guard`, which turns every exception into a uniform JSON error response, so that no
input produces a 500: `Rejected` subclasses carry their status (400/401/403/413), anything
unexpected while reading a request is answered as malformed (400), and a failing sink is a
503 (the message was not stored; WeCom and QQ retry non-2xx deliveries).

Logs are WARNING lines naming the route, the reason code and the peer, never a body, a
query string, a token, a key or a signature.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime, tzinfo
from typing import Any, Generic, TypeVar

from aiohttp import web

from bot.config import ServerSettings
from bot.platforms.security import BodyTimeout, Malformed, PayloadTooLarge, Rejected, is_loopback
from handlers.events import Attachment, IncomingMessage, Mention, Reply
from handlers.ports import Clock, MessageSink

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
K = TypeVar("K")
V = TypeVar("V")


class SinkFailed(Exception):
    """The server's pipeline raised; the delivery was not stored."""


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def json_response(data: Any, status: int = 200) -> web.Response:
    return web.Response(text=dumps(data), status=status, content_type="application/json")


def error_response(status: int, code: str, message: str) -> web.Response:
    return json_response({"error": code, "message": message}, status=status)


def parse_json_object(body: bytes) -> dict[str, Any]:
    """The body as a JSON object, or `Malformed`."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise Malformed("body is not JSON") from None
    if not isinstance(data, dict):
        raise Malformed("body is not a JSON object")
    return data


class LRU(Generic[K, V]):
    """A small bounded mapping: the oldest entries go first. Used for in-process dedup."""

    def __init__(self, maxlen: int = 10_000) -> None:
        self.maxlen = maxlen
        self._data: OrderedDict[K, V] = OrderedDict()

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: K, default: V | None = None) -> V | None:
        return self._data.get(key, default)

    def __setitem__(self, key: K, value: V) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self.maxlen:
            self._data.popitem(last=False)

    def pop(self, key: K, default: V | None = None) -> V | None:
        return self._data.pop(key, default)

    def add(self, key: K) -> bool:
        """Remember `key`; False when it was already there (the caller should skip the work)."""
        if key in self._data:
            return False
        self[key] = True  # type: ignore[assignment]
        return True


class TaskGroup:
    """Background tasks that shutdown waits for (replies sent after the HTTP answer)."""

    def __init__(self, log: logging.Logger) -> None:
        self._tasks: set[asyncio.Task] = set()
        self._log = log

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self._log.error(
                "background task %s failed: %s", task.get_name(), type(task.exception()).__name__
            )

    def __len__(self) -> int:
        return len(self._tasks)

    async def drain(self, timeout: float | None = None) -> None:
        """Wait for the running tasks (and those they start); cancel what is left at `timeout`."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while self._tasks:
            remaining = None if deadline is None else max(0.0, deadline - loop.time())
            done, pending = await asyncio.wait(set(self._tasks), timeout=remaining)
            if pending and deadline is not None and loop.time() >= deadline:
                for t in pending:
                    t.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
                return


class BaseAdapter:
    """Common part of the inbound adapters (see module docstring)."""

    platform: str = ""
    route: str = ""  # IncomingMessage.route and the logger suffix

    def __init__(
        self, sink: MessageSink, clock: Clock, server: ServerSettings | None = None
    ) -> None:
        server = server or ServerSettings()
        self.sink = sink
        self.clock = clock
        self.max_body_bytes = server.max_body_bytes
        self.timestamp_window_s = server.timestamp_window_s
        self.loopback_only = is_loopback(server.host)
        self.body_timeout_s = server.body_timeout_s
        self.log = logging.getLogger(f"bot.platforms.{self.route or type(self).__name__}")
        self.tasks = TaskGroup(self.log)

    # -- wiring -------------------------------------------------------------------------
    def routes(self) -> list[web.RouteDef]:
        raise NotImplementedError

    def add_routes(self, app: web.Application) -> None:
        app.add_routes(self.routes())

    async def start(self) -> None:
        """Open client sessions and the like; adapters without any need nothing here."""

    async def drain(self, timeout: float | None = None) -> None:
        await self.tasks.drain(timeout)

    async def close(self) -> None:
        await self.drain(timeout=5.0)

    # -- request helpers -----------------------------------------------------------------
    async def read_body(self, request: web.Request) -> bytes:
        """Read the body incrementally, refusing more than `max_body_bytes` (Content-Length
        is checked first but not trusted: chunked or lying clients are cut off while reading)."""
        limit = self.max_body_bytes
        if request.content_length is not None and request.content_length > limit:
            raise PayloadTooLarge(f"content-length {request.content_length}")
        buf = bytearray()
        try:
            async with asyncio.timeout(self.body_timeout_s):  # a slow body holds a worker
                async for chunk in request.content.iter_any():
                    buf += chunk
                    if len(buf) > limit:
                        raise PayloadTooLarge("body over limit while reading")
        except TimeoutError:
            raise BodyTimeout(f"body not complete after {self.body_timeout_s}s") from None
        return bytes(buf)

    def guard(self, handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(request: web.Request) -> web.StreamResponse:
            try:
                return await handler(request)
            except Rejected as e:
                self.log.warning(
                    "%s %s rejected: %s %s%s (peer %s)",
                    request.method,
                    request.path,
                    e.status,
                    e.code,
                    f" [{e.detail}]" if e.detail else "",
                    request.remote,
                )
                return error_response(e.status, e.code, e.message)
            except SinkFailed:
                return error_response(503, "unavailable", "服务暂时不可用,请稍后重试")
            except (asyncio.CancelledError, web.HTTPException):
                raise
            except Exception as e:
                self.log.warning(
                    "%s %s rejected: unreadable request (%s) (peer %s)",
                    request.method,
                    request.path,
                    type(e).__name__,
                    request.remote,
                )
                self.log.debug("unreadable request", exc_info=True)
                return error_response(400, "malformed", Malformed.message)

        return guarded

    async def deliver(self, msg: IncomingMessage) -> Reply | None:
        """Hand a verified message to the sink; None when there is nothing to send."""
        try:
            reply = await self.sink(msg)
        except asyncio.CancelledError:
            raise
        except Exception as e:
            self.log.error(
                "sink failed for %s message %s: %s", self.route, msg.message_id, type(e).__name__
            )
            raise SinkFailed from e
        if reply is None or reply.quiet or not has_content(reply):
            return None
        return reply


def safe_timestamp(ts: object, fallback: datetime, tz: tzinfo) -> tuple[datetime, bool]:
    """A Unix timestamp as a datetime; (fallback, False) when it is not one or out of range
    (a millisecond value, year 10000): a signed message is stored, never refused for it."""
    if isinstance(ts, bool) or not isinstance(ts, int | float) or ts <= 0:
        return fallback, False
    try:
        return datetime.fromtimestamp(ts, tz), True
    except (OverflowError, OSError, ValueError):
        return fallback, False


def has_content(reply: Reply) -> bool:
    return bool(
        reply.text.strip() or (reply.markdown or "").strip() or reply.link or reply.attachment
    )


def mention_prefix(mentions: tuple[Mention, ...]) -> str:
    """Plain "@name " prefix for platforms that cannot mention by id in this kind of message."""
    names = [f"@{m.name}" for m in mentions if m.name]
    return (" ".join(names) + " ") if names else ""


def file_note(attachment: Attachment | None) -> str:
    return f"(文件 {attachment.filename} 无法在此发送)" if attachment is not None else ""


def link_text(reply: Reply, *, markdown: bool = False, body: str = "") -> str:
    """The reply's download link as a line ("" without one, or, in plain text, when `body`
    already shows it: a markdown link is added even then, since it is the clickable one)."""
    if not reply.link or (not markdown and reply.link in body):
        return ""
    label = reply.attachment.filename if reply.attachment else "下载链接"
    return f"[{label}]({reply.link})" if markdown else f"{label}: {reply.link}"


def with_link(body: str, reply: Reply, *, markdown: bool = False) -> str:
    """`body`, then the download link or, for a file without one, a note that it cannot be sent."""
    extra = link_text(reply, markdown=markdown, body=body) or file_note(reply.attachment)
    return f"{body}\n{extra}" if body and extra else body or extra
