"""QQ open-platform API: access token, passive replies; and the (refusing) pusher."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import aiohttp

from bot.config import QQSettings
from bot.platforms.errors import PlatformAPIError, TokenExpired
from bot.platforms.outbound import DEFAULT_RETRY_DELAYS, HttpClient, Sleep, TokenCache
from handlers.events import ChatRef, OutboundMessage
from handlers.ports import Clock, PushResult

NO_PUSH = (
    "QQ 官方机器人自 2025-04-21 起不能主动推送消息,只能在用户 @机器人 后被动回复;"
    "提醒请改用 OneBot 或企业微信"
)


DUPLICATE = 40054005  # "消息被去重,请检查请求msgseq": this msg_id + msg_seq was already sent


class QQHttpClient(HttpClient):
    platform = "qq"

    def check(self, status: int, body: dict[str, Any]) -> dict[str, Any]:
        if str(body.get("code")) == str(DUPLICATE):
            # A retry of a send that timed out but arrived: QQ deduplicates on msg_id +
            # msg_seq, so this retry was safe and the message is there.
            return {**body, "duplicate": True}
        if status == 401:
            raise TokenExpired(
                self.platform, status, body.get("code"), str(body.get("message", ""))
            )
        if status >= 400:
            raise PlatformAPIError(
                self.platform, status, body.get("code"), str(body.get("message", ""))
            )
        return body


class QQApiClient:
    """Access token (`POST token_url`, cached until 60 s before expiry) and passive replies."""

    def __init__(
        self,
        settings: QQSettings,
        clock: Clock,
        *,
        session: aiohttp.ClientSession | None = None,
        retry_delays: Sequence[float] = DEFAULT_RETRY_DELAYS,
        sleep: Sleep = asyncio.sleep,
        timeout_s: float = 10.0,  # the doc advises at least 5 s
    ) -> None:
        self.settings = settings
        self.http = QQHttpClient(
            session=session, timeout_s=timeout_s, retry_delays=retry_delays, sleep=sleep
        )
        self.tokens = TokenCache(self._fetch_token, clock, margin_s=60.0)

    async def start(self) -> None:
        await self.http.start()

    async def close(self) -> None:
        await self.http.close()

    async def _fetch_token(self) -> tuple[str, float]:
        body = await self.http.request_json(
            "POST",
            self.settings.token_url,
            json={"appId": self.settings.app_id, "clientSecret": self.settings.secret},
        )
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise PlatformAPIError("qq", 200, body.get("code"), "no access_token in answer")
        try:
            lifetime = float(body.get("expires_in") or 7200)  # documented as a string
        except (TypeError, ValueError):
            lifetime = 7200.0
        return token, lifetime

    def _messages_url(self, chat: ChatRef) -> str:
        base = self.settings.api_base.rstrip("/")
        if chat.chat_type == "group":
            return f"{base}/v2/groups/{chat.chat_id}/messages"
        return f"{base}/v2/users/{chat.chat_id}/messages"

    async def send_passive(
        self, chat: ChatRef, msg_id: str, content: str, msg_seq: int
    ) -> dict[str, Any]:
        """One passive text reply (msg_seq 1..5 per msg_id), retried on transient errors with
        the same msg_seq (QQ refuses the repeat as a duplicate, which counts as sent)."""
        body = {"content": content, "msg_type": 0, "msg_id": msg_id, "msg_seq": msg_seq}
        url = self._messages_url(chat)
        return await self.http.retrying(
            lambda: self.tokens.call(
                lambda token: self.http.request_json(
                    "POST", url, json=body, headers={"Authorization": f"QQBot {token}"}
                )
            )
        )


class QQPusher:
    """QQ official bots cannot push since 2025-04-21: every push fails, nothing is called."""

    name = "qq"

    async def push(self, msg: OutboundMessage) -> PushResult:
        return PushResult(ok=False, error=NO_PUSH, retryable=False)

    async def start(self) -> None:
        pass

    async def close(self) -> None:
        pass
