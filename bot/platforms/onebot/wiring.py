"""OneBot's entry in the platform registry: its adapters and pusher from the settings."""

from __future__ import annotations

from bot.config import Settings
from bot.platforms.base import BaseAdapter
from bot.platforms.onebot.client import OneBotPusher
from bot.platforms.onebot.evidence import OneBotEvidence
from bot.platforms.onebot.http import OneBotHttpAdapter
from bot.platforms.onebot.ws import OneBotWsAdapter
from bot.platforms.services import Services
from handlers.ports import Clock, MessageSink, Pusher


def build(
    settings: Settings, sink: MessageSink, clock: Clock, services: Services | None = None
) -> tuple[list[BaseAdapter], dict[str, Pusher]]:
    if not settings.onebot.enabled:
        return [], {}
    ws = OneBotWsAdapter(settings.onebot, sink, clock, settings.server)
    http = OneBotHttpAdapter(settings.onebot, sink, clock, settings.server)
    if services is not None and services.evidence is not None:  # images/files → 佐证材料
        http.evidence = ws.evidence = OneBotEvidence(services.evidence, settings.evidence)
    return [http, ws], {"onebot": OneBotPusher(settings.onebot, ws=ws)}
