"""WeCom callback crypto (加解密方案) on top of wechatpy 1.8.18.

Verification is done here first, slack-bolt style: signature present, timestamp inside the
window of the injected clock, then a constant-time compare of
``sha1(sorted([token, timestamp, nonce, encrypt]))``. Only then does wechatpy decrypt.
wechatpy's own XML parsing (xmltodict) is never fed untrusted XML: the outer XML is parsed
with defusedxml and handed over as ``{"Encrypt": ...}``.

The receive id is the CorpID for a self-built app and "" for the AI bot.
"""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping

from wechatpy.enterprise.crypto import PrpCrypto, WeChatCrypto

from bot.platforms.security import (
    BadSignature,
    Malformed,
    MissingSignature,
    check_timestamp,
    safe_equals,
)
from handlers.ports import Clock


def wecom_signature(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    parts = sorted(p.encode("utf-8") for p in (token, timestamp, nonce, encrypt))
    return hashlib.sha1(b"".join(parts)).hexdigest()


def new_nonce() -> str:
    return str(secrets.randbelow(9_000_000_000) + 1_000_000_000)


class WecomCrypto:
    def __init__(self, token: str, encoding_aes_key: str, receive_id: str, clock: Clock,
                 window_s: float) -> None:
        self.token = token
        self.receive_id = receive_id
        self.clock = clock
        self.window_s = window_s
        self._crypto = WeChatCrypto(token, encoding_aes_key, receive_id)

    def verify(self, query: Mapping[str, str], encrypt: str) -> None:
        """Check the query's `msg_signature` over `encrypt`, and its `timestamp` window."""
        signature = query.get("msg_signature") or ""
        nonce = query.get("nonce")
        if not signature or nonce is None:
            raise MissingSignature("msg_signature or nonce missing")
        timestamp = query.get("timestamp")
        check_timestamp(timestamp, self.clock, self.window_s)
        assert timestamp is not None
        expected = wecom_signature(self.token, timestamp, nonce, encrypt)
        if not safe_equals(expected, signature.lower()):
            raise BadSignature("msg_signature mismatch")

    def decrypt(self, query: Mapping[str, str], encrypt: str) -> str:
        """Verify, then decrypt `encrypt` (echostr or the message's Encrypt) to text."""
        if not encrypt:
            raise Malformed("nothing to decrypt")
        self.verify(query, encrypt)
        try:
            # Signature already checked in constant time above; wechatpy checks it again.
            return self._crypto.decrypt_message(
                {"Encrypt": encrypt}, query["msg_signature"].lower(), query["timestamp"],
                query["nonce"])
        except Exception as e:  # noqa: BLE001 - bad base64, bad padding, wrong receive id …
            raise Malformed(f"decrypt failed: {type(e).__name__}") from None

    def encrypt(self, plaintext: str) -> str:
        return PrpCrypto(self._crypto.key).encrypt(plaintext, self.receive_id).decode("ascii")

    def encrypt_json(self, plaintext: str, nonce: str, timestamp: str) -> dict[str, str]:
        """The AI bot's encrypted reply envelope (all four values are strings)."""
        enc = self.encrypt(plaintext)
        return {"encrypt": enc, "msgsignature": wecom_signature(self.token, timestamp, nonce, enc),
                "timestamp": timestamp, "nonce": nonce}

    def encrypt_xml(self, plaintext: str, nonce: str, timestamp: str) -> str:
        """The self-built app's encrypted passive reply (<xml><Encrypt/><MsgSignature/>…)."""
        return self._crypto.encrypt_message(plaintext, nonce, timestamp)
