"""QQ bot open platform signatures (Ed25519).

The key: repeat the bot secret until it is at least 32 characters, take the first 32 bytes
as the Ed25519 seed. QQ signs each callback over ``X-Signature-Timestamp + raw body``
with it, and the bot proves possession during URL validation (op 13) by signing
``event_ts + plain_token``.

Op 13 and unsigned requests: QQ's official op-13 example has no signature headers, so an
op-13 request without them is accepted; but because QQ signs callbacks with the very key
the op-13 answer signs with, an unsigned op 13 would be a signing oracle for forged
callbacks (``event_ts + plain_token`` can spell ``timestamp + body``). Hence
`validation_signature` only signs a numeric `event_ts` inside the timestamp window and a
`plain_token` of token characters (no braces or quotes), which can never spell a JSON body.
An op 13 that does carry signature headers is verified like any other request.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bot.platforms.security import BadSignature, Malformed, MissingSignature, check_timestamp
from handlers.ports import Clock

_TOKEN = re.compile(r"[A-Za-z0-9_\-.+/=]{1,128}")


def derive_seed(secret: str) -> bytes:
    if not secret:
        raise ValueError("QQ bot secret is empty")
    seed = secret
    while len(seed) < 32:
        seed += seed
    return seed.encode("utf-8")[:32]


class QQSigner:
    """The bot's Ed25519 key pair, derived from its secret."""

    def __init__(self, secret: str) -> None:
        self._key = Ed25519PrivateKey.from_private_bytes(derive_seed(secret))
        self.public_key = self._key.public_key()

    def sign(self, message: bytes) -> str:
        return self._key.sign(message).hex()

    def sign_request(self, timestamp: str, body: bytes) -> str:
        """What QQ puts in `X-Signature-Ed25519` (used by the simulator)."""
        return self.sign(timestamp.encode("utf-8") + body)

    def verify(self, message: bytes, signature_hex: str) -> bool:
        try:
            sig = bytes.fromhex(signature_hex)
        except ValueError:
            return False
        if len(sig) != 64 or sig[63] & 224 != 0:
            return False
        try:
            self.public_key.verify(sig, message)
        except InvalidSignature:
            return False
        return True


class QQSignatureVerifier:
    """slack-bolt style: headers present, timestamp within the window, then Ed25519."""

    def __init__(self, secret: str, clock: Clock, window_s: float) -> None:
        self.signer = QQSigner(secret)
        self.clock = clock
        self.window_s = window_s

    @staticmethod
    def has_signature(headers: Mapping[str, str]) -> bool:
        return bool(headers.get("X-Signature-Ed25519") or headers.get("X-Signature-Timestamp"))

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:
        signature = headers.get("X-Signature-Ed25519", "").strip()
        timestamp = headers.get("X-Signature-Timestamp", "").strip()
        if not signature:
            raise MissingSignature("X-Signature-Ed25519 missing")
        check_timestamp(timestamp, self.clock, self.window_s)
        if not self.signer.verify(timestamp.encode("utf-8") + body, signature):
            raise BadSignature("Ed25519 signature invalid")

    def validation_signature(self, event_ts: object, plain_token: object) -> str:
        """The op-13 answer's signature, for well-formed values only (see module docstring)."""
        if not isinstance(event_ts, str) or not isinstance(plain_token, str):
            raise Malformed("op 13 without string event_ts / plain_token")
        if not _TOKEN.fullmatch(plain_token):
            raise Malformed("op 13 plain_token has unexpected characters")
        check_timestamp(event_ts, self.clock, self.window_s)
        return self.signer.sign((event_ts + plain_token).encode("utf-8"))
