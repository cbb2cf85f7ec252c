"""Base of the fake platform servers: random loopback port, call log, failure injection."""

from __future__ import annotations

import asyncio
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

LATE = web.RequestKey("late_s", float)


@dataclass
class Call:
    endpoint: str
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    delivered: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


class FakeServer:
    """Subclasses add routes in `routes()`; handlers call `await self.intercept(endpoint, …)`
    first, which records the call and plays any failure queued with `fail()`."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._failures: defaultdict[str, deque[str]] = defaultdict(deque)
        self._release = asyncio.Event()
        self.server: TestServer | None = None

    def routes(self) -> list[web.RouteDef]:
        raise NotImplementedError

    async def start(self) -> FakeServer:
        app = web.Application(middlewares=[self._late])
        app.add_routes(self.routes())
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return self

    @web.middleware
    async def _late(self, request: web.Request, handler: Any) -> web.StreamResponse:
        response = await handler(request)
        if LATE in request:
            await asyncio.sleep(request[LATE])
        return response

    async def close(self) -> None:
        self._release.set()
        if self.server is not None:
            await self.server.close()

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/")

    def fail(self, endpoint: str, *kinds: str) -> None:
        """Queue failures for the next calls of `endpoint`: "500", "429", "429:<seconds>"
        (with Retry-After), "timeout", "slow:<seconds>" (answer late but deliver: a timeout
        the client sees for a message that arrived), or a platform error code understood by
        `error_response` (e.g. "45009")."""
        self._failures[endpoint].extend(kinds)

    def error_response(self, kind: str) -> web.Response:
        if kind == "429":
            return web.json_response({"errcode": 45009, "errmsg": "too many"}, status=429)
        if kind.startswith("429:"):
            return web.json_response(
                {"errcode": 45009, "errmsg": "too many"},
                status=429,
                headers={"Retry-After": kind[4:]},
            )
        return web.Response(status=int(kind), text="server error")

    async def intercept(
        self, endpoint: str, request: web.Request, body: Any
    ) -> web.Response | None:
        call = Call(
            endpoint, request.method, request.path, dict(request.query), dict(request.headers), body
        )
        self.calls.append(call)
        queue = self._failures.get(endpoint)
        if not queue:
            return None
        kind = queue.popleft()
        if kind.startswith("slow:"):
            # handled (and delivered) normally; the answer is held back by `_late` below
            call.extra["failure"] = kind
            request[LATE] = float(kind[5:])
            return None
        call.delivered = False
        call.extra["failure"] = kind
        if kind == "timeout":
            try:
                await asyncio.wait_for(self._release.wait(), 10)
            except TimeoutError:
                pass
            return web.Response(status=504)
        return self.error_response(kind)

    def delivered(self, endpoint: str | None = None) -> list[Call]:
        return [
            c for c in self.calls if c.delivered and (endpoint is None or c.endpoint == endpoint)
        ]

    def attempts(self, endpoint: str) -> list[Call]:
        return [c for c in self.calls if c.endpoint == endpoint]
