"""OneBot pushes: through the live reverse WebSocket when there is one, else the HTTP API."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import aiohttp

from bot.config import OneBotSettings
from bot.platforms.base import file_note
from bot.platforms.errors import PlatformAPIError
from bot.platforms.onebot.payloads import (
    action_for,
    action_result,
    render_segments,
    sent_message_id,
)
from bot.platforms.onebot.ws import OneBotWsAdapter
from bot.platforms.outbound import DEFAULT_RETRY_DELAYS, BasePusher, HttpClient, Sleep, Step
from handlers.events import OutboundMessage


class OneBotHttpClient(HttpClient):
    platform = "onebot"

    def check(self, status: int, body: dict[str, Any]) -> dict[str, Any]:
        if status >= 400:  # 401 no token, 403 wrong token, 404 unknown action, 400/406 bad request
            raise PlatformAPIError(self.platform, status, body.get("retcode"), "")
        return action_result(body)


class OneBotPusher(BasePusher):
    name = "onebot"

    def __init__(
        self,
        settings: OneBotSettings,
        *,
        ws: OneBotWsAdapter | None = None,
        session: aiohttp.ClientSession | None = None,
        retry_delays: Sequence[float] = DEFAULT_RETRY_DELAYS,
        sleep: Sleep = asyncio.sleep,
        timeout_s: float = 10.0,
    ) -> None:
        super().__init__(
            OneBotHttpClient(
                session=session, timeout_s=timeout_s, retry_delays=retry_delays, sleep=sleep
            )
        )
        self.settings = settings
        self.ws = ws

    def plan(self, msg: OutboundMessage) -> list[Step]:
        note = file_note(msg.attachment)
        segments = render_segments(f"{msg.text}\n{note}" if note else msg.text, msg.mentions)
        if not segments:
            raise ValueError("empty message")
        try:
            action, params = action_for(msg.target, segments)
        except ValueError:
            raise ValueError(f"not a QQ number: {msg.target.chat_id!r}") from None

        async def step() -> str | None:
            return sent_message_id(await self._call(action, params))

        return [step]

    async def _call(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        self_id = self.settings.self_id or None
        # OneBot cannot deduplicate a send: wait longer before a send counts as failed.
        if self.ws is not None and self.ws.connected(self_id):
            return await self.ws.call_action(
                action, params, self_id=self_id, timeout_s=self.client.unsafe_timeout_s
            )
        if not self.settings.api_url:
            raise PlatformAPIError(
                "onebot", None, None, "no live connection and no api_url", retryable=True
            )
        headers = {}
        if self.settings.access_token:
            headers["Authorization"] = f"Bearer {self.settings.access_token}"
        return await self.client.request_json(
            "POST",
            f"{self.settings.api_url.rstrip('/')}/{action}",
            json=params,
            headers=headers,
            timeout_s=self.client.unsafe_timeout_s,
        )
