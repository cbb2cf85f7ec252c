"""WeCom callback crypto (加解密方案): the scheme of wechatpy 1.8.18's `PrpCrypto`.

Verification is done here first, slack-bolt style: signature present, timestamp inside the
window of the injected clock, then a constant-time compare of
``sha1(sorted([token, timestamp, nonce, encrypt]))``. Only then is `encrypt` decrypted.

The scheme: key = base64(EncodingAESKey + "="), 32 bytes; AES-256-CBC with the key's first
16 bytes as IV; plaintext = 16 random bytes, the message's length (4 bytes, network
order), the message, the receive id; padded PKCS#7-style to a multiple of 32 bytes. It
is written here on `cryptography`, as wechatpy does: importing wechatpy's crypto loads
all of wechatpy (its API clients, requests, urllib3, dateutil), ~6 MB in every serving
process. tests/platforms test it on the official vectors and against wechatpy itself.

The receive id is the CorpID for a self-built app and "" for the AI bot.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import string
import struct
from collections.abc import Mapping

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

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


_BLOCK = 32  # the scheme pads to 32 bytes, not AES's 16
_RANDOM_CHARS = string.ascii_letters + string.digits
# The reply envelope of a self-built app (wechatpy's layout, byte for byte).
_XML = """<xml>
<Encrypt><![CDATA[{encrypt}]]></Encrypt>
<MsgSignature><![CDATA[{signature}]]></MsgSignature>
<TimeStamp>{timestamp}</TimeStamp>
<Nonce><![CDATA[{nonce}]]></Nonce>
</xml>"""


def _random16() -> str:
    """The 16 random characters that open a plaintext (letters and digits, as wechatpy)."""
    return "".join(secrets.choice(_RANDOM_CHARS) for _ in range(16))


class MessageCipher:
    """Encrypt and decrypt one WeCom message body with an EncodingAESKey."""

    def __init__(self, encoding_aes_key: str) -> None:
        self.key = base64.b64decode(encoding_aes_key + "=")
        if len(self.key) != 32:
            raise ValueError("EncodingAESKey must be 43 characters (32 bytes in base64)")

    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16]))

    def encrypt(self, plaintext: str, receive_id: str) -> str:
        body = plaintext.encode("utf-8")
        data = b"".join(
            (
                _random16().encode("ascii"),
                struct.pack(">I", len(body)),
                body,
                receive_id.encode("utf-8"),
            )
        )
        pad = _BLOCK - len(data) % _BLOCK
        data += bytes((pad,)) * pad
        enc = self._cipher().encryptor()
        return base64.b64encode(enc.update(data) + enc.finalize()).decode("ascii")

    def decrypt(self, encrypted: str, receive_id: str) -> str:
        """The message; raises (ValueError, struct.error, ...) on anything malformed and on a
        receive id other than `receive_id`."""
        dec = self._cipher().decryptor()
        plain = dec.update(base64.b64decode(encrypted)) + dec.finalize()
        content = plain[16 : -plain[-1]]
        (length,) = struct.unpack(">I", content[:4])
        message = content[4 : length + 4].decode("utf-8")
        if content[length + 4 :].decode("utf-8") != receive_id:
            raise ValueError("receive id mismatch")
        return message


class WecomCrypto:
    def __init__(
        self, token: str, encoding_aes_key: str, receive_id: str, clock: Clock, window_s: float
    ) -> None:
        self.token = token
        self.receive_id = receive_id
        self.clock = clock
        self.window_s = window_s
        self._cipher = MessageCipher(encoding_aes_key)

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
            return self._cipher.decrypt(encrypt, self.receive_id)
        except Exception as e:
            raise Malformed(f"decrypt failed: {type(e).__name__}") from None

    def encrypt(self, plaintext: str) -> str:
        return self._cipher.encrypt(plaintext, self.receive_id)

    def encrypt_json(self, plaintext: str, nonce: str, timestamp: str) -> dict[str, str]:
        """The AI bot's encrypted reply envelope (all four values are strings)."""
        enc = self.encrypt(plaintext)
        return {
            "encrypt": enc,
            "msgsignature": wecom_signature(self.token, timestamp, nonce, enc),
            "timestamp": timestamp,
            "nonce": nonce,
        }

    def encrypt_xml(self, plaintext: str, nonce: str, timestamp: str) -> str:
        """The self-built app's encrypted passive reply (<xml><Encrypt/><MsgSignature/>…)."""
        enc = self.encrypt(plaintext)
        return _XML.format(
            encrypt=enc,
            signature=wecom_signature(self.token, timestamp, nonce, enc),
            timestamp=timestamp,
            nonce=nonce,
        )
