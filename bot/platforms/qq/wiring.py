"""The QQ official bot's entry in the platform registry: its adapter and pusher."""
from __future__ import annotations

from bot.config import Settings
from bot.platforms.base import BaseAdapter
from bot.platforms.qq.client import QQPusher
from bot.platforms.qq.webhook import QQWebhookAdapter
from handlers.ports import Clock, MessageSink, Pusher


def build(settings: Settings, sink: MessageSink,
          clock: Clock) -> tuple[list[BaseAdapter], dict[str, Pusher]]:
    if not settings.qq.enabled:
        return [], {}
    return [QQWebhookAdapter(settings.qq, sink, clock, settings.server)], {"qq": QQPusher()}
