"""OneBot v11 HTTP POST event reporting: `POST /onebot`.

`X-Signature: sha1=<hex HMAC-SHA1(secret, raw body)>` is required (missing → 401, wrong →
403). Without a secret every request is refused (403), unless `allow_unsigned = true` and
the server listens on loopback only. Message events go to the sink; the reply is a quick
operation. Meta events, notices, requests and silent replies get 204.
"""

from __future__ import annotations

import hashlib
import hmac

from aiohttp import web

from bot.config import OneBotSettings, ServerSettings
from bot.platforms.base import BaseAdapter, json_response, parse_json_object
from bot.platforms.onebot.evidence import OneBotEvidence, deliver_with_evidence
from bot.platforms.onebot.payloads import parse_event, quick_operation
from bot.platforms.security import BadSignature, MissingSignature, UnsignedRefused, safe_equals
from handlers.ports import Clock, MessageSink


def onebot_signature(secret: str, body: bytes) -> str:
    return "sha1=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha1).hexdigest()


class OneBotHttpAdapter(BaseAdapter):
    platform = "onebot"
    route = "onebot"
    path = "/onebot"
    evidence: OneBotEvidence | None = None  # set by the registry when evidence is collected

    def __init__(
        self,
        settings: OneBotSettings,
        sink: MessageSink,
        clock: Clock,
        server: ServerSettings | None = None,
    ) -> None:
        super().__init__(sink, clock, server)
        self.settings = settings

    def routes(self) -> list[web.RouteDef]:
        return [web.post(self.path, self.guard(self.handle_post))]

    def verify(self, signature: str | None, body: bytes) -> None:
        if not self.settings.secret:
            if self.settings.allow_unsigned and self.loopback_only:
                return
            raise UnsignedRefused("onebot.secret is empty")
        if not signature:
            raise MissingSignature("X-Signature missing")
        if not safe_equals(onebot_signature(self.settings.secret, body), signature.strip().lower()):
            raise BadSignature("X-Signature mismatch")

    async def handle_post(self, request: web.Request) -> web.Response:
        body = await self.read_body(request)
        self.verify(request.headers.get("X-Signature"), body)
        event = parse_json_object(body)
        msg = parse_event(
            event,
            received_at=self.clock.now(),
            self_id=self.settings.self_id or request.headers.get("X-Self-ID", "").strip(),
        )
        if msg is None:
            return web.Response(status=204)
        reply = await deliver_with_evidence(self, event, msg)
        if reply is None:
            return web.Response(status=204)
        return json_response(quick_operation(reply))
