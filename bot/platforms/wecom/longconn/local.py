"""A local stand-in for WeCom's long-connection endpoint, for `alliance-bot simulate`.

The bot dials out, so simulating means being the far end: this serves the long-connection
frames on a loopback TLS port (a certificate made here, signed by a small CA whose
certificate the bot trusts through `[wecom.aibot] ca_file`), checks the bot's bot_id and
secret, and turns each line typed into an `aibot_msg_callback`, collecting the streamed
reply and any `aibot_send_msg` pushes.

Set-up (once): `[wecom.aibot] ws_url = "wss://127.0.0.1:18443"` and `ca_file` = a path
under the data directory, e.g. "data/sim-tls/ca.pem"; the simulator creates the CA there
the first time (keep the key files beside it), then `serve` can start and connect.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import json
import ssl
import time
import uuid
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

from bot.config import WecomAibotSettings


def ensure_local_pki(ca_file: Path) -> tuple[Path, Path]:
    """(server cert, key) signed by the CA at `ca_file`; all created when missing."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder = ca_file.parent
    cert_file, key_file = folder / "sim-server-cert.pem", folder / "sim-server-key.pem"
    if ca_file.exists() and cert_file.exists() and key_file.exists():
        return cert_file, key_file
    if ca_file.exists():
        raise ValueError(
            f"{ca_file} 已存在但不是模拟器生成的证书;请把 ca_file 指向数据目录下的新路径,"
            "例如 data/sim-tls/ca.pem"
        )
    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "alliance-bot simulator CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_file.chmod(0o600)
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return cert_file, key_file


class LocalWecomWs:
    def __init__(self, settings: WecomAibotSettings) -> None:
        from urllib.parse import urlsplit

        parts = urlsplit(settings.ws_url)
        if (
            parts.scheme != "wss"
            or parts.hostname not in ("127.0.0.1", "localhost")
            or not parts.port
        ):
            raise ValueError(
                "模拟企业微信长连接时,[wecom.aibot] ws_url 必须指向本机端口,"
                '例如 ws_url = "wss://127.0.0.1:18443"'
            )
        if not settings.ca_file:
            raise ValueError(
                '模拟企业微信长连接需要 [wecom.aibot] ca_file,例如 "data/sim-tls/ca.pem"'
            )
        self.settings = settings
        self.host, self.port = parts.hostname, parts.port
        self.cert, self.key = ensure_local_pki(Path(settings.ca_file))
        self.ws: web.WebSocketResponse | None = None
        self.online = asyncio.Event()
        self.pushes: list[dict[str, Any]] = []
        self._waiters: dict[str, asyncio.Queue] = {}
        self._runner: web.AppRunner | None = None

    async def start(self) -> LocalWecomWs:
        app = web.Application()
        app.router.add_get("/", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(self.cert, self.key)
        await web.TCPSite(self._runner, self.host, self.port, ssl_context=ctx).start()
        return self

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for m in ws:
            if m.type != WSMsgType.TEXT:
                continue
            frame = json.loads(m.data)
            cmd, req_id = frame.get("cmd"), frame.get("headers", {}).get("req_id", "")
            if cmd == "aibot_subscribe":
                body = frame.get("body") or {}
                ok = (
                    body.get("bot_id") == self.settings.bot_id
                    and body.get("secret") == self.settings.secret
                )
                await ws.send_json(
                    {
                        "headers": {"req_id": req_id},
                        "errcode": 0 if ok else 40001,
                        "errmsg": "ok" if ok else "invalid bot_id or secret",
                    }
                )
                if not ok:
                    await ws.close()
                    break
                self.ws = ws
                self.online.set()
                continue
            await ws.send_json({"headers": {"req_id": req_id}, "errcode": 0, "errmsg": "ok"})
            if cmd == "aibot_send_msg":
                self.pushes.append(frame.get("body") or {})
            elif req_id in self._waiters:
                await self._waiters[req_id].put(frame.get("body") or {})
        if self.ws is ws:
            self.ws = None
            self.online.clear()
        return ws

    async def say(
        self, text: str, *, user_id: str, chat_id: str | None, timeout: float = 20.0
    ) -> list[str]:
        """Send `text` as `user_id` (in group `chat_id`, else 1:1); the finished reply."""
        if self.ws is None:
            raise ConnectionError("机器人还没有连上模拟的企业微信长连接")
        req_id = f"sim_{uuid.uuid4().hex[:12]}"
        queue: asyncio.Queue = asyncio.Queue()
        self._waiters[req_id] = queue
        body: dict[str, Any] = {
            "msgid": uuid.uuid4().hex,
            "aibotid": self.settings.bot_id,
            "chattype": "group" if chat_id else "single",
            "from": {"userid": user_id},
            "create_time": int(time.time()),
            "msgtype": "text",
            "text": {"content": f"@联盟助手 {text}"},
        }
        if chat_id:
            body["chatid"] = chat_id
        await self.ws.send_json(
            {"cmd": "aibot_msg_callback", "headers": {"req_id": req_id}, "body": body}
        )
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    got = await asyncio.wait_for(queue.get(), max(0.1, deadline - time.monotonic()))
                except TimeoutError:
                    return []
                stream = got.get("stream") or {}
                if stream.get("finish"):
                    return [stream.get("content", "")] if stream.get("content") else []
        finally:
            self._waiters.pop(req_id, None)
