"""Slow and silent connections must not starve the server of file descriptors.

aiohttp closes a connection that sends no complete request within its keep-alive timeout
(the timer starts when the connection is made and is not pushed back by a trickle of
header bytes), so `server.idle_timeout_s` is both the header timeout and the keep-alive
timeout. The body timeout is in `BaseAdapter.read_body`.

A flood of idle connections still holds one descriptor each until that timeout: at the
usual limit of 1,024 descriptors, 1,100 silent connections would leave none for the next
legitimate request (accept() fails with EMFILE). `ConnectionCap` keeps the number of open
connections under a cap derived from the process's descriptor limit: when a new
connection would pass it, the oldest connection that is not handling a request is closed.
aiohttp has no such limit, hence this small hook on its `Server` (`connection_made` is its
documented-by-source bookkeeping call for every new connection).
"""

from __future__ import annotations

import asyncio
import logging
import resource
from typing import Any

from aiohttp import web

log = logging.getLogger(__name__)
RESERVED_FDS = 128  # database connections, log files, outbound sessions, the listener


def default_cap() -> int:
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 10_000
    return max(64, soft - RESERVED_FDS)


class ConnectionCap:
    def __init__(self, server: web.Server, cap: int) -> None:
        self.server = server
        self.cap = cap
        self.evicted = 0
        self._made = server.connection_made
        server.connection_made = self.connection_made  # type: ignore[method-assign]

    def connection_made(self, handler: Any, transport: asyncio.Transport) -> None:
        self._made(handler, transport)
        conns: dict[Any, asyncio.Transport] = self.server._connections
        live = [(h, t) for h, t in conns.items() if not t.is_closing()]
        excess = len(live) - self.cap
        if excess <= 0:
            return
        # Oldest first (dicts keep insertion order); never one in the middle of a request
        # (that includes every open WebSocket).
        for old, old_transport in live:
            if excess <= 0:
                break
            if old is handler or getattr(old, "_request_in_progress", False):
                continue
            old_transport.close()
            excess -= 1
            self.evicted += 1
        if excess > 0:  # every connection is busy: the newcomer waits its turn elsewhere
            transport.close()
            self.evicted += 1
        if self.evicted in (1, 100) or self.evicted % 1000 == 0:
            log.warning(
                "connection cap %d reached: %d idle connections closed so far",
                self.cap,
                self.evicted,
            )
