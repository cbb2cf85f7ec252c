"""WeCom outbound: group-robot webhook pushes, self-built app pushes, shared error mapping.

wechatpy's client is synchronous (requests), so the few endpoints are called with aiohttp.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import aiohttp

from bot.config import WecomAppSettings, WecomWebhookSettings
from bot.platforms.errors import PlatformAPIError, RateLimited, TokenExpired
from bot.platforms.outbound import (
    DEFAULT_RETRY_DELAYS,
    BasePusher,
    HttpClient,
    Sleep,
    SlidingWindowLimiter,
    Step,
    TokenCache,
)
from bot.platforms.wecom.render import render_app_push, render_webhook
from handlers.events import Attachment, OutboundMessage
from handlers.ports import Clock

RATE_LIMITED = 45009  # api freq out of limit
TOKEN_ERRORS = {40014, 42001}  # invalid / expired access_token
SYSTEM_BUSY = -1
DUPLICATE_CHECK_S = 1800  # message/send duplicate check window (WeCom allows up to 4 h)


class WecomHttpClient(HttpClient):
    """WeCom answers HTTP 200 with an `errcode`; map the codes to our errors."""

    platform = "wecom"

    def check(self, status: int, body: dict[str, Any]) -> dict[str, Any]:
        if status >= 400:
            raise PlatformAPIError(self.platform, status, *self._codes(body))
        try:
            errcode = int(body.get("errcode", 0) or 0)
        except (TypeError, ValueError):
            raise PlatformAPIError(self.platform, status, None, "errcode is not a number") from None
        if errcode == 0:
            return body
        errmsg = str(body.get("errmsg", ""))
        if errcode == RATE_LIMITED:
            raise RateLimited(self.platform, status, errcode, errmsg)
        if errcode in TOKEN_ERRORS:
            raise TokenExpired(self.platform, status, errcode, errmsg)
        raise PlatformAPIError(
            self.platform, status, errcode, errmsg, retryable=errcode == SYSTEM_BUSY
        )


def _file_form(att: Attachment) -> aiohttp.FormData:
    # WeCom shows the multipart filename as is: send UTF-8, not percent-encoding.
    form = aiohttp.FormData(quote_fields=False)
    form.add_field("media", att.content, filename=att.filename, content_type=att.mime)
    return form


def _media_id(body: dict[str, Any]) -> str:
    media_id = body.get("media_id")
    if not isinstance(media_id, str) or not media_id:
        raise PlatformAPIError("wecom", 200, None, "upload answered without media_id")
    return media_id


class WecomWebhookPusher(BasePusher):
    """Group robot (群机器人/消息推送): `POST /cgi-bin/webhook/send?key=KEY`.

    The key comes from `OutboundMessage.push_key`. At most `settings.per_minute` messages per
    `window_s` per key: further messages wait (injected clock + sleep).
    """

    name = "wecom-webhook"

    def __init__(
        self,
        settings: WecomWebhookSettings,
        clock: Clock,
        *,
        session: aiohttp.ClientSession | None = None,
        retry_delays: Sequence[float] = DEFAULT_RETRY_DELAYS,
        sleep: Sleep = asyncio.sleep,
        window_s: float = 60.0,
        timeout_s: float = 10.0,
    ) -> None:
        super().__init__(
            WecomHttpClient(
                session=session, timeout_s=timeout_s, retry_delays=retry_delays, sleep=sleep
            )
        )
        self.base = settings.api_base.rstrip("/")
        self.limiter = SlidingWindowLimiter(settings.per_minute, window_s, clock, sleep)

    def plan(self, msg: OutboundMessage) -> list[Step]:
        key = msg.push_key
        if not key:
            raise ValueError("该群没有配置群机器人 webhook key (push_key)")
        steps = [self._send_step(key, body) for body in render_webhook(msg)]
        if msg.attachment is not None:
            steps.append(self._file_step(key, msg.attachment))
        if not steps:
            raise ValueError("empty message")
        return steps

    async def _send(self, key: str, body: dict[str, Any]) -> None:
        await self.limiter.acquire(key)
        # The group robot cannot deduplicate: wait longer before a send counts as failed.
        await self.client.request_json(
            "POST",
            f"{self.base}/cgi-bin/webhook/send",
            params={"key": key},
            json=body,
            timeout_s=self.client.unsafe_timeout_s,
        )

    def _send_step(self, key: str, body: dict[str, Any]) -> Step:
        async def step() -> str | None:
            await self._send(key, body)
            return None

        return step

    def _file_step(self, key: str, att: Attachment) -> Step:
        async def step() -> str | None:
            up = await self.client.request_json(
                "POST",
                f"{self.base}/cgi-bin/webhook/upload_media",
                params={"key": key, "type": "file"},
                data=_file_form(att),
            )
            await self._send(key, {"msgtype": "file", "file": {"media_id": _media_id(up)}})
            return None

        return step


class WecomAppPusher(BasePusher):
    """Self-built app: `message/send` to a member (private chat ref) or `appchat/send` to an
    app-created group chat, with a cached `gettoken` access token."""

    name = "wecom-app"

    def __init__(
        self,
        settings: WecomAppSettings,
        clock: Clock,
        *,
        session: aiohttp.ClientSession | None = None,
        retry_delays: Sequence[float] = DEFAULT_RETRY_DELAYS,
        sleep: Sleep = asyncio.sleep,
        timeout_s: float = 10.0,
    ) -> None:
        super().__init__(
            WecomHttpClient(
                session=session, timeout_s=timeout_s, retry_delays=retry_delays, sleep=sleep
            )
        )
        self.settings = settings
        self.base = settings.api_base.rstrip("/")
        self.tokens = TokenCache(self._fetch_token, clock)

    async def _fetch_token(self) -> tuple[str, float]:
        body = await self.client.request_json(
            "GET",
            f"{self.base}/cgi-bin/gettoken",
            params={"corpid": self.settings.corp_id, "corpsecret": self.settings.secret},
        )
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise PlatformAPIError(
                "wecom", 200, body.get("errcode"), "gettoken without access_token"
            )
        return token, float(body.get("expires_in") or 7200)

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        # message/send deduplicates (enable_duplicate_check), so its retry is safe;
        # appchat/send cannot, so it waits longer before a send counts as failed.
        timeout = None if path == "message/send" else self.client.unsafe_timeout_s
        return await self.tokens.call(
            lambda token: self.client.request_json(
                "POST",
                f"{self.base}/cgi-bin/{path}",
                params={"access_token": token},
                json=body,
                timeout_s=timeout,
            )
        )

    def plan(self, msg: OutboundMessage) -> list[Step]:
        if msg.target.chat_type == "private":
            path = "message/send"
            # WeCom drops a repeat of the same message to the same member within the interval:
            # a retry after a timed-out (but delivered) send is not shown twice.
            address: dict[str, Any] = {
                "touser": msg.target.chat_id,
                "agentid": self.settings.agent_id,
                "enable_duplicate_check": 1,
                "duplicate_check_interval": DUPLICATE_CHECK_S,
            }
        else:
            path = "appchat/send"
            address = {"chatid": msg.target.chat_id}
        bodies = [{**address, **b, "safe": 0} for b in render_app_push(msg)]
        steps = [self._step(path, b) for b in bodies]
        if msg.attachment is not None:
            steps.append(self._file_step(path, address, msg.attachment))
        if not steps:
            raise ValueError("empty message")
        return steps

    def _step(self, path: str, body: dict[str, Any]) -> Step:
        async def step() -> str | None:
            answer = await self._post(path, body)
            return str(answer["msgid"]) if answer.get("msgid") else None

        return step

    def _file_step(self, path: str, address: dict[str, Any], att: Attachment) -> Step:
        async def step() -> str | None:
            up = await self.tokens.call(
                lambda token: self.client.request_json(
                    "POST",
                    f"{self.base}/cgi-bin/media/upload",
                    params={"access_token": token, "type": "file"},
                    data=_file_form(att),
                )
            )
            return await self._step(
                path, {**address, "msgtype": "file", "file": {"media_id": _media_id(up)}, "safe": 0}
            )()

        return step
