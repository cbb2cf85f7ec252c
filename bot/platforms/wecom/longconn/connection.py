"""The long connection itself, on Tencent's official SDK (`wecom-aibot-python-sdk`).

The SDK's `WSClient` does the framing: subscribe (bot_id + secret), the `ping` heartbeat
(a connection without two answers in a row is closed), one serial reply queue per req_id
that waits for WeCom's acknowledgement, `reply_stream`, `reply_welcome`, `send_message`,
event dispatch through pyee, and `decrypt_file`. Two things it does not do the way a
service needs, so they are done here and nowhere else:

* TLS: it always connects with certifi's bundle (module constant). `_Manager.connect` is
  the SDK's `connect` with our SSL context (certifi + the configured `ca_file`), so a bureau
  proxy's root or a test CA can be trusted.
* Reconnecting: the SDK reconnects from inside its own receive task, at most 10 times, and
  would reconnect after WeCom says a newer connection replaced this one. Here one
  supervisor task owns the connection's life: it connects only while holding the lease
  (one connection per bot across `serve` processes), backs off exponentially between
  attempts, resets the backoff after a good connection, gives the connection up when the
  lease is lost, and after `disconnected_event` logs and stops instead of fighting.

The SDK version is pinned (1.0.2): `_ws_manager` and `_setup_ws_events` are its internals.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Awaitable, Callable
from typing import Any

import certifi
import websockets
from aibot import WSClient, WSClientOptions, WsConnectionManager

from bot.config import WecomAibotSettings
from bot.platforms.services import Lease
from bot.platforms.wecom.longconn.payloads import Backoff

log = logging.getLogger("bot.platforms.wecom-ws")
Sleep = Callable[[float], Awaitable[Any]]


class LocalLease:
    """One process, no database: always held."""

    async def acquire(self) -> bool:
        return True

    async def held(self) -> bool:
        return True

    async def release(self) -> None:
        return None


def ssl_context(ca_file: str = "") -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=certifi.where())
    if ca_file:
        ctx.load_verify_locations(cafile=ca_file)
    return ctx


class _SdkLogger:
    """The SDK's logger interface (debug/info/warn/error with f-strings) → logging."""

    def __init__(self, logger: logging.Logger) -> None:
        self._log = logger

    def _emit(self, level: int, message: str, *args: Any) -> None:
        extra = " ".join(str(a) for a in args)
        self._log.log(level, "SDK: %s%s", message, f" {extra}" if extra else "")

    def debug(self, message: str, *args: Any) -> None:
        self._emit(logging.DEBUG, message, *args)

    def info(self, message: str, *args: Any) -> None:
        self._emit(logging.DEBUG, message, *args)  # the SDK is chatty; our own lines say it

    def warn(self, message: str, *args: Any) -> None:
        self._emit(logging.WARNING, message, *args)

    warning = warn

    def error(self, message: str, *args: Any) -> None:
        self._emit(logging.WARNING, message, *args)


class _Manager(WsConnectionManager):
    def __init__(self, *args: Any, ssl_ctx: ssl.SSLContext, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ssl = ssl_ctx

    async def connect(self) -> None:  # the SDK's connect, with our SSL context; raises
        self._is_manual_close = False
        await self._cleanup_ws()
        self._ws = await websockets.connect(
            self._ws_url,
            ssl=self._ssl,
            ping_interval=None,
            ping_timeout=None,
            close_timeout=5,
            open_timeout=15,
        )
        self._reconnect_attempts = 0
        self._missed_pong_count = 0
        if self.on_connected:
            self.on_connected()
        await self._send_auth()
        self._receive_task = asyncio.ensure_future(self._receive_loop())

    async def _schedule_reconnect(self) -> None:  # the supervisor reconnects
        return None

    @property
    def receive_task(self) -> asyncio.Task | None:
        return self._receive_task


FrameHandler = Callable[[dict[str, Any]], None]


class LongConnection:
    """Supervises one WSClient: lease, connect, authenticate, reconnect with backoff."""

    def __init__(
        self,
        settings: WecomAibotSettings,
        *,
        lease: Lease | None = None,
        on_message: FrameHandler,
        on_event: FrameHandler,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.settings = settings
        self.lease = lease or LocalLease()
        self.on_message = on_message
        self.on_event = on_event
        self.sleep = sleep
        self.backoff = Backoff(settings.reconnect_base_s, settings.reconnect_max_s)
        self.state = "idle"  # idle | standby | connecting | online | replaced | stopped
        self.client: WSClient | None = None
        self.connections = 0  # successful subscriptions so far
        self.last_error = ""
        self._ssl: ssl.SSLContext | None = None
        self._task: asyncio.Task | None = None
        self._stopping = False
        self._replaced = False
        self._online = asyncio.Event()

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="wecom-ws")

    async def stop(self) -> None:
        self._stopping = True
        self._close_client()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        await self.lease.release()
        self.state = "stopped"

    @property
    def online(self) -> bool:
        return self.state == "online" and self.client is not None and self.client.is_connected

    async def wait_online(self, timeout: float) -> bool:
        try:
            await asyncio.wait_for(self._online.wait(), timeout)
        except TimeoutError:
            return False
        return True

    def replaced(self) -> None:
        """WeCom says a newer connection replaced this one: log it and do not fight."""
        self._replaced = True
        log.error(
            "企业微信长连接被另一个连接取代(disconnected_event):同一个机器人在别处也连上了。"
            "本进程不再重连;请确认只有一处在运行此机器人,然后重启本服务。"
        )
        self._close_client()

    # -- the supervisor ---------------------------------------------------------------------
    async def _run(self) -> None:
        try:
            while not self._stopping:
                try:
                    holds = await self.lease.acquire()
                except Exception as e:
                    log.warning("long-connection lease: %s", type(e).__name__)
                    holds = False
                if not holds:
                    if self.state != "standby":
                        log.info("企业微信长连接由另一个进程持有,本进程待命")
                    self.state = "standby"
                    await self.sleep(self.settings.lease_poll_s)
                    continue
                good = await self._one_connection()
                if self._replaced:
                    self.state = "replaced"
                    return
                if self._stopping:
                    return
                if good:
                    self.backoff.reset()
                delay = self.backoff.next()
                log.warning(
                    "企业微信长连接断开(%s),%.0f 秒后重连", self.last_error or "连接关闭", delay
                )
                await self.sleep(delay)
        except asyncio.CancelledError:
            pass

    def tls(self) -> ssl.SSLContext:
        """certifi's roots plus `ca_file`, read when first needed (it may appear later)."""
        if self._ssl is None:
            self._ssl = ssl_context(self.settings.ca_file)
        return self._ssl

    async def _one_connection(self) -> bool:
        """Connect, subscribe and stay until the connection ends; True if it subscribed."""
        self.state = "connecting"
        s = self.settings
        try:
            tls = self.tls()
        except (OSError, ssl.SSLError) as e:
            self.last_error = f"ca_file: {type(e).__name__}"
            log.error(
                "无法读取 [wecom.aibot] ca_file 指定的证书文件 %s(%s)。请检查路径和文件内容(PEM 格式)。",
                s.ca_file,
                type(e).__name__,
            )
            return False
        client = WSClient(
            WSClientOptions(
                bot_id=s.bot_id,
                secret=s.secret,
                ws_url=s.ws_url,
                heartbeat_interval=int(s.heartbeat_s * 1000),
                max_reconnect_attempts=0,
                logger=_SdkLogger(log),
            )
        )
        manager = _Manager(
            client._logger,
            heartbeat_interval=int(s.heartbeat_s * 1000),
            max_reconnect_attempts=0,
            ws_url=s.ws_url,
            ssl_ctx=tls,
        )
        manager.set_credentials(s.bot_id, s.secret)
        client._ws_manager = manager
        client._setup_ws_events()
        authed = asyncio.Event()
        failed: list[str] = []
        client.on("authenticated", lambda: authed.set())
        client.on("error", lambda e: failed.append(str(e)))
        client.on("message", self.on_message)
        client.on("event", self.on_event)
        self.client = client
        client._started = True
        try:
            await manager.connect()
        except Exception as e:
            self.last_error = _describe(e)
            if isinstance(e, ssl.SSLCertVerificationError):
                log.error(
                    "企业微信长连接的 TLS 证书校验失败:%s。网络中有 HTTPS 检查代理时,"
                    "把它的根证书写到 [wecom.aibot] ca_file。",
                    e.verify_message,
                )
            self._close_client()
            return False
        receive = manager.receive_task
        assert receive is not None  # connect() started it
        waiter = asyncio.ensure_future(authed.wait())
        _done, _ = await asyncio.wait(
            {waiter, receive}, timeout=15, return_when=asyncio.FIRST_COMPLETED
        )
        waiter.cancel()
        if not authed.is_set():
            msg = failed[-1] if failed else "订阅超时"
            self.last_error = msg
            if "Authentication failed" in msg:
                log.error("企业微信长连接订阅失败:%s。请检查 [wecom.aibot] bot_id 和 secret。", msg)
            self._close_client()
            return False
        self.connections += 1
        self.state = "online"
        self._online.set()
        self.last_error = ""
        log.info("企业微信长连接已建立 (%s)", s.ws_url)
        watch = asyncio.ensure_future(self._watch_lease())
        try:
            await asyncio.wait({receive, watch}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            watch.cancel()
            self._online.clear()
            self._close_client()
        if not self.last_error:
            self.last_error = "连接关闭"
        return True

    async def _watch_lease(self) -> None:
        while True:
            await self.sleep(self.settings.lease_poll_s)
            try:
                ok = await self.lease.held()
            except Exception:
                ok = False
            if not ok:
                self.last_error = "失去长连接租约"
                log.warning("lost the long-connection lease; closing the connection")
                return

    def _close_client(self) -> None:
        c, self.client = self.client, None
        if c is not None:
            try:
                c.disconnect()
            except Exception:
                log.debug("closing the SDK client", exc_info=True)


def _describe(e: BaseException) -> str:
    text = str(e) or type(e).__name__
    return f"{type(e).__name__}: {text}"[:200]
