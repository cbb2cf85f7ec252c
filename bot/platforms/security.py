"""Inbound request checks shared by the adapters: rejections, timestamp window, comparisons.

A `Rejected` exception carries the HTTP status the adapter answers with. They are raised by
the verifiers and payload parsers and turned into uniform error responses by
`bot.platforms.base.BaseAdapter`, so the sink is never reached for a rejected request.
"""

from __future__ import annotations

import hmac
import ipaddress

from handlers.ports import Clock


class Rejected(Exception):
    """A request the adapter refuses; `code` is logged, `message` is sent back."""

    status = 400
    code = "bad_request"
    message = "请求格式错误"

    def __init__(self, detail: str = "") -> None:
        # `detail` is for the log only; it must never contain secrets or request bodies.
        super().__init__(detail or self.code)
        self.detail = detail


class Malformed(Rejected):
    status = 400
    code = "malformed"
    message = "请求格式错误"


class MissingSignature(Rejected):
    status = 401
    code = "missing_signature"
    message = "缺少签名"


class BadSignature(Rejected):
    status = 403
    code = "bad_signature"
    message = "签名校验失败"


class StaleTimestamp(Rejected):
    status = 403
    code = "stale_timestamp"
    message = "时间戳已过期"


class BodyTimeout(Rejected):
    status = 408
    code = "body_timeout"
    message = "请求体发送超时"


class UnsignedRefused(Rejected):
    """A platform configured without its secret or token: unsigned traffic is refused unless
    `allow_unsigned = true` and the server listens on loopback only."""

    status = 403
    code = "unsigned_refused"
    message = "未配置签名密钥或访问令牌,拒绝未签名的请求"


class AlreadyConnected(Rejected):
    status = 409
    code = "already_connected"
    message = "该账号已有连接"


class MissingToken(Rejected):
    status = 401
    code = "missing_token"
    message = "缺少访问令牌"


class BadToken(Rejected):
    status = 403
    code = "bad_token"
    message = "访问令牌错误"


class PayloadTooLarge(Rejected):
    status = 413
    code = "payload_too_large"
    message = "请求体过大"


def safe_equals(a: str | bytes, b: str | bytes) -> bool:
    """Constant-time comparison of two signatures (str compared as UTF-8)."""
    if isinstance(a, str):
        a = a.encode("utf-8")
    if isinstance(b, str):
        b = b.encode("utf-8")
    return hmac.compare_digest(a, b)


def check_timestamp(value: str | None, clock: Clock, window_s: float) -> int:
    """Parse a signed unix timestamp and require it within `window_s` of the clock, either side.

    Raises `MissingSignature` when absent, `Malformed` when not an integer and
    `StaleTimestamp` when outside the window.
    """
    if not value:
        raise MissingSignature("timestamp missing")
    value = value.strip()
    if not value.isdigit() or len(value) > 12:
        raise Malformed("timestamp not an integer")
    ts = int(value)
    now = clock.now().timestamp()
    if abs(now - ts) > window_s:
        raise StaleTimestamp(f"timestamp off by {int(now - ts)} s")
    return ts


def is_loopback(host: str) -> bool:
    """True when `host` (a listen address) accepts connections from this machine only."""
    host = host.strip().strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name, "" or "0.0.0.0"-like wildcard: assume reachable from outside
