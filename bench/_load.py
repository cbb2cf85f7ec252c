"""A small closed-loop HTTP load client for the benchmarks (aiohttp, loopback).

`run_load(requests, concurrency)` sends the prepared requests with `concurrency` workers,
each keeping one request in flight on its own keep-alive connection, and returns a
`LoadResult`: wall time from the first send to the last answer, every latency (send →
body read), the status counts, the exceptions, and every answer body (so the caller can
verify them *after* the clock stopped). Requests are built beforehand (signed, encrypted)
so the client spends as little CPU as possible while measuring.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import aiohttp


@dataclass(frozen=True)
class Request:
    url: str
    body: bytes
    headers: dict[str, str]
    params: dict[str, str] | None = None
    tag: Any = None  # anything the caller wants back with the answer (e.g. a text index)


@dataclass
class LoadResult:
    n: int
    elapsed: float
    latencies: list[float]
    statuses: Counter = field(default_factory=Counter)
    exceptions: Counter = field(default_factory=Counter)
    bodies: list[bytes | None] = field(default_factory=list)
    started: float = 0.0  # time.perf_counter() at the first send
    finished: float = 0.0
    load: tuple[float, float] = (float("nan"), float("nan"))  # set by callers: load average
    split: Any = None  # set by callers: where the machine's CPU went (bench.webhook.CpuSplit)

    @property
    def rps(self) -> float:
        return self.n / self.elapsed if self.elapsed > 0 else 0.0

    def pct(self, p: float) -> float:
        """Latency percentile in milliseconds (nearest rank)."""
        if not self.latencies:
            return math.nan
        xs = sorted(self.latencies)
        k = max(0, min(len(xs) - 1, math.ceil(p / 100 * len(xs)) - 1))
        return xs[k] * 1000

    def errors(self, ok: tuple[int, ...] = (200,)) -> int:
        return sum(c for s, c in self.statuses.items() if s not in ok) + sum(
            self.exceptions.values()
        )


async def run_load(
    requests: list[Request], concurrency: int = 50, timeout_s: float = 60.0
) -> LoadResult:
    n = len(requests)
    latencies: list[float] = [0.0] * n
    bodies: list[bytes | None] = [None] * n
    statuses: Counter = Counter()
    exceptions: Counter = Counter()
    next_i = 0
    connector = aiohttp.TCPConnector(
        limit=concurrency, limit_per_host=concurrency, ttl_dns_cache=None
    )
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, skip_auto_headers=("User-Agent",)
    ) as session:

        async def worker() -> None:
            nonlocal next_i
            while next_i < n:
                i = next_i
                next_i += 1
                rq = requests[i]
                t0 = time.perf_counter()
                try:
                    async with session.post(
                        rq.url, data=rq.body, headers=rq.headers, params=rq.params
                    ) as r:
                        body = await r.read()
                        status = r.status
                except Exception as e:
                    latencies[i] = time.perf_counter() - t0
                    exceptions[type(e).__name__] += 1
                    continue
                latencies[i] = time.perf_counter() - t0
                statuses[status] += 1
                bodies[i] = body

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(min(concurrency, n))))
        finished = time.perf_counter()
    return LoadResult(
        n=n,
        elapsed=finished - started,
        latencies=latencies,
        statuses=statuses,
        exceptions=exceptions,
        bodies=bodies,
        started=started,
        finished=finished,
    )


async def run_open_loop(
    requests: list[Request], rate: float, timeout_s: float = 60.0, max_connections: int = 1000
) -> LoadResult:
    """Open loop: request i is sent at start + i / rate whatever the answers do, as users
    send messages. Latency runs from the scheduled send time to the body read, so a server
    (or a client) that falls behind shows its queue in the percentiles instead of hiding it
    by slowing the senders down (coordinated omission)."""
    n = len(requests)
    latencies: list[float] = [0.0] * n
    bodies: list[bytes | None] = [None] * n
    statuses: Counter = Counter()
    exceptions: Counter = Counter()
    connector = aiohttp.TCPConnector(
        limit=max_connections, limit_per_host=max_connections, ttl_dns_cache=None
    )
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, skip_auto_headers=("User-Agent",)
    ) as session:

        async def one(i: int, due: float) -> None:
            rq = requests[i]
            try:
                async with session.post(
                    rq.url, data=rq.body, headers=rq.headers, params=rq.params
                ) as r:
                    body = await r.read()
                    status = r.status
            except Exception as e:
                latencies[i] = time.perf_counter() - due
                exceptions[type(e).__name__] += 1
                return
            latencies[i] = time.perf_counter() - due
            statuses[status] += 1
            bodies[i] = body

        tasks = []
        started = time.perf_counter()
        for i in range(n):
            due = started + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i, due)))
        await asyncio.gather(*tasks)
        finished = time.perf_counter()
    return LoadResult(
        n=n,
        elapsed=finished - started,
        latencies=latencies,
        statuses=statuses,
        exceptions=exceptions,
        bodies=bodies,
        started=started,
        finished=finished,
    )
