"""Composition root: builds every part from the settings and wires them together.

Nothing else constructs adapters, pushers, the pipeline or the scheduler. The aiohttp
application holds the routes of every enabled adapter plus /healthz and /download/{token};
startup opens client sessions and starts the scheduler; shutdown drains background
tasks (replies sent after the HTTP answer) and waits for running reminder jobs.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.config import Settings
from bot.files import DataDirFiles
from bot.outbox import OutboxSender
from bot.pipeline import Pipeline
from bot.platforms.registry import build_platforms
from bot.platforms.services import Services
from handlers.commands import build_router
from handlers.events import ChatRef, IncomingMessage, OutboundMessage, Reply
from handlers.messages import MessageHandler, ParserCache
from handlers.ports import Clock, SystemClock
from storage.db import current_revision, head_revision, make_engine, ping, upgrade, upgrade_in_child
from storage.models import ChatGroup

log = logging.getLogger(__name__)
BOT_KEY: web.AppKey[BotApp] = web.AppKey("bot")


_OFFICE_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(init=False)
class BotApp:
    settings: Settings
    clock: Clock
    engine: Engine
    with_scheduler: bool

    def __init__(
        self,
        settings: Settings,
        clock: Clock | None = None,
        engine: Engine | None = None,
        with_scheduler: bool = True,
    ) -> None:
        # The engine is made from the settings unless one is given: never None after this.
        s = self.settings = settings
        self.clock = clock if clock is not None else SystemClock()
        self.engine = (
            engine
            if engine is not None
            else make_engine(
                s.database.url,
                busy_timeout_ms=s.database.busy_timeout_ms,
                echo=s.database.echo,
                pool_size=s.database.pool_size,
                sqlite_synchronous=s.database.sqlite_synchronous,
            )
        )
        self.with_scheduler = with_scheduler
        self.router = build_router()
        self.parsers = ParserCache(cache_dir=s.data_path / "cache")
        self.handler = MessageHandler(self.router, self.parsers)
        self.platforms = build_platforms(
            s,
            self.sink,
            self.clock,
            claim_reply=self.claim_reply,
            services=self._platform_services(),
        )
        self.pusher = self.platforms.pusher
        self.outbox = OutboxSender(self.engine, self.pusher, self.clock)
        self.scheduler = self._build_scheduler() if self.with_scheduler else None
        self.targets = config_targets(s)
        self.pipeline = Pipeline(
            self.engine,
            s,
            self.handler,
            self.clock,
            reminders=self.scheduler,
            targets=self.targets,
            files=DataDirFiles(s.data_path),
        )
        self.pipeline.can_reach_privately = self.can_reach_privately
        self._tasks: set[asyncio.Task] = set()
        self._housekeeper: asyncio.Task | None = None
        self.bound_port: int | None = None
        # The dashboard shows a record's evidence files through this when they are stored:
        # (session, record ids) -> {record id: [files with .name and .url]}.
        self.evidence_files = None

    # -- construction ------------------------------------------------------------------
    def _build_scheduler(self):
        from handlers.digest import digest_text
        from scheduler.runner import ReminderScheduler

        def digest(alliance_id: int, now):
            with Session(self.engine) as session:
                return digest_text(session, alliance_id, now, self.settings, self.targets)

        return ReminderScheduler(
            self.engine,
            self.settings,
            self.pusher,
            self.clock,
            digest_text=digest,
            config_meetings=config_meetings(self.settings),
        )

    def _platform_services(self) -> Services:
        """Long-connection leases, the evidence sink and the outbox handover."""
        from bot.evidence import EvidenceCollector
        from storage.lease import make_lease

        s = self.settings
        return Services(
            lease_for=lambda name: make_lease(self.engine, name, s.data_path),
            evidence=EvidenceCollector(self.engine, s, self.clock),
            handover=lambda msg: self.outbox.handover(msg),
        )

    # -- the sink adapters call --------------------------------------------------------
    async def sink(self, msg: IncomingMessage) -> Reply | None:
        reply = await self.pipeline(msg)
        if reply is not None and reply.private is not None:
            self._spawn(self._push_private(msg, reply.private))
        if reply is not None and reply.attachment is not None:
            self._spawn(self._push_file(msg, reply))
        return reply

    def can_reach_privately(self, platform: str) -> bool:
        """Whether a private message to a sender of `platform` can be pushed: OneBot with a
        live connection or an HTTP API, WeCom through the self-built app; never QQ."""
        if platform == "onebot":
            pusher = self.platforms.pushers.get("onebot")
            ws = getattr(pusher, "ws", None)
            return pusher is not None and (
                bool(self.settings.onebot.api_url) or (ws is not None and ws.connected())
            )
        if platform == "wecom":
            return "wecom-app" in self.platforms.pushers
        return False

    async def _push_private(self, msg: IncomingMessage, private: Reply) -> None:
        """The part of an answer for the sender alone (the ledger): to their private chat."""
        result = await self.pusher.push(
            OutboundMessage(
                target=ChatRef(msg.chat.platform, msg.sender_id, "private"),
                text=with_link_text(private),
                attachment=private.attachment,
                idempotency_key=f"private:{msg.platform}:{msg.bot_id}:{msg.message_id}",
            )
        )
        if not result.ok:
            log.warning("private push to the sender of %s failed: %s", msg.message_id, result.error)

    async def claim_reply(self, msg: IncomingMessage) -> bool:
        return await self.pipeline.claim_reply(msg)

    async def _push_file(self, msg: IncomingMessage, reply: Reply) -> None:
        """Files go out where the platform can take them: a WeCom group robot."""
        attachment = reply.attachment
        if attachment is None:  # sink() spawns this only for a reply with a file
            return

        def group_key() -> str | None:
            with Session(self.engine) as s:
                g = s.exec(
                    select(ChatGroup).where(
                        ChatGroup.platform == msg.platform, ChatGroup.chat_id == msg.chat.chat_id
                    )
                ).first()
                return g.webhook_key if g else None

        key = await asyncio.to_thread(group_key)
        if msg.platform != "wecom" or not key:
            return
        result = await self.pusher.push(
            OutboundMessage(
                target=msg.chat,
                text=attachment.filename,
                attachment=attachment,
                push_key=key,
                idempotency_key=f"file:{msg.platform}:{msg.message_id}",
            )
        )
        if not result.ok:
            log.warning("sending export file to %s failed: %s", msg.chat.chat_id, result.error)

    def _spawn(self, coro) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- HTTP ----------------------------------------------------------------------------
    async def healthz(self, request: web.Request) -> web.Response:
        db_ok = await asyncio.to_thread(ping, self.engine)
        rev = await asyncio.to_thread(current_revision, self.engine) if db_ok else None
        body = {
            "status": "ok" if db_ok else "degraded",
            "database": {
                "reachable": db_ok,
                "revision": rev,
                "head": head_revision(),
                "backend": self.engine.dialect.name,
            },
            "scheduler": {"running": bool(self.scheduler and self.scheduler.running)},
            "platforms": self.settings.platform_summary(),
            # routes without a secret/token: "accepted" (allow_unsigned, loopback) or "refused"
            "unsigned": self.settings.unsigned_routes(),
        }
        if self.settings.wecom.aibot.websocket:
            # Imported only when configured: the long connection's SDK (aibot, websockets)
            # costs a serving process that does not use it a few MB.
            from bot.platforms.wecom.longconn.adapter import WecomWsAdapter

            ws = self.platforms.adapter(WecomWsAdapter)
            if ws is not None:
                body["wecom_ws"] = ws.status()
        return web.json_response(
            body, status=200 if db_ok else 503, dumps=lambda o: json.dumps(o, ensure_ascii=False)
        )

    async def download(self, request: web.Request) -> web.StreamResponse:
        """A one-time link. HEAD and partial (Range) requests — link previewers make them —
        never use the link up: HEAD answers the headers, a partial request gets 416."""
        import mimetypes
        from urllib.parse import quote

        from storage.downloads import check_link

        def text(status: int, body: str) -> web.Response:
            return web.Response(
                status=status, text=body, content_type="text/plain", charset="utf-8"
            )

        rng = request.headers.get("Range", "").replace(" ", "").lower()
        partial = bool(rng) and rng != "bytes=0-"  # "bytes=0-" asks for the whole file
        use = request.method == "GET" and not partial
        result = await asyncio.to_thread(
            check_link,
            self.engine,
            request.match_info["token"],
            self.clock.now(),
            self.settings.data_path,
            use=use,
        )
        if isinstance(result, str):
            return text(404 if "链接无效" in result else 410, result)
        if not result.path.exists():
            return text(410, "文件已被清理,请重新发送 /导出。")
        # Python's table lacks the Office types where the system has no /etc/mime.types
        mime = _OFFICE_TYPES.get(result.filename.rsplit(".", 1)[-1].lower()) or (
            mimetypes.guess_type(result.filename)[0] or "application/octet-stream"
        )
        headers = {
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(result.filename)}",
            "Content-Type": mime,
        }
        if partial:
            return text(416, "请直接打开链接下载完整文件(链接仍然有效)。")
        if request.method == "HEAD":
            return web.Response(
                status=200, headers={**headers, "Content-Length": str(result.path.stat().st_size)}
            )
        return web.FileResponse(result.path, headers=headers)

    async def cleanup_downloads(self) -> tuple[int, int]:
        from storage.downloads import cleanup_downloads

        return await asyncio.to_thread(
            cleanup_downloads, self.engine, self.clock.now(), self.settings.data_path
        )

    async def _housekeeping(self) -> None:
        """Hourly: delete expired and used download links and their exported files."""
        while True:
            try:
                await self.cleanup_downloads()
            except Exception:
                log.exception("download cleanup failed")
            await asyncio.sleep(3600)

    def web_app(self) -> web.Application:
        app = web.Application(client_max_size=self.settings.server.max_body_bytes)
        self.platforms.add_routes(app)
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/download/{token}", self.download)
        from bot.web import add_dashboard_routes

        add_dashboard_routes(app, self)  # the dashboard itself loads on the first page
        app.on_startup.append(self._on_startup)
        app.on_shutdown.append(self._on_shutdown)
        app[BOT_KEY] = self
        return app

    def warm_parser(self) -> None:
        """Build the parser (jieba dictionary, gazetteer) before the first message needs it."""
        from storage.db import reader

        with Session(reader(self.engine)) as s:
            self.parsers.get(s)

    async def _on_startup(self, _app: web.Application) -> None:
        # Messages are handled in worker threads (sessions are synchronous). A few threads
        # keep the database busy; more only contend for the GIL (and, on SQLite, for the one
        # write lock).
        from concurrent.futures import ThreadPoolExecutor

        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(self.settings.server.threads, thread_name_prefix="pipeline")
        )
        log_unsigned(self.settings)
        await asyncio.to_thread(self.warm_parser)
        release_startup_memory()
        await self.platforms.start()
        self._housekeeper = asyncio.get_running_loop().create_task(self._housekeeping())
        self.outbox.start()
        if self.scheduler is not None and self.settings.reminders.enabled:
            # In the background: the first run sends what came due while the bot was down,
            # and a slow push must not keep the server from listening for messages.
            self._spawn(self.scheduler.start())

    async def _on_shutdown(self, _app: web.Application) -> None:
        await self.outbox.stop()
        await self.platforms.drain(timeout=10)
        if self._housekeeper is not None:
            self._housekeeper.cancel()
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=10)
        if self.scheduler is not None:
            await self.scheduler.shutdown()
        await asyncio.to_thread(self.pipeline.close)  # the queued writes commit first
        await self.platforms.close()


def with_link_text(reply: Reply) -> str:
    return (
        f"{reply.text}\n{reply.link}" if reply.link and reply.link not in reply.text else reply.text
    )


def log_unsigned(settings: Settings) -> None:
    """Say at start which platforms take unsigned traffic and which refuse it."""
    for route, verdict in settings.unsigned_routes().items():
        what = "secret" if route == "onebot" else "access_token"
        if verdict == "accepted":
            log.warning(
                "%s: no %s configured; accepting UNSIGNED traffic (allow_unsigned, "
                "listening on loopback only)",
                route,
                what,
            )
        else:
            log.warning(
                "%s: no %s configured; refusing all its traffic (set [onebot] %s, or "
                "allow_unsigned = true on a loopback-only server for local tests)",
                route,
                what,
                what,
            )


def release_startup_memory() -> None:
    """Hand the garbage of start-up (imports, building the parser) back to the system.

    glibc keeps freed heap pages; malloc_trim returns them. A serving process then starts
    near its working set instead of its start-up peak. Harmless where there is no glibc."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def config_targets(settings: Settings) -> list | None:
    """[[targets]] from the configured roster file, else from the configuration; validated
    at start so a bad rule stops start-up with the entry and field named."""
    from handlers.targets import parse_targets

    raw, source = list(settings.targets), "配置 [[targets]]"
    if settings.roster:
        from storage.roster import load_roster

        roster_targets = list(load_roster(settings.roster).targets)
        if roster_targets:
            raw, source = roster_targets, settings.roster
    if not raw:
        return None
    try:
        return parse_targets(raw, source)
    except ValueError as e:
        from bot.config import ConfigError

        raise ConfigError(f"配置错误: {e}") from None


def config_meetings(settings: Settings) -> list[dict]:
    """[[meetings]] from the configuration and from the configured roster file."""
    entries = list(settings.meetings)
    if settings.roster:
        from storage.roster import load_roster

        entries += list(load_roster(settings.roster).meetings)
    return entries


def prepare_database(
    settings: Settings, engine: Engine | None = None, *, migrate_in_child: bool = False
) -> Engine:
    """Apply pending migrations and import the configured roster (serve does this at start).

    `serve` migrates in a child process so the long-running server never loads alembic."""
    engine = engine or make_engine(
        settings.database.url,
        busy_timeout_ms=settings.database.busy_timeout_ms,
        pool_size=settings.database.pool_size,
        sqlite_synchronous=settings.database.sqlite_synchronous,
    )
    if migrate_in_child:
        upgrade_in_child(engine.url.render_as_string(hide_password=False))
    else:
        upgrade(engine)
    if settings.roster:
        from storage.roster_import import import_roster_file

        summary = import_roster_file(engine, settings.roster)
        log.info("roster %s: %s", settings.roster, summary.describe())
    return engine


async def run_server(
    bot: BotApp,
    host: str,
    port: int,
    *,
    ready: asyncio.Event | None = None,
    stop: asyncio.Event | None = None,
    reuse_port: bool = False,
) -> None:
    """Serve until `stop` is set (or forever). `ready` is set once the port is bound.
    `reuse_port`: share the port with the other `serve --workers` processes."""
    from bot.connguard import ConnectionCap, default_cap

    server_settings = bot.settings.server
    # lingering_time: after refusing a body (413, a body timeout) aiohttp keeps reading the
    # rest for this long before closing; its 10 s default lets a slow client hold on.
    runner = web.AppRunner(
        bot.web_app(),
        access_log=None,
        keepalive_timeout=server_settings.idle_timeout_s,
        lingering_time=1.0,
    )
    await runner.setup()
    assert runner.server is not None
    cap = ConnectionCap(runner.server, server_settings.max_connections or default_cap())
    log.info(
        "closing connections idle for %ss; at most %d open", server_settings.idle_timeout_s, cap.cap
    )
    site = web.TCPSite(runner, host, port, reuse_port=reuse_port or None)
    await site.start()
    server: Any = site._server  # an asyncio.Server, typed AbstractServer (no .sockets)
    bound = server.sockets[0].getsockname()[1] if server and server.sockets else port
    bot.bound_port = bound
    if ready is not None:
        ready.set()
    log.info("alliance-bot listening on http://%s:%s (pid %s)", host, bound, os.getpid())
    try:
        if stop is None:
            await asyncio.Event().wait()
        else:
            await stop.wait()
    finally:
        await runner.cleanup()
