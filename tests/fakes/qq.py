"""QQ open platform as seen from the outside: Ed25519 signing with `cryptography` directly,
and a fake QQ API (getAppAccessToken, group and C2C messages) that records every call."""

from __future__ import annotations

import json
from itertools import count
from typing import Any

from aiohttp import web
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.fakes.server import FakeServer


def seed_of(secret: str) -> bytes:
    s = secret
    while len(s) < 32:
        s = s * 2
    return s[:32].encode()


class QQPlatform:
    def __init__(self, secret: str, app_id: str = "11111111") -> None:
        self.app_id = app_id
        self.key = Ed25519PrivateKey.from_private_bytes(seed_of(secret))

    def sign(self, message: bytes) -> str:
        return self.key.sign(message).hex()

    def headers(self, body: bytes, timestamp: int | str) -> dict[str, str]:
        ts = str(timestamp)
        return {
            "Content-Type": "application/json",
            "User-Agent": "QQBot-Callback",
            "X-Bot-Appid": self.app_id,
            "X-Signature-Timestamp": ts,
            "X-Signature-Ed25519": self.sign(ts.encode() + body),
        }

    @staticmethod
    def group_at(
        msg_id: str, content: str = " 进度", group: str = "GROUP1", member: str = "MEMBER1"
    ) -> bytes:
        return json.dumps(
            {
                "id": "GROUP_AT_MESSAGE_CREATE:e1",
                "op": 0,
                "s": 7,
                "t": "GROUP_AT_MESSAGE_CREATE",
                "d": {
                    "author": {"member_openid": member},
                    "content": content,
                    "group_openid": group,
                    "id": msg_id,
                    "timestamp": "2023-11-06T13:37:18+08:00",
                },
            },
            ensure_ascii=False,
        ).encode()


class FakeQQApi(FakeServer):
    def __init__(
        self, app_id: str = "11111111", secret: str = "qq-secret", expires_in: str = "7200"
    ) -> None:
        super().__init__()
        self.app_id, self.secret, self.expires_in = app_id, secret, expires_in
        self.valid_tokens: set[str] = set()
        self._seen: set[tuple] = set()  # (openid, msg_id, msg_seq) already sent: QQ dedups
        self._token_no = count(1)

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/app/getAppAccessToken", self.token),
            web.post("/v2/groups/{openid}/messages", self.message("groups")),
            web.post("/v2/users/{openid}/messages", self.message("users")),
        ]

    def expire_tokens(self) -> None:
        self.valid_tokens.clear()

    async def token(self, request: web.Request) -> web.Response:
        body = await request.json()
        if (r := await self.intercept("token", request, body)) is not None:
            return r
        if body != {"appId": self.app_id, "clientSecret": self.secret}:
            return web.json_response(
                {"code": 100016, "message": "invalid appid or secret"}, status=400
            )
        token = f"QQTOKEN{next(self._token_no)}"
        self.valid_tokens.add(token)
        return web.json_response({"access_token": token, "expires_in": self.expires_in})

    def message(self, kind: str):
        async def handler(request: web.Request) -> web.Response:
            body: Any = await request.json()
            if (r := await self.intercept(kind, request, body)) is not None:
                return r
            auth = request.headers.get("Authorization", "")
            if not auth.startswith("QQBot ") or auth[6:] not in self.valid_tokens:
                self.calls[-1].delivered = False
                return web.json_response(
                    {"code": 11244, "message": "token not exist or expire"}, status=401
                )
            call = self.calls[-1]
            call.extra["openid"] = request.match_info["openid"]
            key = (request.match_info["openid"], body.get("msg_id"), body.get("msg_seq"))
            if body.get("msg_id") and key in self._seen:
                call.delivered = False
                return web.json_response(
                    {"code": 40054005, "message": "消息被去重,请检查请求msgseq"}, status=400
                )
            self._seen.add(key)
            return web.json_response({"id": f"reply-{len(self.calls)}", "timestamp": 1700000000})

        return handler
