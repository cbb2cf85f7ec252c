"""What the two WeCom callback endpoints share: routes and the GET URL verification."""

from __future__ import annotations

from aiohttp import web

from bot.config import ServerSettings
from bot.platforms.base import BaseAdapter
from bot.platforms.wecom.crypto import WecomCrypto
from handlers.ports import Clock, MessageSink


class WecomCallbackAdapter(BaseAdapter):
    platform = "wecom"
    path = ""

    def __init__(
        self,
        sink: MessageSink,
        clock: Clock,
        server: ServerSettings | None,
        *,
        token: str,
        encoding_aes_key: str,
        receive_id: str,
    ) -> None:
        super().__init__(sink, clock, server)
        self.crypto = WecomCrypto(
            token, encoding_aes_key, receive_id, clock, self.timestamp_window_s
        )

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get(self.path, self.guard(self.handle_get)),
            web.post(self.path, self.guard(self.handle_post)),
        ]

    def reply_timestamp(self) -> str:
        return str(int(self.clock.now().timestamp()))

    async def handle_get(self, request: web.Request) -> web.Response:
        """URL verification: answer the bare decrypted echostr (no quotes, BOM or newline)."""
        # Base64 never holds spaces: a raw "+" read as form encoding becomes one.
        echostr = (request.query.get("echostr") or "").replace(" ", "+")
        return web.Response(
            text=self.crypto.decrypt(request.query, echostr), content_type="text/plain"
        )

    async def handle_post(self, request: web.Request) -> web.Response:
        raise NotImplementedError
