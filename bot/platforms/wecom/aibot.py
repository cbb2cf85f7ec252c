"""WeCom AI bot (智能机器人) callback: `GET/POST /wecom/aibot`, JSON, receive id "".

GET answers URL verification with the bare decrypted echostr. POST carries
``{"encrypt": …}``; a text or mixed message goes to the sink and the reply comes back
within the request as an encrypted passive *stream* reply that is already finished
(``finish: true``). A stream-refresh callback is answered from an in-memory map of what
was sent (unknown id: finished, empty). No reply → HTTP 200 with an empty body.

The stream id is derived from the message id, so a retried delivery gets the very same
(decrypted) answer. `respond_later` posts a markdown reply to a message's one-time
`response_url` (unencrypted, at most once).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence

import aiohttp
from aiohttp import web

from bot.config import ServerSettings, WecomAibotSettings
from bot.platforms.base import LRU, dumps, json_response, parse_json_object
from bot.platforms.errors import PlatformAPIError
from bot.platforms.outbound import DEFAULT_RETRY_DELAYS, Sleep
from bot.platforms.security import Malformed
from bot.platforms.wecom.callback import WecomCallbackAdapter
from bot.platforms.wecom.client import WecomHttpClient
from bot.platforms.wecom.payloads import parse_aibot
from bot.platforms.wecom.render import render_stream_content
from handlers.events import Reply
from handlers.ports import Clock, MessageSink, PushResult


def stream_id_for(message_id: str) -> str:
    return "s" + hashlib.sha1(message_id.encode("utf-8")).hexdigest()[:24]


def stream_plaintext(stream_id: str, content: str) -> str:
    return dumps(
        {"msgtype": "stream", "stream": {"id": stream_id, "finish": True, "content": content}}
    )


class WecomAibotAdapter(WecomCallbackAdapter):
    route = "wecom-aibot"
    path = "/wecom/aibot"

    def __init__(
        self,
        settings: WecomAibotSettings,
        sink: MessageSink,
        clock: Clock,
        server: ServerSettings | None = None,
        *,
        session: aiohttp.ClientSession | None = None,
        retry_delays: Sequence[float] = DEFAULT_RETRY_DELAYS,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        super().__init__(
            sink,
            clock,
            server,
            token=settings.token,
            encoding_aes_key=settings.encoding_aes_key,
            receive_id="",
        )
        self.settings = settings
        self.streams: LRU[str, str] = LRU(2_000)
        self.response_urls: LRU[str, str] = LRU(2_000)  # message id → response_url
        self._used_response_urls: LRU[str, bool] = LRU(2_000)
        self.client = WecomHttpClient(session=session, retry_delays=retry_delays, sleep=sleep)

    async def start(self) -> None:
        await self.client.start()

    async def close(self) -> None:
        await super().close()
        await self.client.close()

    async def handle_post(self, request: web.Request) -> web.Response:
        envelope = parse_json_object(await self.read_body(request))
        encrypt = envelope.get("encrypt")
        if not isinstance(encrypt, str):
            raise Malformed("no encrypt field")
        plaintext = self.crypto.decrypt(request.query, encrypt)
        callback = parse_aibot(
            parse_json_object(plaintext.encode("utf-8")),
            bot_name=self.settings.bot_name,
            received_ts=int(request.query["timestamp"]),
        )
        if callback.kind == "stream_refresh":
            content = self.streams.get(callback.stream_id) or ""
            return self._stream_reply(request, callback.stream_id, content)
        if callback.message is None:
            return web.Response(status=200)
        msg = callback.message
        if callback.response_url:
            self.response_urls[msg.message_id] = callback.response_url
        reply = await self.deliver(msg)
        if reply is None:
            return web.Response(status=200)
        sid = stream_id_for(msg.message_id)
        content = render_stream_content(reply)
        self.streams[sid] = content
        return self._stream_reply(request, sid, content)

    def _stream_reply(self, request: web.Request, stream_id: str, content: str) -> web.Response:
        envelope = self.crypto.encrypt_json(
            stream_plaintext(stream_id, content),
            nonce=request.query["nonce"],
            timestamp=self.reply_timestamp(),
        )
        return json_response(envelope)

    async def respond_later(self, response_url: str, reply: Reply) -> PushResult:
        """Answer through a message's `response_url` (valid once, for an hour)."""
        if not self._used_response_urls.add(response_url):
            return PushResult(ok=False, error="response_url already used")
        body = {"msgtype": "markdown", "markdown": {"content": render_stream_content(reply)}}
        try:
            await self.client.retrying(
                lambda: self.client.request_json(
                    "POST", response_url, json=body, timeout_s=self.client.unsafe_timeout_s
                )
            )
        except PlatformAPIError as e:
            self.log.warning("response_url reply failed: %s", e)
            return PushResult(ok=False, error=str(e), retryable=e.retryable)
        return PushResult(ok=True)
