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
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.config import Settings
from bot.files import DataDirFiles
from handlers.events import IncomingMessage, OutboundMessage, Reply
from bot.pipeline import Pipeline
from bot.platforms.registry import build_platforms
from handlers.ports import Clock, SystemClock
from handlers.commands import build_router
from handlers.messages import MessageHandler, ParserCache
from storage.db import current_revision, head_revision, make_engine, ping, upgrade, upgrade_in_child
from storage.models import ChatGroup, DownloadLink

log = logging.getLogger(__name__)
BOT_KEY: web.AppKey["BotApp"] = web.AppKey("bot")


@dataclass
class BotApp:
    settings: Settings
    clock: Clock = field(default_factory=SystemClock)
    engine: Engine | None = None
    with_scheduler: bool = True

    def __post_init__(self) -> None:
        s = self.settings
        if self.engine is None:
            self.engine = make_engine(s.database.url, busy_timeout_ms=s.database.busy_timeout_ms,
                                      echo=s.database.echo, pool_size=s.database.pool_size,
                                      sqlite_synchronous=s.database.sqlite_synchronous)
        self.router = build_router()
        self.parsers = ParserCache(cache_dir=s.data_path / "cache")
        self.handler = MessageHandler(self.router, self.parsers)
        self.platforms = build_platforms(s, self.sink, self.clock)
        self.pusher = self.platforms.pusher
        self.scheduler = self._build_scheduler() if self.with_scheduler else None
        self.targets = config_targets(s)
        self.pipeline = Pipeline(self.engine, s, self.handler, self.clock, reminders=self.scheduler,
                                 targets=self.targets, files=DataDirFiles(s.data_path))
        self._tasks: set[asyncio.Task] = set()
        self.bound_port: int | None = None

    # -- construction ------------------------------------------------------------------
    def _build_scheduler(self):  # noqa: ANN202
        from handlers.digest import digest_text
        from scheduler.runner import ReminderScheduler

        def digest(alliance_id: int, now):  # noqa: ANN001, ANN202
            with Session(self.engine) as session:
                return digest_text(session, alliance_id, now, self.settings, self.targets)

        return ReminderScheduler(self.engine, self.settings, self.pusher, self.clock,
                                 digest_text=digest, config_meetings=config_meetings(self.settings))

    # -- the sink adapters call --------------------------------------------------------
    async def sink(self, msg: IncomingMessage) -> Reply | None:
        reply = await self.pipeline(msg)
        if reply is not None and reply.attachment is not None:
            self._spawn(self._push_file(msg, reply))
        return reply

    async def _push_file(self, msg: IncomingMessage, reply: Reply) -> None:
        """Files go out where the platform can take them: a WeCom group robot."""
        def group_key() -> str | None:
            with Session(self.engine) as s:
                g = s.exec(select(ChatGroup).where(ChatGroup.platform == msg.platform,
                                                   ChatGroup.chat_id == msg.chat.chat_id)).first()
                return g.webhook_key if g else None

        key = await asyncio.to_thread(group_key)
        if msg.platform != "wecom" or not key:
            return
        result = await self.pusher.push(OutboundMessage(
            target=msg.chat, text=reply.attachment.filename, attachment=reply.attachment,
            push_key=key, idempotency_key=f"file:{msg.platform}:{msg.message_id}"))
        if not result.ok:
            log.warning("sending export file to %s failed: %s", msg.chat.chat_id, result.error)

    def _spawn(self, coro) -> None:  # noqa: ANN001
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- HTTP ----------------------------------------------------------------------------
    async def healthz(self, request: web.Request) -> web.Response:
        db_ok = await asyncio.to_thread(ping, self.engine)
        rev = await asyncio.to_thread(current_revision, self.engine) if db_ok else None
        body = {
            "status": "ok" if db_ok else "degraded",
            "database": {"reachable": db_ok, "revision": rev, "head": head_revision(),
                         "backend": self.engine.dialect.name},
            "scheduler": {"running": bool(self.scheduler and self.scheduler.running)},
            "platforms": self.settings.platform_summary(),
        }
        return web.json_response(body, status=200 if db_ok else 503,
                                 dumps=lambda o: json.dumps(o, ensure_ascii=False))

    async def download(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]

        def claim() -> tuple[str, Path] | str:
            from sqlalchemy import update

            now = self.clock.now()
            with Session(self.engine) as s:
                link = s.exec(select(DownloadLink).where(DownloadLink.token == token)).first()
                if link is None:
                    return "链接无效。"
                if link.used_at is not None:
                    return "此下载链接已使用过,请重新发送 /导出 获取新链接。"
                if link.expires_at < now:
                    return "下载链接已过期,请重新发送 /导出 获取新链接。"
                # Claim atomically: only one request gets the file.
                done = s.exec(update(DownloadLink).where(DownloadLink.id == link.id,
                                                         DownloadLink.used_at.is_(None))
                              .values(used_at=now))
                s.commit()
                if done.rowcount != 1:
                    return "此下载链接已使用过,请重新发送 /导出 获取新链接。"
                path = Path(link.path)
                return link.filename, path if path.is_absolute() else self.settings.data_path / path

        result = await asyncio.to_thread(claim)
        if isinstance(result, str):
            return web.Response(status=410 if "链接无效" not in result else 404, text=result,
                                content_type="text/plain", charset="utf-8")
        filename, path = result
        if not path.exists():
            return web.Response(status=410, text="文件已被清理,请重新发送 /导出。",
                                content_type="text/plain", charset="utf-8")
        from urllib.parse import quote

        return web.FileResponse(path, headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})

    def web_app(self) -> web.Application:
        app = web.Application(client_max_size=self.settings.server.max_body_bytes)
        self.platforms.add_routes(app)
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/download/{token}", self.download)
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
            ThreadPoolExecutor(self.settings.server.threads, thread_name_prefix="pipeline"))
        await asyncio.to_thread(self.warm_parser)
        release_startup_memory()
        await self.platforms.start()
        if self.scheduler is not None and self.settings.reminders.enabled:
            await self.scheduler.start()

    async def _on_shutdown(self, _app: web.Application) -> None:
        await self.platforms.drain(timeout=10)
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=10)
        if self.scheduler is not None:
            await self.scheduler.shutdown()
        await asyncio.to_thread(self.pipeline.close)  # the queued writes commit first
        await self.platforms.close()


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


def prepare_database(settings: Settings, engine: Engine | None = None, *,
                     migrate_in_child: bool = False) -> Engine:
    """Apply pending migrations and import the configured roster (serve does this at start).

    `serve` migrates in a child process so the long-running server never loads alembic."""
    engine = engine or make_engine(settings.database.url,
                                   busy_timeout_ms=settings.database.busy_timeout_ms,
                                   pool_size=settings.database.pool_size,
                                   sqlite_synchronous=settings.database.sqlite_synchronous)
    if migrate_in_child:
        upgrade_in_child(engine.url.render_as_string(hide_password=False))
    else:
        upgrade(engine)
    if settings.roster:
        from storage.roster_import import import_roster_file

        summary = import_roster_file(engine, settings.roster)
        log.info("roster %s: %s", settings.roster, summary.describe())
    return engine


async def run_server(bot: BotApp, host: str, port: int, *, ready: asyncio.Event | None = None,
                     stop: asyncio.Event | None = None, reuse_port: bool = False) -> None:
    """Serve until `stop` is set (or forever). `ready` is set once the port is bound.
    `reuse_port`: share the port with the other `serve --workers` processes."""
    runner = web.AppRunner(bot.web_app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port, reuse_port=reuse_port or None)
    await site.start()
    bound = site._server.sockets[0].getsockname()[1] if site._server and site._server.sockets else port  # noqa: SLF001
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
