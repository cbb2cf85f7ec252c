"""Outbound HTTP for the platform clients: session, error mapping, retries, tokens, pacing.

`HttpClient.request_json` maps transport trouble to `PlatformAPIError`s (network errors,
timeouts, 5xx and 429 are retryable); a platform subclass maps its own error codes in
`check`. `HttpClient.retrying` runs one call with exponential backoff (`retry_delays`).
`BasePusher` adds the `Pusher` contract on top: one OutboundMessage becomes a list of steps
(one platform message each); a step that fails after the last retry ends the push with
`PushResult(ok=False, retryable=...)`, and a message already sent by this pusher (same
`idempotency_key`) is never sent again — a later push of a partly sent message resumes
after the steps that went out.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import aiohttp

from bot.platforms.base import LRU
from bot.platforms.errors import PlatformAPIError, RateLimited, TokenExpired, network_error
from handlers.events import OutboundMessage
from handlers.ports import Clock, PushResult

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[Any]]
Step = Callable[[], Awaitable[str | None]]

log = logging.getLogger("bot.platforms.outbound")

DEFAULT_RETRY_DELAYS: tuple[float, ...] = (1.0, 4.0, 15.0)
# A send the platform cannot deduplicate (group robot, OneBot, appchat) that times out may
# still have arrived; retrying it posts it twice. Such sends wait this many times longer
# before they count as failed.
UNSAFE_TIMEOUT_FACTOR = 3.0
MAX_RETRY_AFTER_S = 300.0  # a longer Retry-After ends the push (the scheduler retries later)


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """`Retry-After` as seconds: a number, or an HTTP date (RFC 9110); None if neither."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    import time
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class HttpClient:
    """An aiohttp session plus the platform's error conventions."""

    platform = "http"

    def __init__(
        self,
        *,
        session: aiohttp.ClientSession | None = None,
        timeout_s: float = 10.0,
        retry_delays: Sequence[float] = DEFAULT_RETRY_DELAYS,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._session = session
        self._owns_session = session is None
        self.timeout_s = timeout_s
        self.retry_delays = tuple(retry_delays)
        self.sleep = sleep

    @property
    def unsafe_timeout_s(self) -> float:
        """The timeout of a send the platform cannot deduplicate."""
        return self.timeout_s * UNSAFE_TIMEOUT_FACTOR

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
            self._owns_session = True
        return self._session

    async def start(self) -> None:
        _ = self.session

    async def close(self) -> None:
        if self._owns_session and self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def request_json(
        self, method: str, url: str, *, timeout_s: float | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """One HTTP call; the JSON object answered, or a `PlatformAPIError`. Pass
        `timeout_s=self.unsafe_timeout_s` for a send the platform cannot deduplicate."""
        timeout = aiohttp.ClientTimeout(total=timeout_s or self.timeout_s)
        try:
            async with self.session.request(method, url, timeout=timeout, **kwargs) as resp:
                status = resp.status
                raw = await resp.read()
                retry_after = retry_after_seconds(resp.headers.get("Retry-After"))
        except (TimeoutError, aiohttp.ClientError, OSError) as e:
            raise network_error(self.platform, e) from None
        try:
            body = json.loads(raw) if raw.strip() else {}
        except (ValueError, RecursionError):
            body = None
        if status == 429:
            raise RateLimited(self.platform, status, *self._codes(body), retry_after=retry_after)
        if status >= 500:
            raise PlatformAPIError(self.platform, status, *self._codes(body), retryable=True)
        if not isinstance(body, dict):
            raise PlatformAPIError(self.platform, status, None, "response is not a JSON object")
        return self.check(status, body)

    def _codes(self, body: Any) -> tuple[Any, str]:
        if isinstance(body, dict):
            return body.get("errcode", body.get("code")), str(
                body.get("errmsg", body.get("message", ""))
            )
        return None, ""

    def check(self, status: int, body: dict[str, Any]) -> dict[str, Any]:
        """Platform hook: raise for error answers, return the body otherwise."""
        if status >= 400:
            raise PlatformAPIError(self.platform, status, *self._codes(body))
        return body

    async def retrying(self, call: Callable[[], Awaitable[T]]) -> T:
        """`call()` with exponential backoff on retryable errors; the last error is raised."""
        delays = self.retry_delays
        for attempt in range(len(delays) + 1):
            try:
                return await call()
            except PlatformAPIError as e:
                if not e.retryable or attempt >= len(delays):
                    raise
                wait = delays[attempt]
                if e.retry_after is not None:  # the platform said how long: honour it
                    if e.retry_after > MAX_RETRY_AFTER_S:
                        raise
                    wait = max(wait, e.retry_after)
                log.info(
                    "%s call failed (%s), retry %d in %.3g s", self.platform, e, attempt + 1, wait
                )
                await self.sleep(wait)
        raise AssertionError("unreachable")


class TokenCache:
    """An access token fetched on demand and kept until `margin_s` before it expires."""

    def __init__(
        self,
        fetch: Callable[[], Awaitable[tuple[str, float]]],
        clock: Clock,
        margin_s: float = 60.0,
    ) -> None:
        self._fetch = fetch  # -> (token, lifetime in seconds)
        self._clock = clock
        self._margin = margin_s
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()
        self.fetches = 0

    async def get(self) -> str:
        async with self._lock:
            now = self._clock.now().timestamp()
            if self._token is None or now >= self._expires_at - self._margin:
                token, lifetime = await self._fetch()
                self.fetches += 1
                self._token = token
                self._expires_at = self._clock.now().timestamp() + lifetime
            return self._token

    def invalidate(self, token: str) -> None:
        if self._token == token:
            self._token = None

    async def call(self, fn: Callable[[str], Awaitable[T]]) -> T:
        """`fn(token)`; when the platform says the token expired: refresh once, retry once."""
        token = await self.get()
        try:
            return await fn(token)
        except TokenExpired:
            log.info("access token rejected, refreshing once")
            self.invalidate(token)
            return await fn(await self.get())


class SlidingWindowLimiter:
    """At most `limit` acquisitions per `window_s` per key; waits (clock + sleep) when full."""

    def __init__(
        self, limit: int, window_s: float, clock: Clock, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._sleep = sleep
        self._sent: defaultdict[str, deque[float]] = defaultdict(deque)
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def acquire(self, key: str) -> None:
        async with self._locks[key]:
            sent = self._sent[key]
            while True:
                now = self._clock.now().timestamp()
                while sent and now - sent[0] >= self.window_s:
                    sent.popleft()
                if len(sent) < self.limit:
                    sent.append(now)
                    return
                wait = self.window_s - (now - sent[0])
                log.info("pacing: waiting %.3g s before the next message", wait)
                await self._sleep(max(wait, 0.001))


class BasePusher:
    """`handlers.ports.Pusher` with in-memory idempotency and resumable multi-part sends."""

    name = "base"

    def __init__(self, client: HttpClient, *, remember: int = 10_000) -> None:
        self.client = client
        self._done: LRU[str, PushResult] = LRU(remember)
        self._progress: LRU[str, int] = LRU(remember)
        self._inflight: dict[str, asyncio.Future[PushResult]] = {}

    async def start(self) -> None:
        await self.client.start()

    async def close(self) -> None:
        await self.client.close()

    def plan(self, msg: OutboundMessage) -> list[Step]:
        """One step per platform message; raise ValueError for a message this pusher cannot send."""
        raise NotImplementedError

    async def push(self, msg: OutboundMessage) -> PushResult:
        key = msg.idempotency_key
        if key is None:
            return await self._push(msg, None)
        earlier = self._done.get(key)
        if earlier is not None:
            return earlier
        if key in self._inflight:  # the same message pushed concurrently: share the outcome
            return await asyncio.shield(self._inflight[key])
        fut: asyncio.Future[PushResult] = asyncio.get_running_loop().create_future()
        self._inflight[key] = fut
        try:
            result = await self._push(msg, key)
            fut.set_result(result)
            return result
        except BaseException as e:
            fut.set_exception(e)
            fut.exception()  # mark retrieved: nobody else may be waiting
            raise
        finally:
            del self._inflight[key]

    async def _push(self, msg: OutboundMessage, key: str | None) -> PushResult:
        try:
            steps = self.plan(msg)
        except ValueError as e:
            return PushResult(ok=False, error=str(e), retryable=False)
        first = (self._progress.get(key) or 0) if key else 0
        last_id: str | None = None
        for i in range(first, len(steps)):
            try:
                last_id = await self.client.retrying(steps[i])
            except PlatformAPIError as e:
                if key:
                    self._progress[key] = i
                log.warning(
                    "%s push to %s failed at part %d/%d: %s",
                    self.name,
                    msg.target.chat_type,
                    i + 1,
                    len(steps),
                    e,
                )
                return PushResult(ok=False, error=str(e), retryable=e.retryable)
            except Exception as e:
                log.exception("%s push failed unexpectedly at part %d", self.name, i + 1)
                if key:
                    self._progress[key] = i
                return PushResult(ok=False, error=f"internal error: {type(e).__name__}")
        result = PushResult(ok=True, platform_message_id=last_id)
        if key:
            self._progress.pop(key)
            self._done[key] = result
        return result
