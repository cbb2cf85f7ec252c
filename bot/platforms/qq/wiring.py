"""The QQ official bot's entry in the platform registry: its adapter and pusher."""

from __future__ import annotations

from bot.config import Settings
from bot.platforms.base import BaseAdapter
from bot.platforms.services import Services
from handlers.ports import Clock, MessageSink, Pusher


def build(
    settings: Settings, sink: MessageSink, clock: Clock, services: Services | None = None
) -> tuple[list[BaseAdapter], dict[str, Pusher]]:
    if not settings.qq.enabled:
        return [], {}
    # Imported only when enabled: the Ed25519 signatures load cryptography's OpenSSL
    # bindings, a few MB in a server that does not use them.
    from bot.platforms.qq.client import QQPusher
    from bot.platforms.qq.webhook import QQWebhookAdapter

    return [QQWebhookAdapter(settings.qq, sink, clock, settings.server)], {"qq": QQPusher()}
