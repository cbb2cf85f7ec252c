"""Errors of outbound platform API calls."""

from __future__ import annotations


class PlatformAPIError(Exception):
    """A platform API call failed.

    `status` is the HTTP status (None for network errors and timeouts), `errcode`/`errmsg`
    the platform's own error fields when it sent any. `retryable` says whether the same call
    may succeed later (network trouble, 5xx, rate limits).
    """

    retryable = False

    def __init__(
        self,
        platform: str,
        status: int | None,
        errcode: int | str | None = None,
        errmsg: str = "",
        *,
        retryable: bool | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.platform = platform
        self.retry_after = retry_after  # seconds the platform asked us to wait (Retry-After)
        self.status = status
        self.errcode = errcode
        self.errmsg = errmsg
        if retryable is not None:
            self.retryable = retryable
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [self.platform]
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.errcode is not None:
            parts.append(f"errcode={self.errcode}")
        if self.errmsg:
            parts.append(self.errmsg)
        return " ".join(parts)


class RateLimited(PlatformAPIError):
    """WeCom 45009 `api freq out of limit`, or HTTP 429."""

    retryable = True


class TokenExpired(PlatformAPIError):
    """The cached access token was rejected (WeCom 40014/42001, QQ HTTP 401): refresh once."""

    retryable = False


def network_error(platform: str, exc: BaseException) -> PlatformAPIError:
    """A retryable error for a connection failure or timeout (no body, no URL: it may hold keys)."""
    return PlatformAPIError(platform, None, None, f"network: {type(exc).__name__}", retryable=True)
