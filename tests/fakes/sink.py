"""A test MessageSink that dedups like the real pipeline: a retried delivery (same platform
and message id) is recorded again but handled once and answered with the same reply."""

from __future__ import annotations

from collections.abc import Callable

from handlers.events import IncomingMessage, Reply


def echo_reply(msg: IncomingMessage) -> Reply:
    return Reply(text=f"收到:{msg.text}")


class RecordingSink:
    def __init__(self, answer: Callable[[IncomingMessage], Reply | None] = echo_reply) -> None:
        self.answer = answer
        self.calls: list[IncomingMessage] = []
        self.handled: list[IncomingMessage] = []
        self._stored: dict[tuple[str, str], Reply | None] = {}

    async def __call__(self, msg: IncomingMessage) -> Reply | None:
        self.calls.append(msg)
        key = (msg.platform, msg.message_id)
        if key not in self._stored:
            self.handled.append(msg)
            self._stored[key] = self.answer(msg)
        return self._stored[key]


class FailingSink:
    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, msg: IncomingMessage) -> Reply | None:
        self.calls += 1
        raise RuntimeError("database is down")
