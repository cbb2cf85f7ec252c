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
from typing import TypeVar

from aiohttp import web

from bot.config import Settings
from bot.platforms.base import BaseAdapter
from bot.platforms.onebot import wiring as onebot_wiring
from bot.platforms.qq import wiring as qq_wiring
from bot.platforms.services import Services
from bot.platforms.wecom import wiring as wecom_wiring
from handlers.events import IncomingMessage, OutboundMessage
from handlers.ports import Clock, MessageSink, Pusher, PushResult

A = TypeVar("A", bound=BaseAdapter)
Builder = Callable[
    [Settings, MessageSink, Clock, Services], tuple[list[BaseAdapter], dict[str, Pusher]]
]


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

    def adapter(self, cls: type[A]) -> A | None:
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


# One line per platform: its package's `wiring.build(settings, sink, clock, services)` returns the
# adapters and pushers its settings enable. Adding a platform adds a line here.
BUILDERS: tuple[Builder, ...] = (
    wecom_wiring.build,
    onebot_wiring.build,
    qq_wiring.build,
)


def build_platforms(
    settings: Settings,
    sink: MessageSink,
    clock: Clock,
    claim_reply: Callable[[IncomingMessage], Awaitable[bool]] | None = None,
    services: Services | None = None,
) -> Platforms:
    """`claim_reply` (the pipeline's database claim) is given to every adapter that posts
    replies after its HTTP answer (QQ), so two serve processes answer a message once."""
    out = Platforms()
    for build in BUILDERS:
        adapters, pushers = build(settings, sink, clock, services or Services())
        out.adapters += adapters
        out.pushers.update(pushers)
    if claim_reply is not None:
        for a in out.adapters:
            if hasattr(a, "claim_reply"):
                a.claim_reply = claim_reply
    return out
