"""OneBot v11 (NapCat-like) as seen from the outside: HMAC-SHA1 signing and a fake HTTP API."""

from __future__ import annotations

import hashlib
import hmac
import json
from itertools import count
from typing import Any

from aiohttp import web

from tests.fakes.server import FakeServer


def hmac_signature(secret: str, body: bytes) -> str:
    return "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


def group_event(
    message: Any,
    *,
    message_id: int = 12,
    self_id: int = 10001000,
    group_id: int = 123456,
    user_id: int = 12345678,
    time: int = 1515204254,
) -> bytes:
    return json.dumps(
        {
            "time": time,
            "self_id": self_id,
            "post_type": "message",
            "message_type": "group",
            "sub_type": "normal",
            "message_id": message_id,
            "group_id": group_id,
            "user_id": user_id,
            "anonymous": None,
            "message": message,
            "raw_message": "",
            "font": 0,
            "sender": {"user_id": user_id, "nickname": "nick", "card": "张老师", "role": "member"},
        },
        ensure_ascii=False,
    ).encode()


class FakeOneBotApi(FakeServer):
    def __init__(self, access_token: str = "") -> None:
        super().__init__()
        self.access_token = access_token
        self._ids = count(1)

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/send_group_msg", self.action("send_group_msg")),
            web.post("/send_private_msg", self.action("send_private_msg")),
        ]

    def error_response(self, kind: str) -> web.Response:
        if kind.startswith("retcode"):
            return web.json_response({"status": "failed", "retcode": int(kind[7:]), "data": None})
        return super().error_response(kind)

    def action(self, name: str):
        async def handler(request: web.Request) -> web.Response:
            body = await request.json()
            if (r := await self.intercept(name, request, body)) is not None:
                return r
            if self.access_token:
                auth = request.headers.get("Authorization", "")
                if not auth:
                    self.calls[-1].delivered = False
                    return web.Response(status=401)
                if auth != f"Bearer {self.access_token}":
                    self.calls[-1].delivered = False
                    return web.Response(status=403)
            return web.json_response(
                {"status": "ok", "retcode": 0, "data": {"message_id": next(self._ids)}}
            )

        return handler
