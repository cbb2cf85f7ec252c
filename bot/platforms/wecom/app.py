"""WeCom self-built app (自建应用) callback: `GET/POST /wecom/app`, XML, receive id = CorpID.

Only text messages become `IncomingMessage`s (the app only sees its own 1:1 sessions, so
they are private chats); events and other types get HTTP 200 with an empty body. The reply
is an encrypted XML passive text reply of at most 2,048 bytes.
"""

from __future__ import annotations

from aiohttp import web

from bot.config import ServerSettings, WecomAppSettings
from bot.platforms.wecom.callback import WecomCallbackAdapter
from bot.platforms.wecom.payloads import extract_encrypt, parse_app_message
from bot.platforms.wecom.render import render_app_reply_xml, render_app_text
from handlers.ports import Clock, MessageSink


class WecomAppAdapter(WecomCallbackAdapter):
    route = "wecom-app"
    path = "/wecom/app"

    def __init__(
        self,
        settings: WecomAppSettings,
        sink: MessageSink,
        clock: Clock,
        server: ServerSettings | None = None,
    ) -> None:
        super().__init__(
            sink,
            clock,
            server,
            token=settings.token,
            encoding_aes_key=settings.encoding_aes_key,
            receive_id=settings.corp_id,
        )
        self.settings = settings

    async def handle_post(self, request: web.Request) -> web.Response:
        encrypt = extract_encrypt(await self.read_body(request))
        plaintext = self.crypto.decrypt(request.query, encrypt)
        msg = parse_app_message(plaintext, self.clock.now())
        if msg is None:
            return web.Response(status=200)
        reply = await self.deliver(msg)
        if reply is None:
            return web.Response(status=200)
        ts = self.reply_timestamp()
        xml = render_app_reply_xml(
            render_app_text(reply),
            corp_id=self.settings.corp_id,
            user_id=msg.sender_id,
            agent_id=self.settings.agent_id,
            create_time=int(ts),
        )
        body = self.crypto.encrypt_xml(xml, nonce=request.query["nonce"], timestamp=ts)
        return web.Response(text=body, content_type="application/xml")
