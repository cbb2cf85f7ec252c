"""One place that builds the enabled adapters and pushers from `Settings`.

The composition root (`bot.app`) may use this or build the classes itself:

    platforms = build_platforms(settings, sink, clock)
    platforms.add_routes(app)
    app.on_startup.append(lambda _: platforms.start())
    # on_shutdown, not on_cleanup: close() drains the reply tasks (QQ replies, OneBot
    # actions) and closes the reverse WebSockets, which aiohttp would otherwise wait for.
    app.on_shutdown.append(lambda _: platforms.close())
    scheduler_pusher = platforms.pusher  # routes an OutboundMessage to the right pusher
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

from bot.config import Settings
from bot.events import OutboundMessage
from bot.platforms.base import BaseAdapter
from bot.platforms.onebot.client import OneBotPusher
from bot.platforms.onebot.http import OneBotHttpAdapter
from bot.platforms.onebot.ws import OneBotWsAdapter
from bot.platforms.qq.client import QQPusher
from bot.platforms.qq.webhook import QQWebhookAdapter
from bot.platforms.wecom.aibot import WecomAibotAdapter
from bot.platforms.wecom.app import WecomAppAdapter
from bot.platforms.media import EvidenceSink
from bot.platforms.wecom.client import WecomAppPusher, WecomWebhookPusher
from bot.platforms.wecom_ws.adapter import WecomWsAdapter, WecomWsPusher
from bot.platforms.wecom_ws.connection import Lease
from bot.ports import Clock, MessageSink, Pusher, PushResult


class RoutingPusher:
    """Sends an OutboundMessage through the pusher for its target.

    WeCom: the group robot when the message has a `push_key`, else the self-built app
    (message/send for a private target, appchat/send for an app-created group).
    """

    name = "router"

    def __init__(self, pushers: dict[str, Pusher]) -> None:
        self.pushers = pushers

    def pusher_for(self, msg: OutboundMessage) -> str:
        if msg.target.platform == "wecom":
            if msg.push_key:
                return "wecom-webhook"
            # The AI bot's long connection reaches any chat the bot is in.
            return "wecom-ws" if "wecom-ws" in self.pushers else "wecom-app"
        return msg.target.platform

    async def push(self, msg: OutboundMessage) -> PushResult:
        name = self.pusher_for(msg)
        pusher = self.pushers.get(name)
        if pusher is None:
            return PushResult(ok=False, error=f"{name} 未启用,无法推送", retryable=False)
        return await pusher.push(msg)


@dataclass
class Platforms:
    adapters: list[BaseAdapter] = field(default_factory=list)
    pushers: dict[str, Pusher] = field(default_factory=dict)

    @property
    def pusher(self) -> RoutingPusher:
        return RoutingPusher(self.pushers)

    def adapter(self, cls: type[BaseAdapter]) -> BaseAdapter | None:
        return next((a for a in self.adapters if isinstance(a, cls)), None)

    def routes(self) -> list[web.RouteDef]:
        return [r for a in self.adapters for r in a.routes()]

    def add_routes(self, app: web.Application) -> None:
        app.add_routes(self.routes())

    async def start(self) -> None:
        for a in self.adapters:
            await a.start()
        for p in self.pushers.values():
            start = getattr(p, "start", None)
            if start is not None:
                await start()

    async def drain(self, timeout: float | None = None) -> None:
        for a in self.adapters:
            await a.drain(timeout)

    async def close(self) -> None:
        for a in self.adapters:
            await a.close()
        for p in self.pushers.values():
            close = getattr(p, "close", None)
            if close is not None:
                await close()


def build_platforms(settings: Settings, sink: MessageSink, clock: Clock, *,
                    lease: Lease | None = None, evidence: EvidenceSink | None = None,
                    outbox: Callable[[OutboundMessage], Awaitable[PushResult]] | None = None,
                    ) -> Platforms:
    out = Platforms()
    server = settings.server
    wecom = settings.wecom
    if wecom.aibot.websocket:
        ws_adapter = WecomWsAdapter(wecom.aibot, sink, clock, server, lease=lease,
                                    evidence=evidence, evidence_settings=settings.evidence)
        out.adapters.append(ws_adapter)
        out.pushers["wecom-ws"] = WecomWsPusher(ws_adapter, fallback=outbox)
    if wecom.aibot.enabled:
        out.adapters.append(WecomAibotAdapter(wecom.aibot, sink, clock, server))
    if wecom.app.enabled:
        out.adapters.append(WecomAppAdapter(wecom.app, sink, clock, server))
        if wecom.app.secret:
            out.pushers["wecom-app"] = WecomAppPusher(wecom.app, clock)
    out.pushers["wecom-webhook"] = WecomWebhookPusher(wecom.webhook, clock)
    if settings.onebot.enabled:
        ws = OneBotWsAdapter(settings.onebot, sink, clock, server)
        http = OneBotHttpAdapter(settings.onebot, sink, clock, server)
        if evidence is not None:
            from bot.platforms.onebot.evidence import OneBotEvidence

            http.evidence = ws.evidence = OneBotEvidence(evidence, settings.evidence)
        out.adapters += [http, ws]
        out.pushers["onebot"] = OneBotPusher(settings.onebot, ws=ws)
    if settings.qq.enabled:
        out.adapters.append(QQWebhookAdapter(settings.qq, sink, clock, server))
        out.pushers["qq"] = QQPusher()
    return out
