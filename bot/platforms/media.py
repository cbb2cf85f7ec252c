"""Evidence (佐证材料) files from chats: the neutral item and a size-capped downloader.

Adapters download what a teacher sent (decrypting it where the platform encrypts media)
and hand an `EvidenceIn` to the evidence sink the composition root gives them; the sink
stores it beside the record it belongs to and answers with a short confirmation.
"""

from __future__ import annotations

import re
import ssl as ssl_
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urlparse

import aiohttp

from handlers.events import ChatRef


@dataclass(frozen=True)
class EvidenceIn:
    platform: str
    route: str
    chat: ChatRef
    sender_id: str
    message_id: str  # the delivery's id (dedup); one message may carry several files
    sent_at: datetime
    filename: str
    content: bytes
    kind: str = "image"  # image | file
    quoted_record_id: int | None = None  # the teacher quoted the bot's echo of #N
    quoted_message_id: str | None = None  # …or quoted a message (e.g. their own report)


EvidenceSink = Callable[[list[EvidenceIn]], Awaitable[str | None]]


class TooLarge(Exception):
    pass


_CD_UTF8 = re.compile(r"filename\*=UTF-8''([^;\s]+)", re.IGNORECASE)
_CD_PLAIN = re.compile(r'filename="?([^";]+)"?', re.IGNORECASE)


def filename_from(headers: Mapping[str, str], url: str, default: str) -> str:
    cd = str(headers.get("Content-Disposition", "")) if headers else ""
    m = _CD_UTF8.search(cd) or _CD_PLAIN.search(cd)
    if m:
        return unquote(m.group(1)).strip() or default
    tail = unquote(urlparse(url).path.rsplit("/", 1)[-1])
    return tail if "." in tail else default


async def download(
    session: aiohttp.ClientSession,
    url: str,
    max_bytes: int,
    *,
    ssl: ssl_.SSLContext | bool = True,
    timeout_s: float = 30.0,
) -> tuple[bytes, str]:
    """GET `url`, refusing more than `max_bytes` (Content-Length first, then while reading)."""
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    async with session.get(url, timeout=timeout, ssl=ssl) as resp:
        resp.raise_for_status()
        if resp.content_length is not None and resp.content_length > max_bytes:
            raise TooLarge(resp.content_length)
        buf = bytearray()
        async for chunk in resp.content.iter_chunked(64 * 1024):
            buf += chunk
            if len(buf) > max_bytes:
                raise TooLarge(len(buf))
        return bytes(buf), filename_from(resp.headers, url, "")
