"""WeCom as seen from the outside, written on the test side with `cryptography` only.

`WecomPlatform` signs and encrypts callbacks the way WeCom does (AES-256-CBC, IV = key[:16],
PKCS#7 with a 32-byte block, sha1 over the sorted strings) and opens the bot's replies.
`FakeWecomApi` serves gettoken, message/send, appchat/send, media/upload, webhook/send,
webhook/upload_media and an AI-bot response_url, recording every call.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import struct
from itertools import count
from typing import Any

from aiohttp import web
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from tests.fakes.server import FakeServer


def aes_key(encoding_aes_key: str) -> bytes:
    key = base64.b64decode(encoding_aes_key + "=")
    assert len(key) == 32
    return key


def sha1_signature(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypt])).encode()).hexdigest()


def encrypt(
    encoding_aes_key: str, plaintext: bytes, receive_id: str, random16: bytes | None = None
) -> str:
    key = aes_key(encoding_aes_key)
    raw = (
        (random16 or os.urandom(16))
        + struct.pack(">I", len(plaintext))
        + plaintext
        + receive_id.encode()
    )
    pad = 32 - len(raw) % 32
    raw += bytes([pad]) * pad
    enc = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(enc.update(raw) + enc.finalize()).decode()


def decrypt(encoding_aes_key: str, b64: str) -> tuple[bytes, bytes]:
    """(message, receive id)."""
    key = aes_key(encoding_aes_key)
    dec = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    raw = dec.update(base64.b64decode(b64)) + dec.finalize()
    pad = raw[-1]
    assert 1 <= pad <= 32 and raw[-pad:] == bytes([pad]) * pad, "bad PKCS#7 padding"
    raw = raw[16:-pad]
    (n,) = struct.unpack(">I", raw[:4])
    return raw[4 : 4 + n], raw[4 + n :]


class WecomPlatform:
    def __init__(self, token: str, encoding_aes_key: str, receive_id: str) -> None:
        self.token, self.key, self.receive_id = token, encoding_aes_key, receive_id
        self._nonce = count(1_000_000_001)

    def query(
        self, encrypted: str, timestamp: int | str, nonce: str | None = None
    ) -> dict[str, str]:
        ts, nonce = str(timestamp), nonce or str(next(self._nonce))
        return {
            "msg_signature": sha1_signature(self.token, ts, nonce, encrypted),
            "timestamp": ts,
            "nonce": nonce,
        }

    def json_callback(
        self, payload: dict[str, Any] | bytes, timestamp: int
    ) -> tuple[dict[str, str], bytes]:
        """An AI-bot callback: (query, body)."""
        plain = (
            payload
            if isinstance(payload, bytes)
            else json.dumps(payload, ensure_ascii=False).encode()
        )
        enc = encrypt(self.key, plain, self.receive_id)
        return self.query(enc, timestamp), json.dumps({"encrypt": enc}).encode()

    def xml_callback(
        self, inner_xml: str, timestamp: int, agent_id: int = 1
    ) -> tuple[dict[str, str], bytes]:
        """A self-built-app callback: (query, body)."""
        enc = encrypt(self.key, inner_xml.encode(), self.receive_id)
        body = (
            f"<xml><ToUserName><![CDATA[{self.receive_id}]]></ToUserName>"
            f"<Encrypt><![CDATA[{enc}]]></Encrypt><AgentID><![CDATA[{agent_id}]]></AgentID></xml>"
        )
        return self.query(enc, timestamp), body.encode()

    def open_json_reply(self, envelope: dict[str, Any]) -> dict[str, Any]:
        """Check and decrypt the AI bot's encrypted reply."""
        assert all(
            isinstance(envelope[k], str) for k in ("encrypt", "msgsignature", "timestamp", "nonce")
        )
        assert envelope["msgsignature"] == sha1_signature(
            self.token, envelope["timestamp"], envelope["nonce"], envelope["encrypt"]
        )
        msg, rid = decrypt(self.key, envelope["encrypt"])
        assert rid == self.receive_id.encode()
        return json.loads(msg)

    def open_xml_reply(self, xml: str) -> str:
        fields = {
            k: re.search(rf"<{k}>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</{k}>", xml, re.S).group(1)
            for k in ("Encrypt", "MsgSignature", "TimeStamp", "Nonce")
        }
        assert fields["MsgSignature"] == sha1_signature(
            self.token, fields["TimeStamp"], fields["Nonce"], fields["Encrypt"]
        )
        msg, rid = decrypt(self.key, fields["Encrypt"])
        assert rid == self.receive_id.encode()
        return msg.decode()


class FakeWecomApi(FakeServer):
    def __init__(self, corp_id: str = "wwcorp", secret: str = "app-secret") -> None:
        super().__init__()
        self.corp_id, self.secret = corp_id, secret
        self.valid_tokens: set[str] = set()
        self._token_no = count(1)
        self._msg_no = count(1)
        self.used_response_codes: set[str] = set()

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/cgi-bin/gettoken", self.gettoken),
            web.post("/cgi-bin/message/send", self.app_send("message/send")),
            web.post("/cgi-bin/appchat/send", self.app_send("appchat/send")),
            web.post("/cgi-bin/media/upload", self.media_upload),
            web.post("/cgi-bin/webhook/send", self.webhook_send),
            web.post("/cgi-bin/webhook/upload_media", self.webhook_upload),
            web.post("/cgi-bin/aibot/response", self.aibot_response),
        ]

    def error_response(self, kind: str) -> web.Response:
        if kind.lstrip("-").isdigit() and len(kind) != 3:  # a WeCom errcode, on HTTP 200
            return web.json_response({"errcode": int(kind), "errmsg": "injected"})
        return super().error_response(kind)

    def expire_tokens(self) -> None:
        self.valid_tokens.clear()

    async def gettoken(self, request: web.Request) -> web.Response:
        if (r := await self.intercept("gettoken", request, None)) is not None:
            return r
        if (
            request.query.get("corpid") != self.corp_id
            or request.query.get("corpsecret") != self.secret
        ):
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        token = f"TOKEN{next(self._token_no)}"
        self.valid_tokens.add(token)
        return web.json_response(
            {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}
        )

    def app_send(self, endpoint: str):
        async def handler(request: web.Request) -> web.Response:
            body = await request.json()
            if (r := await self.intercept(endpoint, request, body)) is not None:
                return r
            if request.query.get("access_token") not in self.valid_tokens:
                self.calls[-1].delivered = False
                return web.json_response({"errcode": 42001, "errmsg": "access_token expired"})
            if endpoint == "message/send" and body.get("enable_duplicate_check"):
                # WeCom drops a repeat of the same content to the same member in the window
                same = {k: v for k, v in body.items() if k not in ("duplicate_check_interval",)}
                if any(
                    c.delivered
                    and c is not self.calls[-1]
                    and c.endpoint == endpoint
                    and {k: v for k, v in c.body.items() if k != "duplicate_check_interval"} == same
                    for c in self.calls
                ):
                    self.calls[-1].delivered = False
                    return web.json_response({"errcode": 0, "errmsg": "ok", "msgid": "duplicate"})
            return web.json_response(
                {"errcode": 0, "errmsg": "ok", "msgid": f"msg{next(self._msg_no)}"}
            )

        return handler

    async def _upload(self, endpoint: str, request: web.Request) -> web.Response:
        form = await request.post()
        media = form.get("media")
        body = {
            "filename": getattr(media, "filename", None),
            "content": media.file.read() if media is not None and hasattr(media, "file") else None,
        }
        if (r := await self.intercept(endpoint, request, body)) is not None:
            return r
        if media is None or request.query.get("type") != "file":
            return web.json_response({"errcode": 40004, "errmsg": "invalid media"})
        return web.json_response(
            {
                "errcode": 0,
                "errmsg": "ok",
                "type": "file",
                "media_id": f"MEDIA{len(self.calls)}",
                "created_at": "1380000000",
            }
        )

    async def media_upload(self, request: web.Request) -> web.Response:
        if request.query.get("access_token") not in self.valid_tokens:
            return web.json_response({"errcode": 42001, "errmsg": "access_token expired"})
        return await self._upload("media/upload", request)

    async def webhook_upload(self, request: web.Request) -> web.Response:
        return await self._upload("webhook/upload_media", request)

    async def webhook_send(self, request: web.Request) -> web.Response:
        body = await request.json()
        if (r := await self.intercept("webhook/send", request, body)) is not None:
            return r
        if request.query.get("key") in (None, "", "bad-key"):
            self.calls[-1].delivered = False
            return web.json_response({"errcode": 93000, "errmsg": "invalid webhook url"})
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def aibot_response(self, request: web.Request) -> web.Response:
        body = await request.json()
        if (r := await self.intercept("response_url", request, body)) is not None:
            return r
        code = request.query.get("response_code", "")
        if code in self.used_response_codes:
            self.calls[-1].delivered = False
            return web.json_response({"errcode": 40001, "errmsg": "response_code used"})
        self.used_response_codes.add(code)
        return web.json_response({"errcode": 0, "errmsg": "ok"})
