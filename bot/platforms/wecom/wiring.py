"""WeCom's entry in the platform registry: its adapters and pushers from the settings."""

from __future__ import annotations

from bot.config import Settings
from bot.platforms.base import BaseAdapter
from bot.platforms.services import Services
from bot.platforms.wecom.aibot import WecomAibotAdapter
from bot.platforms.wecom.app import WecomAppAdapter
from bot.platforms.wecom.client import WecomAppPusher, WecomWebhookPusher
from handlers.ports import Clock, MessageSink, Pusher


def build(
    settings: Settings, sink: MessageSink, clock: Clock, services: Services | None = None
) -> tuple[list[BaseAdapter], dict[str, Pusher]]:
    wecom, server = settings.wecom, settings.server
    services = services or Services()
    adapters: list[BaseAdapter] = []
    pushers: dict[str, Pusher] = {}
    if wecom.aibot.websocket:  # the AI bot over the long connection (no route)
        from bot.platforms.wecom.longconn.adapter import WecomWsAdapter, WecomWsPusher

        lease = services.lease_for(f"wecom-ws:{wecom.aibot.bot_id}") if services.lease_for else None
        ws = WecomWsAdapter(
            wecom.aibot,
            sink,
            clock,
            server,
            lease=lease,
            evidence=services.evidence,
            evidence_settings=settings.evidence,
        )
        adapters.append(ws)
        pushers["wecom-ws"] = WecomWsPusher(ws, fallback=services.handover)
    if wecom.aibot.enabled:
        adapters.append(WecomAibotAdapter(wecom.aibot, sink, clock, server))
    if wecom.app.enabled:
        adapters.append(WecomAppAdapter(wecom.app, sink, clock, server))
        if wecom.app.secret:
            pushers["wecom-app"] = WecomAppPusher(wecom.app, clock)
    pushers["wecom-webhook"] = WecomWebhookPusher(wecom.webhook, clock)
    return adapters, pushers
