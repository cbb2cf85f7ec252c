"""OneBot images and files → 佐证材料, through the evidence sink the composition root sets."""

from __future__ import annotations

import base64
import binascii
import logging
from dataclasses import replace
from typing import Any

import aiohttp

from bot.config import EvidenceSettings
from bot.platforms.media import EvidenceIn, EvidenceSink, TooLarge, download
from bot.platforms.onebot.payloads import media_of_event
from handlers.events import IncomingMessage, Reply

log = logging.getLogger("bot.platforms.onebot")


class OneBotEvidence:
    def __init__(self, sink: EvidenceSink, settings: EvidenceSettings) -> None:
        self.sink = sink
        self.settings = settings

    async def collect(self, event: dict[str, Any], msg: IncomingMessage) -> str | None:
        """Store the event's images/files beside the record they belong to; the answer."""
        if not self.settings.enabled:
            return None
        media, quoted = media_of_event(event)
        if not media:
            return None
        cap = self.settings.max_bytes
        items: list[EvidenceIn] = []
        async with aiohttp.ClientSession() as session:
            items = await self._fetch(session, media, msg, quoted, cap)
        return await self.sink(items) if items else None

    async def _fetch(
        self,
        session: aiohttp.ClientSession,
        media: list,
        msg: IncomingMessage,
        quoted: str | None,
        cap: int,
    ) -> list[EvidenceIn]:
        items: list[EvidenceIn] = []
        for i, (kind, url, name) in enumerate(media, 1):
            try:
                if url.startswith("base64://"):
                    data = base64.b64decode(url[len("base64://") :], validate=True)
                    got_name = ""
                else:
                    data, got_name = await download(session, url, cap)
                if len(data) > cap:
                    raise TooLarge(len(data))
            except TooLarge:
                log.info("evidence %s: file %d over %d bytes, skipped", msg.message_id, i, cap)
                continue
            except (aiohttp.ClientError, TimeoutError, OSError, binascii.Error, ValueError) as e:
                log.warning("evidence %s: download failed (%s)", msg.message_id, type(e).__name__)
                continue
            items.append(
                EvidenceIn(
                    platform="onebot",
                    route=msg.route,
                    chat=msg.chat,
                    sender_id=msg.sender_id,
                    message_id=msg.message_id,
                    sent_at=msg.sent_at,
                    filename=name or got_name or f"{kind}{i}{'.jpg' if kind == 'image' else ''}",
                    content=data,
                    kind=kind,
                    quoted_message_id=quoted,
                )
            )
        return items


async def deliver_with_evidence(
    adapter: Any, event: dict[str, Any], msg: IncomingMessage
) -> Reply | None:
    """The adapter's delivery, plus the message's images/files as evidence. A message that is
    only pictures is not handed to the pipeline (it says nothing); a message with text and
    pictures is delivered first (it may be the report the pictures belong to)."""
    ev: OneBotEvidence | None = getattr(adapter, "evidence", None)
    has_media = ev is not None and bool(media_of_event(event)[0])
    reply = None
    if msg.text.strip() or not has_media:
        reply = await adapter.deliver(msg)
    if not has_media:
        return reply
    try:
        note = await ev.collect(event, msg)  # type: ignore[union-attr]
    except Exception as e:
        log.warning("evidence %s failed: %s", msg.message_id, type(e).__name__)
        note = None
    if not note:
        return reply
    if reply is None:
        return Reply(text=note)
    return replace(
        reply,
        text=f"{reply.text}\n{note}",
        markdown=f"{reply.markdown}\n\n{note}" if reply.markdown else None,
    )
